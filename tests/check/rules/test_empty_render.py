from builder.check.rules import empty_render

from .helpers import rule_positions, with_media


def test_reports_fields_that_render_to_nothing(make_cards):
    cards = with_media(make_cards("empty-render.yaml"), "spindle-cells.png")
    assert rule_positions(empty_render, cards) == [
        ("E406", "empty-render.yaml", 3, 10), ("E406", "empty-render.yaml", 10, 9),
        ("E406", "empty-render.yaml", 15, 10), ("E406", "empty-render.yaml", 17, 10)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(empty_render, make_cards("valid.yaml")) == []
