from builder.check.rules import cloze_numbering

from .helpers import rule_positions


def test_reports_cloze_numbering(make_cards):
    assert rule_positions(cloze_numbering, make_cards("cloze-numbering-gap.yaml")) == [("W405", "cloze-numbering-gap.yaml", 3, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(cloze_numbering, make_cards("valid.yaml")) == []
