from builder.check.rules import media_name

from .helpers import rule_positions, with_media


def test_reports_media_name(make_cards):
    cards = with_media(make_cards("media-references.yaml"), "spindle-cells.png", "_shared-slide.png")
    assert rule_positions(media_name, cards) == [("E906", "media-references.yaml", 26, 10)]


def test_valid_cards_pass(make_cards):
    cards = with_media(make_cards("valid.yaml"), "spindle-cells.png")
    assert rule_positions(media_name, cards) == []


def test_a_media_file_with_a_bad_name(make_cards):
    cards = with_media(make_cards("valid.yaml"))
    (cards / "media" / "slide?.png").write_bytes(b"x")
    assert rule_positions(media_name, cards) == [("E906", "slide?.png", 1, 1)]
