"""E903: a card refers to a media file that is not in cards/media/.

The student would see a broken image (or hear nothing). Put the file in
cards/media/ under exactly that name; the build ships it with the deck.
"""

from __future__ import annotations

from typing import Iterator, Sequence

from ...model import Card
from .context import CheckContext, Finding
from .media import is_path, name_problem, references

CODE = "E903"

FAILING = """\
- id: histology-slide
  front: What does this slide show? <img src="slide-7.png">
  # ...and cards/media/ holds no slide-7.png
"""
PASSING = """\
- id: histology-slide
  front: What does this slide show? <img src="slide-7.png">
  # ...with cards/media/slide-7.png present
"""


def check_cards(ctx: CheckContext, cards: Sequence[Card]) -> Iterator[Finding]:
    files = ctx.media_files
    folded = {name.casefold() for name in files}
    for location, card_id, name in references(cards):
        if is_path(name) or name_problem(name) or name in files or name.casefold() in folded:
            continue  # other codes say what is wrong with the name
        yield Finding(location, f"card '{card_id}' refers to '{name}', which is not in cards/media/", card_id)
