"""Write a package's collection database: genanki's rows, in genanki's order, without its per-row cost.

genanki writes a note with one ``cursor.execute`` for the note and one per
card, each after a round of Python checks: at 50,000 notes that was about two
seconds. Here every note and card row goes through ONE ``executemany`` over a
temporary view whose INSTEAD OF triggers insert each row into ``notes`` or
``cards``. The rows are genanki's own (same columns, values and order, note
then its cards, deck after deck, each deck's ``col`` update before its notes
as genanki does it), so SQLite performs the same b-tree operations in the same
order and the file is byte-for-byte the one genanki writes
(tests/compile/test_collection.py compares them). The view and triggers are
TEMP objects: they live in SQLite's temporary schema, never in the file.

The ``col`` row (decks and note types as JSON) is still genanki's:
``genanki.Deck.write_to_db`` of a deck holding no notes but the same note
types, in the same order, writes exactly what it writes for the full deck.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Iterator

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

_NOTE_COLUMNS = 11  # id guid mid mod usn tags flds sfld csum flags data
_CARD_COLUMNS = 18  # id nid did ord mod usn type queue due ivl factor reps lapses left odue odid flags data

_ROWS_VIEW = f"""
CREATE TEMP VIEW deckbuilder_rows(kind, {", ".join(f"c{i}" for i in range(_CARD_COLUMNS))}) AS
    SELECT {", ".join(["NULL"] * (_CARD_COLUMNS + 1))};
CREATE TEMP TRIGGER deckbuilder_note INSTEAD OF INSERT ON deckbuilder_rows WHEN NEW.kind = 0 BEGIN
    INSERT INTO notes VALUES({", ".join(f"NEW.c{i}" for i in range(_NOTE_COLUMNS))});
END;
CREATE TEMP TRIGGER deckbuilder_card INSTEAD OF INSERT ON deckbuilder_rows WHEN NEW.kind = 1 BEGIN
    INSERT INTO cards VALUES({", ".join(f"NEW.c{i}" for i in range(_CARD_COLUMNS))});
END;
"""
_INSERT = f"INSERT INTO deckbuilder_rows VALUES({', '.join(['?'] * (_CARD_COLUMNS + 1))})"
_NOTE_PADDING = (None,) * (_CARD_COLUMNS - _NOTE_COLUMNS)


def write_collection(connection: sqlite3.Connection, decks: list[genanki.Deck], timestamp: int) -> None:
    """What ``genanki.Package(decks).write_to_db(cursor, timestamp, ...)`` writes, for notes that carry
    their own ids and mtime (``ids``, ``mtime``: package._PlacedNote)."""
    cursor = connection.cursor()
    cursor.executescript(APKG_SCHEMA)
    cursor.executescript(APKG_COL)
    cursor.executescript(_ROWS_VIEW)
    try:
        for deck in decks:
            shell = genanki.Deck(deck.deck_id, deck.name, deck.description)
            shell.models = dict(deck.models)
            for note in deck.notes:  # genanki adds each note's type to its deck before writing the deck
                shell.add_model(note.model)
            shell.write_to_db(cursor, timestamp, iter(()))
            cursor.executemany(_INSERT, _rows(deck))
    finally:
        cursor.executescript("DROP TRIGGER temp.deckbuilder_note; DROP TRIGGER temp.deckbuilder_card;"
                             "DROP VIEW temp.deckbuilder_rows;")


def _rows(deck: genanki.Deck) -> Iterator[tuple]:
    """genanki's Note.write_to_db and Card.write_to_db, row by row (kind 0: a note, 1: a card)."""
    deck_id = deck.deck_id
    ords = _CardOrds()
    for note in deck.notes:
        model = note.model
        if len(model.fields) != len(note.fields):
            note._check_number_model_fields_matches_num_fields()  # genanki's error, with its message
        mod = int(note.mtime)
        ids = iter(note.ids)
        note_id = next(ids)
        yield (0, note_id, note.guid, model.model_id, mod, -1, note._format_tags(), note._format_fields(),
               note.sort_field, 0, 0, "", *_NOTE_PADDING)
        for ord_ in ords(model, note.fields):
            # genanki's Card(ord): never suspended (queue 0)
            yield (1, next(ids), note_id, deck_id, ord_, mod, -1, 0, 0, note.due, 0, 0, 0, 0, 0, 0, 0, 0, "")


_CLOZE_NUMBER = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)


class _CardOrds:
    """genanki's Note.cards as card ords, with what depends on the note type alone worked out once per type.

    genanki scans the cloze template with two regular expressions for every note; the rest is its logic,
    step for step (the same set built in the same order, so that its cards come in the same order; an empty
    set stays empty: genanki 0.13.1's ``card_ords == {}`` never holds, DESIGN §4.7)."""

    def __init__(self) -> None:
        self._cloze_fields: dict[int, list[int]] = {}

    def __call__(self, model: genanki.Model, fields: list[str]) -> list[int]:
        if model.model_type == model.FRONT_BACK:
            return [card_ord for card_ord, any_or_all, required in model._req
                    if {"any": any, "all": all}[any_or_all](fields[i] for i in required)]
        if model.model_type != model.CLOZE:
            raise ValueError("Expected model_type CLOZE or FRONT_BACK")
        indices = self._cloze_fields.get(id(model))
        if indices is None:
            qfmt = model.templates[0]["qfmt"]
            names = set(re.findall(r"{{[^}]*?cloze:(?:[^}]?:)*(.+?)}}", qfmt) + re.findall("<%cloze:(.+?)%>", qfmt))
            indices = [next((i for i, f in enumerate(model.fields) if f["name"] == name), -1) for name in names]
            self._cloze_fields[id(model)] = indices
        card_ords: set[int] = set()
        for index in indices:
            value = fields[index] if index >= 0 else ""
            card_ords.update(int(m) - 1 for m in _CLOZE_NUMBER.findall(value) if int(m) > 0)
        return list(card_ords)
