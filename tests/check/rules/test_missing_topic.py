from builder.check.rules import missing_topic

from .helpers import rule_positions


def test_reports_missing_topic(make_cards):
    assert rule_positions(missing_topic, make_cards("missing-topic.yaml")) == [("E302", "missing-topic.yaml", 1, 3), ("E302", "missing-topic.yaml", 9, 11)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(missing_topic, make_cards("valid.yaml")) == []
