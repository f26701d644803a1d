from builder.checks import unsafe_html

from .helpers import rule_positions


def test_reports_unsafe_html(make_cards):
    assert rule_positions(unsafe_html, make_cards("unsafe-html.yaml")) == [("E901", "unsafe-html.yaml", 2, 10), ("E901", "unsafe-html.yaml", 8, 10), ("E901", "unsafe-html.yaml", 9, 9), ("E901", "unsafe-html.yaml", 10, 10)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(unsafe_html, make_cards("valid.yaml")) == []
