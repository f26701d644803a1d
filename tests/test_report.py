from builder.codes import diagnostic
from builder.diagnostics import Location
from builder.report import format_diagnostic, summary


def test_diagnostic_reads_like_a_compiler_message():
    d = diagnostic("E201", Location("cards/margins.yaml", 12, 5), "duplicate card id 'x'")
    assert format_diagnostic(d) == "cards/margins.yaml:12:5: E201 duplicate card id 'x'"


def test_summary():
    assert summary(0, 0, 1, 3) == "No problems (1 card in 3 files)."
    assert summary(1, 2, 10, 1) == "1 error, 2 warnings (10 cards in 1 file)."
