from builder.check.rules import topic_coverage

from .helpers import rule_positions


def test_reports_required_topics_below_the_minimum(make_cards):
    assert rule_positions(topic_coverage, make_cards("valid.yaml", deck="coverage.yaml")) == [
        ("W502", "deck.yaml", 9, 19), ("W502", "deck.yaml", 9, 30)]


def test_enough_cards_pass(make_cards):
    cards = make_cards("valid.yaml", deck="coverage.yaml")
    deck = cards / "deck.yaml"
    deck.write_text(deck.read_text() + "checks:\n  W502: {min_cards: 1}\n")
    assert rule_positions(topic_coverage, cards) == []
