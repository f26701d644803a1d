"""E305: a scope that deck.yaml does not define.

A figure about cutaneous LMS is not a figure about all LMS; the scope
vocabulary is fixed in deck.yaml so a typo cannot blur that line.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...model import Card
from .context import CheckContext, Finding, did_you_mean

CODE = "E305"

FAILING = """\
- id: margins-dermal-minimum
  scope: dermal           # deck.yaml defines 'cutaneous-dermal'
  ...
"""
PASSING = """\
- id: margins-dermal-minimum
  scope: cutaneous-dermal
  ...
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    card_set = ctx.card_set
    known = card_set.deck.scopes
    for deck in card_set.deck.decks:
        for index, scope in enumerate(deck.scopes):
            if scope not in known:
                yield Finding(deck.where("scopes", index), f"deck '{deck.id}' selects unknown scope '{scope}'{did_you_mean(scope, known)}",
                              deck.id)


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    known = ctx.card_set.deck.scopes
    for card in cards:
        if card.scope is not None and card.scope not in known:
            defined = ", ".join(known) if known else "none"
            yield Finding(card.where("scope"), (
                f"unknown scope '{card.scope}'{did_you_mean(card.scope, known)} (deck.yaml defines: {defined})"),
                card.id)
