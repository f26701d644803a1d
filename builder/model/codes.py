"""Every diagnostic code, in one table.

Codes are numbered by family, like flake8's: E0xx files and YAML, E1xx schema,
E2xx identity, E3xx references, E4xx card content, E5xx coverage, E6xx/W6xx grounding in the source texts,
E7xx/W7xx consistency, W8xx card quality, E9xx/W9xx what Anki can safely show. A code, once
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
        Code("E011", "import-unreadable", _E, "deckbuilder import: the file is not an Anki package or text export it "
                                              "can read safely (damaged, too large, a zip bomb)"),
        Code("W012", "import-not-kept", _W, "deckbuilder import: notes of a note type (or shape) deckbuilder cannot "
                                            "keep were left out"),
        Code("W013", "import-changed", _W, "deckbuilder import: fields or media names that will not come out "
                                           "identical"),
        Code("W008", "unused-acceptance", _W, "an `accepted` entry in deck.yaml matches no warning any more"),
        # E1xx: schema
        Code("E101", "missing-field", _E, "a required field is absent"),
        Code("E102", "wrong-type", _E, "a field holds the wrong kind of value"),
        Code("E103", "unknown-field", _E, "a field the format does not define"),
        Code("E104", "empty-value", _E, "a field is present but empty"),
        Code("E105", "invalid-value", _E, "a field's value is not one of the allowed values or forms"),
        # E2xx: identity
        Code("E201", "duplicate-id", _E, "two cards (or two sources, or two decks) share an id"),
        Code("E202", "bad-id-format", _E, "an id is not a lowercase slug"),
        Code("E203", "reused-id", _E, "a card takes the id of a retired, purged or renamed card"),
        Code("E204", "namespace-changed", _E, "the deck namespace differs from the one deck.lock was built with"),
        Code("E205", "notetype-changed", _E, "a note type's fields or templates changed (Anki would fork it)"),
        Code("E206", "card-kind-changed", _E, "a card switched between cloze and basic/reversed"),
        Code("E207", "lock-outdated", _E, "build --locked: deck.lock does not match the cards"),
        Code("E208", "lock-inconsistent", _E, "deck.lock holds what no build writes: a GUID not derived from its "
                                              "id, a GUID used twice, a time after the clock"),
        Code("E209", "lock-too-large", _E, "the deck.lock a build would write is larger than deckbuilder reads"),
        Code("W210", "locked-unreleased", _W, "build --locked: the deck ships changes that no version released "
                                              "(VERSION+unreleased)"),
        # E3xx: references
        Code("E301", "unknown-topic", _E, "a topic that deck.yaml does not define"),
        Code("E302", "missing-topic", _E, "a card has no topic"),
        Code("E303", "unknown-source", _E, "a source id that sources.yaml does not define"),
        Code("E304", "missing-source", _E, "a card cites no source"),
        Code("E305", "unknown-scope", _E, "a scope that deck.yaml does not define"),
        # E4xx: card content
        Code("E401", "cloze-without-deletion", _E, "a cloze card has no {{cN::...}} deletion, so Anki would make no card"),
        Code("E402", "duplicate-question", _E, "two cards ask exactly the same question"),
        Code("W403", "near-duplicate-question", _W, "two cards ask nearly the same question"),
        Code("E404", "cloze-syntax", _E, "malformed cloze markup: unbalanced braces, c0, empty or nested deletions"),
        Code("W405", "cloze-numbering-gap", _W, "cloze numbers skip a value (c1, c3)"),
        Code("E406", "empty-render", _E, "a field that is not empty in the YAML shows nothing once rendered"),
        Code("E420", "math-delimiters", _E, "a MathJax \\( \\) or \\[ \\] delimiter that opens or closes no formula"),
        # E5xx: coverage
        Code("E501", "required-topic-empty", _E, "a required topic has no cards"),
        Code("W502", "topic-below-minimum", _W, "a required topic has fewer cards than the minimum"),
        Code("W503", "uncited-source", _W, "a source that no card cites"),
        Code("W504", "empty-deck", _W, "a focused deck whose filters select no card"),
        Code("E505", "deck-name-clash", _E, "two decks share a name (Anki would merge them)"),
        # E6xx/W6xx: grounding (only with --sources)
        Code("E601", "source-text-missing", _E, "the text file named for a source cannot be read"),
        Code("E602", "source-text-changed", _E, "a source text's sha256 differs from sources.yaml (or is not given)"),
        Code("W603", "source-without-text", _W, "a source names no text file, so cards citing it cannot be grounded"),
        Code("W604", "ungrounded-figure", _W, "a figure (number, unit, range, bound) that the cited sources or sections do not state"),
        Code("W605", "copied-wording", _W, "a card repeats eight or more consecutive words of a source it cites"),
        Code("W606", "figure-out-of-context", _W, "the cited section states the card's figure, but for something else"),
        Code("W607", "section-not-found", _W, "a cited section is not a heading of the source text"),
        Code("W608", "population-mismatch", _W, "a figure scoped to one population, stated by its source for another"),
        # E7xx/W7xx: consistency between cards and sources
        Code("E701", "fact-mismatch", _E, "cards sharing a `fact` key state different figures"),
        Code("W702", "likely-contradiction", _W, "near-duplicate questions whose answers give different figures"),
        Code("W703", "sources-differ-missing", _W, "a card's cited sources disagree on its figure and it does not say so"),
        # W8xx: card quality
        Code("W801", "long-answer", _W, "an answer too long for one fact"),
        Code("W802", "enumeration", _W, "an answer listing many items"),
        Code("W803", "answer-in-question", _W, "the question (or visible cloze text) contains its answer"),
        Code("W804", "yes-no-question", _W, "a question answered by yes or no"),
        Code("W805", "too-many-deletions", _W, "a cloze card with too many deletions"),
        Code("W806", "extra-repeats-answer", _W, "the extra field repeats the answer"),
        Code("W807", "reverse-answer-not-term", _W, "a reversed card whose back is not a short term"),
        Code("W808", "interchangeable-deletions", _W, "a cloze whose deletions are items of one list (any blank fits another)"),
        Code("W809", "give-away", _W, "the answer can be read from the rest of the card"),
        Code("W810", "binary-question", _W, "a question whose answer is one of two options, guessable without recall"),
        Code("W811", "interference", _W, "alike questions with different answers, or one generic answer to many questions"),
        Code("W812", "source-in-question", _W, "a question naming its source although the sources agree"),
        # E9xx/W9xx: what Anki can safely show
        Code("E901", "unsafe-html", _E, "scripts, event handlers, javascript: URLs, frames, forms or remote resources"),
        Code("W902", "markup-removed", _W, "HTML the sanitiser will remove (unsupported tags or attributes)"),
        Code("E903", "media-missing", _E, "a referenced media file is not in cards/media/"),
        Code("E904", "media-path", _E, "a media reference is a path instead of a bare file name"),
        Code("E905", "media-case-collision", _E, "media names that differ only in letter case"),
        Code("E906", "media-name", _E, "a media file name Anki would reject or change"),
        Code("W907", "media-underscore", _W, "a media name starting with '_' (Check Media never removes old versions)"),
        Code("E908", "tag-format", _E, "a tag with a space or an empty '::' level"),
        Code("E909", "control-character", _E, "a control character written as a character reference (&#31;)"),
        Code("E910", "tag-case-collision", _E, "tags that differ only in letter case (Anki would merge them)"),
        Code("W911", "field-not-shown", _W, "a card on an adopted note type (an imported deck) has a field that note "
                                            "type cannot show"),
    ]
}


def diagnostic(code: str, location: Location, message: str, subject: str | None = None) -> Diagnostic:
    """Make a diagnostic with the code's default severity."""
    return Diagnostic(code, CODES[code].severity, location, message, subject)
