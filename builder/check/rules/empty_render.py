"""E406: a field that is not empty in the YAML but shows nothing on the card.

Markdown and the sanitiser can leave nothing of a field: an HTML comment
(``<!-- todo -->``), an unclosed tag that swallows the rest (``<iframe``),
a bare ``-`` (an empty list item), markup the allow-list removes. A card
whose question is blank still ships (and Anki's text importer drops it
silently); an answer or note that vanished is a card that teaches nothing.
"""

from __future__ import annotations

import html
import operator
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

_FIELDS = operator.attrgetter(*TEXT_FIELDS)
_TAG = re.compile(r"<[^>]*>")
_SHOWS_SOMETHING = re.compile(r"<img\b|\[sound:", re.IGNORECASE)


def shows_nothing(markdown: str) -> bool:
    """Whether a field's text, rendered and sanitised as the build does, shows nothing at all."""
    if not markdown.strip() or _starts_with_text(markdown) or is_plain(markdown):
        return False  # empty is E104's; plain text shows itself
    rendered = render(markdown)
    if _SHOWS_SOMETHING.search(rendered):
        return False
    return not html.unescape(_TAG.sub("", rendered)).strip()


def _starts_with_text(markdown: str) -> bool:
    """Whether the field shows at least its first character, known without rendering it.

    A field that starts with a letter starts a paragraph: no Markdown block starts so (lists, headings,
    fences, quotes, code, link definitions and HTML blocks start otherwise; a setext underline or a table
    row below it only makes it a heading or a table cell, whose text stays). Without a '<' in it, the only
    tags are Markdown's own, none of which the sanitiser drops with their content, and the letter is text
    outside any tag: it is shown. (Most non-plain fields are a sentence with some emphasis in it: rendering
    each of them was most of this rule. tests/check/test_rule_fast_paths.py holds this to the render.)"""
    return markdown[0].isalpha() and "<" not in markdown


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        for field, value in zip(TEXT_FIELDS, _FIELDS(card)):
            # (_starts_with_text written out: it answers for most fields, and this runs for every one)
            if value and (not value[0].isalpha() or "<" in value) and shows_nothing(value):
                yield Finding(card.where(field), f"'{field}' of card '{card.id}' shows nothing once rendered "
                                                 f"(an HTML comment, an unclosed tag, an empty list item?)",
                              card.id)
