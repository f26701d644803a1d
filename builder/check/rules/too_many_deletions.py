"""W805: a cloze card with too many deletions.

Every deletion is a card of its own, and each shows all the other answers:
past a handful, the sentence is a list to memorise rather than one fact.
Split it into several cloze cards (option ``max_deletions``).
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...text import parse
from ...model import Card, CardType, RULE_OPTIONS
from .context import CheckContext, Finding

CODE = "W805"
OPTIONS = RULE_OPTIONS[CODE]

FAILING = """\
- id: differential-all
  type: cloze
  text: >-
    Mimics: {{c1::SCC}}, {{c2::melanoma}}, {{c3::BCC}}, {{c4::metastasis}},
    {{c5::pyogenic granuloma}}, {{c6::histiocytoma}}, {{c7::neuroma}}.
  topics: [differential]
  sources: [visualdx]
"""
PASSING = """\
- id: differential-malignant
  type: cloze
  text: "Malignant mimics: {{c1::SCC}}, {{c2::melanoma}}, {{c3::BCC}}, {{c4::metastasis}}."
  topics: [differential]
  sources: [visualdx]
"""


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    limit = ctx.options["max_deletions"]
    for card in cards:
        if card.type is CardType.CLOZE and len(deletions := parse(card.text)[0]) > limit:  # (else fewer numbers)
            count = len({d.number for d in deletions})
            if count > limit:
                yield Finding(card.where("text"), f"cloze card '{card.id}' has {count} deletions (limit {limit}): "
                                                  "split it into several cards", card.id)
