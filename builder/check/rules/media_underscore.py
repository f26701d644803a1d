"""W907: a media file whose name starts with an underscore.

Anki treats "_name" files as shared resources (fonts, scripts for
templates) and never replaces one a student already has: a corrected
picture under the same name would never reach them.
"""

from __future__ import annotations

from typing import Iterator, Sequence

from ...model import Card
from .context import CheckContext, Finding
from .media import references

CODE = "W907"

FAILING = """\
- id: histology-slide
  front: What does this slide show? <img src="_slide-7.png">
"""
PASSING = """\
- id: histology-slide
  front: What does this slide show? <img src="slide-7.png">
"""


def check_cards(ctx: CheckContext, cards: Sequence[Card]) -> Iterator[Finding]:
    for location, card_id, name in references(cards):
        if name.startswith("_"):
            yield Finding(location, f"card '{card_id}' refers to '{name}': students never receive a changed "
                                    "version of a media file whose name starts with '_'", card_id)
