from builder.check.rules import answer_in_question

from .helpers import rule_positions


def test_reports_answer_in_question(make_cards):
    assert rule_positions(answer_in_question, make_cards("answer-in-question.yaml")) == [("W803", "answer-in-question.yaml", 2, 10), ("W803", "answer-in-question.yaml", 10, 9), ("W803", "answer-in-question.yaml", 16, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(answer_in_question, make_cards("valid.yaml")) == []
