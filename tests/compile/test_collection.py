"""collection.py writes the very bytes genanki writes for the same decks, whatever the deck holds."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest

from builder import pipeline
from builder.compile import build_decks, select
from builder.compile.collection import write_collection
from builder.model import main_deck

from ..conftest import REPO, V1_TIME, V2_TIME, edit_bundled_cards_to_v2


def _genanki_bytes(decks: list[genanki.Deck], created: int, folder: Path) -> bytes:
    """What the package held before collection.py: genanki's own write."""
    path = folder / "genanki.anki2"
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    genanki.Package(decks).write_to_db(connection.cursor(), created, iter(()))
    connection.commit()
    connection.close()
    return path.read_bytes()


def _our_bytes(decks: list[genanki.Deck], created: int, folder: Path) -> bytes:
    path = folder / "ours.anki2"
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    connection.executescript("PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY;")  # as package.py
    write_collection(connection, decks, created)
    connection.commit()
    connection.close()
    return path.read_bytes()


def _assert_every_package_is_genankis(cards: Path, now: int, folder: Path) -> int:
    checked = pipeline.check(cards)
    assert not checked.error_count, checked.diagnostics
    planned = pipeline.plan(checked, now)
    deck = checked.card_set.deck
    compared = 0
    for definition in (main_deck(deck), *deck.decks):
        selection = select(planned, definition, deck.namespace, deck.topics)
        decks = build_decks(planned, selection, "A description")
        # Written twice by genanki, the bytes are the same: the comparison below is of something reproducible.
        assert _genanki_bytes(decks, planned.lock.created, folder) == _genanki_bytes(
            build_decks(planned, selection, "A description"), planned.lock.created, folder)
        assert _our_bytes(decks, planned.lock.created, folder) == _genanki_bytes(decks, planned.lock.created, folder), \
            definition.id
        compared += 1
    return compared


def test_the_bundled_decks_focused_and_split_are_genankis_bytes(tmp_path):
    cards = shutil.copytree(REPO / "cards", tmp_path / "cards")
    assert _assert_every_package_is_genankis(cards, V1_TIME, tmp_path) == 3  # main, cutaneous (split), pathology


def test_after_an_edit_an_addition_and_retirements_they_are_genankis_bytes(tmp_path):
    cards = shutil.copytree(REPO / "cards", tmp_path / "cards")
    pipeline.build(cards, tmp_path / "out", now=V1_TIME)
    edit_bundled_cards_to_v2(cards)
    (cards / "genetics.yaml").unlink()  # its cards retire: tombstones in every package that had them
    built = pipeline.build(cards, tmp_path / "out", now=V2_TIME)
    assert built.tombstone_count and built.package is not None
    _assert_every_package_is_genankis(cards, V2_TIME + 1, tmp_path)


def test_an_adopted_deck_with_cloze_and_two_way_note_types_is_genankis_bytes(tmp_path):
    from builder.cli.importing import import_deck

    from ..cli.test_importing import outside_deck

    result = import_deck(outside_deck(tmp_path), tmp_path / "imported")
    assert result.adopted
    _assert_every_package_is_genankis(result.cards_dir, pipeline.build_time(), tmp_path)


@pytest.mark.parametrize("text", [
    "{{c2::b}} then {{c1::a}}",              # numbered out of order
    "{{c1::a}} {{c9::i}} {{c17::q}} {{c8::h}}",  # numbers that collide in a small set's table
    "{{c0::zero}} and {{c1::one}}",           # c0 makes no card
    "no deletion at all",                     # genanki makes no card (DESIGN §4.7)
    "{{c3::x::hint}} {{c3::y}}",              # one card for two deletions of one number
])
def test_card_rows_of_hostile_cloze_notes_are_genankis(text, tmp_path):
    """Cards in genanki's own order, for notes the checks would refuse too (the writer must not depend on them)."""
    from builder.compile.notetypes import note_types

    cloze = note_types("ns").cloze
    deck = genanki.Deck(1234, "Deck")
    deck.add_model(cloze)
    from builder.compile.package import _PlacedNote

    count = len(genanki.Note(model=cloze, fields=[text] + [""] * (len(cloze.fields) - 1)).cards)
    deck.add_note(_PlacedNote(ids=[10, *range(100, 100 + count)], mtime=5, model=cloze,
                              fields=[text] + [""] * (len(cloze.fields) - 1), tags=["a", "b::c"], guid="g", due=1))
    assert _our_bytes([deck], 7, tmp_path) == _genanki_bytes([deck], 7, tmp_path)


def test_a_tag_with_a_space_is_genankis_error(tmp_path):
    from builder.compile.notetypes import note_types
    from builder.compile.package import _PlacedNote

    basic = note_types("ns").basic
    with pytest.raises(ValueError, match="contains a space"):
        _PlacedNote(ids=[1, 2], mtime=5, model=basic, fields=[""] * len(basic.fields), tags=["two words"],
                    guid="g", due=1)


def test_the_built_package_holds_genankis_collection(tmp_path):
    cards = shutil.copytree(REPO / "cards", tmp_path / "cards")
    built = pipeline.build(cards, tmp_path / "out", now=V1_TIME)
    checked = pipeline.check(cards)
    planned = pipeline.plan(checked, V1_TIME)
    for deck in built.built:
        with zipfile.ZipFile(deck.package) as archive:
            shipped = archive.read("collection.anki2")
        # The description (release notes and all) is the package's own: read back, it is not what is tested.
        decks = build_decks(planned, select(planned, deck.selection.definition, checked.card_set.deck.namespace,
                                            checked.card_set.deck.topics), _description(shipped, tmp_path))
        assert shipped == _genanki_bytes(decks, planned.lock.created, tmp_path)


def _description(collection: bytes, folder: Path) -> str:
    import json

    path = folder / "shipped.anki2"
    path.write_bytes(collection)
    with sqlite3.connect(path) as db:
        decks = json.loads(db.execute("select decks from col").fetchone()[0])
    return next(d["desc"] for d in decks.values() if d["desc"])
