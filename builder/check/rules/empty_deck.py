"""W504: a deck in deck.yaml `decks:` that selects no card.

Its filters (topics, scopes, sources) match nothing, so its package would
be empty: usually a filter that is too narrow or names the wrong scope.
"""

from __future__ import annotations

from typing import Iterator

from .context import CheckContext, Finding

CODE = "W504"

FAILING = """\
decks:
  - id: children
    name: Leiomyosarcoma in children
    scopes: [pediatric]
    topics: [genetics]        # no card is both
"""
PASSING = """\
decks:
  - id: children
    name: Leiomyosarcoma in children
    scopes: [pediatric]
"""


def _names_unknown(deck, card_set) -> bool:
    """Filters naming what does not exist are reported by E301/E303/E305; an empty result follows from them."""
    spec = card_set.deck
    return (not set(deck.topics) <= set(spec.topics) or not set(deck.scopes) <= set(spec.scopes)
            or not set(deck.sources) <= set(card_set.sources_by_id))


def check(ctx: CheckContext) -> Iterator[Finding]:
    cards = ctx.card_set.cards
    for deck in ctx.card_set.deck.decks:
        if _names_unknown(deck, ctx.card_set):
            continue
        if not any(deck.selects(c.topics, c.scope, tuple(r.id for r in c.sources)) for c in cards):
            yield Finding(deck.location, f"deck '{deck.id}' selects no card: check its topics, scopes and sources",
                          deck.id)
