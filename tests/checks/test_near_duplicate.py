from builder.checks import near_duplicate

from .helpers import rule_positions


def test_reports_near_duplicate(make_cards):
    assert rule_positions(near_duplicate, make_cards("near-duplicate-question.yaml")) == [("W403", "near-duplicate-question.yaml", 9, 10)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(near_duplicate, make_cards("valid.yaml")) == []
