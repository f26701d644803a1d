from builder.check.rules import reverse_answer_not_term

from .helpers import rule_positions


def test_reports_reverse_answer_not_term(make_cards):
    assert rule_positions(reverse_answer_not_term, make_cards("reverse-answer-not-term.yaml")) == [("W807", "reverse-answer-not-term.yaml", 4, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(reverse_answer_not_term, make_cards("valid.yaml")) == []
