from builder.check.rules import empty_deck

from .helpers import rule_positions


def test_reports_a_deck_that_selects_no_card(make_cards):
    assert rule_positions(empty_deck, make_cards("valid.yaml", deck="bad-decks.yaml")) == [("W504", "deck.yaml", 17, 5)]


def test_decks_that_select_cards_pass(make_cards):
    assert rule_positions(empty_deck, make_cards("valid.yaml", deck="with-decks.yaml")) == []
