from builder.check.rules import fact_mismatch

from .helpers import rule_positions


def test_reports_fact_mismatch(make_cards):
    assert rule_positions(fact_mismatch, make_cards("fact-mismatch.yaml")) == [("E701", "fact-mismatch.yaml", 10, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(fact_mismatch, make_cards("valid.yaml")) == []
