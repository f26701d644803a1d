"""Near-duplicate card pairs, computed once per check run and shared by W403 and W702."""

from __future__ import annotations

import operator
import weakref
from typing import TYPE_CHECKING

from ...load import Batch, Background, Pending
from ...model import Card, CardSet
from .pair_snapshot import save, update
from ..similarity import Budget, PairIndex, SimilarPair, TooManyPairs, prepare, similar_pairs

if TYPE_CHECKING:
    from ..recheck import RecheckMemo

# id(card set) -> (weak reference to it, {(thresholds): pairs}). By identity:
# a CardSet holds dicts and is not hashable. The entry leaves with the set.
_cache: dict[int, tuple[weakref.ref, dict]] = {}


def _results_for(card_set: CardSet) -> dict:
    key = id(card_set)
    entry = _cache.get(key)
    if entry is None or entry[0]() is not card_set:
        entry = (weakref.ref(card_set, lambda _ref, key=key: _cache.pop(key, None)), {})
        _cache[key] = entry
    return entry[1]


# A report of more near-duplicate pairs than this helps no one, and a file can be written so that every
# question resembles every other (60,000 cards: 1.8 billion pairs, hours of search). The search stops
# there, and W403 says so at the card it had reached. Real decks are far below both: the bundled deck
# has a handful of pairs, the 50,000-card benchmark (bench/bench.py) 269 pairs from 104,668 candidates.
MAX_PAIRS = 10_000
MAX_COMPARISONS = 20_000_000


def _search(card_set: CardSet, min_jaccard: float, min_score: float
            ) -> tuple[list[tuple[int, int, float, float]], int | None]:
    """The pairs, and the index of the card where the search stopped (None: it finished).

    After an edit, from the last search's snapshot (pair_snapshot.py) when that gives the same result."""
    updated = update(card_set, min_jaccard, min_score, MAX_PAIRS, MAX_COMPARISONS)
    if updated is not None:
        return updated, None
    cards = card_set.cards
    questions = [card.question for card in cards]
    prepared = prepare(questions)  # (read by the search and kept by the snapshot)
    normals = prepared.normals  # each card's normal(card.question)

    def compatible(i: int, j: int) -> bool:
        return normals[i] != normals[j]

    # Scope is an exact blocking key: cards of two different scopes are never compared.
    stopped = None
    try:
        pairs = similar_pairs(questions, min_jaccard, min_score, compatible,
                              groups=[card.scope for card in cards], budget=Budget(MAX_PAIRS, MAX_COMPARISONS),
                              prepared=prepared)
    except TooManyPairs as too_many:
        pairs, stopped = too_many.found[:MAX_PAIRS], too_many.record
    found = [(p.first, p.second, p.jaccard, p.score) for p in pairs]
    if stopped is None:
        save(card_set, min_jaccard, min_score, prepared, found)
    return found, stopped


def _update(card_set: CardSet, min_jaccard: float, min_score: float,
            memo: RecheckMemo) -> tuple[list[tuple[int, int, float, float]], int | None]:
    """The same pairs as _search, from the session's index: only new and edited cards are compared."""
    index = memo.pair_index((min_jaccard, min_score),
                            lambda: PairIndex(min_jaccard, min_score, compatible=operator.ne))
    pairs = index.update([(card, card.question, card.scope) for card in card_set.cards],
                         Budget(MAX_PAIRS, MAX_COMPARISONS))
    if index.stopped is not None:  # its batch search ran out of budget: the very result a fresh check has
        return [(p.first, p.second, p.jaccard, p.score) for p in pairs[:MAX_PAIRS]], index.stopped
    if len(pairs) > MAX_PAIRS:
        # Found a few cards at a time, past the budget: report what a fresh check reports (it stops at
        # the card its own order reaches), at the cost of a budgeted search.
        return _search(card_set, min_jaccard, min_score)
    return [(p.first, p.second, p.jaccard, p.score) for p in pairs], None


def start_search(card_set: CardSet, min_jaccard: float, min_score: float, memo: RecheckMemo | None = None,
                 batch: Batch | None = None) -> None:
    """Begin the search on the second core, so the other checks run meanwhile (see near_duplicates); with
    ``batch``, in the batch's process (started by the caller).

    Under watch (``memo``) the update is quick and runs when first needed."""
    per_set = _results_for(card_set)
    key = (min_jaccard, min_score)
    if key not in per_set and memo is None:
        per_set[key] = (Background(_search, card_set, min_jaccard, min_score) if batch is None
                        else batch.add(_search, card_set, min_jaccard, min_score))


def near_duplicates(card_set: CardSet, min_jaccard: float, min_score: float,
                    memo: RecheckMemo | None = None) -> list[tuple[Card, Card, SimilarPair]]:
    """Pairs of cards asking nearly the same question, earlier card first.

    Cards about different populations (both scoped, scopes differ) are not
    compared: "5-year survival of dermal LMS" and "... of subcutaneous LMS"
    are meant to differ. Exact duplicates are left to E402.
    """
    found, _ = _result(card_set, min_jaccard, min_score, memo)
    cards = card_set.cards
    return [(cards[i], cards[j], SimilarPair(i, j, jaccard, score)) for i, j, jaccard, score in found]


def search_stopped_at(card_set: CardSet, min_jaccard: float, min_score: float,
                      memo: RecheckMemo | None = None) -> Card | None:
    """The card the search had reached when it met MAX_PAIRS (or MAX_COMPARISONS); None if it finished."""
    _, stopped = _result(card_set, min_jaccard, min_score, memo)
    return None if stopped is None else card_set.cards[stopped]


def _result(card_set: CardSet, min_jaccard: float, min_score: float, memo: RecheckMemo | None):
    per_set = _results_for(card_set)
    key = (min_jaccard, min_score)
    found = per_set.get(key)
    if found is None:
        found = per_set[key] = (_search(card_set, min_jaccard, min_score) if memo is None
                                else _update(card_set, min_jaccard, min_score, memo))
    elif isinstance(found, Pending):
        found = per_set[key] = found.result()
    return found
