"""E406: a field that is not empty in the YAML but shows nothing on the card.

Markdown and the sanitiser can leave nothing of a field: an HTML comment
(``<!-- todo -->``), an unclosed tag that swallows the rest (``<iframe``),
a bare ``-`` (an empty list item), markup the allow-list removes. A card
whose question is blank still ships (and Anki's text importer drops it
silently); an answer or note that vanished is a card that teaches nothing.
"""

from __future__ import annotations

import html
import re
from typing import Iterable, Iterator

from ...text import is_plain, render
from ...model import Card, TEXT_FIELDS
from .context import CheckContext, Finding

CODE = "E406"

FAILING = """\
- id: margins-dermal
  front: <!-- ask about the dermal margin -->
  back: 1 cm
"""
PASSING = """\
- id: margins-dermal
  front: What margin is recommended for dermal leiomyosarcoma?
  back: 1 cm
"""

_TAG = re.compile(r"<[^>]*>")
_SHOWS_SOMETHING = re.compile(r"<img\b|\[sound:", re.IGNORECASE)


def shows_nothing(markdown: str) -> bool:
    """Whether a field's text, rendered and sanitised as the build does, shows nothing at all."""
    if not markdown.strip() or is_plain(markdown):
        return False  # empty is E104's; plain text shows itself
    rendered = render(markdown)
    if _SHOWS_SOMETHING.search(rendered):
        return False
    return not html.unescape(_TAG.sub("", rendered)).strip()


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        for field in TEXT_FIELDS:
            value = getattr(card, field) or ""
            if shows_nothing(value):
                yield Finding(card.where(field), f"'{field}' of card '{card.id}' shows nothing once rendered "
                                                 f"(an HTML comment, an unclosed tag, an empty list item?)",
                              card.id)
