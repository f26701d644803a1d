"""What the deck-wide rules need to know of each card file, kept per file in the derived cache.

E402 (duplicate questions), W503 (uncited sources), E501 and W502 (topic
coverage) look at every card of the deck. After a one-card edit a fresh
``check`` visited all 50,000 cards for them again, although only one file
changed: normalising every question alone was a tenth of a second. This
module keeps, for each file, the little those rules read (its cards'
normalised questions, the sources they cite, how many cards name each
topic) in the derived cache (load/derived.py: keyed by the file's content
and this code, validated on reading, a bad entry a miss), so a fresh check
reads those summaries and merges them; the rules then look at individual
cards only to place a finding. A card set the loader did not make (preview's,
a test's) or a watch session computes the same summaries from the cards.
"""

from __future__ import annotations

import functools
import weakref
from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

from ...load import for_card_set
from ...model import Card, CardSet


@functools.lru_cache(maxsize=1 << 17)  # watch asks again after every save
def normalised(text: str) -> str:
    """E402's comparison: case and white space folded."""
    return " ".join(text.split()).casefold()


KIND = "index"
NAME = "deck-wide"


@dataclass(frozen=True)
class DeckIndex:
    questions: tuple[str, ...]  # each card's normalised question, in card order
    cited: frozenset[str]  # the source ids any card cites
    topics: Counter  # topic -> how many cards name it (once per card and topic listed)


@dataclass(frozen=True)
class _FileSummary:
    questions: list[str]
    cited: list[str]
    topics: list[list]  # [[topic, count], ...]


def _summarise(cards: Sequence[Card]) -> _FileSummary:
    topics = Counter(topic for card in cards for topic in card.topics)
    return _FileSummary([normalised(card.question) for card in cards],
                        sorted({ref.id for card in cards for ref in card.sources}),
                        [[topic, count] for topic, count in topics.items()])


def _encode(results: list[_FileSummary]) -> Any:
    (summary,) = results
    return [summary.questions, summary.cited, summary.topics]


def _decode(data: Any, cards: Sequence[Card]) -> list[_FileSummary] | None:
    if not (type(data) is list and len(data) == 3):
        return None
    questions, cited, topics = data
    if not (type(questions) is list and len(questions) == len(cards) and all(type(q) is str for q in questions)
            and type(cited) is list and all(type(s) is str for s in cited) and type(topics) is list
            and all(type(t) is list and len(t) == 2 and type(t[0]) is str and type(t[1]) is int and t[1] > 0
                    for t in topics) and len({t[0] for t in topics}) == len(topics)):
        return None
    return [_FileSummary(questions, cited, topics)]


# id(card set) -> (weak reference to it, its index): the four rules of one run share one.
_made: dict[int, tuple[weakref.ref, DeckIndex]] = {}


def deck_index(card_set: CardSet) -> DeckIndex:
    key = id(card_set)
    found = _made.get(key)
    if found is not None and found[0]() is card_set:
        return found[1]
    stored = for_card_set(card_set)
    if stored is None:
        summaries = [_summarise(card_set.cards)]
    else:
        summaries = stored.per_file(KIND, "", NAME, lambda cards: [_summarise(cards)], _encode, _decode)
        stored.flush(KIND)
    topics: Counter = Counter()
    for summary in summaries:
        topics.update(dict(summary.topics))
    index = DeckIndex(tuple(q for summary in summaries for q in summary.questions),
                      frozenset(s for summary in summaries for s in summary.cited), topics)
    _made[key] = (weakref.ref(card_set, lambda _ref, key=key: _made.pop(key, None)), index)
    return index
