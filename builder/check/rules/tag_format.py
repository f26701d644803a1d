"""E908: a card tag Anki cannot store as written.

Anki tags cannot contain spaces (a space separates tags), and '::' builds a
hierarchy, so an empty part ("exam::::step1", "::high-yield") makes a
nameless level. Extra tags from a card's ``tags:`` list land under
``<namespace>::tag::``.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from ...model import Card
from .context import CheckContext, Finding

CODE = "E908"

FAILING = """\
- id: margins-dermal
  tags: [high yield, "exam::::step1"]
"""
PASSING = """\
- id: margins-dermal
  tags: [high-yield, "exam::step1"]
"""

_BAD_CHARACTER = re.compile(r'[\s"\x00-\x1f\x7f]')


def problem(tag: str) -> str | None:
    if _BAD_CHARACTER.search(tag):
        return "contains a space, quote or control character"
    if any(not part for part in tag.split("::")):
        return "has an empty '::' level"
    return None


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        for index, tag in enumerate(card.tags):
            why = problem(tag)
            if why:
                yield Finding(card.where("tags", index), f"tag '{tag}' of card '{card.id}' {why}", card.id)
