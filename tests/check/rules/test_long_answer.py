from builder.check.rules import long_answer

from .helpers import rule_positions


def test_reports_long_answer(make_cards):
    assert rule_positions(long_answer, make_cards("long-answer.yaml")) == [("W801", "long-answer.yaml", 3, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(long_answer, make_cards("valid.yaml")) == []
