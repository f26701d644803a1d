"""W812: a question that tests who said it rather than the fact.

"According to Cleveland Clinic, ...?" makes the source part of what is
learnt. Name a source in the question only where the sources disagree, and
then say so in ``sources_differ``. Reported when the question (the front, or
a cloze's sentence) names one of the card's cited sources (its publisher, or
an id of several words such as "non-uterine LMS") and the card has no
``sources_differ`` note. Option ``min_name_length``: shorter names are not
looked for (they would match ordinary words).
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from ...model import Card, RULE_OPTIONS
from .context import CheckContext, Finding

CODE = "W812"
OPTIONS = RULE_OPTIONS[CODE]

FAILING = """\
- id: prognosis-advanced-disease
  front: When is leiomyosarcoma life-threatening, according to Cleveland Clinic?
  back: When it is found only at an advanced stage
  sources: [cleveland-clinic]
"""
PASSING = """\
- id: prognosis-advanced-disease
  front: When is leiomyosarcoma life-threatening?
  back: When it is found only at an advanced stage
  sources: [cleveland-clinic]
"""


def _names(source, minimum: int) -> list[str]:
    names = []
    if source.publisher:
        names.append(source.publisher)
        names.append(re.sub(r"[^\w\s]", " ", source.publisher))
    if "-" in source.id:
        names.append(source.id.replace("-", " "))
    return [" ".join(n.lower().split()) for n in names if len(n.strip()) >= minimum]


_PUNCTUATION = re.compile(r"[^\w\s']|'s\b")


def _normal(text: str) -> str:
    return _normal_folded(text.lower().replace("’", "'"))


def _normal_folded(folded: str) -> str:
    return " " + " ".join(_PUNCTUATION.sub(" ", folded).split()) + " "


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    minimum = ctx.options["min_name_length"]
    sources = ctx.card_set.sources_by_id
    # source id -> its names, each with the form looked for and that form's first word ("" if none)
    names: dict[str, list[tuple[str, str, str]]] = {}
    for card in cards:
        if card.sources_differ:
            continue
        folded = question = None  # made when a cited source has a name to look for
        for ref in card.sources:
            source = sources.get(ref.id)
            if source is None:
                continue
            wanted = names.get(ref.id)
            if wanted is None:  # once per source, not once per citation
                forms = [(n, f" {_normal(n).strip()} ") for n in _names(source, minimum)]
                wanted = names[ref.id] = [(n, form, (form.split() or [""])[0]) for n, form in forms]
            if not wanted:
                continue
            if folded is None:
                folded = card.question.lower().replace("’", "'")
            # Each word of the normalised question is written in the folded one: a name whose first word is
            # not there is not in the question, and most questions need no normalising.
            if question is None and any(first in folded for _, _, first in wanted):
                question = _normal_folded(folded)
            named = question and next((n for n, form, _ in wanted if form in question), None)
            if named:
                yield Finding(card.where("front" if card.front else "text"), (
                    f"the question of '{card.id}' names its source ('{named}'): test the fact, and name a source "
                    "only where the sources differ (then say so in sources_differ)"), card.id)
                break
