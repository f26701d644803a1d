from builder.checks import unknown_source

from .helpers import rule_positions


def test_reports_unknown_source(make_cards):
    assert rule_positions(unknown_source, make_cards("unknown-source.yaml")) == [("E303", "unknown-source.yaml", 7, 7)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(unknown_source, make_cards("valid.yaml")) == []


def test_deck_filter_with_an_unknown_source(make_cards):
    assert rule_positions(unknown_source, make_cards("valid.yaml", deck="bad-decks.yaml")) == [
        ("E303", "deck.yaml", 27, 15)]
