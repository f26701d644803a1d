"""deck.lock's data: what a lock holds (Lock and its entries), its constants and the helpers both its
reader (lockread.py) and its writer (lockwrite.py) use. The format itself is described in lockfile.py."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from typing import Mapping

from ..model import BASIC_FIELDS, CLOZE_FIELDS, Placement
from ..text import plain
from . import sections

LOCK_FILE = "deck.lock"
# The lock grows with the deck, so it cannot share a card file's 64 MiB: a deck whose largest file is at
# that limit writes a lock of about the same size (a 50 MB file of short cards: 53 MB). Four times a card
# file leaves such a deck at a fifth of what is read; still bounded, for a hostile or damaged lock. A build
# never writes more than this (E209).
MAX_LOCK_BYTES = 256 * 1024 * 1024
FORMAT = 3
READABLE_FORMATS = (1, 2, 3)  # 1: the YAML layout of deckbuilder 0.2; 2: JSON with every value spelled out
NOTE = ("written by `deckbuilder build`; commit it with the cards. It keeps every card's GUID and when its "
        "content last changed, so that students' re-imports update notes in place. Do not edit it by hand.")


@functools.lru_cache(maxsize=4096)
def to_timestamp(value: str) -> int:
    # Remembered: the cards of a deck built at once share a few times (50,000 parses of the same text).
    return int(datetime.datetime.fromisoformat(value).timestamp())


@functools.lru_cache(maxsize=4096)
def to_iso(timestamp: int) -> str:
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class LockedNotetype:
    id: int
    fields: tuple[str, ...]
    templates: tuple[str, ...]
    style: str  # hash of name, CSS and templates: a change must reach students
    changed: int

    @property
    def schema(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What Anki compares to decide whether a note type is the same one."""
        return self.fields, self.templates


@dataclass(frozen=True)
class LockedCard:
    guid: str
    notetype: str  # "basic" or "cloze"
    added: int
    changed: int  # = the note's mtime
    hashes: Mapping[str, str]  # field name (and "tags") -> short content hash
    question: str  # the rendered question, kept to show on a tombstone
    reverse: bool = False  # basic note with the reverse card
    retired: int | None = None  # when it left the YAML
    retired_in: str | None = None  # deck version at retirement
    # Where it belongs (topics, scope, cited sources): which decks ship it, even once retired.
    placement: Placement = Placement()
    digest: str = ""  # one hash of the whole note (empty in locks written before it existed)
    answer: str = ""  # the rendered answer of a basic card, to say what a correction replaced
    restoring: bool = False  # retired, and `unretire` was run: the next build with its YAML brings it back
    adopted: str = ""  # the adopted note type it ships on (deck.yaml `adopted:`, "adopted-basic"), or ours

    @property
    def answered(self) -> bool:
        """It keeps an answer (sections.Brief says the same of a line)."""
        return bool(self.answer)


@dataclass(frozen=True)
class CardChange:
    """How one card changed within a version: which fields, and what the texts a student reads were."""

    fields: tuple[str, ...]  # note field names ("Back", "tags"), CardId excepted (a rename says that)
    before: Mapping[str, str] = field(default_factory=dict)  # "question" / "answer" / "text" -> plain text
    after: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HistoryEntry:
    """What changed in one deck version, relative to the version before it.

    A released version's entry is written once, by the build that releases it, and never
    changes (DESIGN §3); later changes gather in ``Lock.unreleased`` until a new version.
    Each card is in at most one of the lists.
    """

    version: str
    date: int
    added: tuple[str, ...] = ()
    changed: Mapping[str, CardChange] = field(default_factory=dict)
    renamed: Mapping[str, str] = field(default_factory=dict)  # new id -> the id the last version had
    retired: tuple[str, ...] = ()
    restored: tuple[str, ...] = ()  # retired in an earlier version, back in this one
    purged: tuple[str, ...] = ()  # retired earlier; their tombstones no longer ship
    notetypes: tuple[str, ...] = ()  # note types whose style changed
    # Each listed card's question when the version was recorded, so the record never changes with the cards.
    titles: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.renamed or self.retired or self.restored or self.purged
                    or self.notetypes)


@dataclass(frozen=True)
class Lock:
    namespace: str
    created: int
    notetypes: Mapping[str, LockedNotetype] = field(default_factory=dict)
    cards: Mapping[str, LockedCard] = field(default_factory=dict)
    retired: Mapping[str, LockedCard] = field(default_factory=dict)
    purged: Mapping[str, str] = field(default_factory=dict)  # id -> guid; never reused
    renamed: Mapping[str, str] = field(default_factory=dict)  # old id -> new id; old never reused
    # id -> the GUID its note had in the Anki deck `deckbuilder import` made the cards from (kept, not derived)
    adopted: Mapping[str, str] = field(default_factory=dict)
    history: tuple[HistoryEntry, ...] = ()  # released versions, oldest first
    unreleased: HistoryEntry | None = None  # changes since the last released version
    # The format the lock was read in (FORMAT for a new one): an older one is rewritten.
    read_format: int = field(default=FORMAT, compare=False)
    # Where each entry was read ("cards/ID", "retired/ID", "notetypes/basic", "created"...): line numbers
    # for the diagnostics of lockcheck.py. Empty for a lock not read from a file.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    # What the check asks of a lock (view.LockView: a summary of the lock answers the same).

    def card_kind(self, card_id: str) -> tuple[str, str] | None:
        """A live card's note type ("basic"/"cloze") and adopted note type ("" for ours); None if not live."""
        card = self.cards.get(card_id)
        return None if card is None else (card.notetype, card.adopted)

    def is_retired(self, card_id: str) -> bool:
        return card_id in self.retired

    def unavailable_ids(self) -> dict[str, str]:
        """Ids a new card may not take, with the reason."""
        reasons = {card_id: "was renamed" for card_id in self.renamed}
        reasons |= {card_id: "was retired and purged" for card_id in self.purged}
        reasons |= {card_id: f"was retired in version {card.retired_in}"
                    for card_id, card in sections.briefs(self.retired) if not card.restoring}
        return reasons

    @property
    def released_versions(self) -> dict[str, int]:
        """Version -> the date it was released."""
        return {entry.version: entry.date for entry in self.history}



NOTETYPES = ("basic", "cloze")


@functools.lru_cache(maxsize=None)
def _hash_order(notetype: str) -> tuple[str, ...]:
    """The names a card's hashes are written for, in order (format 3): its note type's fields, then tags."""
    return (*(BASIC_FIELDS if notetype == "basic" else CLOZE_FIELDS), "tags")



def _listed_ids(entry: HistoryEntry) -> dict[str, None]:
    return dict.fromkeys((*entry.added, *entry.changed, *entry.renamed, *entry.retired, *entry.restored,
                          *entry.purged))


def derived_titles(lock: Lock) -> dict[str, str]:
    """The title a format-3 reader gives a listed card without one: the plain text of its question in the
    lock (as reconcile.titled makes titles), when there is any."""
    global _last_titles
    # A build asks twice, reading the lock and writing the next one, for nearly the same questions: the plain
    # text of 50,000 questions took a quarter of a second each time. Kept for the last lock only.
    known = _last_titles
    seen: dict[str, str] = {}
    titles = {}
    for cards in (lock.retired, lock.cards):
        for card_id in cards:
            title = sections.line_title(cards, card_id)  # a line's is kept with the line (sections.py)
            if title is None:
                question = cards[card_id].question
                title = known.get(question)
                if title is None:
                    title = plain(question)
                seen[question] = title
            if title:
                titles[card_id] = title
    _last_titles = seen
    return titles


_last_titles: dict[str, str] = {}  # question -> its plain text (plain() depends on nothing else)


def question_title(question: str) -> str:
    """plain(question), as derived_titles makes it, remembered for the next derived_titles: reconcile titles
    every card it lists this way, and a first build lists all 50,000, whose titles the lock written next then
    derives again (they are dropped with the next lock's, as derived_titles keeps only the last lock's)."""
    title = _last_titles.get(question)
    if title is None:
        title = _last_titles[question] = plain(question)
    return title

