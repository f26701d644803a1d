"""W801: an answer too long to be one fact.

The minimum information principle: a back of a few words is recalled
exactly; a sentence is recalled vaguely and graded generously. Move context
to ``extra``, or split the card (option ``max_words``).
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...model import Card, CardType, RULE_OPTIONS
from ..similarity import words
from .context import CheckContext, Finding

CODE = "W801"
OPTIONS = RULE_OPTIONS[CODE]

FAILING = """\
- id: prognosis-depth
  front: What determines the prognosis of cutaneous leiomyosarcoma?
  back: >-
    Mainly its depth, because subcutaneous tumours metastasize more often and
    recur more often than dermal ones, which rarely spread at all.
"""
PASSING = """\
- id: prognosis-depth
  front: What determines the prognosis of cutaneous leiomyosarcoma?
  back: Its depth (dermal or subcutaneous)
  extra: Subcutaneous tumours metastasize and recur more often.
"""


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    limit = ctx.options["max_words"]
    for card in cards:
        if card.type is not CardType.CLOZE:
            count = len(words(card.back))
            if count > limit:
                yield Finding(card.where("back"), f"answer of '{card.id}' has {count} words (limit {limit}): keep "
                                                  "one fact, move context to 'extra'", card.id)
