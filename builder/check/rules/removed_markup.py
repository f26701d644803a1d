"""W902: markup in a field that the build will remove.

Only a safe allow-list of HTML reaches Anki (emphasis, lists, tables, sub-
and superscript, code, links, local images). Anything else (<font>, <u
style=...>, class= attributes) is stripped, which can change what a card
says, for instance a coloured word that carried the answer.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...model import Card
from .context import CheckContext, Finding
from .unsafe_html import card_issues, description_issues

CODE = "W902"

FAILING = """\
- id: histology-stain
  front: Which stain is <font color="red">positive</font> in cutaneous leiomyosarcoma?
  back: Smooth muscle actin
"""
PASSING = """\
- id: histology-stain
  front: Which stain is **positive** in cutaneous leiomyosarcoma?
  back: Smooth muscle actin
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    return description_issues(ctx, unsafe=False)


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    return card_issues(cards, unsafe=False)
