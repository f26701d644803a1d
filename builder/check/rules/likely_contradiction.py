"""W702: two cards ask nearly the same question but give different figures.

If both are about the same population, at most one can be right; if they
are about different populations, their ``scope`` should say so (cards with
different scopes are not compared). Pairs are found as for W403.
"""

from __future__ import annotations

from typing import Iterator

from ..grounding import figures_in
from .context import CheckContext, Finding
from .near_duplicate import conflicting_figures
from .pairs import near_duplicates
from ...model import RULE_OPTIONS

CODE = "W702"
OPTIONS = RULE_OPTIONS[CODE]

FAILING = """\
- id: prognosis-localized-survival
  front: What is the five-year survival of localized leiomyosarcoma?
  back: 63%
  ...
- id: prognosis-local-survival
  front: What is five-year survival in localized leiomyosarcoma?
  back: 36%
  ...
"""
PASSING = """\
- id: prognosis-localized-survival
  front: What is the five-year survival of localized leiomyosarcoma?
  back: 63%
  ...
- id: prognosis-regional-survival
  front: What is the five-year survival of regional leiomyosarcoma?
  back: 36%
  ...
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    for first, second, pair in near_duplicates(ctx.card_set, ctx.options["min_similarity"], ctx.options["min_score"],
                                              ctx.memo):
        if conflicting_figures(first, second):
            field = "text" if second.type.value == "cloze" else "back"
            yield Finding(second.where(field), (
                f"cards '{first.id}' ({first.where(field)}) and '{second.id}' ask nearly the same question "
                f"({pair.score:.0f}% similar) but give different figures ({', '.join(figures_in(first.answer))} "
                f"vs {', '.join(figures_in(second.answer))}): a likely contradiction. If they are about different "
                "populations, give them different scopes"), second.id)
