"""E303: a card cites a source id that sources.yaml does not define.

Usually a typo. The card could not show its citation, and its figures could
not be grounded in the source's text.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...model import Card
from .context import CheckContext, Finding, did_you_mean

CODE = "E303"

FAILING = """\
- id: margins-dermal-minimum
  sources: [droracle]     # sources.yaml defines 'dr-oracle'
  ...
"""
PASSING = """\
- id: margins-dermal-minimum
  sources: [dr-oracle]
  ...
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    card_set = ctx.card_set
    known = {source.id for source in card_set.sources}
    for deck in card_set.deck.decks:
        for index, source_id in enumerate(deck.sources):
            if source_id not in known:
                yield Finding(deck.where("sources", index),
                              f"deck '{deck.id}' selects unknown source '{source_id}'{did_you_mean(source_id, known)}",
                              deck.id)


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    known = ctx.card_set.sources_by_id
    for card in cards:
        for index, ref in enumerate(card.sources):
            if ref.id not in known:
                yield Finding(card.where("sources", index), f"unknown source '{ref.id}' (not in sources.yaml)"
                                                                 f"{did_you_mean(ref.id, known)}",
                              card.id)
