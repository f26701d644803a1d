"""A build that writes while its rules finish (pipeline.RunningCheck) ends as the one-process path does, however
it ends: refused by the rules after a failure of its own, interrupted, or built at another time; and it leaves no
child, folder or cache write behind that the one-process path would not. (From an independent review: each of
these failed before it was mended.)"""

import errno
import fcntl
import os
import shutil
import time

import pytest

from builder import pipeline
from builder.load import can_fork
from tests.conftest import DATA

V1 = 1_790_000_000
pytestmark = pytest.mark.skipif(not can_fork(), reason="the speculative build needs fork")


def children_left():
    """Children of this process not yet reaped (running or zombie)."""
    left = []
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return left
        if pid == 0:
            return left + ["running"]
        left.append(pid)


def open_fds():
    return set(os.listdir("/proc/self/fd"))


def test_a_deck_only_the_rules_refuse_and_that_cannot_compile_reports_the_rules_errors(make_cards, monkeypatch):
    """E908 (a tag with a space) is the rules' finding; genanki refuses such a tag. The one-core path reports
    E908; the speculative build compiles the package before it asks the rules, and crashes."""
    monkeypatch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0)
    cards = make_cards("tag-format.yaml")
    output = cards.parent / "new" / "output"
    children_left()
    fds = open_fds()
    try:
        built = pipeline.build(cards, output, now=V1)
        outcome = sorted({d.code for d in built.diagnostics})
    except Exception as error:  # noqa: BLE001
        outcome = f"{type(error).__name__}: {error}"
    leftovers = (outcome, (cards.parent / "new").exists(), children_left(), open_fds() - fds)
    assert leftovers == (["E908"], False, [], set())


def test_a_rule_that_raises_in_the_child_leaves_no_folder_the_build_made(make_cards, monkeypatch):
    """The one-core path raises the rule's exception before anything is written; the speculative build
    raises it after staging, and leaves the folders it made for the outputs."""
    from builder.check import rules as rules_module

    def broken(context, parallel=True):
        raise ValueError("a rule's bug")

    monkeypatch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0)
    monkeypatch.setattr(pipeline, "run_checks", broken)
    cards = make_cards("valid.yaml")
    with pytest.raises(ValueError, match="a rule's bug"):
        pipeline.build(cards, cards.parent / "new" / "output", now=V1)
    assert not (cards.parent / "new").exists()


def test_a_refused_deck_is_reported_even_when_another_deckbuilder_holds_the_output(make_cards, monkeypatch):
    """The one-core path reports the rules' errors (nothing to write, no lock asked for); the speculative
    build asks for the output folder's lock first and raises FolderBusy, the rules' child never reaped."""
    monkeypatch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0)
    cards = make_cards("cloze-without-deletion.yaml")
    output = cards.parent / "output"
    output.mkdir()
    fd = os.open(output, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another deckbuilder (watch, say) is writing there
    children_left()
    try:
        try:
            built = pipeline.build(cards, output, now=V1)
            outcome = sorted({d.code for d in built.diagnostics})
        except Exception as error:  # noqa: BLE001
            outcome = f"{type(error).__name__}: {error}"
    finally:
        os.close(fd)
    assert (outcome, children_left()) == (["E401"], [])


def test_a_failed_manifest_write_waits_for_the_cache_writes_child(make_cards, monkeypatch):
    """The old path waited for the child making the held cache writes before the manifest; now, a manifest
    that cannot be written (disk full) raises while that child still runs (an orphan after the CLI exits,
    still holding the output folder's flock), and it is never reaped."""
    from builder import publish

    parent = os.getpid()
    real_write = pipeline.write_deferred
    done = []

    def slow_write(writes):
        import inspect

        if os.getpid() != parent and writes and inspect.stack()[1].function != "_rules_and_held_writes":
            time.sleep(1.5)  # the package's child, making the held writes after the last package
            (cards.parent / "cache writes done").touch()
        return real_write(writes)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(cards.parent / "output" / "manifest.json"))

    monkeypatch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0)
    monkeypatch.setattr(pipeline, "write_deferred", slow_write)
    monkeypatch.setattr(publish, "manifest", full_disk)
    cards = make_cards("valid.yaml")
    children_left()
    with pytest.raises(pipeline.DeckbuilderError, match="No space left"):
        pipeline.build(cards, cards.parent / "output", now=V1)
    # The build has returned: every child it started should have ended, its cache writes made.
    assert ((cards.parent / "cache writes done").exists(), children_left()) == (True, [])


def test_after_a_failed_manifest_write_the_next_build_is_not_told_the_folder_is_busy(make_cards, monkeypatch):
    """The orphaned child of the failed build still holds the folders' flock (inherited inside one_writer)."""
    from builder import publish

    parent = os.getpid()
    real_write = pipeline.write_deferred

    def slow_write(writes):
        import inspect

        if os.getpid() != parent and writes and inspect.stack()[1].function != "_rules_and_held_writes":
            time.sleep(1.5)
        return real_write(writes)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(cards.parent / "output" / "manifest.json"))

    monkeypatch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0)
    monkeypatch.setattr(pipeline, "write_deferred", slow_write)
    cards = make_cards("valid.yaml")
    with monkeypatch.context() as patch:
        patch.setattr(publish, "manifest", full_disk)
        with pytest.raises(pipeline.DeckbuilderError, match="No space left"):
            pipeline.build(cards, cards.parent / "output", now=V1)
    # The user frees some space and builds again at once.
    assert pipeline.build(cards, cards.parent / "output", now=V1).package is not None
    children_left()


def test_an_interrupted_check_makes_no_held_cache_writes(make_cards, monkeypatch):
    """build_checked: held writes are made 'not after an interruption, which should end the run'. The rules'
    child makes the parse entries handed over to it after the rules or a rule's bug, not after a Ctrl-C
    (the whole process group gets SIGINT: the child would go on writing after the CLI is gone). (The notes
    the package's child writes are not asked about here: interrupted only in the rules' child, the build
    goes on writing meanwhile; a real Ctrl-C stops that child too.)"""
    def interrupted(context, parallel=True):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0)
    monkeypatch.setattr(pipeline, "run_checks", interrupted)
    cards = make_cards("valid.yaml", "with-media.yaml")
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(cards, cards.parent / "output", now=V1)
    assert sorted(path.name for path in (cards / ".cache").glob("*.json")) == []  # (the parse's entries)


def test_a_refused_running_check_built_at_another_time_reports_what_the_one_core_path_reports(
        make_cards, monkeypatch):
    """build_checked(running, now=<not the plan's time>) reads the full lock again; a problem it finds is
    added to the rules' errors, where the one-core path stops at the rules' errors (and says nothing else)."""
    V2 = V1 + 100_000
    cards = make_cards("valid.yaml")
    output = cards.parent / "output"
    assert pipeline.build(cards, output, now=V2).package is not None  # the lock now records V2
    shutil.copy(DATA / "cards" / "cloze-without-deletion.yaml", cards)  # an error only the rules find
    found = {}
    for meanwhile in (True, False):
        monkeypatch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0 if meanwhile else 10 ** 9)
        checked = pipeline.check_for_build(cards, V2)
        assert isinstance(checked, pipeline.RunningCheck) == meanwhile
        built = pipeline.build_checked(checked, cards, output, now=V1)  # (SOURCE_DATE_EPOCH, say)
        found[meanwhile] = sorted(d.code for d in built.diagnostics)
    assert found[True] == found[False]


# From a second review: each failed before it was mended.

def _failing_cache_child(monkeypatch):
    import inspect

    parent = os.getpid()
    real_write = pipeline.write_deferred

    def failing_write(writes):
        if os.getpid() != parent and writes and inspect.stack()[1].function != "_rules_and_held_writes":
            raise ValueError("a bug in the cache writes")  # the package's child, after the last package
        return real_write(writes)

    monkeypatch.setattr(pipeline, "write_deferred", failing_write)


@pytest.mark.parametrize("inside_except", [False, True])
def test_a_failing_cache_child_is_said_even_when_build_is_called_from_an_except_block(
        make_cards, monkeypatch, inside_except):
    monkeypatch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0)
    _failing_cache_child(monkeypatch)
    cards = make_cards("valid.yaml")
    with pytest.raises(ValueError, match="a bug in the cache writes"):
        if inside_except:
            try:
                raise KeyError("the caller's own, already handled")
            except KeyError:
                pipeline.build(cards, cards.parent / "output", now=V1)  # (a retry, say)
        else:
            pipeline.build(cards, cards.parent / "output", now=V1)


def test_a_build_that_finds_the_output_busy_does_not_remove_the_folder_the_other_build_holds(
        make_cards, monkeypatch):
    """Two builds into a new folder at once: A makes it, B takes its flock first, A gets FolderBusy.
    Before aca183a, A left the folder; now A removes it from under B (B's later files land in a new,
    unlocked folder of the same name)."""
    import contextlib
    import fcntl

    from builder.fs import files as fs_files

    cards = make_cards("valid.yaml")
    output = cards.parent / "new-output"
    real_one_writer = pipeline.one_writer
    held = {}

    @contextlib.contextmanager
    def b_got_there_first(*folders):
        fd = os.open(output, os.O_RDONLY | os.O_DIRECTORY)  # B: the folder A just made
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held["fd"] = fd
        with real_one_writer(*folders):
            yield

    monkeypatch.setattr(pipeline, "one_writer", b_got_there_first)
    try:
        with pytest.raises(fs_files.FolderBusy):
            pipeline.build(cards, output, now=V1)
        still_there = output.is_dir() and os.path.samestat(os.fstat(held["fd"]), os.stat(output))
    finally:
        os.close(held["fd"])
    assert still_there, "A removed the folder B holds locked"
