"""W606: the cited section states the card's figure, but for something else.

A source gives "~98%" for dermal tumours and "~88%" for subcutaneous ones; a
card asking for the dermal survival with the answer 88% has a figure that is
on the page, yet wrong. Each figure is matched with the passage of the cited
section that carries it (the sentence, the list items it hangs under, the
cells around a table value), and the card's own words are compared with every
passage there that gives a figure of the same kind (same unit). When another
passage matches the card clearly better (its rare words: "dermal", "local
recurrence", "localized") and gives a different figure, in every cited source
that states the card's figure, the card has most likely taken the figure for
the wrong thing. A figure the card credits to one of its sources by name
("Cleveland Clinic's 63%", "98% (Dr.Oracle)") must also be that source's:
in a note comparing two pages, a figure swapped between them is on a cited
page, so only the attribution gives it away (grounding.attributed_source).
The message names what the section gives nearby.
Runs only with ``check --sources DIR``.
"""

from __future__ import annotations

from typing import Iterator

from ..grounding import distinctive, ground_figures
from ..passages import NEIGHBOUR_WEIGHT
from .context import CheckContext, Finding

CODE = "W606"
NEEDS = ("sources",)

FAILING = """\
- id: prognosis-dermal-five-year-survival
  front: What is the approximate 5-year overall survival of dermal cutaneous leiomyosarcoma?
  back: About 88%          # the section gives 88% for subcutaneous tumours, 98% for dermal ones
  sources:
    - id: dr-oracle
      section: Prognostic Factors and Risk Assessment
"""
PASSING = """\
- id: prognosis-dermal-five-year-survival
  front: What is the approximate 5-year overall survival of dermal cutaneous leiomyosarcoma?
  back: About 98%
  sources:
    - id: dr-oracle
      section: Prognostic Factors and Risk Assessment
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    texts = ctx.source_texts
    if texts is None:
        return
    from ..grounding import card_weights

    for card in ctx.card_set.cards:
        for verdict in ground_figures(card, texts):
            rival = verdict.rival
            if rival is None:
                continue
            layout = texts[rival.scope.source_id].layout
            # The supporting passage of the rival's source; for a figure credited to a source that does not
            # state it (grounding.attributed_source), the passage of the source that does.
            support = next((s for s in verdict.supports if s.scope.source_id == rival.scope.source_id),
                           verdict.supports[0])
            weights = card_weights(card, verdict.field, verdict.quantity)
            for_rival = distinctive(_close_words(rival.passage), _close(support.passage), weights, layout)
            for_card = distinctive(_close_words(support.passage), _close(rival.passage), None, layout)
            where = (f"the cited section '{rival.scope.section}'" if rival.scope.section
                     else f"{rival.scope.source_id}")
            figure = verdict.quantity.value_text()
            message = (f"figure {figure} in '{verdict.field}' of card '{card.id}': {where} gives "
                       f"{rival.quantity.value_text()}" + (f" for {' '.join(for_rival)}" if for_rival else "")
                       + f" (\"{_short(rival.passage.sentence)}\")")
            message += f", and {figure}" + (f" for {' '.join(for_card)}" if for_card else " for something else")
            yield Finding(card.where(verdict.field), message, card.id)


def _close(passage) -> set[str]:
    """What says most directly what a passage is about: its sentence, nearest parent, or table labels."""
    return {s for s, weight in passage.context.items() if weight >= NEIGHBOUR_WEIGHT}


def _close_words(passage) -> dict[str, str]:
    close = _close(passage)
    return {s: word for s, word in passage.about.items() if s in close}


def _short(sentence: str, limit: int = 70) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= limit else sentence[:limit - 1].rstrip() + "…"
