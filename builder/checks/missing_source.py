"""E304: a card cites no source; every fact must be traceable."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Location
from ..model import CardSet

CODE = "E304"


def check(card_set: CardSet) -> Iterator[tuple[Location, str]]:
    for card in card_set.cards:
        if not card.sources:
            yield card.where("sources"), f"card '{card.id}' cites no source"
