"""W604: a figure on a card is not stated by the part of a source the card cites.

Every number a student memorises (a percentage, a size, an age, an interval,
a rate, a ratio, a code) must be traceable to the text the card cites. Figures
are compared as quantities, not digits: the number or range, its unit and its
bound must all match ("3 cm" is not grounded by "1-3 cm", "1 mm" not by
"1 cm", "at least 2 cm" not by "up to 2 cm"; "about" and "~" do not change a
figure; a card figure without a unit is a count or an age). Number words
count: "Sixty-three of 100" states 63%, "five-year" 5 years. When a card cites
a section, the figure must be in that section. The message says what the
cited part gives instead, when it gives a figure of the same kind.
Runs only with ``check --sources DIR``.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ..grounding import ground_figures
from ...model import Card
from .context import CheckContext, Finding

CODE = "W604"
NEEDS = ("sources",)

FAILING = """\
- id: presentation-cutaneous-size
  front: How large is a cutaneous leiomyosarcoma nodule, typically?
  back: About 3 cm          # the cited section says 1-3 cm: a range, not 3 cm
  sources:
    - id: dr-oracle
      section: Clinical Presentation
"""
PASSING = """\
- id: presentation-cutaneous-size
  front: How large is a cutaneous leiomyosarcoma nodule, typically?
  back: 1–3 cm across
  sources:
    - id: dr-oracle
      section: Clinical Presentation
"""


def where_cited(scopes) -> str:
    return ", ".join(f"{s.source_id} § '{s.section}'" if s.section else s.source_id for s in scopes)


def check(ctx: CheckContext) -> Iterator[Finding]:
    texts = ctx.source_texts
    if texts is None:
        return
    yield from _check_cards(ctx.card_set.cards, texts)


def _check_cards(cards: Iterable[Card], texts) -> Iterator[Finding]:
    from ..grounding import card_scopes

    for card in cards:
        verdicts = ground_figures(card, texts)
        if not verdicts:
            continue  # its sources have no text; reported once per source (W603)
        cited = where_cited(card_scopes(card, texts))
        for verdict in verdicts:
            if verdict.supports:
                continue
            figure = verdict.quantity.value_text()
            message = f"figure {figure} in '{verdict.field}' of card '{card.id}' is not stated in {cited}"
            if verdict.nearby is not None:
                message += f", which gives {verdict.nearby.quantity.value_text()} (\"{_short(verdict.nearby.passage.sentence)}\")"
            if verdict.elsewhere is not None:
                message += (f"; {verdict.elsewhere.scope.source_id} states it elsewhere (\""
                            f"{_short(verdict.elsewhere.passage.sentence)}\"): cite that section if it is about "
                            "the same thing")
            yield Finding(card.where(verdict.field), message, card.id)


def _short(sentence: str, limit: int = 80) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= limit else sentence[:limit - 1].rstrip() + "…"
