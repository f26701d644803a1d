"""W703: a card cites several sources that disagree on its figure, without saying so.

Runs with ``check --sources DIR``. For a card citing two or more sources
with text, every figure of its answer is looked up in each of them: a figure
found in one cited source but not in another means either the sources
disagree (say so in ``sources_differ``) or one of them does not support the
figure (cite only the one that does). A source the extra names next to a
figure of its own ("Contrast: Cleveland Clinic's 63% for LMS as a whole") is
cited for that contrast, and is not asked to state the answer's figure.
"""

from __future__ import annotations

from typing import Iterator

from ..grounding import attributed_source, figures_in, states_anywhere
from ..quantities import quantities
from .context import CheckContext, Finding

CODE = "W703"
NEEDS = ("sources",)

FAILING = """\
- id: epidemiology-share
  front: What share of soft tissue sarcomas are leiomyosarcomas?
  back: 10–20%
  sources: [cleveland-clinic, non-uterine-lms]   # the second says 7–11%
  ...
"""
PASSING = """\
- id: epidemiology-share
  front: What share of soft tissue sarcomas are leiomyosarcomas?
  back: 10–20% per Cleveland Clinic; 7–11% per the non-uterine LMS page
  sources_differ: Cleveland Clinic gives 10–20%; the non-uterine LMS page gives 7–11%.
  sources: [cleveland-clinic, non-uterine-lms]
  ...
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    texts = ctx.source_texts
    if texts is None:
        return
    for card in ctx.card_set.cards:
        cited = [ref.id for ref in card.sources if ref.id in texts]
        if len(cited) < 2 or card.sources_differ:
            continue
        # A source the extra credits by name with a figure of its own is cited for that contrast, not for
        # the answer ("Contrast: Cleveland Clinic's 63% for LMS as a whole" on a skin-survival card).
        contrasted = contrast_sources(card, texts, cited)
        cited = [s for s in cited if s not in contrasted]
        if len(cited) < 2:
            continue
        gaps = []
        for figure in dict.fromkeys(figures_in(card.answer)):
            having = [s for s in cited if figure in texts[s].figures]
            if having and len(having) < len(cited):
                lacking = [s for s in cited if s not in having]
                gaps.append(f"{figure} is in {', '.join(having)} but not in {', '.join(lacking)}")
        if gaps:
            field = "text" if card.type.value == "cloze" else "back"
            yield Finding(card.where(field), (
                f"card '{card.id}' cites sources that do not agree on its figures ({'; '.join(gaps)}): add a "
                "sources_differ note, or cite only the source that states the figure"), card.id)


def contrast_sources(card, texts, cited: list[str]) -> set[str]:
    """Cited sources that the card's extra names next to a figure that source states."""
    found = set()
    for q in quantities(card.extra or "", words_need_unit=True):
        named = attributed_source(card.extra, q, texts, cited)
        if named is not None and states_anywhere(texts[named], q):
            found.add(named)
    return found
