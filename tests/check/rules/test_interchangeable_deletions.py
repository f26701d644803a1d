from builder.check.rules import interchangeable_deletions

from .helpers import rule_positions


def test_reports_deletions_that_are_items_of_one_list(make_cards):
    assert rule_positions(interchangeable_deletions, make_cards("interchangeable-deletions.yaml")) == [
        ("W808", "interchangeable-deletions.yaml", 3, 9),   # three mimics, three cards
        ("W808", "interchangeable-deletions.yaml", 9, 9),   # "dermal or subcutaneous"
    ]                                                        # (one deletion for the list; labelled figures: fine)


def test_the_minimum_list_is_an_option(make_cards):
    cards = make_cards("interchangeable-deletions.yaml")
    deck = cards / "deck.yaml"
    deck.write_text(deck.read_text() + "  W808: {min_items: 3}\n")
    assert rule_positions(interchangeable_deletions, cards) == [("W808", "interchangeable-deletions.yaml", 3, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(interchangeable_deletions, make_cards("valid.yaml")) == []
