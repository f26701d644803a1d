from builder.checks import unknown_source

from .helpers import rule_positions


def test_reports_unknown_source(make_cards):
    assert rule_positions(unknown_source, make_cards("unknown-source.yaml")) == [("E303", "unknown-source.yaml", 7, 7)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(unknown_source, make_cards("valid.yaml")) == []
