"""E906: a media file name Anki would reject or change.

Anki strips characters such as : * ? " < > | from media names, stores them
in Unicode NFC form and limits their length; a reference to the original
name would then point at nothing.
"""

from __future__ import annotations

from typing import Iterator, Sequence

from ...model import Card, Location
from .context import CheckContext, Finding
from .media import is_path, name_problem, references

CODE = "E906"

FAILING = """\
- id: histology-slide
  front: What does this slide show? <img src="slide: H&E?.png">
"""
PASSING = """\
- id: histology-slide
  front: What does this slide show? <img src="slide-he.png">
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    for name in sorted(ctx.media_files):
        problem = name_problem(name)
        if problem:
            yield Finding(Location(f"{ctx.media_dir}/{name}"), f"media file name '{name}' {problem}", name)


def check_cards(ctx: CheckContext, cards: Sequence[Card]) -> Iterator[Finding]:
    for location, card_id, name in references(cards):
        problem = None if is_path(name) else name_problem(name)
        if problem:
            yield Finding(location, f"card '{card_id}' refers to '{name}', a name that {problem}", card_id)
