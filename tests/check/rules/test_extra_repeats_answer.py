from builder.check.rules import extra_repeats_answer

from .helpers import rule_positions


def test_reports_extra_repeats_answer(make_cards):
    assert rule_positions(extra_repeats_answer, make_cards("extra-repeats-answer.yaml")) == [("W806", "extra-repeats-answer.yaml", 4, 10)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(extra_repeats_answer, make_cards("valid.yaml")) == []
