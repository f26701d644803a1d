"""E301: a topic that deck.yaml does not define.

Topics become tags; a typo would quietly create a tag of its own and the card
would be missing from its topic's study sessions.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ...model import Card
from .context import CheckContext, Finding, did_you_mean

CODE = "E301"

FAILING = """\
- id: margins-dermal-minimum
  topics: [margin]        # deck.yaml defines 'margins'
  ...
"""
PASSING = """\
- id: margins-dermal-minimum
  topics: [margins]
  ...
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    card_set = ctx.card_set
    known = card_set.deck.topics
    for index, topic in enumerate(card_set.deck.required_topics):
        if topic not in known:
            yield Finding(card_set.deck.where("required_topics", index),
                          f"required topic '{topic}' is not in 'topics'{did_you_mean(topic, known)}")
    for deck in card_set.deck.decks:
        for index, topic in enumerate(deck.topics):
            if topic not in known:
                yield Finding(deck.where("topics", index), f"deck '{deck.id}' selects unknown topic '{topic}'{did_you_mean(topic, known)}",
                              deck.id)


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    known = ctx.card_set.deck.topics
    for card in cards:
        for index, topic in enumerate(card.topics):
            if topic not in known:
                yield Finding(card.where("topics", index),
                              f"unknown topic '{topic}'{did_you_mean(topic, known)} (deck.yaml defines: "
                              f"{', '.join(known)})", card.id)
