"""What a student's Anki does with a package: import it into a real collection and look.

Written for every Anki this project supports (README, "Importing the deck into Anki"): the
oldest, 2.1.54, imports with ``col.import_anki_package(path)`` and no options
and schedules with the v2 scheduler; newer ones take import options and use
the v3 scheduler. ``IMPORTERS`` names the importers the installed release
has: the current one, and the legacy Python importer
(``anki.importing.apkg.AnkiPackageImporter``) that older desktops and
AnkiDroid mirrored, where the release still ships it.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pytest
from anki.buildinfo import version as ANKI_VERSION
from anki.collection import Collection

try:  # a request with options (2.1.55 on)
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
except ImportError:  # 2.1.54: col.import_anki_package(path)
    ImportAnkiPackageOptions = ImportAnkiPackageRequest = None
try:  # "update notes: if newer / always" (23.10 on)
    from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition
except ImportError:  # one behaviour: update if newer
    ImportAnkiPackageUpdateCondition = None

# The real legacy importer (2.1.x); from 2.1.55 on, anki.importing only forwards to the current one.
_IMPORTING = importlib.util.find_spec("anki.importing")
HAS_LEGACY_IMPORTER = bool(_IMPORTING and _IMPORTING.submodule_search_locations)  # a package, not the shim
# 2.1.54's Rust importer was a beta its desktop used only when "New import/export handling (beta)" was
# turned on (the legacy one was the default), and it stamps every note it adds with the time of the
# import (measured), so no later update built before that moment would arrive: on that release only
# the legacy importer is supported and tested.
IMPORTERS = (("current",) if ImportAnkiPackageRequest is not None else ()) + (
    ("legacy",) if HAS_LEGACY_IMPORTER else ())
DEFAULT_IMPORTER = IMPORTERS[0]


@dataclass(frozen=True)
class ImportLog:
    new: int
    updated: int
    duplicate: int
    conflicting: int


def import_package(col: Collection, package: Path, importer: str = DEFAULT_IMPORTER) -> ImportLog:
    """Import with Anki's default options, as a student double-clicking the file would."""
    if importer == "legacy":
        return import_legacy(col, package)
    request = ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
    log = col.import_anki_package(request).log
    return ImportLog(len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting))


def import_legacy(col: Collection, package: Path) -> ImportLog:
    """Import with the legacy Python importer (Anki 2.1's anki.importing.apkg)."""
    import anki.lang
    from anki.importing.apkg import AnkiPackageImporter

    if anki.lang.current_i18n is None:  # the desktop sets a language at start-up; its log needs one
        anki.lang.set_lang("en")
    importer = AnkiPackageImporter(col, str(package))
    importer.run()
    # It counts notes it added, updated and found identical; notes it refused are only in its log.
    return ImportLog(importer.added, importer.updated, importer.dupes, 0)


def note_by_card_id(col: Collection, card_id: str):
    """The note whose CardId field is ``card_id`` (the id shown on every card)."""
    note_ids = col.find_notes(f'"CardId:{card_id}"')
    assert len(note_ids) == 1, f"expected one note for {card_id}, found {len(note_ids)}"
    return col.get_note(note_ids[0])


if ImportAnkiPackageUpdateCondition is not None:
    IF_NEWER = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
    ALWAYS = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS
else:
    IF_NEWER, ALWAYS = "if-newer", "always"


def import_with(col: Collection, package: Path, condition) -> ImportLog:
    """Import with an explicit update condition for notes and note types."""
    if ImportAnkiPackageUpdateCondition is None:
        if condition == ALWAYS:
            pytest.skip(f"Anki {ANKI_VERSION} has no 'update notes: always' option")
        return import_package(col, package)
    options = ImportAnkiPackageOptions(update_notes=condition, update_notetypes=condition)
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options)).log
    return ImportLog(len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting))


def study(col: Collection, deck_name: str, answers: int) -> list[int]:
    """Answer the next ``answers`` cards of a deck through the real scheduler; return their ids."""
    col.decks.select(col.decks.by_name(deck_name)["id"])
    studied = []
    if not hasattr(col.sched, "get_queued_cards"):  # 2.1.54's default v2 scheduler
        for _ in range(answers):
            card = col.sched.getCard()
            card.start_timer()
            col.sched.answerCard(card, 3)  # "good"
            studied.append(card.id)
        return studied
    from anki.scheduler.v3 import CardAnswer

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
