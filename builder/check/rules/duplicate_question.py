"""E402: two cards ask exactly the same question.

Questions are compared after folding case and whitespace, so a student would
see the two prompts as identical. (Near-duplicates are a separate check.)
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from ...model import Card, CardType
from .context import CheckContext, Finding
from .deck_index import deck_index, normalised  # noqa: F401  (normalised: the runner clears its memo)

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


def check(ctx: CheckContext) -> Iterator[Finding]:
    card_set = ctx.card_set
    questions = deck_index(card_set).questions  # each card's normalised(card.question)
    if len(set(questions)) == len(questions):
        return  # the usual case: no question twice, and no card needs looking at
    repeated = {key for key, count in Counter(questions).items() if count > 1}
    first_seen: dict[str, Card] = {}
    for card, key in zip(card_set.cards, questions):
        if key not in repeated:
            continue
        field = "text" if card.type is CardType.CLOZE else "front"
        if key in first_seen:
            first = first_seen[key]
            yield Finding(card.where(field),
                          f"card '{card.id}' asks the same question as '{first.id}' ({first.where(field)})", card.id)
        else:
            first_seen[key] = card
