"""W502: a required topic has fewer cards than the deck's minimum.

A topic students are told to study on its own needs enough cards to stand
alone (option ``min_cards``; a topic with none at all is E501).
"""

from __future__ import annotations

from typing import Iterator

from .context import CheckContext, Finding
from .deck_index import deck_index
from ...model import RULE_OPTIONS

CODE = "W502"
OPTIONS = RULE_OPTIONS[CODE]

FAILING = """\
# deck.yaml
required_topics: [histology, genetics]
# ...and only two cards are tagged 'genetics'
"""
PASSING = """\
# deck.yaml
required_topics: [histology, genetics]
# ...and at least five cards are tagged 'genetics'
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.card_set.complete:
        return  # cards that failed to load are reported already
    deck = ctx.card_set.deck
    counts = deck_index(ctx.card_set).topics  # per topic, the cards naming it
    minimum = ctx.options["min_cards"]
    for index, topic in enumerate(deck.required_topics):
        if topic in deck.topics and 0 < counts[topic] < minimum:
            yield Finding(deck.where("required_topics", index),
                          f"required topic '{topic}' has {counts[topic]} card(s), fewer than {minimum}", topic)
