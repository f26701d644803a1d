"""W604: a figure on a card appears in none of the sources the card cites.

Every number a student memorises (a percentage, a size, an age, an interval,
a code) must be traceable to the text the card cites. Runs only with
``check --sources DIR``; figures are compared as numerals, with the
sources' number words ("sixty-three", "fifth") counted as digits.
"""

from __future__ import annotations

from typing import Iterator

from ..grounding import figures_in, figures_of_sources
from ..model import TEXT_FIELDS
from .context import CheckContext, Finding

CODE = "W604"
NEEDS = ("sources",)

FAILING = """\
- id: prognosis-subcutaneous-survival
  front: What is the 5-year survival of subcutaneous cutaneous LMS?
  back: About 89%          # the cited text says ~88%
  sources: [dr-oracle]
"""
PASSING = """\
- id: prognosis-subcutaneous-survival
  front: What is the 5-year survival of subcutaneous cutaneous LMS?
  back: About 88%
  sources: [dr-oracle]
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    texts = ctx.source_texts
    if texts is None:
        return
    for card in ctx.card_set.cards:
        cited = [ref.id for ref in card.sources]
        grounded = [source_id for source_id in cited if source_id in texts]
        if not grounded:
            continue  # its sources have no text; reported once per source (W603)
        stated = figures_of_sources(texts, grounded)
        reported: set[str] = set()
        for field in TEXT_FIELDS:
            value = getattr(card, field) or ""
            for figure in figures_in(value):
                if figure not in stated and figure not in reported:
                    reported.add(figure)
                    yield Finding(card.where(field), (
                        f"figure {figure} in '{field}' of card '{card.id}' is not in its cited "
                        f"source{'s' if len(grounded) > 1 else ''} ({', '.join(grounded)})"), card.id)
