from builder.check.rules import required_topic

from .helpers import rule_positions


def test_reports_required_topic(make_cards):
    assert rule_positions(required_topic, make_cards("valid.yaml", deck="required-topic-empty.yaml")) == [("E501", "deck.yaml", 10, 30)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(required_topic, make_cards("valid.yaml")) == []


def test_waits_while_cards_failed_to_load(make_cards):
    # The broken card is reported by the loader; coverage would only echo it.
    cards = make_cards("missing-field.yaml", "valid.yaml", deck="required-topic-empty.yaml")
    assert rule_positions(required_topic, cards) == []
