from builder.check.rules import near_duplicate

from ...conftest import positions
from .helpers import rule_positions


def test_reports_near_duplicate(make_cards):
    assert rule_positions(near_duplicate, make_cards("near-duplicate-question.yaml")) == [("W403", "near-duplicate-question.yaml", 9, 10)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(near_duplicate, make_cards("valid.yaml")) == []


def test_a_search_with_too_many_pairs_stops_with_a_diagnostic(make_cards, monkeypatch):
    # Before: 60,000 questions that all resemble each other meant 1.8 billion pairs and hours of search.
    from builder.check.rules import pairs

    monkeypatch.setattr(pairs, "MAX_PAIRS", 5)
    found = rule_positions(near_duplicate, make_cards("near-duplicates-without-end.yaml"))
    # Pairs are found as the search reaches each card: alike-1 (1 pair), alike-2 (2), alike-3 (3 > 5 - 3).
    assert found[0] == ("W403", "near-duplicates-without-end.yaml", 21, 10)
    assert len(found) == 1 + 5


def test_watch_stops_where_a_fresh_check_stops(make_cards, monkeypatch):
    from builder import pipeline
    from builder.check.rules import pairs
    from builder.check.recheck import RecheckMemo

    monkeypatch.setattr(pairs, "MAX_PAIRS", 5)
    cards = make_cards("near-duplicates-without-end.yaml")
    fresh = [d for d in pipeline.check(cards).diagnostics if d.code == "W403"]
    memo = RecheckMemo()
    for _ in range(2):  # the first check in a session, then a re-check with nothing changed
        assert [d for d in pipeline.check(cards, memo=memo).diagnostics if d.code == "W403"] == fresh
    assert ("W403", "near-duplicates-without-end.yaml", 21, 10) in positions(fresh)
