"""E206: a card switched between cloze and basic (or reversed).

Cloze and basic cards are different Anki note types, and Anki cannot change
the note type of a note a student already has: the update would be dropped
as "conflicting". (Basic and reversed share a note type, so that switch is
fine; in a deck made by ``deckbuilder import`` it is not, because the adopted
basic and reversed note types are two: see adopted.py.) Give the new card a
new id; the old one is then retired.
"""

from __future__ import annotations

from typing import Iterator

from ..model import CardType
from .context import CheckContext, Finding

CODE = "E206"
NEEDS = ("lock",)

FAILING = """\
# released as a basic card...
- id: margins-dermal-minimum
  type: cloze
  text: Dermal tumours need at least {{c1::1 cm}}.
"""
PASSING = """\
- id: margins-dermal-minimum-cloze     # a new id; the basic card is retired
  type: cloze
  text: Dermal tumours need at least {{c1::1 cm}}.
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.lock is None:
        return
    for card in ctx.card_set.cards:
        locked = ctx.lock.cards.get(card.id)
        notetype = "cloze" if card.type is CardType.CLOZE else "basic"
        if locked is not None and locked.notetype != notetype:
            yield Finding(card.where("type"), (
                f"card '{card.id}' was released as a {locked.notetype} card and is now {card.type.value}; "
                "Anki cannot change a note's type on re-import, so students would never get this version. "
                "Keep the type, or give the card a new id (the old one will be retired)"), card.id)
        elif (locked is not None and notetype == "basic" and ctx.card_set.deck.adopted is not None
              and locked.reverse != (card.type is CardType.REVERSED)
              and ctx.card_set.deck.adopted.for_type(card.type) is not None):
            was = "reversed" if locked.reverse else "basic"
            yield Finding(card.where("type"), (
                f"card '{card.id}' was released as a {was} card and is now {card.type.value}; in a deck imported "
                "from Anki these are two note types (deck.yaml `adopted:`), and Anki cannot change a note's type "
                "on re-import. Keep the type, or give the card a new id (the old one will be retired)"), card.id)
