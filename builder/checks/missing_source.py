"""E304: a card cites no source; every fact must be traceable."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Location
from .context import CheckContext

CODE = "E304"


def check(ctx: CheckContext) -> Iterator[tuple[Location, str]]:
    card_set = ctx.card_set
    for card in card_set.cards:
        if not card.sources:
            yield card.where("sources"), f"card '{card.id}' cites no source"
