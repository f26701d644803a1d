"""E401: a cloze card without a single valid {{cN::...}} deletion.

genanki writes such a note with no cards at all, and Anki will not create
one on import: the card would silently never reach a student.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...text import parse
from ...model import Card, CardType
from .context import CheckContext, Finding

CODE = "E401"

FAILING = """\
- id: margins-dermal
  type: cloze
  text: Dermal tumours need a margin of 1 cm.
  topics: [margins]
  sources: [dr-oracle]
"""
PASSING = """\
- id: margins-dermal
  type: cloze
  text: Dermal tumours need a margin of {{c1::1 cm}}.
  topics: [margins]
  sources: [dr-oracle]
"""


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        if card.type is not CardType.CLOZE:
            continue
        deletions, problems = parse(card.text)
        if not deletions:
            why = f" ({problems[0].message})" if problems else ""
            yield Finding(card.where("text"),
                          f"cloze card '{card.id}' has no deletion such as {{{{c1::answer}}}}{why}: Anki would "
                          "make no card of it; wrap the words to hide in {{c1::...}}, or make it a basic card",
                          card.id)
