"""W807: a reversed card whose back is not a short term.

The reverse card shows the back and asks for the front. That works for a
term and its meaning (HLRCC / hereditary leiomyomatosis and renal cell
cancer); a sentence on the back makes a vague question with many right
answers (option ``max_words``).
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...model import Card, CardType, RULE_OPTIONS
from ..similarity import words
from .context import CheckContext, Finding

CODE = "W807"
OPTIONS = RULE_OPTIONS[CODE]

FAILING = """\
- id: margins-dermal-reversed
  type: reversed
  front: Minimum margin for dermal cutaneous leiomyosarcoma
  back: At least one centimetre of normal tissue all around the tumour
"""
PASSING = """\
- id: genetics-fh-abbreviation
  type: reversed
  front: FH (gene)
  back: Fumarate hydratase
"""


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    limit = ctx.options["max_words"]
    for card in cards:
        if card.type is CardType.REVERSED:
            count = len(words(card.back))
            if count > limit:
                yield Finding(card.where("back"), (
                    f"reversed card '{card.id}' has a {count}-word back (limit {limit}): the reverse card would "
                    "ask a vague question; make it a basic card, or shorten the back to a term"), card.id)
