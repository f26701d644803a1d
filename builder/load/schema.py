"""The content formats, declared as data, and one reader that applies them.

Each file kind (deck.yaml, sources.yaml, card files) is a table of FieldSpecs.
``read_fields`` checks a YAML mapping against such a table and returns plain
values plus positions, reporting missing, wrong-typed, empty, invalid and
unknown fields as diagnostics. Nothing here raises for bad content.
"""

from __future__ import annotations

import datetime
import difflib
import enum
import re
from dataclasses import dataclass
from sys import intern  # a card's position keys ("topics[0]"): one string each, not one per card
from typing import Any

from ..model import CardType, Diagnostic, Location, SourceRef, diagnostic
from .yamlsource import Mapping, Node, Scalar, Sequence

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_HELP = "lowercase letters, digits and single hyphens, e.g. 'first-topic-fact'"
SHA256 = re.compile(r"[0-9a-f]{64}")
# C0 and C1 controls and DEL, except tab and line breaks.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SHOWN_CHARS = 80  # of a value quoted in a message
# A deck's name and version are shown on one line everywhere (Anki's deck list, file headings, the .tsv's
# deck column): a line break would change the name Anki keys decks by, or start a block in Markdown.
ONE_LINE = re.compile(r"[^\n\r\u2028\u2029\x85]+")
ONE_LINE_HELP = "one line of text, without line breaks"


def shown(text: str) -> str:
    """A value as quoted in a message: cut short if long (a 10,000-character id fills no screen)."""
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS - 1]}…"


class Kind(enum.Enum):
    TEXT = "text"
    TEXT_LIST = "a list of text"
    TEXT_MAP = "a mapping of ids to titles"
    SOURCE_REFS = "a list of source ids"
    DATE = "a date (YYYY-MM-DD)"
    BOOL = "true or false"
    NODE = "a YAML value"  # read by a module of its own (the checker configuration)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()  # allowed values of a TEXT field
    pattern: re.Pattern[str] | None = None  # required form of a TEXT field
    pattern_help: str = ""
    # For editors (the JSON Schemas are generated from these tables, see schema_export.py):
    help: str = ""  # shown on hover
    # A form a rule requires of the value (reported by that rule, with its own code, not by the reader):
    # editors flag it as they type.
    form: re.Pattern[str] | None = None


def _specs(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {s.name: s for s in specs}


DECK_FIELDS = _specs(
    FieldSpec("name", Kind.TEXT, required=True, pattern=ONE_LINE, pattern_help=ONE_LINE_HELP,
              help="The Anki deck name (decks are matched by name)."),
    FieldSpec("version", Kind.TEXT, required=True, pattern=ONE_LINE, pattern_help=ONE_LINE_HELP,
              help="The first build with a new version releases it; its record never changes."),
    FieldSpec("namespace", Kind.TEXT, required=True, pattern=SLUG, pattern_help=SLUG_HELP,
              help="Permanent: every GUID and note-type id derives from it."),
    FieldSpec("description", Kind.TEXT, required=True, help="Markdown, shown on the deck's overview in Anki."),
    FieldSpec("disclaimer", Kind.TEXT, help="Plain text shown with the deck in Anki, on its study sheets and in "
                                            "the students' README. None when absent."),
    FieldSpec("topics", Kind.TEXT_MAP, required=True, help="Topic id (slug) -> title; tags <namespace>::topic::<id>."),
    FieldSpec("required_topics", Kind.TEXT_LIST, form=SLUG, help="Topic ids that must each have cards."),
    FieldSpec("scopes", Kind.TEXT_MAP, help="Scope id (slug) -> title: which population a fact is about."),
    FieldSpec("checks", Kind.NODE, help="Per code: a level (off, warning, error) or options."),
    FieldSpec("accepted", Kind.NODE, help="Warnings accepted for one card, source or topic, with a reason."),
    FieldSpec("split_by_topic", Kind.BOOL, help="Put each topic in a subdeck of the main deck."),
    FieldSpec("decks", Kind.NODE, help="Focused decks built from the same cards (one .apkg each)."),
    FieldSpec("adopted", Kind.NODE, help="Written by `deckbuilder import`: the note types students already have, "
                                         "kept so that their notes update in place."),
)

DECK_DEFINITION_FIELDS = _specs(
    FieldSpec("id", Kind.TEXT, required=True, pattern=SLUG, pattern_help=SLUG_HELP,
              help="Names the output files: <namespace>-<id>.apkg"),
    FieldSpec("name", Kind.TEXT, required=True, pattern=ONE_LINE, pattern_help=ONE_LINE_HELP,
              help="The Anki deck name."),
    FieldSpec("description", Kind.TEXT),
    FieldSpec("topics", Kind.TEXT_LIST, form=SLUG),
    FieldSpec("scopes", Kind.TEXT_LIST, form=SLUG),
    FieldSpec("sources", Kind.TEXT_LIST, form=SLUG),
    FieldSpec("split_by_topic", Kind.BOOL),
)

SOURCE_FIELDS = _specs(
    FieldSpec("id", Kind.TEXT, required=True, form=SLUG),
    FieldSpec("title", Kind.TEXT, required=True),
    FieldSpec("publisher", Kind.TEXT),
    FieldSpec("date", Kind.DATE),
    FieldSpec("url", Kind.TEXT, pattern=re.compile(r"https?://\S+"), pattern_help="an http(s) address"),
    FieldSpec("file", Kind.TEXT, help="The captured text used by check --sources."),
    FieldSpec("sha256", Kind.TEXT, pattern=SHA256, pattern_help="64 lowercase hex digits"),
)

CARD_TYPE = FieldSpec("type", Kind.TEXT, choices=tuple(t.value for t in CardType),
                      help="basic (the default), reversed or cloze.")

_CARD_COMMON = (
    FieldSpec("id", Kind.TEXT, required=True, form=SLUG,
              help="Permanent: the note's identity in every student's Anki."),
    CARD_TYPE,
    FieldSpec("extra", Kind.TEXT, help="Markdown: context shown under the answer."),
    # Missing topics/sources are reported by their own checks (E302, E304),
    # so they are optional here: each problem is reported once.
    FieldSpec("topics", Kind.TEXT_LIST, form=SLUG, help="Topic ids from deck.yaml."),
    FieldSpec("sources", Kind.SOURCE_REFS, help="Source ids from sources.yaml, or {id, section}."),
    FieldSpec("scope", Kind.TEXT, form=SLUG, help="A scope id from deck.yaml: which population the fact is about."),
    FieldSpec("fact", Kind.TEXT, help="A key shared by cards that state the same quantity."),
    FieldSpec("sources_differ", Kind.TEXT, help="Markdown: how the cited sources disagree."),
    FieldSpec("tags", Kind.TEXT_LIST, help="Extra tags, shipped as <namespace>::tag::<tag>."),
)
_FRONT_BACK = (FieldSpec("front", Kind.TEXT, required=True, help="Markdown: the question."),
               FieldSpec("back", Kind.TEXT, required=True, help="Markdown: the answer."))

CARD_FIELDS: dict[CardType, dict[str, FieldSpec]] = {
    CardType.BASIC: _specs(*_CARD_COMMON, *_FRONT_BACK),
    CardType.REVERSED: _specs(*_CARD_COMMON, *_FRONT_BACK),
    CardType.CLOZE: _specs(*_CARD_COMMON, FieldSpec("text", Kind.TEXT, required=True,
                                                    help="Markdown with {{c1::...}} deletions.")),
}


@dataclass
class Fields:
    """The result of reading one mapping against a spec table."""

    values: dict[str, Any]
    positions: dict[str, Location]
    complete: bool  # every required field present and well-formed


def read_fields(
    node: Mapping,
    specs: dict[str, FieldSpec],
    what: str,
    problems: list[Diagnostic],
    unknown_hint: dict[str, str] | None = None,
) -> Fields:
    """Read ``node`` against ``specs``; append problems; return what was readable.

    ``what`` names the thing in messages ("card", "source"). ``unknown_hint``
    maps a field name that is unknown here but known elsewhere to an
    explanation (e.g. 'text' on a basic card).
    """
    values: dict[str, Any] = {}
    positions: dict[str, Location] = {}
    complete = True
    for key, value in node.entries.items():
        spec = specs.get(key)
        key_loc = value.key_location or value.location
        if spec is None:
            problems.append(diagnostic("E103", key_loc, _unknown_message(key, specs, what, unknown_hint)))
            continue
        positions[key] = value.location
        converted = _convert(spec, value, positions, problems)
        if converted is INVALID:
            complete = complete and not spec.required
            continue
        values[key] = converted
    for spec in specs.values():
        if spec.required and spec.name not in node.entries:
            problems.append(diagnostic("E101", node.location, f"{what} has no '{spec.name}' field"))
            complete = False
    return Fields(values, positions, complete)


INVALID = object()  # marks a value that was reported and cannot be used


def _unknown_message(key: str, specs: dict[str, FieldSpec], what: str, hint: dict[str, str] | None) -> str:
    if hint and key in hint:
        return f"unknown field '{shown(key)}': {hint[key]}"
    if key == "<<":
        return "YAML merge keys ('<<') are not supported: write each field out"
    close = difflib.get_close_matches(key, list(specs), n=1, cutoff=0.75)
    suggestion = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown field '{shown(key)}' in {what}{suggestion}"


def read_value(spec: FieldSpec, node: Node, problems: list[Diagnostic]) -> Any:
    """Read one value against its spec; INVALID (after reporting) when unusable."""
    return _convert(spec, node, {}, problems)


def _convert(spec: FieldSpec, node: Node, positions: dict[str, Location], problems: list[Diagnostic]) -> Any:
    if spec.kind is Kind.NODE:
        return node
    if spec.kind is Kind.BOOL:
        return _bool(spec, node, problems)
    if spec.kind is Kind.TEXT:
        return _text(spec, node, problems)
    if spec.kind is Kind.DATE:
        return _date(spec, node, problems)
    if spec.kind is Kind.TEXT_MAP:
        return _text_map(spec, node, positions, problems)
    # Lists: an empty value means "none", which the reference checks report.
    if isinstance(node, Scalar) and node.is_null:
        return ()
    if not isinstance(node, Sequence):
        problems.append(diagnostic(
            "E102", node.location, f"'{spec.name}' should be {spec.kind.value}, e.g. [a, b], not {node.kind}"))
        return INVALID
    if spec.kind is Kind.TEXT_LIST:
        return _text_items(spec, node, positions, problems)
    return _source_refs(spec, node, positions, problems)


def _plain_text(name: str, node: Node, problems: list[Diagnostic]) -> str | object:
    """A non-empty scalar's text, stripped of the trailing newline block scalars add."""
    if not isinstance(node, Scalar):
        problems.append(diagnostic("E102", node.location, f"'{name}' should be text, not {node.kind}"))
        return INVALID
    text = "" if node.is_null else node.text.strip()
    if not text:
        problems.append(diagnostic("E104", node.location, f"'{name}' is empty"))
        return INVALID
    control = CONTROL_CHARACTER.search(text)
    if control:
        # Only reachable through an escape ("\0", "\e"): YAML refuses them written raw. Anki would keep
        # them, and a terminal showing the card would obey them.
        problems.append(diagnostic(
            "E105", node.location, f"'{name}' contains the control character U+{ord(control.group()):04X}; "
                                   "remove it"))
        return INVALID
    return text


def _text(spec: FieldSpec, node: Node, problems: list[Diagnostic]) -> str | object:
    text = _plain_text(spec.name, node, problems)
    if text is INVALID:
        return INVALID
    if spec.choices and text not in spec.choices:
        problems.append(diagnostic(
            "E105", node.location, f"'{spec.name}' is '{shown(text)}'; expected one of: {', '.join(spec.choices)}"))
        return INVALID
    if spec.pattern and not spec.pattern.fullmatch(text):
        problems.append(diagnostic(
            "E105", node.location, f"'{spec.name}' is '{shown(text)}'; expected {spec.pattern_help}"))
        return INVALID
    return text


def _bool(spec: FieldSpec, node: Node, problems: list[Diagnostic]) -> bool | object:
    text = node.text.strip().lower() if isinstance(node, Scalar) and not node.is_null else None
    if text in ("true", "yes", "on"):
        return True
    if text in ("false", "no", "off"):
        return False
    problems.append(diagnostic("E105", node.location, f"'{spec.name}' should be true or false"))
    return INVALID


def _date(spec: FieldSpec, node: Node, problems: list[Diagnostic]) -> str | object:
    text = _plain_text(spec.name, node, problems)
    if text is INVALID:
        return INVALID
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        problems.append(diagnostic("E105", node.location, f"'{spec.name}' is '{shown(text)}'; expected {spec.kind.value}"))
        return INVALID


def _text_items(spec: FieldSpec, node: Sequence, positions: dict[str, Location], problems: list[Diagnostic]):
    items: list[str] = []
    for index, item in enumerate(node.items):
        text = _plain_text(f"{spec.name}[{index + 1}]", item, problems)
        if text is not INVALID:
            positions[intern(f"{spec.name}[{len(items)}]")] = item.location
            items.append(text)
    return tuple(items)


def _text_map(spec: FieldSpec, node: Node, positions: dict[str, Location], problems: list[Diagnostic]):
    if not isinstance(node, Mapping):
        problems.append(diagnostic(
            "E102", node.location, f"'{spec.name}' should be {spec.kind.value}, not {node.kind}"))
        return INVALID
    result: dict[str, str] = {}
    for key, value in node.entries.items():
        key_loc = value.key_location or value.location
        if not SLUG.fullmatch(key):
            problems.append(diagnostic("E202", key_loc, f"'{shown(key)}' in '{spec.name}' is not an id: use {SLUG_HELP}"))
            continue
        title = _plain_text(f"{spec.name}.{key}", value, problems)
        if title is not INVALID:
            positions[f"{spec.name}.{key}"] = key_loc
            result[key] = title
    return result


def _source_refs(spec: FieldSpec, node: Sequence, positions: dict[str, Location], problems: list[Diagnostic]):
    """Items are a bare source id, or a mapping {id: ..., section: ...}."""
    refs: list[SourceRef] = []
    for index, item in enumerate(node.items):
        where = f"{spec.name}[{index + 1}]"
        if isinstance(item, Mapping):
            fields = read_fields(item, SOURCE_REF_FIELDS, f"citation {where}", problems)
            if not fields.complete:
                continue
            ref = SourceRef(fields.values["id"], fields.values.get("section"))
        else:
            source_id = _plain_text(where, item, problems)
            if source_id is INVALID:
                continue
            ref = SourceRef(source_id)
        positions[intern(f"{spec.name}[{len(refs)}]")] = item.location
        refs.append(ref)
    return tuple(refs)


SOURCE_REF_FIELDS = _specs(FieldSpec("id", Kind.TEXT, required=True, form=SLUG),
                           FieldSpec("section", Kind.TEXT, help="Where in the source (a heading of its text)."))


def other_type_hints(card_type: CardType) -> dict[str, str]:
    """Explain fields that belong to another card type, for E103 messages."""
    own = CARD_FIELDS[card_type]
    hints: dict[str, str] = {}
    for other, specs in CARD_FIELDS.items():
        for name in specs:
            if name not in own and name not in hints:
                hints[name] = f"'{name}' belongs to {other.value} cards, and this card is type {card_type.value}"
    return hints
