"""W804: a yes/no question.

Half the answers are right by guessing, and a student who says "yes" has
not shown what they know. Ask for the thing itself: not "Is imaging reliable
for ...?" but "What can imaging not tell apart in ...?".
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...model import Card, CardType
from ..similarity import words
from .context import CheckContext, Finding

CODE = "W804"

FAILING = """\
- id: diagnosis-imaging
  front: Can ultrasound reliably tell a benign smooth muscle tumour of the skin from a malignant one?
  back: "No"
"""
PASSING = """\
- id: diagnosis-imaging
  front: What can ultrasound, CT and MRI not reliably do for a smooth muscle tumour of the skin?
  back: Tell a benign tumour from a malignant one
"""

_AUXILIARIES = "is are was were am do does did can could should would will shall has have had may might must".split()
# The question's first word is one of them. (Its words are lower-case letters and digits, joined by spaces:
# the pattern ^(is|are|...)\b matched them just when the first word is one, whole.)
_FIRST_WORDS = frozenset((word,) for word in _AUXILIARIES)
_YES_NO = frozenset({("yes",), ("no",)})


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        if card.type is CardType.CLOZE:
            continue
        # (_AUXILIARY on the question's words, joined: it matches just when the first is one of them)
        if words(card.front)[:1] in _FIRST_WORDS or words(card.back)[:1] in _YES_NO:
            yield Finding(card.where("front"), f"'{card.id}' is a yes/no question: ask for the fact itself",
                          card.id)
