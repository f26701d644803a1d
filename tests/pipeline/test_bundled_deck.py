"""The deck we ship: it checks clean and imports into Anki as the YAML says."""

import re
from collections import Counter

import pytest

from builder import pipeline
from builder.model.cards import CardType

from ..anki_client import import_package
from ..conftest import REPO

CARDS = REPO / "cards"
# The source texts beside the repository (read-only, not copied into it).
SHARED_SOURCES = REPO.parent / "shared" / "sources"


@pytest.fixture
def cards_copy(tmp_path):
    """The bundled cards in a scratch folder: building them must not touch the repository's lock."""
    import shutil

    return shutil.copytree(CARDS, tmp_path / "cards")


@pytest.fixture(scope="module")
def bundled():
    result = pipeline.check(CARDS)
    assert result.card_set is not None
    return result


def expected_anki_cards(card) -> int:
    if card.type is CardType.CLOZE:
        return len(set(re.findall(r"\{\{c(\d+)::", card.text)))
    return 2 if card.type is CardType.REVERSED else 1


def test_bundled_cards_have_no_problems(bundled):
    assert [str(d) for d in bundled.diagnostics] == []


def test_deck_uses_every_card_type_and_each_required_topic_stands_alone(bundled):
    cards = bundled.card_set.cards
    # 2.1.0 (board-review revision) retired 24 redundant or filler notes of 2.0.4's 112 and added 3: 91;
    # 2.2.0 (second board review) retired 4 more and restored 2: 89;
    # 2.3.0 (third board review) retired 2, restored 1 and added 2: 90.
    assert len(cards) >= 90
    assert {c.type for c in cards} == set(CardType)
    topics = Counter(t for c in cards for t in c.topics)
    for required in bundled.card_set.deck.required_topics:
        assert topics[required] >= 10, required


def test_every_citation_names_its_section(bundled):
    assert [c.id for c in bundled.card_set.cards if any(not ref.section for ref in c.sources)] == []


def test_every_card_that_states_a_figure_says_whom_it_is_about(bundled):
    unscoped = [c.id for c in bundled.card_set.cards
                if re.search(r"\d", c.question + c.back + c.extra) and not c.scope]
    assert unscoped == []


def test_sources_differ_notes_cite_each_side(bundled):
    differing = [c for c in bundled.card_set.cards if c.sources_differ]
    assert len(differing) >= 3
    assert [c.id for c in differing if len(c.sources) < 2] == []


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="../shared/sources is not beside this checkout")
def test_every_figure_is_grounded_in_the_cited_source_texts():
    result = pipeline.check(CARDS, SHARED_SOURCES)
    assert [str(d) for d in result.diagnostics] == []


def test_bundled_deck_imports_as_written(bundled, collection, tmp_path, cards_copy):
    built = pipeline.build(cards_copy, tmp_path / "output")
    assert built.package.name == "leiomyosarcoma.apkg"
    log = import_package(collection, built.package)
    cards = bundled.card_set.cards
    namespace = bundled.card_set.deck.namespace

    # The second edition retired cards (41), 2.1.0 retired 24 more and restored one, 2.2.0 retired 4 and
    # restored 2, 2.3.0 retired 2 and restored 1: each ships once more as a tombstone (one note, one card).
    retired = set(bundled.lock.retired) if bundled.lock else set()
    assert len(retired) == 67
    assert log.new == len(cards) + len(retired) and log.duplicate == 0 and log.conflicting == 0
    assert collection.note_count() == len(cards) + len(retired)
    assert len(collection.find_cards(f"-tag:{namespace}::retired")) == sum(expected_anki_cards(c) for c in cards)
    assert len(collection.find_notes(f"tag:{namespace}::retired")) == len(retired)
    assert collection.decks.by_name(bundled.card_set.deck.name) is not None

    for topic, count in Counter(t for c in cards for t in c.topics).items():
        assert len(collection.find_notes(f"tag:{namespace}::topic::{topic}")) == count, topic
    for note_id in collection.find_notes(f"-tag:{namespace}::retired"):
        note = collection.get_note(note_id)
        assert any(t.startswith(f"{namespace}::topic::") for t in note.tags), note["CardId"]
        assert any(t.startswith(f"{namespace}::source::") for t in note.tags), note["CardId"]
        assert note["Sources"], note["CardId"]


def test_committed_lock_matches_the_bundled_cards(tmp_path, cards_copy):
    # What CI's `deckbuilder build --locked` asserts: nobody forgot to commit deck.lock.
    result = pipeline.build(cards_copy, tmp_path / "output", locked=True)
    assert [str(d) for d in result.diagnostics] == []
    assert result.package.name == "leiomyosarcoma.apkg"
    assert (cards_copy / "deck.lock").read_bytes() == (CARDS / "deck.lock").read_bytes()


def test_focused_decks_hold_exactly_the_cards_they_select(bundled, cards_copy, tmp_path):
    from anki.collection import Collection

    built = {b.selection.definition.id: b for b in pipeline.build(cards_copy, tmp_path / "output").built}
    assert set(built) == {"main", "cutaneous", "pathology"}
    cards = bundled.card_set.cards
    deck = bundled.card_set.deck
    expected = {
        # Since 2.2.0 also the which-population cards that set cutaneous LMS against LMS in general.
        "cutaneous": {c.id for c in cards if c.scope in ("cutaneous", "cutaneous-dermal", "cutaneous-subcutaneous",
                                                         "cutaneous-vs-general", "hlrcc")},
        # Since 2.1.0 the pathology deck keeps the CD117/GIST diagnosis cards (no scope filter).
        "pathology": {c.id for c in cards if set(c.topics) & {"histology", "diagnosis", "differential"}},
    }
    for deck_id, ids in expected.items():
        col = Collection(str(tmp_path / f"{deck_id}.anki2"))
        try:
            import_package(col, built[deck_id].package)
            found = {col.get_note(n)["CardId"]: col.decks.name(col.get_note(n).cards()[0].did)
                     for n in col.find_notes(f"-tag:{deck.namespace}::retired")}
        finally:
            col.close()
        assert set(found) == ids, deck_id
        if deck_id == "cutaneous":  # split by topic: each card under its first topic's title
            by_id = {c.id: c for c in cards}
            assert all(found[i] == f"{built[deck_id].selection.definition.name}::{deck.topics[by_id[i].topics[0]]}"
                       for i in ids)
