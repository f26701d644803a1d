from builder.check.rules import source_without_text

from .helpers import rule_positions


def test_reports_sources_without_text_when_grounding(make_cards):
    cards = make_cards("valid.yaml")  # the base sources.yaml names no files
    assert rule_positions(source_without_text, cards, source_texts={}) == [
        ("W603", "sources.yaml", 1, 7), ("W603", "sources.yaml", 5, 7)]


def test_sources_with_text_pass(make_cards):
    cards = make_cards("valid.yaml", sources="sources-with-files.yaml")
    assert rule_positions(source_without_text, cards, source_texts={}) == []


def test_silent_without_grounding(make_cards):
    assert rule_positions(source_without_text, make_cards("valid.yaml")) == []
