"""W803: the question gives its own answer away.

A front that contains the back, a reversed card whose back contains its
front, or a cloze whose hidden answer also appears uncovered elsewhere in the
sentence: the card tests reading, not recall.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from ...text import parse
from ...model import Card, CardType
from ..similarity import STOP_WORDS, words
from .cloze_views import uncovered
from .context import CheckContext, Finding

CODE = "W803"

FAILING = """\
- id: histology-gi-spindle
  front: Are gastrointestinal leiomyosarcoma cells spindle-shaped, like most smooth muscle tumours?
  back: Spindle-shaped
"""
PASSING = """\
- id: histology-gi-spindle
  front: On histology, what shape are the cells of gastrointestinal leiomyosarcoma?
  back: Spindle-shaped
"""


def _contains(haystack: str, needle: str, folded: str | None = None) -> bool:
    """Whether the words of needle appear, in order and adjacent, in haystack (and mean something).

    ``folded``: ``haystack.casefold()``, when the caller has it (a cloze sentence is searched for each of
    its answers)."""
    needle_words = words(needle)
    if not needle_words or needle_words[0] not in (haystack.casefold() if folded is None else folded):
        return False  # cheap: the first word must at least occur as text
    if not [w for w in needle_words if w not in STOP_WORDS]:
        return False
    return f" {' '.join(needle_words)} " in f" {' '.join(words(haystack))} "


# A word as similarity.words reads one (of the casefolded text, once tags and cloze markup are gone).
_WORD = re.compile(r"[a-z0-9]+")


def _first_word_absent(needle: str, folded: str) -> bool:
    """Whether ``_contains`` would find the needle's first word absent from a haystack casefolded to
    ``folded`` (or find no word at all), known without reading all of the needle's words: most cloze
    answers are not in their sentence, and their words are read for nothing else."""
    if "<" in needle or "{{" in needle:
        return False  # words() drops markup first: let it read them
    first = _WORD.search(needle.casefold())
    return first is None or first.group() not in folded


def _uncovered(text: str) -> str:
    """The cloze sentence with every deletion replaced by a separator."""
    return uncovered(text)


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        if card.type is CardType.CLOZE:
            visible = _uncovered(card.text)
            folded = visible.casefold()
            for deletion in parse(card.text)[0]:
                if not _first_word_absent(deletion.answer, folded) and _contains(visible, deletion.answer, folded):
                    yield Finding(card.where("text"), (
                        f"cloze card '{card.id}': the answer of c{deletion.number} ('{deletion.answer}') also "
                        "appears uncovered in the sentence"), card.id)
                    break
        elif _contains(card.front, card.back):
            yield Finding(card.where("front"), f"the question of '{card.id}' contains its answer", card.id)
        elif card.type is CardType.REVERSED and _contains(card.back, card.front):
            yield Finding(card.where("back"), (
                f"the back of reversed card '{card.id}' contains its front, so the reverse card gives itself away"),
                card.id)
