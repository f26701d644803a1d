"""E304: a card cites no source.

Every fact on a medical card must be traceable to the text it came from:
the card shows its citations, and grounding checks compare its figures
with them. Cite the source id, ideally with the section.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...model import Card
from .context import CheckContext, Finding

CODE = "E304"

FAILING = """\
- id: margins-dermal-minimum
  front: What is the minimum margin for dermal cutaneous LMS?
  back: 1 cm
  topics: [margins]
"""
PASSING = """\
- id: margins-dermal-minimum
  front: What is the minimum margin for dermal cutaneous LMS?
  back: 1 cm
  topics: [margins]
  sources:
    - id: dr-oracle
      section: Treatment Recommendations
"""


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        if not card.sources:
            yield Finding(card.where("sources"), f"card '{card.id}' cites no source", card.id)
