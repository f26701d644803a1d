"""W607: a card cites a section that its source text does not have.

A section locator narrows where a card's figures must be found; one that
names no heading of the source text ("Synopsis" where the capture lost its
headings, "Paragraph on GISTs") cannot be checked, so the card's figures are
checked against the whole text instead, and this warning says so. Cite a
heading as the text writes it (case and punctuation do not matter). The
message suggests the closest heading. Runs only with ``check --sources DIR``.
"""

from __future__ import annotations

import difflib
from typing import Iterator

from ..passages import normal_heading
from .context import CheckContext, Finding

CODE = "W607"
NEEDS = ("sources",)

FAILING = """\
- id: margins-dermal-minimum
  front: What is the minimum recommended surgical margin for dermal cutaneous leiomyosarcoma?
  back: 1 cm
  sources:
    - id: dr-oracle
      section: Treatment guidelines       # the text's heading is "Treatment Recommendations"
"""
PASSING = """\
- id: margins-dermal-minimum
  front: What is the minimum recommended surgical margin for dermal cutaneous leiomyosarcoma?
  back: 1 cm
  sources:
    - id: dr-oracle
      section: Treatment Recommendations
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    texts = ctx.source_texts
    if texts is None:
        return
    for card in ctx.card_set.cards:
        for index, ref in enumerate(card.sources):
            text = texts.get(ref.id)
            if not ref.section or text is None or text.layout is None:
                continue
            layout = text.layout
            if layout.section(ref.section) is not None:
                continue
            headings = {normal_heading(line): line.strip() for line in layout.lines
                        if line.strip() and len(line.split()) <= 12}
            close = difflib.get_close_matches(normal_heading(ref.section), list(headings), n=1, cutoff=0.6)
            hint = f" (did you mean '{headings[close[0]]}'?)" if close else ""
            yield Finding(card.where("sources", index), (
                f"section '{ref.section}' cited by card '{card.id}' is not a heading of {ref.id}'s text{hint}; "
                "its figures are checked against the whole text"), card.id)
