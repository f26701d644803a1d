from builder.model.codes import diagnostic
from builder.model.diagnostics import Location
from builder.cli.report import format_diagnostic, summary


def test_diagnostic_reads_like_a_compiler_message():
    d = diagnostic("E201", Location("cards/margins.yaml", 12, 5), "duplicate card id 'x'")
    assert format_diagnostic(d) == "cards/margins.yaml:12:5: E201 duplicate card id 'x'"


def test_summary():
    assert summary(0, 0, 1, 3) == "No problems (1 card in 3 files)."
    assert summary(1, 2, 10, 1) == "1 error, 2 warnings (10 cards in 1 file)."


def test_bidi_controls_from_a_bad_id_never_reach_the_terminal(make_cards):
    # Before: U+202E and U+2066 went to the terminal as they were and reordered the rest of the line.
    from click.testing import CliRunner

    from builder.cli import main

    make_cards("valid.yaml", "bidi-controls-in-id.yaml")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "cards/bidi-controls-in-id.yaml:2:7: E202" in result.output
    assert not any(c in result.output for c in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert "\\u202e" in result.output  # shown, so the maintainer sees what is there
    as_json = CliRunner().invoke(main, ["check", "--format", "json"]).output
    assert not any(c in as_json for c in "\u202e\u2066")
    import json

    ids = {d["subject"] for d in json.loads(as_json)["diagnostics"]}
    assert "admin\u202e-gnp.exe\u2066" in ids  # the same string, to a program
