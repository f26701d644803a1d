"""Import built decks into a real Anki collection (the `anki` package) and look as a student would."""

import re
from pathlib import Path

import pytest

from builder import pipeline
from builder.compile.notetypes import BASIC_FIELDS, CLOZE_FIELDS

from ..anki_client import import_package, note_by_card_id


@pytest.fixture
def package(make_cards, tmp_path):
    return pipeline.build(make_cards("valid.yaml"), tmp_path / "output").package


def visible_text(html: str) -> str:
    """Roughly what the student reads: markup and the notetype's <style> removed."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.DOTALL)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_import_creates_every_note_and_card(collection, package):
    log = import_package(collection, package)
    assert (log.new, log.updated, log.duplicate, log.conflicting) == (3, 0, 0, 0)
    assert collection.note_count() == 3
    assert collection.card_count() == 5


def test_cards_land_in_the_named_deck_with_its_description(collection, package):
    import_package(collection, package)
    deck = collection.decks.by_name("Test Deck")
    assert deck is not None
    assert len(collection.find_cards('deck:"Test Deck"')) == 5
    assert "<b>Version</b> 1.0.0" in deck["desc"]
    assert "clinical" not in deck["desc"]  # the test deck states no disclaimer (test_scaffold: one that does)


def test_basic_card_front_and_back(collection, package):
    import_package(collection, package)
    [card] = note_by_card_id(collection, "valid-basic").cards()
    assert visible_text(card.question()) == "What cell shape is typical?"
    answer = visible_text(card.answer())
    assert answer.startswith("What cell shape is typical? Spindle Extra Also highly cellular.")
    assert "Applies to In general" in answer
    assert "Sources Publisher A, Source A (2020-01-02)" in answer
    assert "Card id: valid-basic" in answer


def test_reversed_note_has_a_card_each_way(collection, package):
    import_package(collection, package)
    cards = sorted(note_by_card_id(collection, "valid-reversed").cards(), key=lambda c: c.ord)
    assert [c.ord for c in cards] == [0, 1]
    assert visible_text(cards[0].question()) == "HLRCC"
    # The reverse card says what it asks for: the back alone would read like an answer.
    assert visible_text(cards[1].question()) == "Which term is this? Hereditary leiomyomatosis and renal cell cancer"
    assert "HLRCC" in visible_text(cards[1].answer())


def test_cloze_note_has_one_card_per_deletion(collection, package):
    import_package(collection, package)
    cards = sorted(note_by_card_id(collection, "valid-cloze").cards(), key=lambda c: c.ord)
    assert [c.ord for c in cards] == [0, 1]
    assert visible_text(cards[0].question()) == "Margins of [...] for dermal and 2 cm for subcutaneous tumours."
    assert visible_text(cards[1].question()) == "Margins of 1 cm for dermal and [...] for subcutaneous tumours."
    assert "Sources differ Source A says 1 cm; source B says 2 cm." in visible_text(cards[0].answer())


def test_tags_are_hierarchical(collection, package):
    import_package(collection, package)
    note = note_by_card_id(collection, "valid-reversed")
    assert sorted(note.tags) == [
        "testdeck::source::src-b", "testdeck::topic::histology", "testdeck::topic::prognosis"]
    assert len(collection.find_notes("tag:testdeck::topic::histology")) == 2


def test_note_types_have_the_contracted_fields(collection, package):
    import_package(collection, package)
    # Read through SQL: col.models can be stale right after an import.
    rows = collection.db.all("select name, (select group_concat(name, ',') from "
                             "(select name from fields where ntid = notetypes.id order by ord)) "
                             "from notetypes where name like 'testdeck %'")
    assert dict(rows) == {"testdeck basic": ",".join(BASIC_FIELDS), "testdeck cloze": ",".join(CLOZE_FIELDS)}


def test_rebuilt_deck_reimports_without_duplicates(collection, make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    first = pipeline.build(cards, tmp_path / "v1").package
    import_package(collection, first)
    text = (cards / "valid.yaml").read_text().replace("Spindle", "Spindle-shaped")
    (cards / "valid.yaml").write_text(text)
    second = pipeline.build(cards, tmp_path / "v2").package
    log = import_package(collection, second)
    assert log.new == 0 and log.conflicting == 0
    assert collection.note_count() == 3 and collection.card_count() == 5


def test_media_files_are_shipped_and_shown(collection, make_cards, tmp_path):
    import shutil

    from ..conftest import DATA

    cards = make_cards("with-media.yaml")
    (cards / "media").mkdir()
    shutil.copy(DATA / "media" / "spindle-cells.png", cards / "media")
    package = pipeline.build(cards, tmp_path / "out", now=1_790_000_000).package
    import_package(collection, package)
    import hashlib

    original = (DATA / "media" / "spindle-cells.png").read_bytes()
    # Shipped under a name made from its bytes (builder/text/medianames.py), which the card refers to.
    name = f"spindle-cells-{hashlib.sha256(original).hexdigest()[:16]}.png"
    assert collection.media.have(name)
    assert (Path(collection.media.dir()) / name).read_bytes() == original
    card = note_by_card_id(collection, "media-figure").cards()[0]
    assert f'<img src="{name}" alt="slide">' in card.question()


def test_the_lost_cloze_brace_rule_agrees_with_real_anki(collection):
    # E404 says Anki closes a deletion at the first '}}': checked against Anki itself, with the fixes it offers.
    from builder.text.cloze import parse

    cloze = collection.models.by_name("Cloze")
    shown = {}
    for text in ["x {{c1::{0}}} y", "x {{c1::{0} }} y", "x {{c1::&#123;0&#125;}} y"]:
        note = collection.new_note(cloze)
        note["Text"] = text
        collection.add_note(note, collection.decks.id("Default"))
        shown[text] = note.cards()[0].answer()
        reported = any("closing brace" in p.message for p in parse(text)[1])
        assert reported == lost_brace(shown[text]), (text, shown[text])
    assert lost_brace(shown["x {{c1::{0}}} y"])


def lost_brace(answer: str) -> bool:
    """The deletion ended one brace early: '{0' inside the cloze span, '}' after it. (Anki 2.1.54 writes
    <span class=cloze>, later releases add attributes.)"""
    import re

    return re.search(r"<span [^>]*cloze[^>]*>\{0</span>\}", answer) is not None
