from builder.checks import unknown_scope

from .helpers import rule_positions


def test_reports_unknown_scope(make_cards):
    assert rule_positions(unknown_scope, make_cards("unknown-scope.yaml")) == [("E305", "unknown-scope.yaml", 5, 10)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(unknown_scope, make_cards("valid.yaml")) == []


def test_deck_filter_with_an_unknown_scope(make_cards):
    assert rule_positions(unknown_scope, make_cards("valid.yaml", deck="bad-decks.yaml")) == [
        ("E305", "deck.yaml", 26, 14)]
