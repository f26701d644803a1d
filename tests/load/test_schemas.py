"""The JSON Schemas editors use (via yaml-language-server) agree with the bundled files and the loader."""

import json
import re

import jsonschema
import pytest
import yaml

from builder.load.schema import CARD_FIELDS, DECK_FIELDS, SOURCE_FIELDS

from ..conftest import REPO

SCHEMAS = REPO / "builder" / "schemas"
CARDS = REPO / "cards"


class _Yaml12Loader(yaml.SafeLoader):
    """YAML as an editor's language server reads it (YAML 1.2 core: dates stay strings)."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def kind_of(path) -> str:
    return {"deck.yaml": "deck", "sources.yaml": "sources"}.get(path.name, "cards")


@pytest.mark.parametrize("path", sorted(CARDS.glob("*.yaml")), ids=lambda p: p.name)
def test_bundled_file_validates_and_names_its_schema(path):
    text = path.read_text()
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../builder/schemas/{kind_of(path)}.schema.json"
    errors = list(validator(kind_of(path)).iter_errors(yaml.load(text, Loader=_Yaml12Loader)))
    assert [e.message for e in errors] == []


@pytest.mark.parametrize("kind, document", [
    ("cards", [{"id": "a", "front": "Q", "back": "A", "topcs": ["x"]}]),
    ("cards", [{"id": "a", "type": "cloze", "front": "Q", "back": "A"}]),
    ("cards", [{"id": "Bad Id", "front": "Q", "back": "A"}]),
    ("cards", [{"id": "a", "front": "Q"}]),
    ("deck", {"name": "N", "version": "1", "namespace": "ns", "description": "D", "topics": {"Bad Topic": "x"}}),
    ("deck", {"name": "N", "version": "1", "namespace": "ns", "description": "D", "topics": {},
              "checks": {"W801": "loud"}}),
    ("deck", {"name": "N", "version": "1", "namespace": "ns", "description": "D", "topics": {},
              "accepted": [{"code": "W801", "reason": "no subject"}]}),
    ("sources", [{"id": "s", "title": "T", "sha256": "abc"}]),
    ("deck", {"name": "N", "version": "1", "namespace": "ns", "description": "D", "topics": {},
              "checks": {"W801": {"max_lines": 3}}}),  # no such option
    ("deck", {"name": "N", "version": "1", "namespace": "ns", "description": "D", "topics": {},
              "checks": {"E201": "off"}}),  # errors stay errors
])
def test_schemas_reject_what_the_loader_rejects(kind, document):
    assert list(validator(kind).iter_errors(document))


def test_the_shipped_schemas_are_generated_from_the_loaders_declarations():
    from builder.load.schema_export import rendered

    shipped = {path.name: path.read_text() for path in sorted(SCHEMAS.glob("*.schema.json"))}
    assert shipped == rendered(), "run: python -m builder.load.schema_export"


@pytest.mark.parametrize("kind, specs", [
    ("cards", {name for specs in CARD_FIELDS.values() for name in specs}),
    ("deck", set(DECK_FIELDS)),
    ("sources", set(SOURCE_FIELDS)),
])
def test_schema_fields_match_the_loader(kind, specs):
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text())
    properties = schema["properties"] if kind == "deck" else schema["items"]["properties"]
    assert set(properties) == specs


def test_every_warning_can_be_configured_and_accepted_in_the_deck_schema():
    from builder.model.codes import CODES

    deck = json.loads((SCHEMAS / "deck.schema.json").read_text())["properties"]
    warnings = {code for code, c in CODES.items() if c.severity.value == "warning"}
    assert set(deck["checks"]["properties"]) == warnings
    assert set(deck["accepted"]["items"]["properties"]["code"]["enum"]) == warnings
    assert list(validator("deck").iter_errors(
        {"name": "N", "version": "1", "namespace": "ns", "description": "D", "topics": {},
         "checks": {"W801": {"max_words": 20}, "W403": "off"}})) == []
