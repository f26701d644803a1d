from builder.check.rules import unsafe_html

from .helpers import rule_positions


def test_reports_unsafe_html(make_cards):
    assert rule_positions(unsafe_html, make_cards("unsafe-html.yaml")) == [("E901", "unsafe-html.yaml", 2, 10), ("E901", "unsafe-html.yaml", 8, 10), ("E901", "unsafe-html.yaml", 9, 9), ("E901", "unsafe-html.yaml", 10, 10)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(unsafe_html, make_cards("valid.yaml")) == []


def test_schemes_are_judged_after_references_are_decoded_and_controls_removed(make_cards):
    # Before: every one of these was a relative URL to the check (and to nh3), a javascript: link in Anki.
    assert rule_positions(unsafe_html, make_cards("unsafe-html-control-characters.yaml")) == [
        ("E901", "unsafe-html-control-characters.yaml", 4, 10), ("E901", "unsafe-html-control-characters.yaml", 11, 9),
        ("E901", "unsafe-html-control-characters.yaml", 11, 9), ("E901", "unsafe-html-control-characters.yaml", 12, 10),
        ("E901", "unsafe-html-control-characters.yaml", 12, 10), ("E901", "unsafe-html-control-characters.yaml", 17, 10),
        ("E901", "unsafe-html-control-characters.yaml", 18, 9)]
