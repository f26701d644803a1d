from builder.check.rules import missing_source

from .helpers import rule_positions


def test_reports_missing_source(make_cards):
    assert rule_positions(missing_source, make_cards("missing-source.yaml")) == [("E304", "missing-source.yaml", 1, 3)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(missing_source, make_cards("valid.yaml")) == []
