"""W605: a card repeats a run of words from a source it cites.

Cards are written in the deck's own words: facts and figures carry over from
the sources, sentences do not. Eight or more consecutive words shared with a
cited source text (case, punctuation, figures and cloze markup ignored) are
reported. Text in quotation marks is a quotation, not copying: an official
title such as a code's name must stay verbatim. Runs only with
``check --sources DIR``.
"""

from __future__ import annotations

from typing import Iterator

from ..grounding import COPIED_RUN, word_runs
from ...model import TEXT_FIELDS
from .context import CheckContext, Finding

CODE = "W605"
NEEDS = ("sources",)

FAILING = """\
- id: margins-recurrence
  front: What is the main cause of local recurrence?
  back: Inadequate surgical margins are the main cause of local recurrence
  sources: [dr-oracle]
"""
PASSING = """\
- id: margins-recurrence
  front: What is the main cause of local recurrence of cutaneous LMS?
  back: Inadequate surgical margins
  sources: [dr-oracle]
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    texts = ctx.source_texts
    if texts is None:
        return
    for card in ctx.card_set.cards:
        cited = [texts[ref.id] for ref in card.sources if ref.id in texts]
        for field in TEXT_FIELDS:
            runs = word_runs(getattr(card, field) or "", skip_quotations=True)
            for source in cited:
                shared = runs & source.runs
                if shared:
                    sample = " ".join(min(shared))
                    yield Finding(card.where(field), (
                        f"'{field}' of card '{card.id}' repeats {COPIED_RUN}+ words of '{source.source_id}' "
                        f"(“{sample}”); say it in the deck's own words"), card.id)
                    break
