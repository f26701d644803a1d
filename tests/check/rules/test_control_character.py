from builder.check.rules import control_character

from .helpers import rule_positions


def test_reports_control_characters_spelt_as_references(make_cards):
    assert rule_positions(control_character, make_cards("control-character.yaml")) == [
        ("E909", "control-character.yaml", 3, 10), ("E909", "control-character.yaml", 10, 9),
        ("E909", "control-character.yaml", 11, 10)]


def test_white_space_and_other_references_pass(make_cards):
    assert control_character.control_references("&#9;&#10;&#13;&#128;&#x1F600;&#99999999999;&amp;#31;") == []
    assert control_character.control_references("&#31&#x0;&#0000012;&#X7f") == ["&#31", "&#x0;", "&#0000012;",
                                                                               "&#X7f"]


def test_valid_cards_pass(make_cards):
    assert rule_positions(control_character, make_cards("valid.yaml")) == []
