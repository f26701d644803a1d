"""Which markers a card file's text fields hold at all: a rule whose marker is in none of them finds nothing.

Several card-level rules look at a field only when it holds a marker: E909 a numeric reference (``&#``),
the media checks an image, a sound or a link (``<img``, ``[sound:``, ``](``), E901/W902 a tag or a link
(``<``, ``](``), E420 a backslash. Each used to visit every field of every card for it (250,000 at
50,000 cards); most files hold none of them. This scans a file's fields once, all together (C loops over
one joined text), and keeps only which markers occur, so a rule skips a file where none does and reads
its cards as before where one does.
"""

from __future__ import annotations

import itertools
import operator
from typing import Iterable

from ...model import Card, TEXT_FIELDS

# Every marker a rule asks about. None holds a NUL, the joiner: one found in the joined text is in one field.
MARKERS = ("&#", "<img", "[sound:", "](", "<", "\\")
# Each marker's first character: looking for one character is a memchr, for a longer marker many times
# slower, and text without the character holds no marker that starts with it.
_FIRST = {marker: marker[0] for marker in MARKERS}
_KNOWN = frozenset(MARKERS)

_FIELDS = operator.attrgetter(*TEXT_FIELDS)

# id(cards) -> (cards, the markers their fields hold): a file's scan, shared by its rules; held until the run
# ends (the runner's _forget_run_caches), and only for a tuple of cards, which cannot change meanwhile.
_found: dict[int, tuple[tuple[Card, ...], frozenset[str]]] = {}


def may_hold(cards: Iterable[Card], *markers: str) -> bool:
    """False when no text field of ``cards`` holds any of ``markers`` (each one of MARKERS); True when one
    may (or ``cards`` is not a tuple, which is not scanned: the caller looks at every field)."""
    if not _KNOWN.issuperset(markers):
        raise ValueError(f"not a marker scanned for: {markers}")
    if not isinstance(cards, tuple):
        return True
    found = _found.get(id(cards))
    if found is None or found[0] is not cards:
        joined = "\0".join(filter(None, itertools.chain.from_iterable(map(_FIELDS, cards))))
        first = {c for c in set(_FIRST.values()) if c in joined}
        found = _found[id(cards)] = (cards, frozenset(m for m in MARKERS if _FIRST[m] in first and m in joined))
    held = found[1]
    return any(marker in held for marker in markers)


def forget_markers() -> None:
    _found.clear()
