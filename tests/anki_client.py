"""What a student's Anki does with a package: import it into a real collection and look."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition


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


IF_NEWER = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
ALWAYS = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS


def import_with(col: Collection, package: Path, condition) -> ImportLog:
    """Import with an explicit update condition for notes and note types."""
    options = ImportAnkiPackageOptions(update_notes=condition, update_notetypes=condition)
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options)).log
    return ImportLog(len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting))


def study(col: Collection, deck_name: str, answers: int) -> list[int]:
    """Answer the next ``answers`` cards of a deck through the real scheduler; return their ids."""
    from anki.scheduler.v3 import CardAnswer

    col.decks.select(col.decks.by_name(deck_name)["id"])
    studied = []
    for _ in range(answers):
        queued = col.sched.get_queued_cards(fetch_limit=1).cards[0]
        card = col.get_card(queued.card.id)
        card.start_timer()
        col.sched.answer_card(col.sched.build_answer(card=card, states=queued.states, rating=CardAnswer.GOOD))
        studied.append(card.id)
    return studied


def scheduling_state(col: Collection, card_ids: list[int]) -> dict[int, tuple]:
    """Everything that is a student's progress on these cards: card scheduling and review log."""
    state = {}
    for card_id in card_ids:
        card = col.get_card(card_id)
        revlog = col.db.all("select id, ease, ivl, lastIvl, factor, time, type from revlog where cid = ? "
                            "order by id", card_id)
        state[card_id] = (card.nid, card.due, card.ivl, card.reps, card.lapses, card.queue, card.type,
                          card.factor, tuple(map(tuple, revlog)))
    return state
