from builder.checks import cloze_syntax

from .helpers import rule_positions


def test_reports_cloze_syntax(make_cards):
    assert rule_positions(cloze_syntax, make_cards("cloze-syntax.yaml")) == [("E404", "cloze-syntax.yaml", 3, 9), ("E404", "cloze-syntax.yaml", 9, 9), ("E404", "cloze-syntax.yaml", 15, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(cloze_syntax, make_cards("valid.yaml")) == []
