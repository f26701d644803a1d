"""E201: two cards, or two sources, share an id.

An id is a card's permanent identity: its Anki GUID derives from it, so two
cards with one id would overwrite each other in every student's collection.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from ...model import Location
from .context import CheckContext, Finding

CODE = "E201"

FAILING = """\
- id: margins-dermal
  front: What is the minimum margin for dermal cutaneous LMS?
  ...
- id: margins-dermal
  front: Which surgical approach is most common for dermal cutaneous LMS?
  ...
"""
PASSING = """\
- id: margins-dermal-minimum
  ...
- id: margins-dermal-approach
  ...
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    card_set = ctx.card_set
    for kind, items in (("card", card_set.cards), ("source", card_set.sources), ("deck", card_set.deck.decks)):
        ids = [item.id for item in items]
        if len(set(ids)) == len(ids):
            continue  # the usual case: no id twice, and no position needs reading
        repeated = {item_id for item_id, count in Counter(ids).items() if count > 1}
        first_seen: dict[str, Location] = {}
        for item in items:
            if item.id not in repeated:
                continue
            where = item.where("id")
            if item.id in first_seen:
                yield Finding(where, f"duplicate {kind} id '{item.id}' (first at {first_seen[item.id]}): ids are "
                                     "permanent identities; give the newer one an id of its own", item.id)
            else:
                first_seen[item.id] = where
    for deck in card_set.deck.decks:
        if deck.id == "main":
            yield Finding(deck.where("id"), "deck id 'main' is the deck named in deck.yaml itself: choose another",
                          deck.id)
