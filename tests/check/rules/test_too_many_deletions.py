from builder.check.rules import too_many_deletions

from .helpers import rule_positions


def test_reports_too_many_deletions(make_cards):
    assert rule_positions(too_many_deletions, make_cards("too-many-deletions.yaml")) == [
        ("W805", "too-many-deletions.yaml", 3, 9),    # six
        ("W805", "too-many-deletions.yaml", 11, 9),   # five: more than about four items (DESIGN §5)
    ]                                                 # (four: fine)


def test_valid_cards_pass(make_cards):
    assert rule_positions(too_many_deletions, make_cards("valid.yaml")) == []
