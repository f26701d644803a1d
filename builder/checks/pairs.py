"""Near-duplicate card pairs, computed once per check run and shared by W403 and W702."""

from __future__ import annotations

import operator
import weakref
from typing import TYPE_CHECKING

from ..background import Background
from ..model import Card, CardSet
from ..similarity import PairIndex, SimilarPair, similar_pairs, words

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


def _search(card_set: CardSet, min_jaccard: float, min_score: float) -> list[tuple[int, int, float, float]]:
    cards = card_set.cards
    normals = [" ".join(words(card.question)) for card in cards]

    def compatible(i: int, j: int) -> bool:
        return normals[i] != normals[j]

    # Scope is an exact blocking key: cards of two different scopes are never compared.
    pairs = similar_pairs([card.question for card in cards], min_jaccard, min_score, compatible,
                          groups=[card.scope for card in cards])
    return [(p.first, p.second, p.jaccard, p.score) for p in pairs]


def _update(card_set: CardSet, min_jaccard: float, min_score: float,
            memo: RecheckMemo) -> list[tuple[int, int, float, float]]:
    """The same pairs as _search, from the session's index: only new and edited cards are compared."""
    index = memo.pair_index((min_jaccard, min_score),
                            lambda: PairIndex(min_jaccard, min_score, compatible=operator.ne))
    pairs = index.update([(card, card.question, card.scope) for card in card_set.cards])
    return [(p.first, p.second, p.jaccard, p.score) for p in pairs]


def start_search(card_set: CardSet, min_jaccard: float, min_score: float, memo: RecheckMemo | None = None) -> None:
    """Begin the search on the second core, so the other checks run meanwhile (see near_duplicates).

    Under watch (``memo``) the update is quick and runs when first needed."""
    per_set = _results_for(card_set)
    key = (min_jaccard, min_score)
    if key not in per_set and memo is None:
        per_set[key] = Background(_search, card_set, min_jaccard, min_score)


def near_duplicates(card_set: CardSet, min_jaccard: float, min_score: float,
                    memo: RecheckMemo | None = None) -> list[tuple[Card, Card, SimilarPair]]:
    """Pairs of cards asking nearly the same question, earlier card first.

    Cards about different populations (both scoped, scopes differ) are not
    compared: "5-year survival of dermal LMS" and "... of subcutaneous LMS"
    are meant to differ. Exact duplicates are left to E402.
    """
    per_set = _results_for(card_set)
    key = (min_jaccard, min_score)
    found = per_set.get(key)
    if found is None:
        found = per_set[key] = (_search(card_set, min_jaccard, min_score) if memo is None
                                else _update(card_set, min_jaccard, min_score, memo))
    elif isinstance(found, Background):
        found = per_set[key] = found.result()
    cards = card_set.cards
    return [(cards[i], cards[j], SimilarPair(i, j, jaccard, score)) for i, j, jaccard, score in found]
