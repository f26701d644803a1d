"""deck.yaml `checks:` and `accepted:`: turning warnings off or up, options, reviewed exceptions."""

import pytest

from builder import pipeline
from builder.model.diagnostics import Severity

from ..conftest import positions


def configure(cards, text: str) -> None:
    """Replace the base deck's `checks:` section with ``text``."""
    deck = cards / "deck.yaml"
    base = deck.read_text().split("# Test decks are tiny")[0]
    deck.write_text(base + text)


def codes(cards, sources=None):
    return [(d.code, d.severity) for d in pipeline.check(cards, sources).diagnostics]


def test_a_warning_can_be_turned_off(make_cards):
    cards = make_cards("long-answer.yaml", "valid.yaml")
    assert ("W801", Severity.WARNING) in codes(cards)
    configure(cards, "checks:\n  W502: off\n  W503: off\n  W801: off\n")
    assert ("W801", Severity.WARNING) not in codes(cards)


def test_a_warning_can_be_made_an_error(make_cards):
    cards = make_cards("long-answer.yaml", "valid.yaml")
    configure(cards, "checks:\n  W502: off\n  W503: off\n  W801: {level: error}\n")
    assert ("W801", Severity.ERROR) in codes(cards)
    assert pipeline.build(cards, cards.parent / "out").package is None


def test_options_change_a_rule_threshold(make_cards):
    cards = make_cards("long-answer.yaml", "valid.yaml")
    configure(cards, "checks:\n  W502: off\n  W503: off\n  W801: {max_words: 30}\n")
    assert ("W801", Severity.WARNING) not in codes(cards)


@pytest.mark.parametrize("section, expected", [
    ("checks:\n  X123: off\n", [("E105", "deck.yaml", 14, 3)]),         # not a code
    ("checks:\n  E001: off\n", [("E105", "deck.yaml", 14, 3)]),         # reported while reading: not configurable
    ("checks:\n  E201: off\n", [("E105", "deck.yaml", 14, 9)]),         # errors stay errors
    ("checks:\n  W801: loud\n", [("E105", "deck.yaml", 14, 9)]),        # not a level
    ("checks:\n  W801: {max_lines: 3}\n", [("E103", "deck.yaml", 14, 10)]),  # no such option
    ("checks:\n  W801: {max_words: many}\n", [("E102", "deck.yaml", 14, 21)]),  # not a number
    ("checks: [W801]\n", [("E102", "deck.yaml", 13, 9)]),
    ("accepted:\n  - {code: E201, card: x, reason: r}\n", [("E105", "deck.yaml", 14, 12)]),  # errors cannot be accepted
    ("accepted:\n  - {code: W801, reason: r}\n", [("E101", "deck.yaml", 14, 5)]),   # names no card/source/topic
    ("accepted:\n  - {code: W801, card: x}\n", [("E101", "deck.yaml", 14, 5)]),     # no reason
])
def test_a_bad_configuration_is_reported_where_it_is(make_cards, section, expected):
    cards = make_cards("valid.yaml")
    configure(cards, section)
    result = pipeline.check(cards)
    assert positions(d for d in result.diagnostics if d.code.startswith("E1")) == expected


def test_an_accepted_warning_is_hidden_and_a_stale_acceptance_is_reported(make_cards):
    cards = make_cards("long-answer.yaml", "valid.yaml", deck="unused-acceptance.yaml")
    result = pipeline.check(cards)
    assert positions(result.diagnostics) == [("W008", "deck.yaml", 20, 5)]
    assert "valid-basic" in result.diagnostics[0].message


def test_acceptances_of_grounding_warnings_are_not_stale_without_sources(make_cards):
    cards = make_cards("valid.yaml")
    configure(cards, "checks:\n  W502: off\n  W503: off\naccepted:\n"
                     "  - {code: W604, card: valid-basic, reason: checked by hand}\n")
    assert pipeline.check(cards).diagnostics == ()
