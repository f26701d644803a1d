"""E701: cards that share a ``fact`` key state different figures.

A ``fact`` key says "these cards state the same quantity" (a basic card and
a cloze on the same margin, say). When one is corrected and the other is
not, students learn two answers. The figures of each card's answer (its
back, or its cloze deletions) must be the same.
"""

from __future__ import annotations

from typing import Iterator

from ..grounding import figures_in
from .context import CheckContext, Finding

CODE = "E701"

FAILING = """\
- id: margins-dermal-minimum
  front: What is the minimum margin for dermal cutaneous LMS?
  back: 1 cm
  fact: margin-dermal
  ...
- id: margins-dermal-cloze
  type: cloze
  text: Dermal cutaneous LMS needs a margin of at least {{c1::2 cm}}.
  fact: margin-dermal
  ...
"""
PASSING = """\
- id: margins-dermal-minimum
  front: What is the minimum margin for dermal cutaneous LMS?
  back: 1 cm
  fact: margin-dermal
  ...
- id: margins-dermal-cloze
  type: cloze
  text: Dermal cutaneous LMS needs a margin of at least {{c1::1 cm}}.
  fact: margin-dermal
  ...
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    first_of: dict[str, tuple] = {}
    for card in ctx.card_set.cards:
        if not card.fact:
            continue
        figures = tuple(sorted(set(figures_in(card.answer))))
        if card.fact not in first_of:
            first_of[card.fact] = (card, figures)
            continue
        first, expected = first_of[card.fact]
        if figures != expected:
            field = "text" if card.type.value == "cloze" else "back"
            yield Finding(card.where(field), (
                f"card '{card.id}' states {', '.join(figures) or 'no figure'} for fact '{card.fact}', but "
                f"'{first.id}' ({first.where(field if first.type is card.type else 'fact')}) states "
                f"{', '.join(expected) or 'no figure'}"), card.id)
