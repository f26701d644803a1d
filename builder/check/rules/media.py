"""Media references: shared by the media checks (E903-W907).

A card refers to a picture or a sound by its bare file name
(<img src="x.png">, [sound:x.mp3]); the file lives in cards/media/ and the
build ships it in the package.
"""

from __future__ import annotations

import unicodedata
from typing import Sequence

from ...model import Card, Location, TEXT_FIELDS
from ...text import media_references, to_html
from .field_markers import may_hold

# Characters Anki will not keep in a media file name, and its length limit.
FORBIDDEN = set('/\\:*?"<>|') | {chr(c) for c in range(32)} | {"\x7f"}
MAX_NAME_BYTES = 120


def references(cards: Sequence[Card]) -> list[tuple[Location, str, str]]:
    """(location, card id, file name) of every media reference in ``cards`` (found once per run)."""
    cached = _found.get(id(cards))
    if cached is not None and cached[0] is cards:
        return cached[1]
    found = []
    for card in cards if may_hold(cards, "<img", "[sound:", "](") else ():
        for field in TEXT_FIELDS:
            value = getattr(card, field) or ""
            if "<img" in value or "[sound:" in value or "](" in value:
                found += [(card.where(field), card.id, name) for name in media_references(to_html(value))]
    _found[id(cards)] = (cards, found)
    return found


# id(cards) -> (cards, their references): the five media checks share one scan. Held until the run ends.
_found: dict[int, tuple[Sequence[Card], list]] = {}


def forget_references() -> None:
    _found.clear()


def is_path(name: str) -> bool:
    return "/" in name or "\\" in name or name.startswith(".")


def name_problem(name: str) -> str | None:
    bad = sorted(set(name) & FORBIDDEN)
    if bad:
        return f"contains {', '.join(repr(c) for c in bad)}"
    if unicodedata.normalize("NFC", name) != name:
        return "is not in Unicode NFC form (Anki would rename it)"
    if len(name.encode()) > MAX_NAME_BYTES:
        return f"is longer than {MAX_NAME_BYTES} bytes"
    if not name.strip():
        return "is empty"
    return None
