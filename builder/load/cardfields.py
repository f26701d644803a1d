"""A card from the values of its fields: the one place both readings of a card file (cardfile.py, the
careful one, and fastcards.py, the quick one) make their cards, so that a new field is read the same way
by both."""

from __future__ import annotations

from typing import Any, Mapping

from ..model import Card, CardType, Location


def card_of(card_type: CardType, v: dict[str, Any], location: Location, positions: Mapping[str, Location]) -> Card:
    """The card of fields read against CARD_FIELDS[card_type] (both readings make their cards here)."""
    return Card(
        id=v["id"],
        type=card_type,
        topics=v.get("topics", ()),
        sources=v.get("sources", ()),
        front=v.get("front", ""),
        back=v.get("back", ""),
        text=v.get("text", ""),
        extra=v.get("extra", ""),
        scope=v.get("scope"),
        fact=v.get("fact"),
        sources_differ=v.get("sources_differ"),
        tags=v.get("tags", ()),
        location=location,
        positions=positions,
    )
