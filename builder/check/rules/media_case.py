"""E905: media names that differ only in letter case.

Windows and macOS treat "Slide.png" and "slide.png" as one file, Linux and
Android as two: two such files, or a reference whose case differs from the
file's, show the wrong picture (or none) on some students' devices.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator, Sequence

from ...model import Card, Location
from .context import CheckContext, Finding
from .media import references

CODE = "E905"

FAILING = """\
- id: histology-slide
  front: What does this slide show? <img src="Slide-7.png">
  # ...and the file is cards/media/slide-7.png
"""
PASSING = """\
- id: histology-slide
  front: What does this slide show? <img src="slide-7.png">
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    by_folded = defaultdict(list)
    for name in sorted(ctx.media_files):
        by_folded[name.casefold()].append(name)
    for names in by_folded.values():
        for name in names[1:]:
            yield Finding(Location(f"{ctx.media_dir}/{name}"),
                          f"media files '{names[0]}' and '{name}' differ only in case", name)


def check_cards(ctx: CheckContext, cards: Sequence[Card]) -> Iterator[Finding]:
    by_folded = defaultdict(list)
    for name in sorted(ctx.media_files):
        by_folded[name.casefold()].append(name)
    for location, card_id, name in references(cards):
        matches = by_folded.get(name.casefold(), [])
        if matches and name not in matches:
            yield Finding(location, f"card '{card_id}' refers to '{name}' but the file is '{matches[0]}'", card_id)
