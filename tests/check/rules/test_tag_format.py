from builder.check.rules import tag_format

from .helpers import rule_positions


def test_reports_tag_format(make_cards):
    assert rule_positions(tag_format, make_cards("tag-format.yaml")) == [("E908", "tag-format.yaml", 4, 22), ("E908", "tag-format.yaml", 4, 34)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(tag_format, make_cards("valid.yaml")) == []
