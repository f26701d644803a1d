from builder.check.rules import deck_name_clash

from .helpers import rule_positions


def test_reports_a_deck_named_like_another(make_cards):
    assert rule_positions(deck_name_clash, make_cards("valid.yaml", deck="bad-decks.yaml")) == [
        ("E505", "deck.yaml", 22, 11)]


def test_distinct_names_pass(make_cards):
    assert rule_positions(deck_name_clash, make_cards("valid.yaml", deck="with-decks.yaml")) == []
