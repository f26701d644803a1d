"""E304: a card cites no source; every fact must be traceable."""

from __future__ import annotations

from typing import Iterator

from .context import CheckContext, Finding

CODE = "E304"


def check(ctx: CheckContext) -> Iterator[Finding]:
    card_set = ctx.card_set
    for card in card_set.cards:
        if not card.sources:
            yield Finding(card.where("sources"), f"card '{card.id}' cites no source", card.id)
