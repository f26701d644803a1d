"""E505: two decks share a name.

Anki matches decks by name, so two packages with one deck name pour their
cards into the same deck in a student's collection, and the focused deck
is indistinguishable from the full one.
"""

from __future__ import annotations

from typing import Iterator

from ...model import main_deck
from .context import CheckContext, Finding

CODE = "E505"

FAILING = """\
name: Leiomyosarcoma
decks:
  - id: cutaneous
    name: Leiomyosarcoma
"""
PASSING = """\
name: Leiomyosarcoma
decks:
  - id: cutaneous
    name: "Leiomyosarcoma: cutaneous"
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    deck = ctx.card_set.deck
    seen = {main_deck(deck).name.casefold(): "the main deck"}
    for definition in deck.decks:
        key = definition.name.casefold()
        if key in seen:
            yield Finding(definition.where("name"), f"deck '{definition.id}' has the same name as {seen[key]} "
                                                    f"('{definition.name}'); Anki would merge them", definition.id)
        else:
            seen[key] = f"deck '{definition.id}'"
