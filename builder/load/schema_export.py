"""The JSON Schemas editors validate with, generated from the loader's own declarations.

``python -m builder.load.schema_export`` writes builder/schemas/*.json from the
FieldSpec tables of schema.py (the fields, their kinds, patterns, choices and
help), the checker configuration's tables (checkconfig.py) and the rules'
options. There is no second, hand-kept description of a format: a test fails
when the shipped files differ from what this module makes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .checkconfig import ACCEPTANCE_FIELDS, LEVELS, rule_options
from ..model import CODES, CardType, Severity
from .schema import (CARD_FIELDS, DECK_DEFINITION_FIELDS, DECK_FIELDS, SOURCE_FIELDS, SOURCE_REF_FIELDS, FieldSpec,
                     Kind)

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# YAML reads `version: 1.0` or `fact: 14` as numbers and `yes` as a boolean; the loader takes the text typed.
TEXT: dict[str, Any] = {"anyOf": [{"type": "string", "minLength": 1}, {"type": "number"}, {"type": "boolean"}]}


def _pattern(pattern: re.Pattern[str]) -> dict[str, Any]:
    # Python's and JSON Schema's (ECMA 262) syntax agree on what our patterns use: classes, groups, \S, \u.
    return {"anyOf": [{"type": "string", "pattern": f"^(?:{pattern.pattern})$"}, {"type": "number"}]}


def _text(spec: FieldSpec) -> dict[str, Any]:
    if spec.choices:
        return {"enum": list(spec.choices)}
    shape = spec.pattern or spec.form
    return _pattern(shape) if shape is not None else dict(TEXT)


def _citation() -> dict[str, Any]:
    return {"anyOf": [_text(SOURCE_REF_FIELDS["id"]), _object(SOURCE_REF_FIELDS)]}


def _field(spec: FieldSpec) -> dict[str, Any]:
    if spec.kind is Kind.TEXT:
        schema = _text(spec)
    elif spec.kind is Kind.TEXT_LIST:  # an empty value means none: the reference checks report it
        item = _text(spec)
        schema = {"type": ["array", "null"], "items": item}
    elif spec.kind is Kind.SOURCE_REFS:
        schema = {"type": ["array", "null"], "items": _citation()}
    elif spec.kind is Kind.TEXT_MAP:
        schema = {"type": "object", "propertyNames": {"pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"},
                  "additionalProperties": dict(TEXT)}
    elif spec.kind is Kind.DATE:
        schema = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    elif spec.kind is Kind.BOOL:
        schema = {"type": "boolean"}
    else:
        schema = NODE_FIELDS[spec.name]()
    if spec.help:
        schema["description"] = spec.help
    return schema


def _object(specs: dict[str, FieldSpec]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: _field(spec) for name, spec in specs.items()},
        "required": [name for name, spec in specs.items() if spec.required],
        "additionalProperties": False,
    }


def _option(default: Any) -> dict[str, Any]:
    if isinstance(default, bool):
        return {"type": "boolean", "default": default}
    if isinstance(default, (int, float)):
        return {"type": "number", "minimum": 0, "default": default}
    if isinstance(default, (list, tuple)):
        return {"type": "array", "items": {"type": "string"}, "default": list(default)}
    return {"type": "string", "default": default}


def _checks() -> dict[str, Any]:
    """Each warning's level, or its options; errors cannot be configured (checkconfig.py)."""
    level = {"enum": list(LEVELS)}
    options = rule_options()
    properties = {}
    for code in CODES.values():
        if code.severity is not Severity.WARNING:
            continue
        tuned = {"level": level, **{name: _option(value) for name, value in options.get(code.code, {}).items()}}
        properties[code.code] = {
            "description": f"{code.name}: {code.summary}",
            "anyOf": [level, {"type": "object", "properties": tuned, "additionalProperties": False}],
        }
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _accepted() -> dict[str, Any]:
    item = _object(ACCEPTANCE_FIELDS)
    subjects = [name for name in ACCEPTANCE_FIELDS if name not in ("code", "reason")]
    item["oneOf"] = [{"required": [name]} for name in subjects]  # one card, source or topic
    item["properties"]["code"] = {"enum": [c.code for c in CODES.values() if c.severity is Severity.WARNING]}
    return {"type": "array", "items": item}


def _decks() -> dict[str, Any]:
    return {"type": "array", "items": _object(DECK_DEFINITION_FIELDS)}


def _adopted() -> dict[str, Any]:
    """deck.yaml `adopted:` (adopted.py): the note types a deck imported from Anki keeps."""
    from .adopted import ADOPTION_FIELDS, NOTETYPE_FIELDS, TEMPLATE_FIELDS

    adoption = _object({name: spec for name, spec in ADOPTION_FIELDS.items() if spec.kind is not Kind.NODE})
    notetype = _object({name: spec for name, spec in NOTETYPE_FIELDS.items() if spec.kind is not Kind.NODE})
    notetype["properties"]["templates"] = {"type": "array", "items": _object(TEMPLATE_FIELDS), "minItems": 1,
                                           "maxItems": 2}
    notetype["required"] = [name for name, spec in NOTETYPE_FIELDS.items() if spec.required]
    adoption["properties"]["notetypes"] = {"type": "array", "items": notetype, "maxItems": 3}
    adoption["required"] = [name for name, spec in ADOPTION_FIELDS.items() if spec.required]
    return adoption


NODE_FIELDS = {"checks": _checks, "accepted": _accepted, "decks": _decks, "adopted": _adopted}


def _cards() -> dict[str, Any]:
    fields = {name: spec for specs in CARD_FIELDS.values() for name, spec in specs.items()}
    card = _object(fields)
    common = set.intersection(*(set(specs) for specs in CARD_FIELDS.values()))
    card["required"] = [name for name in card["required"] if name in common]

    def own(kind: CardType) -> tuple[list[str], list[str]]:
        specs = CARD_FIELDS[kind]
        return ([n for n, s in specs.items() if s.required and n not in common],
                [n for n in fields if n not in specs])

    cloze_required, cloze_forbidden = own(CardType.CLOZE)
    basic_required, basic_forbidden = own(CardType.BASIC)
    assert own(CardType.REVERSED) == (basic_required, basic_forbidden), "reversed cards are basic cards here"
    card["if"] = {"properties": {"type": {"const": CardType.CLOZE.value}}, "required": ["type"]}
    card["then"] = {"required": cloze_required, "not": {"anyOf": [{"required": [n]} for n in cloze_forbidden]}}
    card["else"] = {"required": basic_required, "not": {"anyOf": [{"required": [n]} for n in basic_forbidden]}}
    return {"type": "array", "items": card}


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, for card files, deck.yaml and sources.yaml."""
    return {
        "cards.schema.json": {"$schema": DRAFT, "title": "deckbuilder card file",
                              "description": "A list of cards (cards/*.yaml). See docs/format.md.", **_cards()},
        "deck.schema.json": {"$schema": DRAFT, "title": "deckbuilder deck.yaml",
                             "description": "The deck's identity, vocabulary and checker settings. See "
                                            "docs/format.md.", **_object(DECK_FIELDS)},
        "sources.schema.json": {"$schema": DRAFT, "title": "deckbuilder sources.yaml",
                                "description": "Every source a card may cite. See docs/format.md.",
                                "type": "array", "items": _object(SOURCE_FIELDS)},
    }


def rendered() -> dict[str, str]:
    return {name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for name, schema in schemas().items()}


def main() -> None:
    for name, text in rendered().items():
        (SCHEMAS / name).write_text(text, encoding="utf-8")
        print(f"wrote {SCHEMAS / name}")


if __name__ == "__main__":
    main()
