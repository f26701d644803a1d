"""Turn a checked CardSet into genanki notes and a deck.

Pure transformation: no files are read or written here. The field order of
each note follows notetypes.BASIC_FIELDS / CLOZE_FIELDS exactly.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Mapping

import genanki

from . import identity
from .markup import render, sanitise
from .model import Card, CardSet, CardType, Source, SourceRef
from .notetypes import BASIC_FIELDS, CLOZE_FIELDS, NoteTypes, note_types

DISCLAIMER = "For education only: this deck is not a basis for clinical decisions."


@dataclass(frozen=True)
class CompiledDeck:
    deck: genanki.Deck
    note_types: NoteTypes
    notes: tuple[genanki.Note, ...]


def compile_card_set(card_set: CardSet) -> CompiledDeck:
    deck_spec = card_set.deck
    types = note_types(deck_spec.namespace)
    deck = genanki.Deck(
        identity.stable_id(deck_spec.namespace, "deck", "main"),
        deck_spec.name,
        description=deck_description(card_set),
    )
    sources = card_set.sources_by_id
    notes = []
    for card in card_set.cards:
        note = _note(card, card_set, sources, types)
        deck.add_note(note)
        notes.append(note)
    # Ship both note types even when a deck uses only one, so a later
    # version that adds the other type does not surprise a collection.
    for model in types:
        deck.add_model(model)
    return CompiledDeck(deck, types, tuple(notes))


def deck_description(card_set: CardSet) -> str:
    """The deck overview text in Anki: description, version, sources, disclaimer."""
    spec = card_set.deck
    cited = {ref.id for card in card_set.cards for ref in card.sources}
    items = "".join(
        f"<li>{citation(source)}</li>" for source in card_set.sources if source.id in cited
    )
    parts = [
        render(spec.description),
        f"<p><b>Version</b> {html.escape(spec.version)}</p>",
        f"<p><b>Sources</b></p><ul>{items}</ul>" if items else "",
        f"<p><i>{html.escape(DISCLAIMER)}</i></p>",
    ]
    return sanitise("\n".join(p for p in parts if p))


def citation(source: Source, section: str | None = None) -> str:
    """One source as HTML: publisher, title (linked when it has a URL), date, section."""
    title = f"<i>{html.escape(source.title)}</i>"
    if source.url:
        title = f'<a href="{html.escape(source.url, quote=True)}">{title}</a>'
    text = f"{html.escape(source.publisher)}, {title}" if source.publisher else title
    if source.date:
        text += f" ({html.escape(source.date)})"
    if section:
        text += f", section “{html.escape(section)}”"
    return text


def _sources_html(refs: tuple[SourceRef, ...], sources: Mapping[str, Source]) -> str:
    return sanitise("; ".join(citation(sources[ref.id], ref.section) for ref in refs))


def tags_for(card: Card, namespace: str) -> list[str]:
    tags = {identity.topic_tag(namespace, topic) for topic in card.topics}
    tags |= {identity.source_tag(namespace, ref.id) for ref in card.sources}
    if card.scope:
        tags.add(identity.scope_tag(namespace, card.scope))
    return sorted(tags)


def _note(card: Card, card_set: CardSet, sources: Mapping[str, Source], types: NoteTypes) -> genanki.Note:
    deck = card_set.deck
    shared = {
        "Extra": render(card.extra),
        "SourcesDiffer": render(card.sources_differ or ""),
        "Scope": html.escape(deck.scopes.get(card.scope, card.scope)) if card.scope else "",
        "Sources": _sources_html(card.sources, sources),
        "CardId": html.escape(card.id),
        "Notice": "",
    }
    if card.type is CardType.CLOZE:
        model, names = types.cloze, CLOZE_FIELDS
        values = {"Text": render(card.text), **shared}
    else:
        model, names = types.basic, BASIC_FIELDS
        values = {
            "Front": render(card.front),
            "Back": render(card.back),
            "AddReverse": "y" if card.type is CardType.REVERSED else "",
            **shared,
        }
    return genanki.Note(
        model=model,
        fields=[values[name] for name in names],
        tags=tags_for(card, deck.namespace),
        guid=identity.note_guid(deck.namespace, card.id),
    )
