from builder.check.rules import removed_markup

from .helpers import rule_positions


def test_reports_removed_markup(make_cards):
    assert rule_positions(removed_markup, make_cards("removed-markup.yaml")) == [("W902", "removed-markup.yaml", 2, 10), ("W902", "removed-markup.yaml", 3, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(removed_markup, make_cards("valid.yaml")) == []
