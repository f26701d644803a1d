"""E202: an id is not a lowercase slug.

Ids appear in GUIDs, tags and file names, and students quote them when they
report an error: 'margins-dermal-minimum', not 'Margins Dermal (min)'.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...model import Card, Source
from .context import CheckContext, Finding
from ...load import SLUG, SLUG_HELP, shown

CODE = "E202"

FAILING = """\
- id: Margins Dermal (min)
  ...
"""
PASSING = """\
- id: margins-dermal-minimum
  ...
"""
MAX_LENGTH = 80


def check(ctx: CheckContext) -> Iterator[Finding]:
    return _check_ids("source", ctx.card_set.sources)


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    return _check_ids("card", cards)


def _check_ids(kind: str, items: Iterable[Card | Source]) -> Iterator[Finding]:
    for item in items:
        if not SLUG.fullmatch(item.id):
            yield Finding(item.where("id"), f"{kind} id '{shown(item.id)}' is not a slug: use {SLUG_HELP}", item.id)
        elif len(item.id) > MAX_LENGTH:
            yield Finding(item.where("id"), f"{kind} id '{item.id}' is longer than {MAX_LENGTH} characters", item.id)
