"""What a student's Anki does with a package: import it into a real collection and look."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest


@dataclass(frozen=True)
class ImportLog:
    new: int
    updated: int
    duplicate: int
    conflicting: int


def import_package(col: Collection, package: Path) -> ImportLog:
    """Import with Anki's default options, as a student double-clicking the file would."""
    request = ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
    log = col.import_anki_package(request).log
    return ImportLog(len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting))


def note_by_card_id(col: Collection, card_id: str):
    """The note whose CardId field is ``card_id`` (the id shown on every card)."""
    note_ids = col.find_notes(f'"CardId:{card_id}"')
    assert len(note_ids) == 1, f"expected one note for {card_id}, found {len(note_ids)}"
    return col.get_note(note_ids[0])
