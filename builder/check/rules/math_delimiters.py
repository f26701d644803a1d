"""E420: a MathJax delimiter that opens or closes no formula.

Anki typesets ``\\(...\\)`` (inline) and ``\\[...\\]`` (display) with MathJax.
The build keeps both exactly as written; a ``\\(`` without its ``\\)`` (or a
stray ``\\]``) would instead show raw TeX, or swallow the rest of the card
into one formula. Dollar signs are ordinary text.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...text import unbalanced_math
from ...model import TEXT_FIELDS, Card
from .context import CheckContext, Finding
from .field_markers import may_hold

CODE = "E420"

FAILING = """\
- id: cardiac-output-formula
  front: How is cardiac output computed from stroke volume and heart rate?
  back: \\(CO = SV \\times HR
  topics: [physiology]
  sources: [guyton]
"""
PASSING = """\
- id: cardiac-output-formula
  front: How is cardiac output computed from stroke volume and heart rate?
  back: \\(CO = SV \\times HR\\)
  topics: [physiology]
  sources: [guyton]
"""


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    if not may_hold(cards, "\\"):
        return
    for card in cards:
        for name in TEXT_FIELDS:
            text = getattr(card, name) or ""
            if "\\" not in text:
                continue
            for offset in unbalanced_math(text):
                delimiter = text[offset:offset + 2]
                yield Finding(card.where(name),
                              f"{name} of '{card.id}': '{delimiter}' opens or closes no formula (write "
                              "\\( ... \\) or \\[ ... \\]; a literal backslash before a bracket is \\\\)",
                              card.id)
