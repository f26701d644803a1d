"""E404: malformed cloze markup in a card that otherwise has deletions.

Unbalanced braces, ``{{c0::``, ``{{c1:answer}}`` (one colon), empty or
nested deletions: Anki shows such text literally or drops the deletion, and
older clients render nested deletions differently. (A cloze card with no
valid deletion at all is E401.)
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...text import parse
from ...model import Card, CardType
from .context import CheckContext, Finding

CODE = "E404"

FAILING = """\
- id: surveillance-dermal
  type: cloze
  text: Follow-up every {{c1::4–6 months}} for the first {{c2:3–5 years}.
  topics: [surveillance]
  sources: [dr-oracle]
"""
PASSING = """\
- id: surveillance-dermal
  type: cloze
  text: Follow-up every {{c1::4–6 months}} for the first {{c2::3–5 years}}.
  topics: [surveillance]
  sources: [dr-oracle]
"""


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        if card.type is not CardType.CLOZE:
            continue
        deletions, problems = parse(card.text)
        if deletions:  # without any, E401 reports the card
            for problem in problems:
                yield Finding(card.where("text"), f"cloze card '{card.id}': {problem.message}", card.id)
