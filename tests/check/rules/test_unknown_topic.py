from builder.check.rules import unknown_topic

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


def test_suggests_the_closest_name(make_cards):
    from builder.check.rules import CheckContext, run_checks
    from builder.load.loader import load_card_set

    found = run_checks(CheckContext(load_card_set(make_cards("unknown-topic.yaml")).card_set), rules=[unknown_topic])
    assert len(found) == 1 and "did you mean 'histology'" in found[0].message
