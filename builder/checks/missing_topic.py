"""E302: a card has no topic; it would be unreachable by topic."""

from __future__ import annotations

from typing import Iterator

from .context import CheckContext, Finding

CODE = "E302"


def check(ctx: CheckContext) -> Iterator[Finding]:
    card_set = ctx.card_set
    for card in card_set.cards:
        if not card.topics:
            yield Finding(card.where("topics"), f"card '{card.id}' has no topic", card.id)
