"""deck.lock is checked, never trusted: a tampered lock stops the build with a located diagnostic.

The locks under tests/data/lock are the one a build of valid.yaml writes, each edited as the file's
name says (hand edits, a bad merge, a planted note type or markup).
"""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from builder import pipeline
from builder.cli import main
from builder.lock.lockcheck import verify_lock
from builder.lock.lockfile import read_lock

from ..anki_client import import_package, note_by_card_id
from ..conftest import DATA, positions

BUILT_AT = 1_790_000_000  # when the locks under tests/data/lock were written
LATER = BUILT_AT + 86_400


def _cards_with_lock(make_cards, name: str):
    cards = make_cards("valid.yaml")
    shutil.copy(DATA / "lock" / name, cards / "deck.lock")
    return cards


def test_the_untouched_lock_is_sound(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    pipeline.build(cards, tmp_path / "out", now=BUILT_AT)
    lock, problems = read_lock(cards / "deck.lock", "deck.lock")
    assert problems == [] and verify_lock(lock, "deck.lock", BUILT_AT) == []


def test_guids_and_times_no_build_writes_are_located_errors(make_cards, tmp_path):
    cards = _cards_with_lock(make_cards, "lock-inconsistent.lock")
    checked = pipeline.check(cards)
    # Changed GUID (11), emptied GUID (12), a retired entry with a live card's GUID (16), a time after the
    # clock (17), a creation time after the clock (5).
    assert positions(d for d in checked.diagnostics if d.code == "E208") == [
        ("E208", "deck.lock", 5, 3), ("E208", "deck.lock", 11, 5), ("E208", "deck.lock", 12, 5),
        ("E208", "deck.lock", 16, 5), ("E208", "deck.lock", 17, 5)]
    result = pipeline.build(cards, tmp_path / "out", now=LATER)
    assert result.package is None and not (tmp_path / "out").exists()


def test_a_pinned_build_clock_earlier_than_the_lock_stops_the_build(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    pipeline.build(cards, tmp_path / "out", now=BUILT_AT)
    result = pipeline.build(cards, tmp_path / "out2", now=BUILT_AT - 86_400)  # SOURCE_DATE_EPOCH a day back
    assert result.package is None
    assert ("E208", "deck.lock", 5, 3) in positions(result.diagnostics)


def test_two_entries_for_one_id_are_a_located_error(make_cards):
    cards = _cards_with_lock(make_cards, "duplicate-entry.lock")
    assert positions(pipeline.check(cards).diagnostics) == [("E006", "deck.lock", 12, 5)]


def test_an_unknown_note_type_is_a_located_error_not_a_traceback(make_cards):
    _cards_with_lock(make_cards, "unknown-notetype.lock")
    for command in (["check"], ["build"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
        assert "deck.lock:16:5: E006" in result.output and "Traceback" not in result.output


def test_a_renamed_card_keeps_its_old_guid_without_complaint(make_cards, tmp_path):
    from builder.cli.rename import rename_card as rename

    cards = make_cards("valid.yaml")
    pipeline.build(cards, tmp_path / "out", now=BUILT_AT)
    rename(cards, "valid-basic", "valid-basic-renamed")
    rename(cards, "valid-basic-renamed", "valid-basic-twice")
    assert [d for d in pipeline.check(cards).diagnostics if d.code in ("E006", "E208")] == []


def test_a_tombstone_ships_no_markup_planted_in_the_lock(make_cards, tmp_path, collection):
    cards = _cards_with_lock(make_cards, "tombstone-markup.lock")
    result = pipeline.build(cards, tmp_path / "out", now=LATER)
    assert result.package is not None, [str(d) for d in result.diagnostics]
    import_package(collection, result.package)
    front = note_by_card_id(collection, "old-script")["Front"]
    assert "Which stain?" in front
    assert "<script" not in front and "onerror" not in front and "javascript" not in front.replace("\x0c", "")
    assert "\x0c" not in front


def test_a_lock_linked_from_outside_the_cards_folder_is_not_read(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    outside = tmp_path / "elsewhere.lock"
    shutil.copy(DATA / "lock" / "tombstone-markup.lock", outside)
    (cards / "deck.lock").symlink_to(outside)
    assert positions(pipeline.check(cards).diagnostics) == [("E002", "deck.lock", 1, 1)]
    assert pipeline.build(cards, tmp_path / "out", now=LATER).package is None
