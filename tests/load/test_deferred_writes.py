"""A build's cache writes, held back until its package's child makes them (load/deferred.py): the cache a
build leaves is the one a plain check leaves, whether the build wrote a deck, stopped at the rules, or could
not fork; and a forked child never holds back its own writes (they would be lost with it)."""

import os

import pytest

from builder import pipeline
from builder.load import background
from builder.load.cache import CACHE_DIR, ParseCache, disk_cache
from builder.load.deferred import DeferredWrites, write_all

FILES = ("valid.yaml", "give-away.yaml", "binary-question.yaml", "long-answer.yaml")
NOW = 1_790_000_000


def cache_files(cards):
    """Every cache file by name (the names are keyed by content, so equal names mean equal entries), with
    the bytes of the parse and derived entries, which are deterministic."""
    folder = cards / CACHE_DIR
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*.json"))
            if path.parent.name != "lock"}


def written_by_a_check_then_a_plain_build(make_cards, tmp_path, monkeypatch, deck=None):
    """The reference: a check (nothing held back) and a build that holds nothing back."""
    cards = make_cards(*FILES, deck=deck)
    pipeline.check(cards)
    with monkeypatch.context() as held_back_nothing:
        held_back_nothing.setattr(ParseCache, "defer_writes", lambda self: None)
        pipeline.build(cards, tmp_path / "plain", now=NOW)
    files = cache_files(cards)
    assert any(name.startswith("derived/notes-") for name in files)
    return cards, files


@pytest.mark.parametrize("deck", [None, "with-decks.yaml"])  # with focused decks: handed to the last package
@pytest.mark.parametrize("forking", [True, False])
def test_a_build_leaves_the_cache_a_plain_build_leaves(make_cards, tmp_path, monkeypatch, forking, deck):
    cards, reference = written_by_a_check_then_a_plain_build(make_cards, tmp_path, monkeypatch, deck)
    (cards / CACHE_DIR).rename(tmp_path / "reference-cache")
    (cards / "deck.lock").unlink()
    monkeypatch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0)  # the build's own path, as at 50,000 cards
    monkeypatch.setattr(background.threading, "active_count", lambda: 1 if forking else 2)
    held = []
    real_take = ParseCache.take_deferred
    monkeypatch.setattr(ParseCache, "take_deferred",
                        lambda self: held.append(len(writes := real_take(self))) or writes)
    built = pipeline.build(cards, tmp_path / "deferred", now=NOW)
    assert built.built and held and held[0], "the writes were held for the package's child"
    assert len(built.built) == (4 if deck else 1)  # (with-decks.yaml: three focused decks)
    assert cache_files(cards) == reference


def test_a_build_the_rules_stop_still_writes_what_it_held(make_cards, tmp_path):
    cards = make_cards("valid.yaml", "duplicate-id.yaml")
    built = pipeline.build(cards, tmp_path / "out", now=NOW)
    assert not built.built
    parsed = disk_cache(cards)
    pipeline.check(cards, cache=parsed)
    assert parsed.misses == 0 and parsed.hits == 2  # both files' entries were written after all


def test_a_forked_child_writes_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(background.threading, "active_count", lambda: 1)
    deferred = DeferredWrites()
    target = tmp_path / "entry.json"

    def in_child():
        if not deferred.hold(target, lambda: b"{}"):
            write_all([(target, lambda: b"{}")])
        return os.getpid(), len(deferred.writes)

    pid, held_there = background.Background(in_child).result()
    if pid != os.getpid():  # (a machine that cannot fork runs it here, where it is held)
        assert held_there == 0 and target.read_bytes() == b"{}"
    assert deferred.hold(target, lambda: b"[]") and len(deferred.writes) == 1
    assert deferred.take() and not deferred.hold(target, lambda: b"[]")  # once taken, written at once


def test_a_folder_that_cannot_be_written_is_left_alone(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    write_all([(blocked / "entry.json", lambda: b"{}"), (tmp_path / "later.json", lambda: b"{}")])
    assert blocked.read_text() == "not a folder"
