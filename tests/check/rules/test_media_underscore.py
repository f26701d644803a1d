from builder.check.rules import media_underscore

from .helpers import rule_positions, with_media


def test_reports_media_underscore(make_cards):
    cards = with_media(make_cards("media-references.yaml"), "spindle-cells.png", "_shared-slide.png")
    assert rule_positions(media_underscore, cards) == [("W907", "media-references.yaml", 32, 10)]


def test_valid_cards_pass(make_cards):
    cards = with_media(make_cards("valid.yaml"), "spindle-cells.png")
    assert rule_positions(media_underscore, cards) == []
