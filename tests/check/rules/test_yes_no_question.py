from builder.check.rules import yes_no_question

from .helpers import rule_positions


def test_reports_yes_no_question(make_cards):
    assert rule_positions(yes_no_question, make_cards("yes-no-question.yaml")) == [("W804", "yes-no-question.yaml", 2, 10), ("W804", "yes-no-question.yaml", 8, 10)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(yes_no_question, make_cards("valid.yaml")) == []
