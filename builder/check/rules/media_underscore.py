"""W907: a media file whose name starts with an underscore.

Anki reserves "_name" files for note-type resources (fonts, scripts used by
templates): Tools > Check Media never reports one as unused, so it is never
cleaned up. Media ship under names made from their bytes (medianames.py), so
each corrected picture is a new file; with a leading underscore every old
version would stay in the student's collection for good.
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
            yield Finding(location, f"card '{card_id}' refers to '{name}': Anki keeps a media file whose name "
                                    "starts with '_' as a note-type resource that Check Media never removes, so "
                                    "every old version would stay in students' collections; rename it", card_id)
