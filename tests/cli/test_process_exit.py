"""The program leaves its process at once after a command (entry.leave, os._exit): what it printed is all
there, even into a file (block-buffered), and its exit status is the one SystemExit would have given."""

import os
import subprocess
import sys

import pytest

# As a user's shell runs it: output buffered (PYTHONUNBUFFERED would hide a lost buffer).
BUFFERED = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


def run_python(code, cwd):
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env=BUFFERED)


@pytest.mark.parametrize(("status", "expected"), [("None", 0), ("3", 3), ("'gone wrong'", 1)])
def test_leave_gives_the_status_systemexit_would(tmp_path, status, expected):
    done = run_python(f"import sys; from builder.entry import leave; sys.stdout.write('printed'); leave({status})",
                      tmp_path)
    assert (done.returncode, done.stdout) == (expected, "printed")
    assert done.stderr == ("gone wrong\n" if expected == 1 else "")


def test_a_report_into_a_file_is_complete_and_the_status_kept(make_cards, tmp_path):
    make_cards("valid.yaml", "give-away.yaml", "duplicate-id.yaml")
    report = tmp_path / "report.txt"
    with report.open("w") as out:  # a file: block-buffered, flushed only on the way out
        done = subprocess.run([sys.executable, "-m", "builder", "check"], cwd=tmp_path, stdout=out,
                              stderr=subprocess.PIPE, text=True, timeout=120, env=BUFFERED)
    lines = report.read_text().splitlines()
    assert done.returncode == 1 and lines[-1].startswith("1 error")  # E201, the duplicate id, then the count
    assert any(" W809 " in line for line in lines) and any(" E201 " in line for line in lines)
    with report.open("w") as out:
        built = subprocess.run([sys.executable, "-m", "builder", "build"], cwd=tmp_path, stdout=out,
                               stderr=subprocess.PIPE, text=True, timeout=120, env=BUFFERED)
    assert built.returncode == 1 and "Build stopped" in built.stderr and not (tmp_path / "output").exists()
