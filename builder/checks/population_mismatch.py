"""W608: a figure scoped to one population, supported by a sentence about another.

A card's ``scope`` says which population its figure is about. The passage of
the cited source that states the figure (see W606) must be about that
population too: "about 15,000 people receive a soft tissue sarcoma diagnosis
every year" is a figure for all soft tissue sarcomas, not for leiomyosarcoma
in general; a bullet under "Subcutaneous leiomyosarcoma:" is not about dermal
tumours. The populations are the deck's scopes: each scope is known by the
words of its id and of its title that no other scope's title uses
("cutaneous-dermal": dermal). A passage is about another population when its
sentence (with the list item it hangs under, or a table cell's labels) names
another scope that neither contains nor is contained in the card's scope
("cutaneous" contains "cutaneous-dermal"; "general" contains every scope),
and names nothing of the card's own; or, for a card about leiomyosarcoma in
general, when it speaks of
sarcomas without naming leiomyosarcoma (and not as the whole that a share is
taken of: "3% of all soft tissue sarcomas"). Option ``min_word_length``:
shorter scope words are ignored. Runs only with ``check --sources DIR``.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from ..grounding import ground_figures
from ..passages import NEIGHBOUR_WEIGHT, stem
from ..similarity import STOP_WORDS
from .context import CheckContext, Finding

CODE = "W608"
NEEDS = ("sources",)
OPTIONS = {"min_word_length": 4}

FAILING = """\
- id: epidemiology-us-soft-tissue-sarcomas-per-year
  front: About how many people in the United States are diagnosed with a soft tissue sarcoma each year?
  back: About 15,000
  scope: general           # the figure is for all soft tissue sarcomas, not LMS
  sources:
    - id: cleveland-clinic
      section: How common is leiomyosarcoma?
"""
PASSING = """\
- id: epidemiology-us-incidence
  front: About how many people in the United States develop leiomyosarcoma?
  back: About 1 in 100,000
  scope: general
  sources:
    - id: cleveland-clinic
      section: How common is leiomyosarcoma?
"""

# The disease the deck is about, and the broader class a figure may really be about.
_LMS = re.compile(r"\bleiomyosarcomas?\b|\blms\b", re.IGNORECASE)
_SARCOMA = re.compile(r"\bsarcomas?\b", re.IGNORECASE)
# "3% of all soft tissue sarcomas", "of those sarcomas": the whole a share is taken of.
_DENOMINATOR = re.compile(r"\b(?:of|among)\s+(?:all\s+|the\s+|those\s+)?(?:[a-z]+\s+){0,3}sarcomas?\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")
# Title words that name no population of their own ("People with HLRCC", "LMS of vascular origin").
_GENERIC = frozenset(stem(w) for w in "general people patients persons adults cancer cancers cell cells tumour "
                     "tumours tumor tumors disease origin hereditary syndrome".split())


def scope_words(scopes: dict[str, str], minimum: int) -> dict[str, frozenset[str]]:
    """Each scope's marker stems: its id's words, and its title's words no other title uses."""
    title_stems = {sid: {stem(w) for w in _WORD.findall(title) if w.lower() not in STOP_WORDS and len(w) >= minimum}
                   for sid, title in scopes.items()}
    shared = Counter(s for stems_ in title_stems.values() for s in stems_)
    markers = {}
    for sid, stems_ in title_stems.items():
        own = {stem(part) for part in sid.split("-") if len(part) >= minimum and part != "general"}
        markers[sid] = frozenset(own | {s for s in stems_ if shared[s] == 1} - _GENERIC)
    return markers


def _related(a: str, b: str) -> bool:
    """Whether one scope contains the other ("general" contains every scope)."""
    return a == b or "general" in (a, b) or a.startswith(b + "-") or b.startswith(a + "-")


def check(ctx: CheckContext) -> Iterator[Finding]:
    texts = ctx.source_texts
    scopes = dict(ctx.card_set.deck.scopes)
    if texts is None or not scopes:
        return
    markers = scope_words(scopes, ctx.options["min_word_length"])
    for card in ctx.card_set.cards:
        if card.scope not in scopes:
            continue
        own = frozenset().union(*(markers[s] for s in scopes if _related(s, card.scope)))
        for verdict in ground_figures(card, texts):
            if not verdict.supports or verdict.quantity.code:
                continue
            support = verdict.supports[0]
            close = {s for s, w in support.passage.context.items() if w >= NEIGHBOUR_WEIGHT}
            about = None
            if not close & own:
                others = [s for s in scopes if not _related(s, card.scope) and markers[s] & close]
                if others:
                    about = scopes[others[0]]
            sentence = support.passage.sentence
            if about is None and card.scope == "general":
                if (_SARCOMA.search(_DENOMINATOR.sub(" ", sentence)) and not _LMS.search(sentence)):
                    about = "sarcomas in general"
            if about is not None:
                yield Finding(card.where(verdict.field), (
                    f"figure {verdict.quantity.value_text()} on card '{card.id}' (scope '{card.scope}') is stated by "
                    f"{support.scope.source_id} for {about}: \"{' '.join(sentence.split())[:80]}\""), card.id)
                break
