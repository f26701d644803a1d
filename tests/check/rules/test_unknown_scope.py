from builder.check.rules import unknown_scope

from .helpers import rule_positions


def test_reports_unknown_scope(make_cards):
    assert rule_positions(unknown_scope, make_cards("unknown-scope.yaml")) == [("E305", "unknown-scope.yaml", 5, 10)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(unknown_scope, make_cards("valid.yaml")) == []


def test_deck_filter_with_an_unknown_scope(make_cards):
    assert rule_positions(unknown_scope, make_cards("valid.yaml", deck="bad-decks.yaml")) == [
        ("E305", "deck.yaml", 26, 14)]


def test_suggests_the_closest_name(make_cards):
    from builder.check.rules import CheckContext, run_checks
    from builder.load.loader import load_card_set

    found = run_checks(CheckContext(load_card_set(make_cards("unknown-scope.yaml")).card_set), rules=[unknown_scope])
    assert len(found) == 1 and "did you mean 'cutaneous'" in found[0].message
