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
and names nothing of the card's own (groups named only together, "among
adults and children", are everyone, not one population); or, for a card about the deck's disease
in general, when it speaks of a broader class (a word the disease's name
ends with: "leiomyosarcoma" is a sarcoma) without naming the disease, and
not as the whole that a share is taken of ("3% of all soft tissue
sarcomas"). The disease's names come from the deck's name, its "general"
scope and the abbreviation its scope titles share ("LMS"). Option
``min_word_length``:
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
from ...model import RULE_OPTIONS

CODE = "W608"
NEEDS = ("sources",)
OPTIONS = RULE_OPTIONS[CODE]

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

_WORD = re.compile(r"[A-Za-z]+")
# "3% of all soft tissue sarcomas", "among adults": the whole a share is taken of, not what the figure is about.
_DENOMINATOR = re.compile(r"\b(?:of|among)\s+(?:all\s+|the\s+|those\s+)?(?:[a-z]+\s+){0,3}(?P<noun>[a-z]+)\b",
                          re.IGNORECASE)


def disease_words(deck) -> frozenset[str]:
    """The words that name what the deck is about, and the broader classes they belong to.

    From the deck's name and its "general" scope ("Leiomyosarcoma", "Leiomyosarcoma in general") and the
    abbreviation its scope titles share ("LMS"); a broader class is a word the disease's name ends with
    ("leiomyosarcoma" is a sarcoma, "adenocarcinoma" a carcinoma).
    """
    titles = list(deck.scopes.values())
    named = _WORD.findall(deck.name) + _WORD.findall(deck.scopes.get("general", ""))
    names = {w.lower() for w in named if len(w) >= 5 and w.lower() not in STOP_WORDS and w.lower() != "general"}
    abbreviations = Counter(w for title in titles for w in set(_WORD.findall(title)) if w.isupper() and len(w) > 1)
    names |= {w.lower() for w, n in abbreviations.items() if n >= 2}
    return frozenset(names)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 4 else word


def broader_class(sentence: str, names: frozenset[str]) -> str | None:
    """A class the disease belongs to that the sentence speaks of, without naming the disease itself."""
    words = [w.lower() for w in _WORD.findall(_DENOMINATOR.sub(" ", sentence))]
    if not names or any(_singular(w) in names or w in names for w in _WORD.findall(sentence.lower())):
        return None
    for word in words:
        single = _singular(word)
        if len(single) >= 5 and any(name != single and name.endswith(single) for name in names):
            return word
    return None
# "among adults and children", "in both men and women": two groups joined name everyone, not one population.
_INCLUSIVE = re.compile(r"\b(?:among|in|for|of)\s+(?:both\s+)?([a-z]+)\s+and\s+([a-z]+)\b", re.IGNORECASE)


def inclusive_stems(sentence: str) -> set[str]:
    """The stems of groups a sentence names only together with another ("among adults and children")."""
    return {stem(word) for found in _INCLUSIVE.finditer(sentence) for word in found.groups()}


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
    names = disease_words(ctx.card_set.deck)
    for card in ctx.card_set.cards:
        if card.scope not in scopes:
            continue
        own = frozenset().union(*(markers[s] for s in scopes if _related(s, card.scope)))
        for verdict in ground_figures(card, texts):
            if not verdict.supports or verdict.quantity.code:
                continue
            support = verdict.supports[0]
            close = {s for s, w in support.passage.context.items() if w >= NEIGHBOUR_WEIGHT}
            close -= inclusive_stems(support.passage.sentence)
            about = None
            if not close & own:
                others = [s for s in scopes if not _related(s, card.scope) and markers[s] & close]
                if others:
                    about = scopes[others[0]]
            sentence = support.passage.sentence
            if about is None and card.scope == "general":
                broader = broader_class(sentence, names)
                if broader:
                    about = f"{broader} in general"
            if about is not None:
                yield Finding(card.where(verdict.field), (
                    f"figure {verdict.quantity.value_text()} on card '{card.id}' (scope '{card.scope}') is stated by "
                    f"{support.scope.source_id} for {about}: \"{' '.join(sentence.split())[:80]}\""), card.id)
                break
