"""A build that fails or is killed at any moment leaves the previous outputs and lock whole and usable.

The bundled deck is built twice with a pinned clock (SOURCE_DATE_EPOCH), as
v1 and, after an edit, v2: builds are reproducible, so every file a build can
leave behind must equal, byte for byte, its v1 or its v2 reference. The
invariants after any interruption:

- every output and deck.lock is whole: exactly its v1 or its v2 bytes;
- if deck.lock is v2, every output is v2 (the lock is renamed last);
- the next build finishes and leaves exactly v2, without temporary files.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.fs import files as files_module
from builder import pipeline

from ..conftest import REPO, V1_TIME, V2_TIME, edit_bundled_cards_to_v2

KILL_TRIALS = 10


def _snapshot(project: Path) -> dict[str, bytes]:
    """Every file of the outputs and the lock, by path relative to the project (temporary files too)."""
    found = {f"output/{p.name}": p.read_bytes() for p in sorted((project / "output").iterdir())}
    found["cards/deck.lock"] = (project / "cards" / "deck.lock").read_bytes()
    return found


def _build(project: Path, now: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "builder", "build", "--cards", "cards", "--output", "output"],
        cwd=project, env={**os.environ, "SOURCE_DATE_EPOCH": str(now)}, capture_output=True, text=True,
        check=False, timeout=300,
    )


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    """(v1 project to start each trial from, v1 snapshot, v2 cards, v2 snapshot, seconds a build takes)."""
    root = tmp_path_factory.mktemp("atomic")
    v1 = root / "v1"
    shutil.copytree(REPO / "cards", v1 / "cards", ignore=shutil.ignore_patterns(".cache"))
    assert _build(v1, V1_TIME).returncode == 0
    v2 = root / "v2"
    shutil.copytree(v1, v2)
    edit_bundled_cards_to_v2(v2 / "cards")
    completed = _build(v2, V2_TIME)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    first, second = _snapshot(v1), _snapshot(v2)
    assert set(first) == set(second)
    changed = {name for name in first if first[name] != second[name]}
    # All but the pathology deck's .tsv: it has no margins cards, but its package and sheets show the
    # version the build ships, now 1.0.1+unreleased.
    assert set(first) - changed == {"output/leiomyosarcoma-pathology.tsv"} and "cards/deck.lock" in changed
    references = (v1, first, v2 / "cards", second)
    # How long a trial's build runs when not killed.
    timed = root / "timed"
    _start_from_v1(references, timed)
    started = time.monotonic()
    assert _build(timed, V2_TIME).returncode == 0
    return (*references, time.monotonic() - started)


def _start_from_v1(references, project: Path) -> None:
    """The v1 outputs and lock, with the v2 cards (and their parse cache, which only saves time) to build."""
    v1, _first, v2_cards, _second = references[:4]
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(v2_cards, project / "cards", ignore=shutil.ignore_patterns("deck.lock"))
    shutil.copy(v1 / "cards" / "deck.lock", project / "cards" / "deck.lock")
    shutil.copytree(v1 / "output", project / "output")


def _assert_whole(references, project: Path) -> int:
    """The invariants after an interruption; returns how many of the files v2 changes were already new."""
    _v1, first, _v2_cards, second = references[:4]
    found = _snapshot(project)
    temps = {name for name in found if name.endswith(".tmp")}
    whole = {name: content for name, content in found.items() if name not in temps}
    assert set(whole) == set(first), f"files appeared or vanished: {set(whole) ^ set(first)}"
    for name, content in whole.items():
        assert content in (first[name], second[name]), f"{name} is neither the old nor the new file"
    if whole["cards/deck.lock"] == second["cards/deck.lock"]:
        assert whole == second, "deck.lock is new but some outputs are old"
    return sum(content == second[name] != first[name] for name, content in whole.items())


def _assert_next_build_finishes(references, project: Path, in_process: bool = False) -> None:
    if in_process:
        assert pipeline.build(project / "cards", project / "output", now=V2_TIME).package is not None
    else:
        completed = _build(project, V2_TIME)
        assert completed.returncode == 0, completed.stdout + completed.stderr
    assert _snapshot(project) == references[3], "the next build should leave exactly v2 and no temporary files"


def test_a_build_killed_at_random_moments_leaves_whole_outputs(references, tmp_path):
    seconds = references[4]
    seed = random.randrange(1 << 30)
    chooser = random.Random(seed)
    reached = []  # (files already new, temporary files) when killed
    for trial in range(KILL_TRIALS):
        project = tmp_path / f"trial-{trial}"
        _start_from_v1(references, project)
        # The first ~40% is start-up, loading and checking, when nothing is written yet: aim at the rest.
        delay = chooser.uniform(seconds * 0.4, seconds * 1.05)
        process = subprocess.Popen(
            [sys.executable, "-m", "builder", "build", "--cards", "cards", "--output", "output"],
            cwd=project, env={**os.environ, "SOURCE_DATE_EPOCH": str(V2_TIME)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        time.sleep(0.2)  # a forked package writer outlives its parent by a moment; let it finish
        context = f"(seed {seed}, trial {trial}, killed after {delay:.2f} s of a {seconds:.2f} s build)"
        try:
            temps = len(list((project / "output").glob(".*.tmp")))
            reached.append((_assert_whole(references, project), temps))
            _assert_next_build_finishes(references, project)
        except AssertionError as failure:
            raise AssertionError(f"{failure} {context}") from None
    print(f"(files already new, temporary files left) when killed, per trial: {reached}")


@pytest.fixture
def v2_project(references, tmp_path, monkeypatch):
    project = tmp_path / "project"
    _start_from_v1(references, project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(V2_TIME))
    return project


def _fail_on_call(monkeypatch, module, name: str, failing_call: int, target_argument: int) -> None:
    """Make ``module.name`` raise a full-disk error on its ``failing_call``-th call (1-based) for a build
    output (writes to the parse cache, which may fail harmlessly, are not counted)."""
    real = getattr(module, name)
    calls = 0

    def flaky(*args, **kwargs):
        nonlocal calls
        if ".cache" not in Path(args[target_argument]).parts:
            calls += 1
            if calls == failing_call:
                raise OSError(28, "No space left on device", str(args[target_argument]))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, flaky)


@pytest.mark.parametrize("failing", ["stage", "rename"])
def test_a_build_failing_at_each_write_leaves_whole_outputs(references, v2_project, monkeypatch, failing):
    """Every staging write and every rename, in turn, fails as on a full disk."""
    count = len(references[1])  # the outputs and deck.lock
    for failing_call in range(1, count + 1):
        _start_from_v1(references, v2_project)
        with monkeypatch.context() as patch:
            patch.setattr("builder.load.background.can_fork", lambda: False)  # every write in this process
            if failing == "stage":
                _fail_on_call(patch, files_module, "stage", failing_call, target_argument=0)
                patch.setattr("builder.compile.package.stage", files_module.stage)  # package.py's own name for it
                patch.setattr("builder.pipeline.stage", files_module.stage)  # (the .tsv and the changelog)
            else:
                _fail_on_call(patch, files_module.os, "replace", failing_call, target_argument=1)
            with pytest.raises(pipeline.DeckbuilderError, match="No space left on device"):
                pipeline.build(v2_project / "cards", v2_project / "output")
        new_files = _assert_whole(references, v2_project)
        if failing == "stage":
            assert new_files == 0, "a build that failed before its renames changed nothing"
            assert not [p for p in (v2_project / "output").iterdir() if p.name.endswith(".tmp")]
        _assert_next_build_finishes(references, v2_project, in_process=True)


def test_a_second_build_into_the_same_folder_waits_its_turn_with_a_clear_error(references, v2_project):
    before = _snapshot(v2_project)
    with files_module.one_writer(v2_project / "output"):  # as a running build (or watch) holds it
        completed = _build(v2_project, V2_TIME)
    assert completed.returncode == 1
    assert completed.stderr.strip().splitlines() == [
        "Error: another deckbuilder is writing in output (a `deckbuilder watch` or build?); wait for it to "
        "finish, then try again"]
    assert _snapshot(v2_project) == before
    _assert_next_build_finishes(references, v2_project)


def test_commands_that_rewrite_the_lock_wait_for_a_running_build(references, v2_project):
    from builder.cli.rename import rename_card
    from builder.cli.retirement import purge

    before = _snapshot(v2_project)
    cards = v2_project / "cards"
    with files_module.one_writer(cards):  # as a build holds it while it writes deck.lock
        for command in (lambda: rename_card(cards, "margins-aim-clear", "margins-aim-negative"),
                        lambda: purge(cards, [], everything=True)):
            with pytest.raises(files_module.FolderBusy, match="another deckbuilder is writing in"):
                command()
    assert _snapshot(v2_project) == before
    assert "id: margins-aim-clear" in (cards / "margins.yaml").read_text()
