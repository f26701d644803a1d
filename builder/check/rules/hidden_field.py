"""W911: a card on an adopted note type has a field its note type cannot show.

A deck made by ``deckbuilder import`` ships its cards on the note types
students already have (deck.yaml ``adopted:``), which hold two fields: front
and back, or a cloze's text and extra. What a card says besides (``extra`` of
a basic or reversed card, ``sources_differ``, ``scope``) would reach no
student. Move it into the back (or the cloze's extra), or leave it out.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...model import Card, CardType
from .context import CheckContext, Finding

CODE = "W911"

# Both examples are read in a deck whose deck.yaml adopts a basic note type (README, "Importing an Anki deck").
FAILING = """\
- id: capital-of-france
  front: What is the capital of France?
  back: Paris
  extra: On the Seine.
  topics: [capitals]
  sources: [imported]
"""
PASSING = """\
- id: capital-of-france
  front: What is the capital of France?
  back: Paris, on the Seine
  topics: [capitals]
  sources: [imported]
"""


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    adoption = ctx.card_set.deck.adopted
    if adoption is None:
        return
    for card in cards:
        notetype = adoption.for_card(card.id, card.type)
        if notetype is None:
            continue
        hidden = [name for name in ("extra", "sources_differ", "scope")
                  if getattr(card, name) and not (name == "extra" and card.type is CardType.CLOZE)]
        for name in hidden:
            yield Finding(card.where(name), (
                f"card '{card.id}' has '{name}', but it ships on the adopted note type '{notetype.name}', whose "
                f"two fields ({', '.join(notetype.fields)}) cannot show it: students would never see it. Put it "
                "in the back (a cloze's extra), or leave it out"), card.id)
