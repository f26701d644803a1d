"""Write the planned notes to an .apkg: byte-for-byte reproducible, never half-written.

genanki does the SQLite work. Two things it does not do are done here:

* every note and card gets a fixed id and its own mtime (the time its content
  last changed, from the lock), instead of ids and mtimes from the clock;
* the archive is zipped with fixed entry times, a fixed order and
  compression, so the same cards and lock always give the same bytes
  (DESIGN §4.8). genanki's own zip stores uncompressed, with the clock's time.

The file is written beside the target and renamed into place: a reader sees
the old deck or the new one, never a broken one.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO, Mapping

import genanki

from .adopted import adopted_fields, adopted_models
from ..lock import identity
from .notetypes import BASIC_FIELDS, note_types
from ..fs import stage
from .notes import NoteContent
from .reconcile import Plan
from .selection import DeckSelection

# Deflate level of every entry. Anki inflates any level; 3 instead of zlib's default 6 writes a 50,000-card
# collection in 0.36 s instead of 0.95 s (the longest task of a build's second core) for 10% more bytes.
# Fixed, like everything else in the archive, so the same cards still give the same bytes.
COMPRESS_LEVEL = 3
# The earliest time a zip entry can carry; any fixed value would do.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class _PlacedNote(genanki.Note):
    """A note with a fixed id, fixed card ids and its own mtime."""

    def __init__(self, *, ids: list[int], mtime: int, model: genanki.Model, fields: list[str], tags: list[str],
                 guid: str, due: int):
        # genanki.Note.__init__ less its tag list, which validates each tag as it is added (half the time
        # build_decks took at 50,000 notes): the tags are validated here, with genanki's own check.
        for tag in tags:
            if " " in tag:
                genanki.note._TagList._validate_tag(tag)
        self.model, self.fields, self._sort_field, self._tags, self.due, self._guid = \
            model, fields, None, list(tags), due, guid
        self.ids = ids
        self.mtime = mtime

    def write_to_db(self, cursor, timestamp, deck_id, id_gen):
        # genanki draws the note id, then one id per card, from id_gen and
        # stamps note and cards with `timestamp`: hand it ours instead.
        super().write_to_db(cursor, self.mtime, deck_id, iter(self.ids))

    def _check_invalid_html_tags_in_fields(self):
        # genanki's check (a warning for a "<" that starts no HTML tag), asked of the fields that hold a "<"
        # only: the others have nothing it could find, and it cost a call per field.
        if any("<" in field and self._INVALID_HTML_TAG_RE.search(field) for field in self.fields):
            super()._check_invalid_html_tags_in_fields()


def card_count(content: NoteContent) -> int:
    """How many cards genanki makes of a note, computed from its fields (genanki's own rules).

    Card ids are counted over every planned note, so each package needs these
    counts for all notes, but genanki notes only for the ones it holds.
    """
    if content.notetype == "cloze":
        return len({n for n in _CLOZE_NUMBER.findall(content.fields[0]) if int(n) > 0})
    return 2 if content.notetype == "basic" and content.fields[_ADD_REVERSE] else 1  # content.reverse, unnamed


_CLOZE_NUMBER = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)
_ADD_REVERSE = BASIC_FIELDS.index("AddReverse")


def build_decks(plan: Plan, selection: DeckSelection, description: str) -> list[genanki.Deck]:
    """The genanki decks of one package: the named deck, and its topic subdecks if split."""
    lock = plan.lock
    namespace = lock.namespace
    types = note_types(namespace, {kind: mtime for kind, mtime in plan.notetype_mtimes.items()
                                   if kind in ("basic", "cloze")})
    adopted = adopted_models(plan.adoption, dict(plan.notetype_mtimes))
    definition = selection.definition
    # Ids are milliseconds after the deck was first built: in the past, stable
    # while the lock is, and the same for a note in every package. Card ids
    # count every card of every planned note, in plan order.
    base = lock.created * 1000
    first_card = []
    next_card_id = base
    counts = [card_count(shipped.content) for shipped in plan.notes]
    for count in counts:
        first_card.append(next_card_id)
        next_card_id += count
    decks: dict[str, genanki.Deck] = {}

    def deck_named(name: str) -> genanki.Deck:
        if name not in decks:
            # Anki matches decks by name; ids only need to be stable and distinct.
            key = "main" if (definition.id, name) == ("main", definition.name) else f"{definition.id}\x1f{name}"
            decks[name] = genanki.Deck(identity.stable_id(namespace, "deck", key), name,
                                       description=description if name == definition.name else "")
        return decks[name]

    deck_named(definition.name)  # the parent exists, with its description, even when split
    for placed in selection.notes:
        shipped, position = placed.note, placed.position
        content = shipped.content
        count = counts[position]
        model, fields = getattr(types, content.notetype), list(content.fields)
        if content.adopted:  # a deck imported from Anki: the note type students already have (adopted.py)
            model = adopted[content.adopted]
            fields = list(adopted_fields(content.named_fields, content.notetype, len(model.fields)))
        note = _PlacedNote(
            ids=[base + position, *range(first_card[position], first_card[position] + count)],
            mtime=shipped.mtime, model=model, fields=fields,
            tags=list(content.tags), guid=shipped.guid, due=position + 1,  # new cards in YAML order
        )
        deck_named(placed.deck_name).add_note(note)
    for model in (*types, *adopted.values()):
        decks[definition.name].add_model(model)
    return list(decks.values())


def stage_package(decks: list[genanki.Deck], created: int, target: Path,
                  media: Mapping[str, Path] | None = None) -> Path:
    """Write the decks and the media files they use (name -> file) beside ``target``, under a
    temporary name that the build renames to ``target`` with its other files (files.StagedFiles)."""
    with tempfile.TemporaryDirectory(prefix="deckbuilder-") as workdir:
        database = Path(workdir) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            # A scratch file zipped next: no fsync, no journal on disk (neither changes a byte of the file).
            connection.executescript("PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY;")
            genanki.Package(decks).write_to_db(connection.cursor(), created, iter(()))
            connection.commit()
        finally:
            connection.close()
        return stage(target, lambda out: _zip(out, database, media or {}))


def _zip(out: BinaryIO, collection: Path, media: Mapping[str, Path]) -> None:
    """Anki's package layout, streamed from the files (a 50,000-card collection never sits in memory twice).

    The collection, a "media" map from entry number to file name, and each
    file stored under its number; sorted names keep the numbering, and so the
    bytes, stable.
    """
    names = sorted(media)
    index = json.dumps({str(i): name for i, name in enumerate(names)}, ensure_ascii=False).encode()
    entries: list[tuple[str, Path | bytes]] = [("collection.anki2", collection), ("media", index)]
    entries += [(str(i), media[name]) for i, name in enumerate(names)]
    with zipfile.ZipFile(out, "w") as archive:
        for name, source in entries:
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            # ZipFile.open reads an entry's level from the entry (renamed compress_level in Python 3.13).
            setattr(entry, "compress_level" if hasattr(entry, "compress_level") else "_compresslevel", COMPRESS_LEVEL)
            entry.create_system = 3  # Unix, whatever machine builds it
            entry.external_attr = 0o644 << 16
            with archive.open(entry, "w") as member:
                if isinstance(source, bytes):
                    member.write(source)
                else:
                    with source.open("rb") as data:
                        shutil.copyfileobj(data, member, 1 << 20)
