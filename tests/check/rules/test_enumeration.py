from builder.check.rules import enumeration

from .helpers import rule_positions


def test_reports_enumeration(make_cards):
    assert rule_positions(enumeration, make_cards("enumeration.yaml")) == [("W802", "enumeration.yaml", 3, 9), ("W802", "enumeration.yaml", 9, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(enumeration, make_cards("valid.yaml")) == []
