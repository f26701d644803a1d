"""The lock summary (lock/summary.py) answers exactly what reading and verifying the whole lock answers.

Every case compares the two: the full path (read_lock, then verify_lock) and read_lock_view, both when it
makes the summary (a miss) and when it reads it (a hit, which must really be the summary: a LockSummary).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from builder import pipeline
from builder.load import ParseCache
from builder.lock import LockSummary, dump_lock, full_lock, read_lock, read_lock_view, verify_lock
from builder.lock import identity
from builder.lock.lockcheck import CLOCK_SLACK, latest_time
from builder.lock import summary as summary_module

from ..conftest import DATA, REPO

SECRET = b"s" * 32
DISPLAY = "cards/deck.lock"
BUNDLED = REPO / "cards" / "deck.lock"
NOW = 1_900_000_000  # after every time in the bundled lock and the test locks


def _full(path: Path, now: int):
    lock, problems = read_lock(path, DISPLAY)
    return lock, [*problems, *(verify_lock(lock, DISPLAY, now) if lock is not None else ())]


def _answers(view, ids):
    """What the check's rules ask of a lock (view.LockView)."""
    if view is None:
        return None
    return (view.namespace, {i: view.card_kind(i) for i in ids}, view.unavailable_ids(),
            {i: view.is_retired(i) for i in ids})


def _ids(lock) -> set[str]:
    if lock is None:
        return {"no-such-card"}
    return {*lock.cards, *lock.retired, *lock.purged, *lock.renamed, *lock.renamed.values(), "no-such-card"}


def assert_same_as_full(path: Path, folder: Path, now: int = NOW, hit: bool | None = True):
    """read_lock_view == the full path, on the call that makes the summary and on the one that reads it."""
    full, expected = _full(path, now)
    ids = _ids(full)
    views = []
    for _ in range(2):
        view, found = read_lock_view(path, DISPLAY, now, folder, SECRET)
        assert found == expected
        assert _answers(view, ids) == _answers(full, ids)
        views.append(view)
    if hit is not None and full is not None:
        assert isinstance(views[1], LockSummary) is hit
    return views[1], expected


def _lock_with_everything(tmp_path: Path) -> Path:
    """The bundled lock, plus a purged id, an adopted GUID and an adopted note type: every section used."""
    lock, problems = read_lock(BUNDLED, DISPLAY)
    assert problems == [] and lock.retired and lock.renamed
    live = sorted(lock.cards)[0]
    gone = "a-purged-card"
    lock = replace(lock, purged={gone: identity.note_guid(lock.namespace, gone)},
                   adopted={live: "Xy!adopted1"},
                   cards={**lock.cards, live: replace(lock.cards[live], guid="Xy!adopted1",
                                                      adopted="adopted-basic")})
    path = tmp_path / "deck.lock"
    path.write_text(dump_lock(lock))
    return path


def test_a_sound_lock_is_answered_from_its_summary(tmp_path):
    path = tmp_path / "deck.lock"
    shutil.copy(BUNDLED, path)
    view, problems = assert_same_as_full(path, tmp_path / "cache")
    assert problems == [] and view.unavailable_ids() and any(view.is_retired(i) for i in _ids(read_lock(path, "")[0]))


def test_every_section_of_a_lock_is_summarised(tmp_path):
    path = _lock_with_everything(tmp_path)
    view, problems = assert_same_as_full(path, tmp_path / "cache")
    assert problems == [] and ("basic", "adopted-basic") in {view.card_kind(i) for i in _ids(read_lock(path, "")[0])}


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "lock").iterdir()))
def test_damaged_and_tampered_locks_give_the_full_paths_findings(tmp_path, name):
    path = tmp_path / "deck.lock"
    shutil.copy(DATA / "lock" / name, path)
    # lock-inconsistent.lock holds a time in 2099: always verified in full, never from the summary.
    assert_same_as_full(path, tmp_path / "cache", hit=None)


@pytest.mark.parametrize("text", [
    b"{not json", b"\xff\xfe", b'{"format": 99}', b"<<<<<<< ours\n{}\n", b"[]", b"- a\n- b\n",
    b'{"format": 3, "namespace": "n", "created": "2026-01-01T00:00:00Z", "cards": {"a": 1}}',
])
def test_unusable_locks_give_the_full_paths_findings(tmp_path, text):
    path = tmp_path / "deck.lock"
    path.write_bytes(text)
    view, problems = assert_same_as_full(path, tmp_path / "cache")
    assert view is None and problems


def test_no_lock_and_no_cache_folder(tmp_path):
    assert read_lock_view(tmp_path / "deck.lock", DISPLAY, NOW, tmp_path / "cache", SECRET) == (None, [])
    shutil.copy(BUNDLED, tmp_path / "deck.lock")
    view, problems = read_lock_view(tmp_path / "deck.lock", DISPLAY, NOW, None, b"")
    assert not isinstance(view, LockSummary) and (view, problems) == _full(tmp_path / "deck.lock", NOW)


def test_the_clock_half_is_always_redone(tmp_path):
    """A summary made when the lock's times were in the past still finds them in the future of an earlier
    clock, and a lock with a time past the clock is verified in full, with the same findings."""
    path = tmp_path / "deck.lock"
    shutil.copy(BUNDLED, path)
    folder = tmp_path / "cache"
    lock, _ = read_lock(path, DISPLAY)
    latest = latest_time(lock)
    assert_same_as_full(path, folder, now=NOW)  # summary made
    for now in (latest - CLOCK_SLACK - 1, latest - CLOCK_SLACK, latest - 86_400 * 365):
        view, found = read_lock_view(path, DISPLAY, now, folder, SECRET)
        assert found == _full(path, now)[1]
        assert (found != []) is (now < latest - CLOCK_SLACK)
    # Made while the lock is in the future: the same summary serves a later clock.
    other = tmp_path / "cache2"
    assert_same_as_full(path, other, now=latest - 86_400, hit=False)
    assert_same_as_full(path, other, now=NOW)


def test_latest_time_is_what_the_future_check_looks_at(tmp_path):
    lock, _ = read_lock(_lock_with_everything(tmp_path), DISPLAY)
    latest = latest_time(lock)
    assert verify_lock(lock, DISPLAY, latest - CLOCK_SLACK) == []
    assert verify_lock(lock, DISPLAY, latest - CLOCK_SLACK - 1) != []


def test_a_changed_lock_is_read_again(tmp_path):
    path = tmp_path / "deck.lock"
    shutil.copy(BUNDLED, path)
    folder = tmp_path / "cache"
    assert_same_as_full(path, folder)
    lock, _ = read_lock(path, DISPLAY)
    first = sorted(lock.cards)[0]
    data = json.loads(path.read_text())
    data["cards"][first]["guid"] = "hand-edited"
    data["namespace"] = "another"
    path.write_text(json.dumps(data, indent=2))
    view, problems = assert_same_as_full(path, folder, hit=True)
    assert view.namespace == "another" and {d.code for d in problems} == {"E208"}
    # And for the build: the summary of the old bytes gives the new lock, verified in full.
    summary = _summary_of(BUNDLED, tmp_path / "cache4")
    lock, problems = full_lock(summary, path, DISPLAY, NOW)
    assert (lock, problems) == _full(path, NOW)


def _summary_of(path: Path, folder: Path) -> LockSummary:
    read_lock_view(path, DISPLAY, NOW, folder, SECRET)
    view, _ = read_lock_view(path, DISPLAY, NOW, folder, SECRET)
    assert isinstance(view, LockSummary)
    return view


def test_full_lock_of_unchanged_bytes_is_the_lock(tmp_path):
    path = tmp_path / "deck.lock"
    shutil.copy(BUNDLED, path)
    summary = _summary_of(path, tmp_path / "cache")
    full, expected = _full(path, NOW)
    assert full_lock(summary, path, DISPLAY, NOW) == (full, expected)
    early = summary.latest - CLOCK_SLACK - 1  # a build clock pinned before the lock's last time
    lock, problems = full_lock(summary, path, DISPLAY, early)
    assert lock == full and problems == _full(path, early)[1] != []
    path.unlink()
    assert full_lock(summary, path, DISPLAY, NOW) == (None, [])


def _slot(folder: Path) -> Path:
    return folder / summary_module.SUMMARY_DIR / summary_module.SUMMARY_FILE


@pytest.mark.parametrize("damage", [
    lambda e: {**e, "key": "0" * 64},
    lambda e: {**e, "diagnostics": "none"},
    lambda e: {**e, "diagnostics": [["E208", "fatal", "f", 1, 1, "m", None]]},
    lambda e: {**e, "diagnostics": [["E208", "error", "f", "1", 1, "m", None]]},
    lambda e: {**e, "lock": "yes"},
    lambda e: {**e, "lock": {**e["lock"], "namespace": 7}},
    lambda e: {**e, "lock": {**e["lock"], "latest": "soon"}},
    lambda e: {**e, "lock": {**e["lock"], "latest": True}},
    lambda e: {**e, "lock": {**e["lock"], "kinds": {"basic": ["x"]}}},
    lambda e: {**e, "lock": {**e["lock"], "kinds": {"basic\t": "x"}}},
    lambda e: {**e, "lock": {**e["lock"], "kinds": {"basic\t": ["x"], "cloze\t": ["x"]}}},
    lambda e: {**e, "lock": {**e["lock"], "unavailable": {"x": 1}}},
    lambda e: {**e, "lock": {**e["lock"], "retired": [1]}},
    lambda e: {**e, "lock": None, "diagnostics": []},
    lambda e: [e],
    lambda e: None,
])
def test_a_damaged_or_planted_summary_is_a_miss(tmp_path, damage):
    path = tmp_path / "deck.lock"
    shutil.copy(BUNDLED, path)
    folder = tmp_path / "cache"
    assert_same_as_full(path, folder)
    slot = _slot(folder)
    slot.write_text(json.dumps(damage(json.loads(slot.read_text()))))
    view, _ = assert_same_as_full(path, folder, hit=True)  # the miss wrote a sound summary again
    assert not isinstance(read_lock_view(path, DISPLAY, NOW, tmp_path / "fresh", SECRET)[0], LockSummary)


@pytest.mark.parametrize("content", [b"", b"{", b"[" * 100_000, b"\xff"])
def test_an_unreadable_summary_is_a_miss(tmp_path, content):
    path = tmp_path / "deck.lock"
    shutil.copy(BUNDLED, path)
    folder = tmp_path / "cache"
    _slot(folder).parent.mkdir(parents=True)
    _slot(folder).write_bytes(content)
    assert_same_as_full(path, folder)


def test_a_summary_made_with_another_secret_or_display_is_not_used(tmp_path):
    path = tmp_path / "deck.lock"
    shutil.copy(BUNDLED, path)
    folder = tmp_path / "cache"
    read_lock_view(path, DISPLAY, NOW, folder, b"t" * 32)
    view, _ = read_lock_view(path, DISPLAY, NOW, folder, SECRET)
    assert not isinstance(view, LockSummary)
    read_lock_view(path, "elsewhere/deck.lock", NOW, folder, SECRET)
    view, _ = read_lock_view(path, DISPLAY, NOW, folder, SECRET)
    assert not isinstance(view, LockSummary)


def test_a_read_only_cache_folder_still_checks(tmp_path):
    path = tmp_path / "deck.lock"
    shutil.copy(BUNDLED, path)
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder would be")
    assert read_lock_view(path, DISPLAY, NOW, blocked, SECRET) == _full(path, NOW)


def test_check_from_the_summary_finds_what_the_full_check_finds(make_cards, tmp_path):
    """The rules that ask the lock (E203, E204, E206) find the same from a summary as from the Lock."""
    cards = make_cards("valid.yaml")
    pipeline.build(cards, tmp_path / "out", now=1_790_000_000)
    lock, _ = read_lock(cards / "deck.lock", DISPLAY)
    # The cloze card was basic, the reversed card's id was retired, and the deck was released under another name.
    cards_now = {**lock.cards, "valid-cloze": replace(lock.cards["valid-cloze"], notetype="basic")}
    retired = {"valid-basic": replace(lock.cards["valid-basic"], retired=1_790_000_000, retired_in="1.0.0")}
    (cards / "deck.lock").write_text(dump_lock(replace(lock, cards=cards_now, retired=retired)))
    cache = ParseCache(tmp_path / "parse-cache", SECRET)
    full = pipeline.check(cards, cache=ParseCache(None))
    first = pipeline.check(cards, cache=cache)
    second = pipeline.check(cards, cache=cache)
    assert not isinstance(full.lock, LockSummary) and isinstance(second.lock, LockSummary)
    assert full.diagnostics == first.diagnostics == second.diagnostics
    assert {"E203", "E206", "E208"} <= {d.code for d in full.diagnostics}
    namespaced = (cards / "deck.yaml").read_text().replace("namespace: testdeck", "namespace: otherdeck")
    (cards / "deck.yaml").write_text(namespaced)
    assert pipeline.check(cards, cache=ParseCache(None)).diagnostics == pipeline.check(cards, cache=cache).diagnostics
    assert "E204" in {d.code for d in pipeline.check(cards, cache=cache).diagnostics}


def test_a_build_after_a_summarised_check_writes_what_a_full_one_does(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    pipeline.build(cards, tmp_path / "out", now=1_790_000_000)
    cache = ParseCache(tmp_path / "parse-cache", SECRET)
    pipeline.check(cards, cache=cache)
    checked = pipeline.check(cards, cache=cache)
    assert isinstance(checked.lock, LockSummary)
    (cards / "deck.yaml").write_text((cards / "deck.yaml").read_text() + "\n# an edit\n")
    before = (cards / "deck.lock").read_bytes()
    summarised = pipeline.build_checked(checked, cards, tmp_path / "a", now=1_790_086_400)
    after = (cards / "deck.lock").read_bytes()
    (cards / "deck.lock").write_bytes(before)
    full = pipeline.build_checked(pipeline.check(cards, cache=ParseCache(None)), cards, tmp_path / "b",
                                  now=1_790_086_400)
    assert summarised.diagnostics == full.diagnostics and summarised.package is not None
    assert after == (cards / "deck.lock").read_bytes()
    for name in ("CHANGELOG.md", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
