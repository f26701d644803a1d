"""E302: a card has no topic; it would be unreachable by topic."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Location
from ..model import CardSet

CODE = "E302"


def check(card_set: CardSet) -> Iterator[tuple[Location, str]]:
    for card in card_set.cards:
        if not card.topics:
            yield card.where("topics"), f"card '{card.id}' has no topic"
