from builder.check.rules import likely_contradiction

from .helpers import rule_positions


def test_reports_likely_contradiction(make_cards):
    assert rule_positions(likely_contradiction, make_cards("likely-contradiction.yaml")) == [("W702", "likely-contradiction.yaml", 9, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(likely_contradiction, make_cards("valid.yaml")) == []
