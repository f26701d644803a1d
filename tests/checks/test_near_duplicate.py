from builder.checks import near_duplicate

from .helpers import rule_positions


def test_reports_near_duplicate(make_cards):
    assert rule_positions(near_duplicate, make_cards("near-duplicate-question.yaml")) == [("W403", "near-duplicate-question.yaml", 9, 10)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(near_duplicate, make_cards("valid.yaml")) == []


def test_a_search_with_too_many_pairs_stops_with_a_diagnostic(make_cards, monkeypatch):
    # Before: 60,000 questions that all resemble each other meant 1.8 billion pairs and hours of search.
    from builder.checks import pairs

    monkeypatch.setattr(pairs, "MAX_PAIRS", 5)
    found = rule_positions(near_duplicate, make_cards("near-duplicates-without-end.yaml"))
    # Pairs are found as the search reaches each card: alike-1 (1 pair), alike-2 (2), alike-3 (3 > 5 - 3).
    assert found[0] == ("W403", "near-duplicates-without-end.yaml", 21, 10)
    assert len(found) == 1 + 5
