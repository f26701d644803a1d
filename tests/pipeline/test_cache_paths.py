"""The cache a build leaves, in the paths the deferred writes (load/deferred.py) change: each test compares
the cache a build leaves with the one the same build leaves with nothing held back (written at once).

Accepted, not tested: a package child that dies takes the writes handed to it (the build fails, and the
next run computes them again), and a build interrupted (Ctrl-C) writes none of what it held."""

import os
import shutil

import pytest

from builder import pipeline
from builder.check.rules import binary_question
from builder.load import background
from builder.load.cache import CACHE_DIR, ParseCache, disk_cache

FILES = ("valid.yaml", "give-away.yaml", "binary-question.yaml", "long-answer.yaml")
NOW = 1_790_000_000


def cache_files(cards):
    folder = cards / CACHE_DIR
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*.json"))
            if path.parent.name != "lock" and path.is_file()} if folder.is_dir() else {}


def misses_after(cards):
    parsed = disk_cache(cards)
    pipeline.check(cards, cache=parsed)
    return parsed.misses


@pytest.fixture(params=["meanwhile", "one-core"])
def path(request, monkeypatch):
    monkeypatch.setattr(background.threading, "active_count", lambda: 1)
    if request.param == "meanwhile":
        if not background.can_fork():
            pytest.skip("cannot fork here")
        monkeypatch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0)  # the rules in a child, as at 50,000 cards
    return request.param


def _children_ended() -> None:
    """Wait for every child a run left (a search that a failing run never asked for still writes its
    snapshot when it ends): what is compared is what the run leaves, not how far its children got."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def run_both(make_cards, tmp_path, monkeypatch, run, deck=None):
    """The cache ``run(cards)`` leaves with the writes held back, and with nothing held back."""
    made = make_cards(*FILES, deck=deck)
    left = {}
    for held in (False, True):
        root = tmp_path / f"held-{held}"
        shutil.copytree(made, root / "cards")
        monkeypatch.chdir(root)
        with monkeypatch.context() as patch:
            if not held:
                patch.setattr(ParseCache, "defer_writes", lambda self: None)
            try:
                run(root / "cards", root)
            except Exception:  # noqa: BLE001 - the run's outcome is not what is compared
                pass
        _children_ended()
        left[held] = cache_files(root / "cards")
    return left


def test_a_rule_that_raises_does_not_cost_the_parse_cache(make_cards, tmp_path, monkeypatch, path):
    """A rule's bug makes the build fail; the parse entries of the files it read are written all the same."""
    def broken(ctx, cards):
        raise RuntimeError("a rule's bug")

    monkeypatch.setattr(binary_question, "check_cards", broken)

    def run(cards, root):
        with pytest.raises(RuntimeError, match="a rule's bug"):
            pipeline.build(cards, root / "out", now=NOW)

    left = run_both(make_cards, tmp_path, monkeypatch, run)
    assert left[False], "the plain build wrote parse entries"
    assert set(left[True]) == set(left[False])


@pytest.mark.parametrize("blocked", ["output-is-a-file", "package-is-a-folder"])
def test_an_output_folder_that_cannot_be_written(make_cards, tmp_path, monkeypatch, path, blocked):
    def run(cards, root):
        if blocked == "output-is-a-file":
            (root / "out").write_text("a file")
        else:
            (root / "out" / "testdeck.apkg").mkdir(parents=True)
        with pytest.raises(Exception):
            pipeline.build(cards, root / "out", now=NOW)

    left = run_both(make_cards, tmp_path, monkeypatch, run)
    assert left[False] and left[True] == left[False]


@pytest.mark.parametrize("how", ["strict", "locked"])
def test_a_build_stopped_after_planning(make_cards, tmp_path, monkeypatch, path, how):
    def run(cards, root):
        built = pipeline.build(cards, root / "out", now=NOW, strict=how == "strict", locked=how == "locked")
        assert not built.built and built.error_count + built.warning_count

    left = run_both(make_cards, tmp_path, monkeypatch, run)
    assert left[False] and left[True] == left[False]


def test_a_second_build_in_the_same_process_with_the_same_cache(make_cards, tmp_path, monkeypatch, path):
    def run(cards, root):
        cache = disk_cache(cards)
        pipeline.build(cards, root / "out", now=NOW, cache=cache)
        (cards / "valid.yaml").write_text((cards / "valid.yaml").read_text().replace("Spindle", "Round"))
        pipeline.build(cards, root / "out", now=NOW + 100, cache=cache)

    left = run_both(make_cards, tmp_path, monkeypatch, run)
    assert left[False] and left[True] == left[False]


def test_one_entry_that_cannot_be_written_does_not_stop_the_others(make_cards, tmp_path, monkeypatch, path):
    """One blocked entry (a folder where the entry goes, say) costs no other write (deferred.write_all)."""
    def run(cards, root):
        first = cards / FILES[0]
        blocked = disk_cache(cards)._path(disk_cache(cards).key(f"cards/{FILES[0]}", first.read_bytes()))
        blocked.mkdir(parents=True)
        pipeline.build(cards, root / "out", now=NOW)

    left = run_both(make_cards, tmp_path, monkeypatch, run)
    assert len(left[False]) > 4 and set(left[True]) == set(left[False])




def test_a_build_of_focused_decks_that_fails_before_its_last_package(make_cards, tmp_path, monkeypatch, path):
    """The writes are handed over with the last package only: a failure while the first deck's exports are
    written leaves them to build_checked, which makes them."""
    from builder import publish

    real = publish.study_sheet_html

    def full_disk_on_the_first(card_set, selection, *args, **kwargs):
        if selection.definition.id == "main":
            raise OSError(28, "No space left on device")
        return real(card_set, selection, *args, **kwargs)

    monkeypatch.setattr(publish, "study_sheet_html", full_disk_on_the_first)

    def run(cards, root):
        with pytest.raises(Exception, match="No space left"):
            pipeline.build(cards, root / "out", now=NOW)

    left = run_both(make_cards, tmp_path, monkeypatch, run, deck="with-decks.yaml")
    assert left[False] and left[True] == left[False]
