from builder.check.rules import cloze_deletion

from .helpers import rule_positions


def test_reports_cloze_deletion(make_cards):
    assert rule_positions(cloze_deletion, make_cards("cloze-without-deletion.yaml")) == [("E401", "cloze-without-deletion.yaml", 3, 9), ("E401", "cloze-without-deletion.yaml", 9, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(cloze_deletion, make_cards("valid.yaml")) == []


def test_basic_cards_are_not_cloze_checked(make_cards):
    cards = make_cards()
    (cards / "b.yaml").write_text("- id: b\n  front: No {{braces}} here\n  back: A\n  topics: [histology]\n"
                                  "  sources: [src-a]\n")
    assert rule_positions(cloze_deletion, cards) == []
