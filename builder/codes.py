"""Every diagnostic code, in one table.

Codes are numbered by family, like flake8's: E0xx files and YAML, E1xx schema,
E2xx identity, E3xx references, E4xx card content, E5xx coverage, E6xx/W6xx grounding in the source texts. A code, once
released, keeps its meaning forever; retire it rather than reuse it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic, Location, Severity


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str


_E = Severity.ERROR
_W = Severity.WARNING

CODES: dict[str, Code] = {
    c.code: c
    for c in [
        # E0xx: files and YAML
        Code("E001", "yaml-syntax", _E, "the file is not valid YAML"),
        Code("E002", "unreadable-file", _E, "the file cannot be read or is not UTF-8 text"),
        Code("E003", "duplicate-key", _E, "a mapping repeats a key (YAML would silently keep the last)"),
        Code("E004", "bad-structure", _E, "the document does not have the expected shape"),
        Code("E005", "missing-file", _E, "a required file or folder does not exist"),
        Code("E006", "lock-damaged", _E, "deck.lock cannot be read (damaged, or unresolved merge conflict)"),
        # E1xx: schema
        Code("E101", "missing-field", _E, "a required field is absent"),
        Code("E102", "wrong-type", _E, "a field holds the wrong kind of value"),
        Code("E103", "unknown-field", _E, "a field the format does not define"),
        Code("E104", "empty-value", _E, "a field is present but empty"),
        Code("E105", "invalid-value", _E, "a field's value is not one of the allowed values or forms"),
        # E2xx: identity
        Code("E201", "duplicate-id", _E, "two cards (or two sources) share an id"),
        Code("E202", "bad-id-format", _E, "an id is not a lowercase slug"),
        Code("E203", "reused-id", _E, "a card takes the id of a retired, purged or renamed card"),
        Code("E204", "namespace-changed", _E, "the deck namespace differs from the one deck.lock was built with"),
        Code("E205", "notetype-changed", _E, "a note type's fields or templates changed (Anki would fork it)"),
        Code("E206", "card-kind-changed", _E, "a card switched between cloze and basic/reversed"),
        Code("E207", "lock-outdated", _E, "build --locked: deck.lock does not match the cards"),
        # E3xx: references
        Code("E301", "unknown-topic", _E, "a topic that deck.yaml does not define"),
        Code("E302", "missing-topic", _E, "a card has no topic"),
        Code("E303", "unknown-source", _E, "a source id that sources.yaml does not define"),
        Code("E304", "missing-source", _E, "a card cites no source"),
        Code("E305", "unknown-scope", _E, "a scope that deck.yaml does not define"),
        # E4xx: card content
        Code("E401", "cloze-without-deletion", _E, "a cloze card has no {{cN::...}} deletion, so Anki would make no card"),
        Code("E402", "duplicate-question", _E, "two cards ask exactly the same question"),
        # E5xx: coverage
        Code("E501", "required-topic-empty", _E, "a required topic has no cards"),
        # E6xx/W6xx: grounding (only with --sources)
        Code("E601", "source-text-missing", _E, "the text file named for a source cannot be read"),
        Code("E602", "source-text-changed", _E, "a source text's sha256 differs from sources.yaml (or is not given)"),
        Code("W603", "source-without-text", _W, "a source names no text file, so cards citing it cannot be grounded"),
        Code("W604", "ungrounded-figure", _W, "a figure on a card appears in none of the sources it cites"),
        Code("W605", "copied-wording", _W, "a card repeats eight or more consecutive words of a source it cites"),
    ]
}


def diagnostic(code: str, location: Location, message: str) -> Diagnostic:
    """Make a diagnostic with the code's default severity."""
    return Diagnostic(code, CODES[code].severity, location, message)
