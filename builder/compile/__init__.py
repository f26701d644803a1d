"""Stage 3, compile: a checked CardSet into note contents (fields and tags), the two note
types, the plan of what ships (compared with deck.lock), the decks each note goes into, and the
byte-for-byte reproducible .apkg.

This module is the stage's interface: what the stages above it use (docs/architecture.md).
"""

from .adopted import adopted_fields, adopted_models, adopted_specs
from .notes import NoteContent, compile_notes, deck_description, retired_tag
from .notetypes import BASIC_TEMPLATES, CLOZE_TEMPLATES, CSS, note_type_specs
from .package import build_decks, card_count, stage_package
from .reconcile import Changes, Plan, reconcile
from .selection import DeckSelection, select

__all__ = [
    "adopted_fields", "adopted_models", "adopted_specs", "BASIC_TEMPLATES", "CLOZE_TEMPLATES", "CSS", "Changes", "DeckSelection", "NoteContent", "Plan", "build_decks",
    "card_count", "compile_notes", "deck_description", "note_type_specs", "reconcile", "retired_tag", "select",
    "stage_package",
]
