"""E904: a media reference that is a path, not a bare file name.

Anki keeps all media in one folder and looks files up by name; a path like
"../images/x.png" or "figures/x.png" would escape or miss that folder on
the student's device. Put the file in cards/media/ and use its bare name.
"""

from __future__ import annotations

from typing import Iterator, Sequence

from ...model import Card
from .context import CheckContext, Finding
from .media import is_path, references

CODE = "E904"

FAILING = """\
- id: histology-slide
  front: What does this slide show? <img src="../figures/slide-7.png">
"""
PASSING = """\
- id: histology-slide
  front: What does this slide show? <img src="slide-7.png">
"""


def check_cards(ctx: CheckContext, cards: Sequence[Card]) -> Iterator[Finding]:
    for location, card_id, name in references(cards):
        if is_path(name):
            yield Finding(location, f"card '{card_id}' refers to '{name}': refer to media by bare file name "
                                    "(the file goes in cards/media/)", card_id)
