"""W405: cloze numbers with a gap (c1 and c3 but no c2).

Anki makes one card per number, so a gap costs nothing technically; but it
usually means a deletion was deleted or mistyped, and the card numbers in
the student's browser skip a step.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...text import parse
from ...model import Card, CardType
from .context import CheckContext, Finding

CODE = "W405"

FAILING = """\
- id: prognosis-stages
  type: cloze
  text: Localized {{c1::63%}}, regional {{c3::36%}}.
  topics: [prognosis]
  sources: [cleveland-clinic]
"""
PASSING = """\
- id: prognosis-stages
  type: cloze
  text: Localized {{c1::63%}}, regional {{c2::36%}}.
  topics: [prognosis]
  sources: [cleveland-clinic]
"""


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        if card.type is not CardType.CLOZE:
            continue
        deletions, problems = parse(card.text)
        if problems:
            continue  # E401/E404 report malformed cloze text; its numbering means little
        numbers = {d.number for d in deletions}
        if len(numbers) == max(numbers, default=0):
            continue  # c1 to cN, each once: no gap (a deletion's number is at least 1: c0 is a problem)
        missing = sorted(set(range(1, max(numbers, default=0) + 1)) - numbers)
        if numbers and missing:
            gaps = ", ".join(f"c{n}" for n in missing)
            yield Finding(card.where("text"), f"cloze card '{card.id}' skips {gaps}: renumber the deletions "
                                              "from c1 without gaps", card.id)
