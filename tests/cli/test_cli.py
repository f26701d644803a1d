"""The deckbuilder command as a user runs it: output, exit status, files written."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from builder.cli import main

from ..conftest import REPO

# Every error the checker knows, with the data file that triggers it and
# where each problem must be reported (file, line, column).
ERROR_FILES = {
    "yaml-syntax.yaml": [("E001", "cards/yaml-syntax.yaml", 4, 1)],
    "unreadable-file.yaml": [("E002", "cards/unreadable-file.yaml", 2, 13)],
    "duplicate-key.yaml": [("E003", "cards/duplicate-key.yaml", 4, 3)],
    "bad-structure.yaml": [("E004", "cards/bad-structure.yaml", 1, 1)],
    "missing-field.yaml": [("E101", "cards/missing-field.yaml", 1, 3), ("E101", "cards/missing-field.yaml", 6, 3)],
    "wrong-type.yaml": [("E102", "cards/wrong-type.yaml", 2, 10), ("E102", "cards/wrong-type.yaml", 4, 11)],
    "unknown-field.yaml": [("E103", "cards/unknown-field.yaml", 4, 3), ("E103", "cards/unknown-field.yaml", 5, 3)],
    "empty-value.yaml": [("E104", "cards/empty-value.yaml", 2, 9)],
    "invalid-value.yaml": [("E105", "cards/invalid-value.yaml", 2, 9)],
    "duplicate-id.yaml": [("E201", "cards/duplicate-id.yaml", 7, 7)],
    "bad-id-format.yaml": [("E202", "cards/bad-id-format.yaml", 1, 7)],
    "unknown-topic.yaml": [("E301", "cards/unknown-topic.yaml", 4, 23)],
    "missing-topic.yaml": [("E302", "cards/missing-topic.yaml", 1, 3), ("E302", "cards/missing-topic.yaml", 9, 11)],
    "unknown-source.yaml": [("E303", "cards/unknown-source.yaml", 7, 7)],
    "missing-source.yaml": [("E304", "cards/missing-source.yaml", 1, 3)],
    "unknown-scope.yaml": [("E305", "cards/unknown-scope.yaml", 5, 10)],
    "cloze-without-deletion.yaml": [("E401", "cards/cloze-without-deletion.yaml", 3, 9),
                                    ("E401", "cards/cloze-without-deletion.yaml", 9, 9)],
    "duplicate-question.yaml": [("E402", "cards/duplicate-question.yaml", 8, 10)],
}


def problem_lines(output: str) -> list[tuple[str, str, int, int]]:
    found = []
    for line in output.splitlines():
        location, sep, rest = line.partition(": ")
        if sep and location.count(":") == 2:
            path, row, column = location.split(":")
            found.append((rest.split()[0], path, int(row), int(column)))
    return found


@pytest.mark.parametrize("data_file", sorted(ERROR_FILES))
def test_check_reports_each_problem_once_at_its_position_and_exits_1(make_cards, data_file):
    make_cards("valid.yaml", data_file)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert problem_lines(result.output) == ERROR_FILES[data_file]
    assert result.output.splitlines()[-1].startswith(f"{len(ERROR_FILES[data_file])} error")


def test_required_topic_without_cards(make_cards):
    make_cards("valid.yaml", deck="required-topic-empty.yaml")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert problem_lines(result.output) == [("E501", "cards/deck.yaml", 10, 30)]


def test_clean_cards_exit_0_with_a_summary(make_cards):
    make_cards("valid.yaml")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0
    assert result.output == "No problems (3 cards in 3 files).\n"


def test_usage_errors_exit_2(make_cards):
    make_cards("valid.yaml")
    assert CliRunner().invoke(main, ["check", "--no-such-option"]).exit_code == 2
    assert CliRunner().invoke(main, ["no-such-command"]).exit_code == 2


def test_missing_cards_folder_is_a_diagnostic_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--cards", "nowhere"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "nowhere:1:1: E005 cards folder does not exist"


def test_build_writes_the_deck_and_reports_counts(make_cards, tmp_path):
    make_cards("valid.yaml")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == [
        "Wrote output/testdeck.apkg (3 notes, 5 cards) with .tsv, .html and .md exports.",
        "Wrote output/manifest.json and output/README.md for students."]
    assert (tmp_path / "output" / "testdeck.apkg").is_file()


def test_build_with_errors_writes_nothing_and_exits_1(make_cards, tmp_path):
    make_cards("valid.yaml", "cloze-without-deletion.yaml")
    result = CliRunner().invoke(main, ["build", "--output", "out"])
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert not (tmp_path / "out").exists()


def test_unwritable_output_is_a_one_line_error(make_cards, tmp_path):
    make_cards("valid.yaml")
    (tmp_path / "out").write_text("a file where the output folder should be")
    result = CliRunner().invoke(main, ["build", "--output", "out/decks"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Error: cannot write out/decks: Not a directory"


def test_python_dash_m_and_console_script_both_run():
    for command in ([sys.executable, "-m", "builder", "--help"], [sys.executable, "-m", "builder", "--version"]):
        completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
        assert completed.returncode == 0, completed.stderr
    help_text = subprocess.run([sys.executable, "-m", "builder", "--help"], cwd=REPO,
                               capture_output=True, text=True).stdout
    assert "check" in help_text and "build" in help_text


def test_check_with_sources_grounds_figures(make_cards):
    make_cards("ungrounded-figure.yaml", sources="sources-with-files.yaml")
    result = CliRunner().invoke(main, ["check", "--sources", str(REPO / "tests" / "data" / "sources")])
    assert result.exit_code == 0, result.output  # warnings alone do not fail the check
    assert [p[:3] for p in problem_lines(result.output)] == [
        ("W604", "cards/ungrounded-figure.yaml", 9), ("W604", "cards/ungrounded-figure.yaml", 17)]
    assert result.output.splitlines()[-1] == "0 errors, 2 warnings (3 cards in 3 files)."


def test_check_with_a_changed_source_text_fails(make_cards):
    make_cards("valid.yaml", sources="sources-with-bad-files.yaml")
    result = CliRunner().invoke(main, ["check", "--sources", str(REPO / "tests" / "data" / "sources")])
    assert result.exit_code == 1
    assert [p[0] for p in problem_lines(result.output)] == ["E602", "E601", "W603", "E602"]  # sorted by line


def test_sources_folder_must_exist(make_cards):
    make_cards("valid.yaml")
    assert CliRunner().invoke(main, ["check", "--sources", "no-such-folder"]).exit_code == 2


def test_build_reports_what_changed_and_asks_to_commit_the_lock(make_cards):
    cards = make_cards("valid.yaml")
    first = CliRunner().invoke(main, ["build"])
    assert first.exit_code == 0
    assert "Added 3 cards: valid-basic, valid-reversed, valid-cloze" in first.output
    assert "Updated cards/deck.lock: commit it with the cards." in first.output
    again = CliRunner().invoke(main, ["build"])
    assert "No changes to the deck since the last build." in again.output
    assert "Updated cards/deck.lock" not in again.output
    assert (cards.parent / "output" / "CHANGELOG.md").is_file()


def test_build_locked_fails_when_the_lock_is_stale(make_cards):
    cards = make_cards("valid.yaml")
    missing = CliRunner().invoke(main, ["build", "--locked"])
    assert missing.exit_code == 1 and "E207" in missing.output
    CliRunner().invoke(main, ["build"])
    assert CliRunner().invoke(main, ["build", "--locked"]).exit_code == 0
    (cards / "valid.yaml").write_text((cards / "valid.yaml").read_text().replace("Spindle", "Round"))
    lock = (cards / "deck.lock").read_bytes()
    stale = CliRunner().invoke(main, ["build", "--locked"])
    assert stale.exit_code == 1
    assert problem_lines(stale.output) == [("E207", "cards/deck.lock", 1, 1)]
    assert (cards / "deck.lock").read_bytes() == lock


def test_diff_shows_pending_changes_and_writes_nothing(make_cards):
    cards = make_cards("valid.yaml")
    CliRunner().invoke(main, ["build"])
    lock = (cards / "deck.lock").read_bytes()
    (cards / "valid.yaml").write_text((cards / "valid.yaml").read_text().replace("Spindle", "Round"))
    result = CliRunner().invoke(main, ["diff"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Changed valid-basic: Back"
    assert lines[1].startswith("Version 1.0.0 was already released (") and "ship as 1.0.0+unreleased" in lines[1]
    assert lines[2:] == [
        "", "CHANGELOG.md would say:", "", "## Version 1.0.0+unreleased (not released yet)", "",
        "Changed 1 card (updated in place; your progress is kept):", "",
        "- `valid-basic` (answer): What cell shape is typical?", "  - answer: was “Spindle”, now “Round”", ""]
    assert (cards / "deck.lock").read_bytes() == lock


def test_diff_with_errors_reports_them(make_cards):
    make_cards("valid.yaml", "duplicate-id.yaml")
    result = CliRunner().invoke(main, ["diff"])
    assert result.exit_code == 1 and "E201" in result.output


def test_notetype_schema_change_needs_acknowledgement(make_cards):
    cards = make_cards("valid.yaml")
    CliRunner().invoke(main, ["build"])
    lock = cards / "deck.lock"
    lock.write_text(lock.read_text().replace('"templates": ["Forward", "Reverse"]', '"templates": ["Forward"]'))
    refused = CliRunner().invoke(main, ["build"])
    assert refused.exit_code == 1 and problem_lines(refused.output) == [("E205", "cards/deck.lock", 1, 1)]
    assert "nothing was written" in refused.output
    accepted = CliRunner().invoke(main, ["build", "--accept-notetype-change"])
    assert accepted.exit_code == 0, accepted.output
    assert "Note type style changed: basic" in accepted.output


def test_rename_purge_and_unretire_commands(make_cards):
    cards = make_cards("valid.yaml")
    CliRunner().invoke(main, ["build"])
    renamed = CliRunner().invoke(main, ["rename", "valid-basic", "valid-first"])
    assert renamed.exit_code == 0
    assert renamed.output.splitlines()[0] == "Renamed valid-basic to valid-first in cards/valid.yaml:2."
    assert CliRunner().invoke(main, ["rename", "valid-first", "Bad Id"]).exit_code == 1
    text = (cards / "valid.yaml").read_text()
    (cards / "valid.yaml").write_text(text[:text.index("- id: valid-reversed")])
    (cards / "deck.yaml").write_text((cards / "deck.yaml").read_text().replace("version: 1.0.0", "version: 1.1.0"))
    assert "Retired 2 cards" in CliRunner().invoke(main, ["build"]).output
    assert CliRunner().invoke(main, ["purge"]).exit_code == 2
    purged = CliRunner().invoke(main, ["purge", "valid-cloze"])
    assert purged.output == "Purged 1 retired card(s): valid-cloze\n"
    assert CliRunner().invoke(main, ["unretire", "valid-reversed"]).exit_code == 0
    assert CliRunner().invoke(main, ["unretire", "valid-cloze"]).exit_code == 1


def test_strict_makes_warnings_fail(make_cards):
    make_cards("valid.yaml", "long-answer.yaml")
    assert CliRunner().invoke(main, ["check"]).exit_code == 0
    strict = CliRunner().invoke(main, ["check", "--strict"])
    assert strict.exit_code == 1 and "W801" in strict.output
    assert CliRunner().invoke(main, ["build", "--strict"]).exit_code == 1


def test_json_format_is_stable_and_machine_readable(make_cards):
    import json

    make_cards("valid.yaml", "duplicate-id.yaml")
    result = CliRunner().invoke(main, ["check", "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["version"] == 1
    assert report["summary"] == {"errors": 1, "warnings": 0, "cards": 5, "files": 4}
    assert report["diagnostics"] == [{
        "code": "E201", "name": "duplicate-id", "severity": "error", "file": "cards/duplicate-id.yaml",
        "line": 7, "column": 7, "message": "duplicate card id 'same-id' (first at cards/duplicate-id.yaml:1:7): ids are permanent identities; give the newer one an id of its own",
        "subject": "same-id"}]


def test_github_format_annotates_the_line(make_cards):
    make_cards("valid.yaml", "duplicate-id.yaml")
    result = CliRunner().invoke(main, ["check", "--format", "github"])
    assert result.output.splitlines()[0] == (
        "::error file=cards/duplicate-id.yaml,line=7,col=7,title=E201 duplicate-id::"
        "duplicate card id 'same-id' (first at cards/duplicate-id.yaml:1:7): ids are permanent identities; give the newer one an id of its own")


def test_relevelled_warning_shows_its_level(make_cards):
    cards = make_cards("valid.yaml", "long-answer.yaml")
    deck = cards / "deck.yaml"
    deck.write_text(deck.read_text() + "  W801: error\n")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1 and "W801[error]" in result.output


def test_list_and_explain(make_cards):
    from builder.model.codes import CODES

    listed = CliRunner().invoke(main, ["check", "--list"])
    assert listed.exit_code == 0
    assert [line.split()[0] for line in listed.output.splitlines()] == list(CODES)
    explained = CliRunner().invoke(main, ["check", "--explain", "w805"])
    assert explained.exit_code == 0
    assert explained.output.startswith("W805 too-many-deletions (warning)")
    assert "Reported:" in explained.output and "Not reported:" in explained.output
    assert "max_deletions: 4" in explained.output
    assert CliRunner().invoke(main, ["check", "--explain", "Z999"]).exit_code == 2


def test_stats_counts_by_topic_scope_source_and_type(make_cards):
    import json

    make_cards("valid.yaml")
    text = CliRunner().invoke(main, ["stats"])
    assert text.exit_code == 0
    assert text.output.splitlines()[0] == "3 notes, 5 Anki cards"
    assert "  histology      2  ██████████████████████████████" in text.output
    figures = json.loads(CliRunner().invoke(main, ["stats", "--format", "json"]).output)
    assert figures["by_topic"] == {"histology": 2, "margins": 1, "prognosis": 1}
    assert figures["by_type"] == {"basic": 1, "reversed": 1, "cloze": 1}
    assert figures["by_source"] == {"src-a": 2, "src-b": 2}
    assert figures["by_scope"] == {"general": 1, "cutaneous": 1, "(none)": 1}


def test_a_long_build_on_a_terminal_shows_progress_on_stderr(make_cards, monkeypatch):
    import builder.cli as cli

    make_cards("valid.yaml", deck="with-decks.yaml")
    monkeypatch.setattr(cli, "_stderr_is_terminal", lambda: True)
    monkeypatch.setattr(cli, "LONG_CHECK_BYTES", 0)
    monkeypatch.setattr(cli, "LONG_BUILD_CARDS", 0)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert "Checking 1 card files" in result.stderr and "Building" in result.stderr
    assert "Checking" not in result.stdout and "Building" not in result.stdout  # stdout stays parseable


def test_a_build_in_a_log_or_pipe_shows_no_progress(make_cards):
    make_cards("valid.yaml")
    result = CliRunner().invoke(main, ["build"])  # CliRunner's stderr is not a terminal
    assert result.exit_code == 0 and result.stderr == ""


def test_explain_takes_a_rule_name_and_prints_plain_text():
    by_name = CliRunner().invoke(main, ["check", "--explain", "ungrounded-figure"])
    assert by_name.exit_code == 0 and by_name.output.startswith("W604 ungrounded-figure (warning)")
    assert "``" not in by_name.output and "`checks:" not in by_name.output
    misspelt = CliRunner().invoke(main, ["check", "--explain", "ungrounded-figures"])
    assert misspelt.exit_code == 2 and "ungrounded-figure?" in misspelt.output


def test_github_format_prints_only_annotations(make_cards):
    make_cards("valid.yaml", "duplicate-id.yaml", "long-answer.yaml")
    lines = CliRunner().invoke(main, ["check", "--format", "github"]).output.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ")) for line in lines)


def test_build_locked_warns_and_strict_stops_when_the_lock_holds_unreleased_changes(make_cards):
    cards = make_cards("valid.yaml")
    assert CliRunner().invoke(main, ["build"]).exit_code == 0  # releases deck.yaml's version
    (cards / "valid.yaml").write_text((cards / "valid.yaml").read_text().replace("Spindle", "Round"))
    assert CliRunner().invoke(main, ["build"]).exit_code == 0  # the edit, recorded as unreleased
    output = cards.parent / "output"
    before = {path.name: path.read_bytes() for path in output.iterdir() if path.is_file()}
    lenient = CliRunner().invoke(main, ["build", "--locked"])
    assert lenient.exit_code == 0, lenient.output
    assert [code for code, *_ in problem_lines(lenient.output)] == ["W210"]
    assert "+unreleased" in lenient.output
    strict = CliRunner().invoke(main, ["build", "--locked", "--strict"])
    assert strict.exit_code == 1
    assert problem_lines(strict.output) == [("W210", "cards/deck.yaml", 2, 10)]  # the version's value
    assert {path.name: path.read_bytes() for path in output.iterdir() if path.is_file()} == before
    deck = cards / "deck.yaml"
    deck.write_text(deck.read_text().replace("version: 1.0.0", "version: 1.0.1"))
    assert CliRunner().invoke(main, ["build"]).exit_code == 0  # releases 1.0.1 with the edit
    released = CliRunner().invoke(main, ["build", "--locked", "--strict"])
    assert released.exit_code == 0 and "W210" not in released.output

