"""Each card's piece of an export (its .tsv columns, its study sheet entry), kept per card file.

After a one-card edit, the exports of a 50,000-card deck used to be rendered
in full: about two seconds of quoting and string building for cards that did
not change. A piece made from one note is kept in the derived cache
(load/derived.py: per card file, keyed by the file's bytes, the code and a
``context`` naming what else the piece depends on), so that only the edited
file's pieces are made again; the exports join the pieces in their own order.

A kept piece is used only for the very note it was made from: it is stored
behind the note's content digest (``NoteContent.digest``: its note type, its
adopted note type, every field and the tags) and used only when that digest
is the note's now; anything else (another build's note, a planted or damaged
entry, a note not loaded from a card file, such as a tombstone) is made
afresh. The exports are therefore the same text whichever way a piece came.
"""

from __future__ import annotations

from typing import Callable, Mapping

from ..compile import NoteContent
from ..model import Card, CardSet

Make = Callable[["Card | None", NoteContent], str]  # the .tsv's needs no card


class Pieces:
    """``make(card, content)`` for each loaded card's note, kept per card file; see the module's note."""

    def __init__(self, card_set: CardSet, kind: str, context: str, contents: Mapping[str, NoteContent],
                 make: Make) -> None:
        from ..load import for_card_set

        self._make = make
        self._kept: dict[str, str] = {}
        stored = for_card_set(card_set)
        if stored is None:  # not the loader's card set (a test's, preview's): everything is made
            return

        def keep(card: Card) -> str:
            content = contents.get(card.id)
            return "" if content is None else f"{content.digest()}\x00{make(card, content)}"

        texts = stored.card_texts(kind, context, keep)
        self._kept = {card.id: texts[id(card)] for card in card_set.cards}

    def __call__(self, card: Card | None, content: NoteContent) -> str:
        """The piece of ``content`` (with ``card``, the card it was compiled from, when there is one)."""
        kept = self._kept.get(content.card_id)
        if kept:
            digest, separator, piece = kept.partition("\x00")
            if separator and digest == content.digest():
                return piece
        return self._make(card, content)
