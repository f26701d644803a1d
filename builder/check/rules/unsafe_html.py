"""E901: markup in a field that could run code or load something in Anki.

Anki shows fields as HTML in a web view that can reach its internal API, so
a shared deck is an attack surface. Scripts, event handlers (onclick=...),
javascript:/data: URLs, frames, forms, embedded objects, <style> and
remote resources (an <img> from the web, which also tracks who studies)
are refused. The build's sanitiser would remove them anyway; this tells
you before a student sees a card that lost part of its content.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...text import scan, to_html
from ...model import Card, TEXT_FIELDS
from .context import CheckContext, Finding
from .field_markers import may_hold

CODE = "E901"

FAILING = """\
- id: histology-figure
  front: What does this section show? <img src="https://example.org/slide.png">
  back: Spindle cells
"""
PASSING = """\
- id: histology-figure
  front: What does this section show? <img src="slide-spindle-cells.png">
  back: Spindle cells
  # ...with the file in cards/media/slide-spindle-cells.png
"""


def description_issues(ctx: CheckContext, unsafe: bool) -> Iterator[Finding]:
    """The deck description's HTML issues of one kind (unsafe, or merely removed)."""
    deck = ctx.card_set.deck
    for issue in scan(to_html(deck.description))[0]:
        if issue.unsafe is unsafe:
            yield Finding(deck.where("description"), f"deck description: {issue.message}")


def card_issues(cards: Iterable[Card], unsafe: bool) -> Iterator[Finding]:
    """The cards' HTML issues of one kind."""
    if not may_hold(cards, "<", "]("):
        return
    for card in cards:
        for field in TEXT_FIELDS:
            value = getattr(card, field) or ""
            if "<" in value or "](" in value:
                for issue in scan(to_html(value))[0]:
                    if issue.unsafe is unsafe:
                        yield Finding(card.where(field), f"'{field}' of card '{card.id}': {issue.message}", card.id)


def check(ctx: CheckContext) -> Iterator[Finding]:
    return description_issues(ctx, unsafe=True)


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    return card_issues(cards, unsafe=True)
