"""E402: two cards ask exactly the same question.

Questions are compared after folding case and whitespace, so a student would
see the two prompts as identical. (Near-duplicates are a separate check.)
"""

from __future__ import annotations

import functools
from typing import Iterator

from ...model import Card, CardType
from .context import CheckContext, Finding

CODE = "E402"

FAILING = """\
- id: margins-dermal-minimum
  front: What is the minimum margin for dermal cutaneous LMS?
  ...
- id: margins-dermal-margin
  front: what is the minimum margin for  dermal cutaneous LMS?
  ...
"""
PASSING = """\
- id: margins-dermal-minimum
  front: What is the minimum margin for dermal cutaneous LMS?
  ...
"""


@functools.lru_cache(maxsize=1 << 17)  # watch asks again after every save
def normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def check(ctx: CheckContext) -> Iterator[Finding]:
    card_set = ctx.card_set
    first_seen: dict[str, Card] = {}
    for card in card_set.cards:
        key = normalised(card.question)
        field = "text" if card.type is CardType.CLOZE else "front"
        if key in first_seen:
            first = first_seen[key]
            yield Finding(card.where(field),
                          f"card '{card.id}' asks the same question as '{first.id}' ({first.where(field)})", card.id)
        else:
            first_seen[key] = card
