from builder.check.rules import media_case

from .helpers import rule_positions, with_media


def test_reports_media_case(make_cards):
    cards = with_media(make_cards("media-references.yaml"), "spindle-cells.png", "_shared-slide.png")
    assert rule_positions(media_case, cards) == [("E905", "media-references.yaml", 20, 10)]


def test_valid_cards_pass(make_cards):
    cards = with_media(make_cards("valid.yaml"), "spindle-cells.png")
    assert rule_positions(media_case, cards) == []


def test_two_files_differing_only_in_case(make_cards):
    cards = with_media(make_cards("valid.yaml"), "spindle-cells.png")
    (cards / "media" / "Spindle-cells.png").write_bytes(b"x")
    assert rule_positions(media_case, cards) == [("E905", "spindle-cells.png", 1, 1)]
