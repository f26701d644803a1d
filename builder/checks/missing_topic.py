"""E302: a card has no topic; it would be unreachable by topic."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Location
from .context import CheckContext

CODE = "E302"


def check(ctx: CheckContext) -> Iterator[tuple[Location, str]]:
    card_set = ctx.card_set
    for card in card_set.cards:
        if not card.topics:
            yield card.where("topics"), f"card '{card.id}' has no topic"
