"""The package's collection is, byte for byte, what genanki writes for notes made its own way.

package._PlacedNote skips genanki.Note.__init__ (its tag list checks each tag as it is added) and the
scratch database is written without fsync or an on-disk journal: neither may change a byte.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest

from builder import pipeline
from builder.compile import build_decks, select
from builder.compile.package import _PlacedNote

from ..conftest import REPO, V1_TIME, V2_TIME, edit_bundled_cards_to_v2


class _GenankisNote(genanki.Note):
    """The note as package.py made it before: through genanki.Note.__init__."""

    def __init__(self, *, ids, mtime, **kwargs):
        super().__init__(**kwargs)
        self.ids, self.mtime = ids, mtime

    def write_to_db(self, cursor, timestamp, deck_id, id_gen):
        super().write_to_db(cursor, self.mtime, deck_id, iter(self.ids))


def _genanki_bytes(decks: list[genanki.Deck], created: int, folder: Path) -> bytes:
    path = folder / "genanki.anki2"
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    genanki.Package(decks).write_to_db(connection.cursor(), created, iter(()))
    connection.commit()
    connection.close()
    return path.read_bytes()


def _description(collection: bytes, folder: Path) -> str:
    path = folder / "shipped.anki2"
    path.write_bytes(collection)
    with sqlite3.connect(path) as db:
        decks = json.loads(db.execute("select decks from col").fetchone()[0])
    return next(d["desc"] for d in decks.values() if d["desc"])


def _assert_packages_are_genankis(cards: Path, now: int, folder: Path, monkeypatch) -> int:
    from builder.compile import package

    built = pipeline.build(cards, folder / "out", now=now)
    assert built.package is not None, built.diagnostics
    deck = built.check.card_set.deck
    for shipped in built.built:
        with zipfile.ZipFile(shipped.package) as archive:
            collection = archive.read("collection.anki2")
        selection = select(built.plan, shipped.selection.definition, deck.namespace, deck.topics)
        with monkeypatch.context() as patch:  # the notes made through genanki.Note.__init__, as they were
            patch.setattr(package, "_PlacedNote", _GenankisNote)
            decks = build_decks(built.plan, selection, _description(collection, folder))  # (not what is tested)
        assert all(isinstance(note, _GenankisNote) for d in decks for note in d.notes)
        assert collection == _genanki_bytes(decks, built.plan.lock.created, folder), shipped.package.name
    return len(built.built)


def test_the_bundled_packages_focused_and_split_are_genankis_bytes(tmp_path, monkeypatch):
    cards = shutil.copytree(REPO / "cards", tmp_path / "cards")
    # main, cutaneous (split by topic), pathology
    assert _assert_packages_are_genankis(cards, V1_TIME, tmp_path, monkeypatch) == 3


def test_after_an_edit_an_addition_and_retirements_they_are_genankis_bytes(tmp_path, monkeypatch):
    cards = shutil.copytree(REPO / "cards", tmp_path / "cards")
    pipeline.build(cards, tmp_path / "out", now=V1_TIME)
    edit_bundled_cards_to_v2(cards)
    (cards / "genetics.yaml").unlink()  # its cards retire: tombstones in every package that had them
    _assert_packages_are_genankis(cards, V2_TIME, tmp_path, monkeypatch)


def test_an_adopted_deck_with_cloze_and_two_way_note_types_is_genankis_bytes(tmp_path, monkeypatch):
    from builder.cli.importing import import_deck

    from ..cli.test_importing import outside_deck

    result = import_deck(outside_deck(tmp_path), tmp_path / "imported")
    assert result.adopted
    _assert_packages_are_genankis(result.cards_dir, pipeline.build_time(), tmp_path, monkeypatch)


def test_a_tag_with_a_space_is_genankis_error():
    from builder.compile.notetypes import note_types

    basic = note_types("ns").basic
    with pytest.raises(ValueError, match="contains a space"):
        _PlacedNote(ids=[1, 2], mtime=5, model=basic, fields=[""] * len(basic.fields), tags=["two words"],
                    guid="g", due=1)
