"""E501: a topic listed in 'required_topics' has no cards.

Judged only when every card loaded, so one broken card does not also show up
as an empty topic.
"""

from __future__ import annotations

from typing import Iterator

from .context import CheckContext, Finding
from .deck_index import deck_index

CODE = "E501"

FAILING = """\
# deck.yaml
required_topics: [histology, genetics]
# ...and no card has 'genetics' in its topics
"""
PASSING = """\
# deck.yaml
required_topics: [histology, genetics]
# ...and at least one card has 'genetics' in its topics
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    card_set = ctx.card_set
    if not card_set.complete:
        # Some cards failed to load and are reported already; judging coverage
        # without them would blame the topic for the broken card.
        return
    covered = deck_index(card_set).topics  # the topics some card names
    deck = card_set.deck
    for index, topic in enumerate(deck.required_topics):
        if topic in deck.topics and topic not in covered:
            yield Finding(deck.where("required_topics", index), f"required topic '{topic}' has no cards")
