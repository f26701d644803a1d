"""Hostile inputs end in diagnostics with a location and exit status 1 (2 for usage), never a crash.

The corpus is tests/hostile.py; it runs in a child process capped at 2 GiB of
address space and a minute per case, so a segfault, a hang or a runaway
allocation fails this test instead of exhausting the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from .. import hostile
from ..conftest import REPO


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    completed = subprocess.run([sys.executable, "-m", "tests.hostile", str(root)], cwd=REPO, capture_output=True,
                               text=True, timeout=1800, check=False)
    lines = [json.loads(line) for line in completed.stdout.splitlines()]
    finished = {line["number"]: line for line in lines if "number" in line}
    started = [line["starting"] for line in lines if "starting" in line]
    if completed.returncode != 0:
        dying = next((n for n in started if n not in finished), None)
        name = hostile.CASES[dying].name if dying is not None else "?"
        pytest.fail(f"the runner died (status {completed.returncode}) during case {dying} ({name}):\n"
                    f"{completed.stderr[-3000:]}")
    return finished


def _problems(found: hostile.Case, outcome: dict) -> list[str]:
    """What is wrong with how the tool answered one hostile input (nothing, when it answered well)."""
    if outcome.get("hang"):
        return [f"did not finish within {hostile.SECONDS_PER_CASE} s"]
    problems = []
    for command in ("check", "build"):
        ran = outcome[command]
        if ran["crash"]:
            problems.append(f"{command} crashed:\n{ran['crash']}")
        if ran["exit"] != found.exit_code:
            problems.append(f"{command} exited {ran['exit']}, expected {found.exit_code}:\n{ran['output'][-2000:]}")
        if "Traceback" in ran["output"]:
            problems.append(f"{command} printed a traceback")
    if outcome.get("unsafe_outputs"):
        problems.append(f"the deck built is not safe: {outcome['unsafe_outputs'][:5]}")
    if found.exit_code == 1 and outcome["output_folder"]:
        problems.append("build wrote an output folder although the input has errors")
    if found.exit_code == 2:
        return problems + ([] if "Usage:" in outcome["check"]["output"] else ["no usage message"])
    report = json.loads(outcome["check"]["output"])
    diagnostics = report["diagnostics"]
    if found.exit_code == 1 and not any(d["severity"] == "error" for d in diagnostics):
        problems.append("no error diagnostic")
    for d in diagnostics:
        if not d["file"] or (d["severity"] == "error" and d["line"] is None and d["code"] not in WHOLE_FILE_CODES):
            problems.append(f"diagnostic without a location: {d}")
    missing = set(found.codes) - {d["code"] for d in diagnostics}
    if missing:
        problems.append(f"expected {sorted(missing)} among {sorted({d['code'] for d in diagnostics})}")
    if any(c in outcome[command]["output"] for c in "\x00\x1b\x07\u202e\u2066" for command in ("check", "build")):
        problems.append("a report sent a control or bidi character to the terminal")
    return problems


# Problems with a whole file (unreadable, not UTF-8, a link, missing) are located at the file, not a line.
WHOLE_FILE_CODES = {"E002", "E005", "E006"}


def test_every_hostile_input_ends_in_a_clean_diagnostic(outcomes):
    failures = {}
    for number, found in enumerate(hostile.CASES):
        problems = _problems(found, outcomes[number]) if number in outcomes else ["never ran"]
        if problems:
            failures[f"{found.category} / {found.name}"] = problems
    tried = Counter(found.category for found in hostile.CASES)
    print("hostile inputs tried, by category: " + ", ".join(f"{name} {count}" for name, count in tried.items()))
    assert not failures, "\n\n".join(f"{name}:\n  " + "\n  ".join(problems) for name, problems in failures.items())


def test_the_corpus_covers_every_category_the_issue_names():
    categories = {found.category for found in hostile.CASES}
    assert categories == {
        "invalid UTF-8", "byte-order marks", "tabs", "empty files", "not a list of mappings", "several documents",
        "deep nesting", "alias bombs", "huge files and fields", "control characters and NUL", "wrong types",
        "duplicate keys", "links and unreadable files", "missing folders and files",
        # issue 13: what gets past the parsing layer to a student
        "HTML filter evasion", "tampered deck.lock", "interpolated metadata", "silent damage", "bounded cost",
    }
