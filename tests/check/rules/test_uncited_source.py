from builder.check.rules import uncited_source

from .helpers import rule_positions


def test_reports_a_source_no_card_cites(make_cards):
    assert rule_positions(uncited_source, make_cards("cites-one-source.yaml", deck="coverage.yaml")) == [
        ("W503", "sources.yaml", 5, 7)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(uncited_source, make_cards("valid.yaml", deck="coverage.yaml")) == []
