from builder.check.rules import id_format

from .helpers import rule_positions


def test_reports_id_format(make_cards):
    assert rule_positions(id_format, make_cards("bad-id-format.yaml")) == [("E202", "bad-id-format.yaml", 1, 7)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(id_format, make_cards("valid.yaml")) == []


def test_overlong_id(make_cards):
    cards = make_cards()
    (cards / "long.yaml").write_text(
        f"- id: {'a' * 81}\n  front: Q?\n  back: A\n  topics: [histology]\n  sources: [src-a]\n")
    assert rule_positions(id_format, cards) == [("E202", "long.yaml", 1, 7)]
