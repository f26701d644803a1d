"""The upgrade students of the bundled deck make: first edition (1.1.0, kept in tests/data/first-edition with
the lock it shipped with) -> the current edition, in one real Anki collection."""

import shutil

from builder import pipeline
from builder.lock.lockfile import read_lock

from ..anki_client import import_package, scheduling_state, study
from ..conftest import DATA, REPO, V1_TIME

FIRST_EDITION = DATA / "first-edition"


def test_an_upgrade_from_the_first_edition_keeps_every_review_and_duplicates_nothing(tmp_path, collection):
    first = tmp_path / "first" / "cards"
    shutil.copytree(FIRST_EDITION, first)
    old = pipeline.build(first, tmp_path / "first" / "output", now=V1_TIME)
    assert old.package is not None, [str(d) for d in old.diagnostics]
    assert import_package(collection, old.package).new == old.note_count
    old_notes = set(collection.find_notes(""))

    # Progress on every card: some studied today, every other one given a due date.
    studied = study(collection, "Leiomyosarcoma", answers=15)
    others = [cid for cid in collection.find_cards("") if cid not in studied]
    collection.sched.set_due_date(others, "7!")
    progress = scheduling_state(collection, list(collection.find_cards("")))

    current = tmp_path / "current" / "cards"
    shutil.copytree(REPO / "cards", current, ignore=shutil.ignore_patterns(".cache"))
    new = pipeline.build(current, tmp_path / "current" / "output", now=V1_TIME + 1, locked=True)
    assert new.package is not None, [str(d) for d in new.diagnostics]
    first_ids = {card.id for card in pipeline.check(first).card_set.cards}
    live_ids = {card.id for card in pipeline.check(current).card_set.cards}
    # Ids changed with `deckbuilder rename` since: the same notes under new ids, not new cards.
    renamed = set(read_lock(current / "deck.lock", "deck.lock")[0].renamed.values())
    log = import_package(collection, new.package)
    # ("duplicate" in Anki's log: notes already present and unchanged, not copies.) The new notes are the
    # second edition's new cards, plus tombstones of cards added and retired since the first edition.
    added = set(collection.find_notes("")) - old_notes
    assert (log.new, log.conflicting) == (len(added), 0)
    added_ids = {collection.get_note(nid)["CardId"] for nid in added}
    assert live_ids - first_ids - renamed <= added_ids and not added_ids & first_ids

    # Every note of the first edition is still there, once; every card keeps its schedule and review log.
    assert old_notes <= set(collection.find_notes(""))
    card_ids = [collection.get_note(nid)["CardId"] for nid in collection.find_notes("")]
    assert len(card_ids) == len(set(card_ids))
    assert scheduling_state(collection, list(progress)) == progress
    # Every retired card says so, and only those: a student can find and delete exactly them.
    retired = set(collection.find_notes("tag:leiomyosarcoma::retired"))
    for note_id in collection.find_notes(""):
        card_id = collection.get_note(note_id)["CardId"]
        assert (note_id in retired) == (card_id not in live_ids), card_id
    assert len(retired) == new.tombstone_count > 0
