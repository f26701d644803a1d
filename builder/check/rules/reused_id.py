"""E203: a card takes the id of a retired, purged or renamed card.

Students may still hold the old card: reusing its id would turn their
retired card back into a different one. Ids are permanent and never reused.
"""

from __future__ import annotations

from typing import Iterator

from .context import CheckContext, Finding

CODE = "E203"
NEEDS = ("lock",)

FAILING = """\
# deck.lock lists 'margins-old' as retired; a new card takes the id:
- id: margins-old
  ...
"""
PASSING = """\
- id: margins-dermal-minimum-v2
  ...
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.lock is None:
        return
    unavailable = ctx.lock.unavailable_ids()
    for card in ctx.card_set.cards:
        if card.id in unavailable:
            hint = (f"; if removing it was a mistake, run `deckbuilder unretire {card.id}`"
                    if ctx.lock.is_retired(card.id) else "")
            yield Finding(card.where("id"), (
                f"card id '{card.id}' {unavailable[card.id]}, and ids are never reused "
                f"(students may still have that card): choose a new id{hint}"), card.id)
