from builder.check.rules import media_missing

from .helpers import rule_positions, with_media


def test_reports_media_missing(make_cards):
    cards = with_media(make_cards("media-references.yaml"), "spindle-cells.png", "_shared-slide.png")
    assert rule_positions(media_missing, cards) == [("E903", "media-references.yaml", 8, 10)]


def test_valid_cards_pass(make_cards):
    cards = with_media(make_cards("valid.yaml"), "spindle-cells.png")
    assert rule_positions(media_missing, cards) == []
