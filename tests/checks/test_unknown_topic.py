from builder.checks import unknown_topic

from .helpers import rule_positions


def test_reports_unknown_topic(make_cards):
    assert rule_positions(unknown_topic, make_cards("unknown-topic.yaml")) == [("E301", "unknown-topic.yaml", 4, 23)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(unknown_topic, make_cards("valid.yaml")) == []


def test_required_topic_outside_the_vocabulary(make_cards):
    cards = make_cards(deck="unknown-required-topic.yaml")
    assert rule_positions(unknown_topic, cards) == [("E301", "deck.yaml", 7, 30)]


def test_deck_filter_with_an_unknown_topic(make_cards):
    assert rule_positions(unknown_topic, make_cards("valid.yaml", deck="bad-decks.yaml")) == [
        ("E301", "deck.yaml", 25, 14)]
