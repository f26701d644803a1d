"""``deckbuilder stats``: what the deck holds, by topic, scope, source and card type."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from ..text import parse
from ..model import CardSet, CardType

BAR_WIDTH = 30


@dataclass(frozen=True)
class Stats:
    notes: int
    anki_cards: int  # a reversed card is two, a cloze one per deletion number
    by_topic: dict[str, int]
    by_scope: dict[str, int]
    by_source: dict[str, int]
    by_type: dict[str, int]


def anki_card_count(card) -> int:
    if card.type is CardType.CLOZE:
        return len({d.number for d in parse(card.text)[0]})
    return 2 if card.type is CardType.REVERSED else 1


def compute(card_set: CardSet) -> Stats:
    cards = card_set.cards
    deck = card_set.deck
    topics = Counter(topic for card in cards for topic in card.topics)
    scopes = Counter(card.scope or "(none)" for card in cards)
    sources = Counter(ref.id for card in cards for ref in dict.fromkeys(card.sources))
    types = Counter(card.type.value for card in cards)
    return Stats(
        notes=len(cards),
        anki_cards=sum(anki_card_count(card) for card in cards),
        by_topic={topic: topics[topic] for topic in deck.topics},
        by_scope={scope: scopes[scope] for scope in [*deck.scopes, "(none)"] if scopes[scope]},
        by_source={source.id: sources[source.id] for source in card_set.sources},
        by_type={kind.value: types[kind.value] for kind in CardType},
    )


def _table(title: str, counts: dict[str, int]) -> list[str]:
    top = max(counts.values(), default=0) or 1
    width = max(map(len, counts), default=0)
    lines = [title]
    for name, count in counts.items():
        bar = "█" * round(BAR_WIDTH * count / top) or ("▏" if count else "")
        lines.append(f"  {name:<{width}}  {count:>5}  {bar}")
    return lines + [""]


def as_text(stats: Stats) -> str:
    lines = [f"{stats.notes} notes, {stats.anki_cards} Anki cards", ""]
    lines += _table("By topic (a card can have several)", stats.by_topic)
    lines += _table("By scope", stats.by_scope)
    lines += _table("By source (cards citing it)", stats.by_source)
    lines += _table("By card type", stats.by_type)
    return "\n".join(lines).rstrip() + "\n"


def as_json(stats: Stats) -> str:
    return json.dumps(stats.__dict__, indent=2) + "\n"
