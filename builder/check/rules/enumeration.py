"""W802: an answer that is a list of many items.

Lists are the hardest thing to recall as one card: students forget one item
and cannot tell which. Past a few items, make a cloze with one deletion per
item, or several cards (option ``max_items``).
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from ...model import Card, CardType, RULE_OPTIONS
from .context import CheckContext, Finding

CODE = "W802"
OPTIONS = RULE_OPTIONS[CODE]

FAILING = """\
- id: treatment-agents
  front: Which drugs are options for metastatic cutaneous leiomyosarcoma?
  back: Doxorubicin, dacarbazine, trabectedin, pazopanib, gemcitabine plus docetaxel
"""
PASSING = """\
- id: treatment-agents
  type: cloze
  text: >-
    Options for metastatic cutaneous leiomyosarcoma: {{c1::doxorubicin}},
    {{c2::dacarbazine}}, {{c3::trabectedin}}, {{c4::pazopanib}}.
"""

_MARKDOWN_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.MULTILINE)
_SEPARATOR = re.compile(r"\s*(?:[,;]|\band\b|\bor\b)\s*", re.IGNORECASE)


def items(answer: str) -> int:
    """How many items an answer lists: Markdown list items, or comma/and/or-separated parts."""
    bullets = len(_MARKDOWN_ITEM.findall(answer))
    if bullets:
        return bullets
    return len([part for part in _SEPARATOR.split(answer) if part.strip()])


def most_items(answer: str) -> int:
    """At least ``items(answer)``, from counts alone (C loops): every list item starts a line, and every part
    after the first follows a separator, which holds a ',', a ';' or an 'and' or 'or' (whose letters
    only their own two cases match, ignoring case). Most answers are a term or two: no need to split them."""
    lower = answer.lower()
    separators = answer.count(",") + answer.count(";") + lower.count("and") + lower.count("or")
    return max(answer.count("\n"), separators) + 1


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    limit = ctx.options["max_items"]
    for card in cards:
        if card.type is not CardType.CLOZE and most_items(card.back) > limit:
            count = items(card.back)
            if count > limit:
                yield Finding(card.where("back"), f"answer of '{card.id}' lists {count} items (limit {limit}): "
                                                  "use a cloze with one deletion per item, or several cards",
                              card.id)
