"""W403: two cards ask nearly the same question.

Students answer both, so one fact is reviewed twice and the two cards drift
apart as they are edited. Compared: the content words of the questions
(Jaccard >= ``min_similarity``) and their wording (rapidfuzz token-sort
ratio >= ``min_score``), across all files, without comparing every pair.
Cards with different scopes are not compared (a dermal and a subcutaneous
card are meant to be parallel). Near-duplicates whose answers give
different figures are reported as likely contradictions instead (W702).
"""

from __future__ import annotations

from typing import Iterator

from ..grounding import figures_in
from .context import CheckContext, Finding
from .pairs import MAX_PAIRS, near_duplicates, search_stopped_at
from ...model import RULE_OPTIONS

CODE = "W403"
OPTIONS = RULE_OPTIONS[CODE]

FAILING = """\
- id: margins-dermal-minimum
  front: What is the minimum surgical margin for dermal leiomyosarcoma?
  back: 1 cm
  ...
- id: margins-dermal-margin
  front: What minimum margin is recommended for dermal leiomyosarcoma surgery?
  back: 1 cm
  ...
"""
PASSING = """\
- id: margins-dermal-minimum
  front: What is the minimum surgical margin for dermal leiomyosarcoma?
  back: 1 cm
  scope: cutaneous-dermal
  ...
- id: margins-subcutaneous-minimum
  front: What is the minimum surgical margin for subcutaneous leiomyosarcoma?
  back: 2 cm
  scope: cutaneous-subcutaneous
  ...
"""


def conflicting_figures(first, second) -> bool:
    a, b = set(figures_in(first.answer)), set(figures_in(second.answer))
    return bool(a and b and a != b)


def check(ctx: CheckContext) -> Iterator[Finding]:
    stopped = search_stopped_at(ctx.card_set, ctx.options["min_similarity"], ctx.options["min_score"], ctx.memo)
    if stopped is not None:
        field = "text" if stopped.type.value == "cloze" else "front"
        yield Finding(stopped.where(field), (
            f"the near-duplicate search stopped here: the questions resemble each other so much that past "
            f"{MAX_PAIRS:,} pairs a report helps no one; make them differ (or split the deck), then check again"),
            stopped.id)
    for first, second, pair in near_duplicates(ctx.card_set, ctx.options["min_similarity"], ctx.options["min_score"],
                                              ctx.memo):
        if conflicting_figures(first, second):
            continue  # W702's
        field = "text" if second.type.value == "cloze" else "front"
        yield Finding(second.where(field), (
            f"card '{second.id}' nearly repeats '{first.id}' ({first.where(field)}; {pair.score:.0f}% similar): "
            "merge them, or make the difference explicit in the question"), second.id)
