"""E206: a card switched between cloze and basic (or reversed).

Cloze and basic cards are different Anki note types, and Anki cannot change
the note type of a note a student already has: the update would be dropped
as "conflicting". (Basic and reversed share a note type, so that switch is
fine; in a deck made by ``deckbuilder import`` it is not: the adopted basic
and reversed note types are two, and a card may not move from one adopted
note type to another either, see adopted.py.) Give the new card a new id;
the old one is then retired.
"""

from __future__ import annotations

from typing import Iterator

from ...model import CardType
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
        locked = ctx.lock.card_kind(card.id)
        if locked is None:
            continue
        locked_notetype, locked_adopted = locked
        notetype = "cloze" if card.type is CardType.CLOZE else "basic"
        if locked_notetype != notetype:
            yield Finding(card.where("type"), (
                f"card '{card.id}' was released as a {locked_notetype} card and is now {card.type.value}; "
                "Anki cannot change a note's type on re-import, so students would never get this version. "
                "Keep the type, or give the card a new id (the old one will be retired)"), card.id)
        elif ctx.card_set.deck.adopted is not None:
            adopted = ctx.card_set.deck.adopted.for_card(card.id, card.type)
            key = adopted.key if adopted else ""
            if key != locked_adopted:
                was = locked_adopted.removeprefix("adopted-") or "deckbuilder's own"
                now = key.removeprefix("adopted-") or "deckbuilder's own"
                yield Finding(card.where("type"), (
                    f"card '{card.id}' was released on the note type '{was}' and would now ship on "
                    f"'{now}' (deck.yaml `adopted:`: its type, "
                    "or the `cards:` lists); Anki cannot change a note's type on re-import, so students would "
                    "never get this version. Keep it where it was, or give the card a new id (the old one will "
                    "be retired)"), card.id)
