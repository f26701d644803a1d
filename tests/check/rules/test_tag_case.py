from builder.check.rules import tag_case

from .helpers import rule_positions


def test_reports_tags_differing_only_in_case(make_cards):
    assert rule_positions(tag_case, make_cards("tag-case-collision.yaml")) == [
        ("E910", "tag-case-collision.yaml", 12, 10), ("E910", "tag-case-collision.yaml", 12, 22),
        ("E910", "tag-case-collision.yaml", 12, 37)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(tag_case, make_cards("valid.yaml", "tag-format.yaml")) == []
