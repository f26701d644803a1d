from builder.check.rules import unknown_source

from .helpers import rule_positions


def test_reports_unknown_source(make_cards):
    assert rule_positions(unknown_source, make_cards("unknown-source.yaml")) == [("E303", "unknown-source.yaml", 7, 7)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(unknown_source, make_cards("valid.yaml")) == []


def test_deck_filter_with_an_unknown_source(make_cards):
    assert rule_positions(unknown_source, make_cards("valid.yaml", deck="bad-decks.yaml")) == [
        ("E303", "deck.yaml", 27, 15)]


def test_suggests_the_closest_name(make_cards):
    from builder.check.rules import CheckContext, run_checks
    from builder.load.loader import load_card_set

    found = run_checks(CheckContext(load_card_set(make_cards("unknown-source.yaml")).card_set), rules=[unknown_source])
    assert len(found) == 1 and "did you mean 'src-" in found[0].message
