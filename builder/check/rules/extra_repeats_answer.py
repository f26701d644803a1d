"""W806: the extra field repeats the answer.

``extra`` is for context the answer does not give (why, where from, what
it is often confused with). Repeating the answer there adds reading time
and nothing to remember.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from rapidfuzz import fuzz

from ...model import Card, CardType, RULE_OPTIONS
from ..similarity import STOP_WORDS, words
from .context import CheckContext, Finding

CODE = "W806"
OPTIONS = RULE_OPTIONS[CODE]
# Partial matching costs the product of the two lengths: a 100,000-character answer against as long an
# extra took minutes. An answer that long is no short answer to repeat (W801 reports it).
MAX_ANSWER_CHARS = 300

FAILING = """\
- id: prognosis-metastasis-site
  front: Where does subcutaneous leiomyosarcoma most often metastasize?
  back: The lungs
  extra: It most often metastasizes to the lungs.
"""
PASSING = """\
- id: prognosis-metastasis-site
  front: Where does subcutaneous leiomyosarcoma most often metastasize?
  back: The lungs
  extra: Follow-up therefore includes chest imaging.
"""


# A word as similarity.words reads one (of the casefolded text, once tags and cloze markup are gone).
_WORD = re.compile(r"[a-z0-9]+")


def _joined_words(text: str) -> str:
    """``" ".join(words(text))``; for text without markup (which words() removes first), read directly:
    nothing else reads an extra's words, which would only fill words()' memo (a long text each)."""
    if "<" in text or "{{" in text:
        return " ".join(words(text))
    return " ".join(_WORD.findall(text.casefold()))


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        if card.type is CardType.CLOZE or not card.extra:
            continue
        answer_words = words(card.back)
        answer = " ".join(answer_words)
        if len(answer) > MAX_ANSWER_CHARS:
            continue
        # A one-word answer ("The skin") is bound to recur in a useful extra; only phrases count.
        meaningful = [w for w in answer_words if w not in STOP_WORDS]  # (the words of ``answer``, split)
        if len(meaningful) < 2:
            continue  # (before the extra's words: most answers are one term)
        extra = _joined_words(card.extra)
        if fuzz.partial_ratio(answer, extra, score_cutoff=ctx.options["min_score"]):
            yield Finding(card.where("extra"), f"the extra of '{card.id}' repeats its answer: use it for context",
                          card.id)
