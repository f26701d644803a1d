from builder.checks import unknown_scope

from .helpers import rule_positions


def test_reports_unknown_scope(make_cards):
    assert rule_positions(unknown_scope, make_cards("unknown-scope.yaml")) == [("E305", "unknown-scope.yaml", 5, 10)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(unknown_scope, make_cards("valid.yaml")) == []
