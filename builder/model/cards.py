"""The card set as plain, typed, immutable data.

The loader builds these from YAML (every object remembers where it came
from); checks read them; the compiler turns them into Anki notes. Nothing here
knows about YAML or genanki.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

from .diagnostics import Location


class Located:
    """Mixin for model objects that remember where their fields were written."""

    location: Location
    positions: Mapping[str, Location]  # keyed "front", "topics[0]", ...

    def where(self, name: str, index: int | None = None) -> Location:
        """The most precise known location of a field or list item."""
        if index is not None and f"{name}[{index}]" in self.positions:
            return self.positions[f"{name}[{index}]"]
        return self.positions.get(name, self.location)


class CardType(enum.Enum):
    BASIC = "basic"  # front/back: one card
    REVERSED = "reversed"  # front/back: a card each way
    CLOZE = "cloze"  # text with {{cN::...}} deletions: one card per N


# The card fields a student reads, in the order checks look at them.
TEXT_FIELDS = ("front", "back", "text", "extra", "sources_differ")


# The fields of deckbuilder's two note types, in order: what compile fills and what deck.lock (format 3)
# writes each card's field hashes in.
BASIC_FIELDS = ("Front", "Back", "Extra", "SourcesDiffer", "Scope", "Sources", "CardId", "Notice", "AddReverse")
CLOZE_FIELDS = ("Text", "Extra", "SourcesDiffer", "Scope", "Sources", "CardId", "Notice")


@dataclass(frozen=True)
class SourceRef:
    """A card's citation: a source id, optionally narrowed to a section."""

    id: str
    section: str | None = None


@dataclass(frozen=True)
class Card(Located):
    id: str
    type: CardType
    topics: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    front: str = ""  # basic and reversed
    back: str = ""  # basic and reversed
    text: str = ""  # cloze
    extra: str = ""
    scope: str | None = None
    fact: str | None = None
    # Where the cited sources disagree on this fact, said in the deck's words.
    sources_differ: str | None = None
    tags: tuple[str, ...] = ()  # extra tags, shipped under <namespace>::tag::
    location: Location = Location("<memory>")
    positions: Mapping[str, Location] = field(default_factory=dict, compare=False, repr=False)

    @property
    def question(self) -> str:
        """What the student is asked: the front, or the cloze sentence."""
        return self.text if self.type is CardType.CLOZE else self.front

    @property
    def answer(self) -> str:
        """What the student must recall: the back, or the cloze deletions' answers."""
        if self.type is CardType.CLOZE:
            from ..text import parse

            return "; ".join(d.answer for d in parse(self.text)[0])
        return self.back


@dataclass(frozen=True)
class Placement:
    """What deck filters select on: a card's topics, scope and cited sources (as compiled and locked)."""

    topics: tuple[str, ...] = ()
    scope: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source(Located):
    id: str
    title: str
    publisher: str | None = None
    date: str | None = None  # ISO date as written on the page
    url: str | None = None
    file: str | None = None  # the captured text used for grounding checks
    sha256: str | None = None
    location: Location = Location("<memory>")
    positions: Mapping[str, Location] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Acceptance(Located):
    """A warning the maintainer has reviewed and accepts, with the reason why."""

    code: str
    subject: str  # the card, source or topic id the warning is about
    reason: str
    location: Location = Location("<memory>")
    positions: Mapping[str, Location] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class CheckConfig:
    """deck.yaml's `checks:` and `accepted:`: how the checker is tuned for this deck."""

    levels: Mapping[str, str] = field(default_factory=dict)  # code -> "off" | "warning" | "error"
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # code -> option -> value
    accepted: tuple[Acceptance, ...] = ()


@dataclass(frozen=True)
class DeckDefinition(Located):
    """One deck to build from the card set: the main deck, or a focused one from deck.yaml `decks:`."""

    id: str  # "main", or the slug given in deck.yaml; names the output files
    name: str  # the Anki deck name
    description: str | None = None  # Markdown; None: the main deck's description
    # Filters: a card is in the deck if it matches every filter given (any item of each).
    topics: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    split_by_topic: bool = False  # one subdeck per topic (a card goes under its first topic)
    location: Location = Location("<memory>")
    positions: Mapping[str, Location] = field(default_factory=dict, compare=False, repr=False)

    def selects(self, topics: tuple[str, ...], scope: str | None, sources: tuple[str, ...]) -> bool:
        return ((not self.topics or bool(set(topics) & set(self.topics)))
                and (not self.scopes or scope in self.scopes)
                and (not self.sources or bool(set(sources) & set(self.sources))))


@dataclass(frozen=True)
class AdoptedNotetype(Located):
    """A note type students already have, kept as it is (deck.yaml ``adopted:``, written by ``deckbuilder import``).

    Anki updates a note in place only when the incoming note type has the same id, fields and templates
    (DESIGN §4.5), so a deck imported from Anki ships its cards on the original note types, not ours.
    ``fields[0]`` holds the front (cloze: the text), ``fields[1]`` the back (cloze: the extra).
    """

    card_type: CardType  # the cards it carries: basic (one template), reversed (two), cloze
    slug: str  # its name in deck.lock (adopted-<slug>); the card type's name for the first of each type
    id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]  # (name, question format, answer format)
    css: str = ""
    # The cards it carries besides those of its type that no other adopted note type lists; only the first
    # adopted note type of each card type carries the rest.
    cards: tuple[str, ...] = ()
    location: Location = Location("<memory>")
    positions: Mapping[str, Location] = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> str:
        """The note type's name in deck.lock: ``adopted-<slug>``."""
        return f"adopted-{self.slug}"

    @property
    def optional_reverse(self) -> bool:
        """Like Anki's "Basic (optional reversed card)": a third field switches the reverse card on, so the
        note type carries basic cards (the field empty) as well as reversed ones."""
        return len(self.fields) == 3

    def carries(self, card_type: CardType) -> bool:
        return card_type is self.card_type or (self.optional_reverse and card_type is CardType.BASIC)


@dataclass(frozen=True)
class Adoption:
    """deck.yaml ``adopted:``: what a deck imported from Anki keeps of the original."""

    notetypes: tuple[AdoptedNotetype, ...] = ()
    # Tags ship as the cards write them (no <namespace>:: prefix), each topic as topic::<id>, except
    # ``untagged_topic``, the topic of notes that had no topic tag, which ships no tag: students keep the tags
    # they search by.
    untagged_topic: str | None = None

    def for_type(self, card_type: CardType) -> AdoptedNotetype | None:
        """The note type that carries cards of this type no note type lists: the first of the type (for basic
        cards, failing one, the first with an optional reverse)."""
        return (next((nt for nt in self.notetypes if nt.card_type is card_type), None)
                or next((nt for nt in self.notetypes if nt.carries(card_type)), None))

    def for_card(self, card_id: str, card_type: CardType) -> AdoptedNotetype | None:
        """The note type a card ships on: the one listing it, else the first of its type."""
        listed = self._listed.get(card_id)
        return listed if listed is not None and listed.carries(card_type) else self.for_type(card_type)

    @cached_property
    def _listed(self) -> dict[str, AdoptedNotetype]:
        return {card_id: nt for nt in self.notetypes for card_id in nt.cards}


@dataclass(frozen=True)
class DeckSpec(Located):
    name: str
    version: str
    namespace: str  # permanent: feeds every GUID and note-type id
    description: str  # Markdown
    topics: Mapping[str, str]  # topic id -> title, in the order written
    disclaimer: str = ""  # plain text shown with the deck and its exports; none when empty
    required_topics: tuple[str, ...] = ()
    scopes: Mapping[str, str] = field(default_factory=dict)  # scope id -> title
    checks: CheckConfig = field(default_factory=CheckConfig)
    split_by_topic: bool = False  # for the main deck
    decks: tuple[DeckDefinition, ...] = ()  # focused decks built besides the main one
    adopted: Adoption | None = None  # a deck imported from Anki (deckbuilder import)
    location: Location = Location("<memory>")
    positions: Mapping[str, Location] = field(default_factory=dict, compare=False, repr=False)


def main_deck(deck: DeckSpec) -> DeckDefinition:
    """The deck every card is in: named and described in deck.yaml."""
    return DeckDefinition("main", deck.name, None, split_by_topic=deck.split_by_topic, location=deck.location)


@dataclass(frozen=True)
class CardSet:
    """Everything loaded from a cards folder."""

    deck: DeckSpec
    sources: tuple[Source, ...]
    cards: tuple[Card, ...]
    # False when the loader had to leave cards out (their errors are
    # reported); coverage checks then wait rather than pile on.
    complete: bool = True
    # Results derived from each card file, kept between runs (derived.DerivedCache; the loader attaches it,
    # check and compile use it for exactly the cards loaded). Not part of what the card set is.
    derived: Any = field(default=None, compare=False, repr=False)

    @cached_property
    def sources_by_id(self) -> Mapping[str, Source]:
        return {source.id: source for source in self.sources}
