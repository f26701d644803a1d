"""E909: a control character written as a character reference (&#31;, &#x0c;).

YAML refuses control characters typed into a file, but HTML can spell them
as references, and they then survive into the note: Anki's importer deletes
them (so ``java&#12;script:`` arrives in a student's collection as
``javascript:``), and U+001F is the separator between a note's fields, so a
note holding one has a field too many and Anki refuses the whole package.
The build removes them anyway; this says where they are, because the text
a student sees would differ from the YAML. Tab, line feed and carriage
return (``&#9;``, ``&#10;``, ``&#13;``) are white space and allowed.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from ...model import Card, TEXT_FIELDS
from .context import CheckContext, Finding
from .field_markers import may_hold

CODE = "E909"

FAILING = """\
- id: histology-stain
  front: Which stain is <abbr title="smooth&#31;muscle actin">SMA</abbr>?
  back: Smooth muscle actin
"""
PASSING = """\
- id: histology-stain
  front: Which stain is <abbr title="smooth muscle actin">SMA</abbr>?
  back: Smooth muscle actin
"""

# Numeric references, with or without their semicolon (browsers accept both), any number of leading zeros.
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")


def _is_control(code_point: int) -> bool:
    return code_point == 0 or (code_point < 0x20 and code_point not in (0x09, 0x0A, 0x0D)) \
        or 0x7F <= code_point <= 0x9F


def _decoded(code_point: int) -> int:
    """The character a browser (and nh3) decodes a numeric reference to: &#128; to 80-9F are read as
    Windows-1252 (the euro sign), except the five bytes it leaves undefined. (Python's html.unescape
    drops control characters instead, which no browser does.)"""
    if 0x80 <= code_point <= 0x9F:
        try:
            return ord(bytes([code_point]).decode("cp1252"))
        except UnicodeDecodeError:
            return code_point
    return code_point


def control_references(text: str) -> list[str]:
    """The references in ``text`` that spell a control character, as written."""
    if "&#" not in text:
        return []
    found = []
    for match in _NUMERIC_REFERENCE.finditer(text):
        hexadecimal, decimal = match.groups()
        digits = (hexadecimal or decimal).lstrip("0") or "0"
        if len(digits) > 8:  # beyond Unicode: U+FFFD
            continue
        if _is_control(_decoded(int(digits, 16 if hexadecimal else 10))):
            found.append(match.group())
    return found


def check(ctx: CheckContext) -> Iterator[Finding]:
    deck = ctx.card_set.deck
    for reference in control_references(deck.description)[:1]:
        yield Finding(deck.where("description"), f"deck description: {reference} is a control character; "
                                                 "Anki would delete it")


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    if not may_hold(cards, "&#"):
        return
    for card in cards:
        for field in TEXT_FIELDS:
            value = getattr(card, field) or ""
            references = control_references(value)
            if references:
                shown = ", ".join(dict.fromkeys(references))
                yield Finding(card.where(field), f"'{field}' of card '{card.id}' holds {shown}, a control "
                                                 "character Anki would delete (or, for U+001F, read as a "
                                                 "field separator): remove it", card.id)
