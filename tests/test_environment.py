"""A broken environment gets one line saying what to do: old Python, missing packages, full disk, read-only folder.

The disk and folder cases are real: the build runs in a private mount
namespace (``unshare``) on a small or read-only tmpfs, so the kernel itself
says "No space left on device" or "Read-only file system".
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, V1_TIME, V2_TIME, edit_bundled_cards_to_v2

SETUP_HINT = "run `python3 -m venv .venv && .venv/bin/pip install -e .` in the repository (README, \"Set up\")"


def _deckbuilder(*args: str, python: str = sys.executable, python_options: tuple[str, ...] = (),
                 cwd: Path = REPO, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([python, *python_options, "-m", "builder", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False, env=env)


def _old_pythons() -> list[str]:
    """Interpreters older than 3.11 on this machine (pyenv keeps several)."""
    found = []
    for candidate in sorted(glob.glob("/root/.pyenv/versions/3.*/bin/python3") + glob.glob("/usr/bin/python3.*")):
        version = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[1])"], capture_output=True,
                                 text=True, check=False).stdout.strip()
        if version.isdigit() and 6 <= int(version) < 11:
            found.append(candidate)
    return found


def test_an_old_python_is_told_which_python_to_use():
    olds = _old_pythons()
    runs = [_deckbuilder("check", python=python, env={**os.environ, "PYTHONPATH": str(REPO)}) for python in olds]
    if not olds:  # no old interpreter here: the same check, with this Python claiming to be 3.9
        runs = [subprocess.run(
            [sys.executable, "-c", "import sys; sys.version_info = (3, 9, 18); sys.argv[0] = 'deckbuilder'; "
                                   "from builder.entry import main; main()", "check"],
            cwd=REPO, capture_output=True, text=True, check=False)]
    for completed in runs:
        assert completed.returncode == 1
        lines = completed.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: deckbuilder needs Python 3.11 or newer; this is "
                                                       "Python 3."), completed.stderr
        assert lines[0].endswith(SETUP_HINT)


def test_missing_packages_are_named_with_the_command_that_installs_them():
    # -S leaves out site-packages, as a Python without the project's packages installed.
    completed = _deckbuilder("build", python_options=("-S",))
    assert completed.returncode == 1 and completed.stdout == ""
    assert completed.stderr == (
        f"Error: deckbuilder cannot start: click, pyyaml, genanki, markdown-it-py, nh3, watchfiles, rapidfuzz, zstandard "
        f"are not installed in {sys.base_prefix} ; {SETUP_HINT}\n")


def test_one_missing_package_is_named():
    completed = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['nh3'] = None; sys.argv[0] = 'deckbuilder'; "
                               "from builder.entry import main; main()", "check"],
        cwd=REPO, capture_output=True, text=True, check=False)
    assert completed.returncode == 1
    assert completed.stderr.startswith("Error: deckbuilder cannot start: nh3 is not installed in ")


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def v1_built(tmp_path_factory):
    """The bundled deck built as v1, then edited: the next build would write v2."""
    project = tmp_path_factory.mktemp("environment")
    shutil.copytree(REPO / "cards", project / "cards", ignore=shutil.ignore_patterns(".cache"))
    completed = _deckbuilder("build", cwd=project, env={**os.environ, "SOURCE_DATE_EPOCH": str(V1_TIME)})
    assert completed.returncode == 0, completed.stderr
    edit_bundled_cards_to_v2(project / "cards")
    return project


def _build_on_tmpfs(project: Path, mount_options: str, read_only: bool) -> tuple[subprocess.CompletedProcess,
                                                                                   dict[str, str]]:
    """Copy the v1 outputs onto a fresh tmpfs, build v2 into it; the result and what the folder then holds."""
    mount_point = project / "mnt"
    mount_point.mkdir(exist_ok=True)
    lock_before = (project / "cards" / "deck.lock").read_bytes()
    script = "\n".join([
        "set -e",  # any failure to set the stage fails the test; the build's own status is recorded
        f'mount -t tmpfs -o {mount_options} tmpfs "{mount_point}"',
        f'cp -r output "{mount_point}/output"',
        f'mount -o remount,ro "{mount_point}"' if read_only else "true",
        "set +e",
        f'SOURCE_DATE_EPOCH={V2_TIME} "{sys.executable}" -m builder build --output "{mount_point}/output" '
        "2>build.err >build.out",
        "echo $? > build.status",
        f'cd "{mount_point}/output"',
        f'for f in * .[!.]*; do if [ -e "$f" ]; then sha256sum "$f"; fi; done > "{project}/after.txt"',
    ])
    unshare = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-r", "-m"]
    setup = subprocess.run([*unshare, "sh", "-c", script], cwd=project, capture_output=True, text=True,
                           timeout=300, check=False)
    assert setup.returncode == 0, f"could not make the test's tmpfs: {setup.stderr}"
    after = dict(reversed(line.split(maxsplit=1)) for line in (project / "after.txt").read_text().splitlines())
    completed = subprocess.CompletedProcess(
        [], int((project / "build.status").read_text()), (project / "build.out").read_text(),
        (project / "build.err").read_text())
    assert (project / "cards" / "deck.lock").read_bytes() == lock_before, "the lock changed"
    return completed, after


def test_a_full_disk_is_one_line_and_leaves_the_previous_deck(v1_built):
    before = _digests(v1_built / "output")
    # Room for the v1 files and a little more: the v2 files cannot all be staged.
    room = sum((v1_built / "output" / name).stat().st_size for name in before) + 64 * 1024
    completed, after = _build_on_tmpfs(v1_built, f"size={room}", read_only=False)
    assert completed.returncode == 1
    last = completed.stderr.splitlines()[-1]
    assert re.fullmatch(r"Error: cannot write mnt/output/(leiomyosarcoma[-a-z]*\.(apkg|tsv|html|md)|CHANGELOG\.md): "
                        r"No space left on device; free some disk space, then build again", last), last
    assert after == before, "the previous outputs should be untouched, with no temporary files left"


def test_a_read_only_output_folder_is_one_line_and_leaves_the_previous_deck(v1_built):
    before = _digests(v1_built / "output")
    completed, after = _build_on_tmpfs(v1_built, "size=64m", read_only=True)
    assert completed.returncode == 1
    assert re.fullmatch(r"Error: cannot write mnt/output/(leiomyosarcoma[-a-z]*\.(apkg|tsv|html|md)|CHANGELOG\.md): "
                        r"Read-only file system; build into a writable folder with --output\n", completed.stderr)
    assert after == before


def test_a_read_only_cards_folder_with_a_stale_cache_is_one_line(tmp_path):
    # Before: check, build, watch and rename each died with a traceback (removing the stale entry, or
    # writing deck.lock or the card file, on a read-only file system).
    from .conftest import DATA

    project = tmp_path / "project"
    cards = project / "cards"
    cards.mkdir(parents=True)
    for name in ("deck.yaml", "sources.yaml"):
        shutil.copy(DATA / "base" / name, cards / name)
    shutil.copy(DATA / "cards" / "valid.yaml", cards / "valid.yaml")
    (cards / ".cache").mkdir()
    (cards / ".cache" / f"{'f' * 64}.json").write_text("{}")  # an entry no file has any more
    mount_point = project / "mnt"
    mount_point.mkdir()
    commands = {"check": "check", "build": f"build --output {tmp_path}/out", "rename": "rename valid-basic valid-x",
                "watch": None}
    watch_once = ("from threading import Event; from pathlib import Path; from builder.watch import watch; "
                  "e = Event(); e.set(); watch(Path('cards'), Path(r'%s/watch-out'), lambda r: print('built', "
                  "r.package is not None), lambda err: print('Error:', err.message), stop=e)" % tmp_path)
    script = ["set -e", f'mount -t tmpfs -o size=16m tmpfs "{mount_point}"', f'cp -r cards "{mount_point}/cards"',
              f'mount -o remount,ro "{mount_point}"', "set +e", f'cd "{mount_point}"']
    for name, command in commands.items():
        run = (f'"{sys.executable}" -c "{watch_once}"' if command is None
               else f'"{sys.executable}" -m builder {command}')
        script.append(f'{run} > "{project}/{name}.out" 2> "{project}/{name}.err"; echo $? > "{project}/{name}.status"')
    unshare = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-r", "-m"]
    setup = subprocess.run([*unshare, "sh", "-c", "\n".join(script)], cwd=project, capture_output=True, text=True,
                           timeout=300, check=False, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert setup.returncode == 0, f"could not make the test's tmpfs: {setup.stderr}"
    outcome = {name: (int((project / f"{name}.status").read_text()), (project / f"{name}.out").read_text(),
                      (project / f"{name}.err").read_text()) for name in commands}
    for name, (_, out, err) in outcome.items():
        assert "Traceback" not in out + err, (name, out, err)
    assert outcome["check"][0] == 0
    # No deck.lock yet: the build must write one into the read-only folder, and cannot.
    assert outcome["build"][0] == 1
    assert outcome["build"][2] == "Error: cannot write cards/deck.lock: Read-only file system; make cards writable\n"
    assert outcome["rename"][0] == 1
    assert outcome["rename"][2] == "Error: cannot write cards/valid.yaml: Read-only file system; make cards writable\n"
    assert outcome["watch"][0] == 0
    assert "Error: cannot write cards/deck.lock: Read-only file system" in outcome["watch"][1]
