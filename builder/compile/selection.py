"""Which notes go into which deck: the main deck, focused decks, and topic subdecks.

Every deck is cut from the same planned notes, so a card in two decks is
the same note in both packages: same GUID, same mtime, same note id. A
retired card's tombstone goes to the decks that held the card, because the
lock remembers the card's topics, scope and sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..model import DeckDefinition
from .reconcile import Plan, ShippedNote


@dataclass(frozen=True)
class PlacedNote:
    position: int  # index in the plan: fixes the note's and its cards' ids in every package
    note: ShippedNote
    deck_name: str  # the Anki deck (or topic subdeck) it goes into


@dataclass(frozen=True)
class DeckSelection:
    definition: DeckDefinition
    file_stem: str  # output/<file_stem>.apkg, .tsv, .html, .md
    notes: tuple[PlacedNote, ...]


def file_stem(namespace: str, definition: DeckDefinition) -> str:
    return namespace if definition.id == "main" else f"{namespace}-{definition.id}"


def subdeck_name(definition: DeckDefinition, topic: str, topic_titles: Mapping[str, str]) -> str:
    # "::" in a title would make deeper levels than intended.
    title = topic_titles.get(topic, topic).replace("::", ":")
    return f"{definition.name}::{title}"


def select(plan: Plan, definition: DeckDefinition, namespace: str, topic_titles: Mapping[str, str]) -> DeckSelection:
    placed = []
    for position, note in enumerate(plan.notes):
        where = note.content.placement
        if not definition.selects(where.topics, where.scope, where.sources):
            continue
        name = definition.name
        if definition.split_by_topic and where.topics:
            name = subdeck_name(definition, where.topics[0], topic_titles)
        placed.append(PlacedNote(position, note, name))
    return DeckSelection(definition, file_stem(namespace, definition), tuple(placed))
