from builder.check.rules import cloze_syntax

from .helpers import rule_positions


def test_reports_cloze_syntax(make_cards):
    assert rule_positions(cloze_syntax, make_cards("cloze-syntax.yaml")) == [("E404", "cloze-syntax.yaml", 3, 9), ("E404", "cloze-syntax.yaml", 9, 9), ("E404", "cloze-syntax.yaml", 15, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(cloze_syntax, make_cards("valid.yaml")) == []


def test_reports_an_answer_whose_closing_brace_anki_would_drop(make_cards):
    # Before: no diagnostic, and Anki showed "{0" in the blank and a stray "}" after it.
    assert rule_positions(cloze_syntax, make_cards("cloze-brace-lost.yaml")) == [
        ("E404", "cloze-brace-lost.yaml", 4, 9), ("E404", "cloze-brace-lost.yaml", 4, 9)]
