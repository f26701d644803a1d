"""The deck-wide rules' per-file summaries (rules/deck_index.py): a fresh check that merges stored summaries
reports exactly what the direct path (no cache: every card visited) reports."""

import json
import shutil

import pytest

from builder import pipeline
from builder.check.rules import deck_index
from builder.load.cache import ParseCache
from builder.load.derived import DERIVED_DIR

from ...conftest import DATA

# Duplicate ids and questions within a file and across files, uncited sources, thin topics (coverage.yaml).
FILES = ("duplicate-id.yaml", "duplicate-question.yaml", "valid.yaml", "cites-one-source.yaml")
CODES = {"E201", "E402", "W502", "W503"}


def _direct(cards):
    return pipeline.check(cards, cache=ParseCache(None)).diagnostics


def _indexed(cards):
    return pipeline.check(cards).diagnostics


def _entries(cards):
    return sorted((cards / ".cache" / DERIVED_DIR).glob(f"{deck_index.KIND}-*.json"))


@pytest.fixture
def deck(make_cards):
    cards = make_cards(*FILES, deck="coverage.yaml")
    # The same cards again in another file: every id and question repeated across files.
    shutil.copy(DATA / "cards" / "duplicate-question.yaml", cards / "zz-copy-question.yaml")
    shutil.copy(DATA / "cards" / "duplicate-id.yaml", cards / "zz-copy-id.yaml")
    sources = cards / "sources.yaml"
    sources.write_text(sources.read_text() + "- id: src-uncited\n  title: Source nobody cites\n")
    return cards


def test_merged_summaries_report_what_visiting_every_card_does(deck):
    direct = _direct(deck)
    assert CODES <= {d.code for d in direct}, "the deck should trigger every deck-wide rule"
    across = [d for d in direct if d.code in ("E201", "E402") and "zz-copy" in d.location.file]
    assert across and any("zz-copy" not in d.message for d in across), "duplicates across files"
    assert _indexed(deck) == direct  # computes and stores the summaries
    assert len(_entries(deck)) == len(list(deck.glob("*.yaml"))) - 2  # one per card file (not deck/sources)
    assert _indexed(deck) == direct  # from the stored summaries


def test_after_edits_only_the_edited_file_is_summarised_and_the_report_stays_exact(deck, monkeypatch):
    _indexed(deck)
    summarised = []
    real = deck_index._summarise
    monkeypatch.setattr(deck_index, "_summarise", lambda cards: summarised.append(cards) or real(cards))
    assert _indexed(deck) == _direct(deck)
    assert len(summarised) == 1 and len(summarised[0]) == 12, "the direct path summarises the deck's cards at once"
    summarised.clear()
    _indexed(deck)
    assert summarised == [], "an unchanged deck reads every summary"
    edits = [
        ("valid.yaml", "front:", "front: What is the margin?\n  extra:", "a question repeated from another file"),
        ("zz-copy-question.yaml", "id: question-one", "id: valid-basic", "an id repeated from another file"),
        ("duplicate-id.yaml", "topics: [histology]", "topics: [margins]", "a topic count moved"),
        ("valid.yaml", "sources: [src-a, src-b]", "sources: [src-uncited]", "a citation moved"),
    ]
    for name, old, new, why in edits:
        path = deck / name
        text = path.read_text()
        assert old in text, why
        path.write_text(text.replace(old, new, 1))
        direct = _direct(deck)
        summarised.clear()
        assert _indexed(deck) == direct, why
        assert [cards[0].location.file for cards in summarised] == [f"cards/{name}"], why


def test_a_damaged_or_hostile_summary_is_a_miss(deck):
    direct = _direct(deck)
    _indexed(deck)
    for number, entry in enumerate(_entries(deck)):
        data = json.loads(entry.read_text())
        stored = data["results"][deck_index.NAME]
        damage = number % 6
        if damage == 0:
            entry.write_text("{not json")
        elif damage == 1:  # too few questions for the file's cards
            entry.write_text(json.dumps({**data, "results": {deck_index.NAME: [stored[0][:-1], *stored[1:]]}}))
        elif damage == 2:  # a topic listed twice, the second time with another count
            forged = [stored[0], stored[1], stored[2] + [["margins", 50], ["histology", 50]]]
            entry.write_text(json.dumps({**data, "results": {deck_index.NAME: forged}}))
        elif damage == 3:  # values of the wrong type
            entry.write_text(json.dumps({**data, "results": {deck_index.NAME: [[1] * len(stored[0]), [2], [[3, 4]]]}}))
        elif damage == 4:  # another key: another file's summary, or another version's
            entry.write_text(json.dumps({**data, "key": "0" * 64, "results": {deck_index.NAME: [
                ["forged"] * len(stored[0]), ["src-a", "src-b"], [["histology", 99], ["margins", 99]]]}}))
        else:
            entry.write_text('["__import__(\\"os\\")"]')
    assert _indexed(deck) == direct
    assert _indexed(deck) == direct  # and rewritten good


def test_a_negative_or_zero_topic_count_is_refused(deck):
    """A count is a number of cards naming the topic: at least one (a zero would make E501's topic covered)."""
    _indexed(deck)
    for entry in _entries(deck):
        data = json.loads(entry.read_text())
        questions, cited, topics = data["results"][deck_index.NAME]
        entry.write_text(json.dumps({**data, "results": {deck_index.NAME: [
            questions, cited, [[topic, 0] for topic, _ in topics] + [["prognosis", -1]]]}}))
    assert _indexed(deck) == _direct(deck)
