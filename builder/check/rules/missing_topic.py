"""E302: a card has no topic.

Topics become tags, and students study a topic through them (a filtered
deck on tag:<namespace>::topic::margins); a card without a topic is
unreachable that way, and coverage checks cannot count it.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...model import Card
from .context import CheckContext, Finding

CODE = "E302"

FAILING = """\
- id: margins-dermal-minimum
  front: What is the minimum margin for dermal cutaneous LMS?
  back: 1 cm
  sources: [dr-oracle]
"""
PASSING = """\
- id: margins-dermal-minimum
  front: What is the minimum margin for dermal cutaneous LMS?
  back: 1 cm
  topics: [margins]
  sources: [dr-oracle]
"""


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        if not card.topics:
            yield Finding(card.where("topics"), f"card '{card.id}' has no topic", card.id)
