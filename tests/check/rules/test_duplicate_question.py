from builder.check.rules import duplicate_question

from .helpers import rule_positions


def test_reports_duplicate_question(make_cards):
    assert rule_positions(duplicate_question, make_cards("duplicate-question.yaml")) == [("E402", "duplicate-question.yaml", 8, 10)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(duplicate_question, make_cards("valid.yaml")) == []
