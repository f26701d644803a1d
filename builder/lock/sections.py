"""A card section of deck.lock ("cards" or "retired") kept as the lines it was written as.

A build after a one-card edit changes one entry of the lock, yet it decoded all of them and encoded all of
them again: at 50,000 cards that was 0.8 s to read, 0.35 s to write and, for the decoding, a peak of 190 MB.
A lock whose bytes are exactly what this code writes for it (lines.py reads one so, when a summary of those
bytes says so) keeps each entry as its line. An entry is decoded only when it is asked for; the few fields that passes over the whole
lock read (GUID, times, note type, digest, placement) come from a Brief taken from the line's two ends; and an
entry the next lock keeps as it was is written as the same line, which is what the writer would write for it.

Sections are Mappings of card id -> LockedCard either way; the functions below answer the whole-lock passes
from briefs and lines when a section has them, and from the LockedCards of a plain dict otherwise.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping, NamedTuple, Protocol, Union

from ..model import Placement

# A lockdata.LockedCard: not imported, as lockdata imports this module (Lock's whole-lock passes use it).
LockedCard = Any


class Brief(NamedTuple):
    """The fields of a lock entry that whole-lock passes read, under LockedCard's names (``answered``
    is LockedCard.answered: it keeps an answer)."""

    guid: str
    notetype: str
    added: int
    changed: int
    retired: int | None
    retired_in: str | None
    restoring: bool
    adopted: str
    digest: str
    placement: Placement
    answered: bool


Briefed = Union[Brief, LockedCard]  # what a section answers a whole-lock pass with


class LineReader(Protocol):
    """Decodes a section's lines (lines.py): each function of the line alone, given the lock's creation."""

    created: int

    def card(self, line: str) -> LockedCard: ...

    def brief(self, line: str) -> Brief: ...

    def question(self, line: str) -> str: ...

    def title(self, line: str) -> str:
        """text.plain of the question (a history record's title, lockdata.derived_titles)."""

    def forget(self) -> None:
        """Let go of what it remembers of the lines it decoded."""


class LockEntries(Mapping[str, LockedCard]):
    """Card id -> LockedCard, each value either decoded or the line the lock wrote for it (``str``).

    Made by lines.py from a lock this deckbuilder wrote, and by reconcile for the next lock (``carried``),
    which keeps the lines of the entries it keeps; ``reader`` belongs to the lock they were read from, whose
    creation time they assume (a lock keeps it for life).
    """

    __slots__ = ("_values", "reader", "_briefs")

    def __init__(self, values: dict[str, LockedCard | str], reader: LineReader):
        self._values = values
        self.reader = reader
        self._briefs: dict[str, Briefed] | None = None  # every entry's, once a pass over them all asked

    def __getitem__(self, card_id: str) -> LockedCard:
        value = self._values[card_id]
        return self.reader.card(value) if type(value) is str else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, card_id: object) -> bool:
        return card_id in self._values

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        if not isinstance(other, LockEntries) or other.reader.created != self.reader.created:
            return dict(self.items()) == dict(other.items())
        if self._values.keys() != other._values.keys():
            return False
        for card_id, value in self._values.items():
            theirs = other._values[card_id]
            if value is theirs or (type(value) is str and type(theirs) is str and value == theirs):
                continue  # the same line decodes to the same entry
            if self[card_id] != other[card_id]:
                return False
        return True

    __hash__ = None  # type: ignore[assignment]  # a mapping, as the dict it stands for

    def __repr__(self) -> str:
        return f"LockEntries({len(self)} entries)"

    def brief(self, card_id: str) -> Briefed | None:
        value = self._values.get(card_id)
        return self.reader.brief(value) if type(value) is str else value

    def briefs(self) -> Iterable[tuple[str, Briefed]]:
        if self._briefs is None:  # (a build makes four passes: the summary, identity, times, kinds)
            brief = self.reader.brief
            self._briefs = {card_id: brief(value) if type(value) is str else value
                            for card_id, value in self._values.items()}
        return self._briefs.items()

    def question(self, card_id: str) -> str:
        value = self._values[card_id]
        return self.reader.question(value) if type(value) is str else value.question

    def kept(self, card_id: str) -> LockedCard | str:
        """The entry as a lock that keeps it unchanged holds it: its line when it has one."""
        return self._values[card_id]

    def line(self, card_id: str) -> str | None:
        """The line the lock wrote for the entry, when it is kept as one."""
        value = self._values.get(card_id)
        return value if type(value) is str else None

    def release(self) -> None:
        """Let go of what was decoded from the lines (a build does, once its lock is written)."""
        self._briefs = None
        self.reader.forget()


def release_kept(*locks: Any) -> None:
    """Let go of what these locks' sections remember of their lines (decoded entries, briefs, titles): kept
    only for as long as they are asked for again; a build's largest peak of memory comes after its lock."""
    for lock in locks:
        for section in (getattr(lock, "cards", None), getattr(lock, "retired", None)):  # (None: no lock)
            if isinstance(section, LockEntries):
                section.release()


# ---------------------------------------------------------------- for any section: a LockEntries or a dict


def briefs(section: Mapping[str, LockedCard]) -> Iterable[tuple[str, Briefed]]:
    return section.briefs() if isinstance(section, LockEntries) else section.items()


def brief(section: Mapping[str, LockedCard], card_id: str) -> Briefed | None:
    return section.brief(card_id) if isinstance(section, LockEntries) else section.get(card_id)


def question(section: Mapping[str, LockedCard], card_id: str) -> str:
    return section.question(card_id) if isinstance(section, LockEntries) else section[card_id].question


def line_title(section: Mapping[str, LockedCard], card_id: str) -> str | None:
    """The plain text of the question of an entry kept as its line; None for a decoded entry."""
    if isinstance(section, LockEntries):
        line = section.line(card_id)
        if line is not None:
            return section.reader.title(line)
    return None


def kept(section: Mapping[str, LockedCard], card_id: str) -> LockedCard | str:
    return section.kept(card_id) if isinstance(section, LockEntries) else section[card_id]


def keep(section: Mapping[str, LockedCard], card_id: str, entry: LockedCard) -> LockedCard | str:
    """``entry``, or its line when it is the section's entry for ``card_id`` as read (unchanged)."""
    if isinstance(section, LockEntries):
        line = section.line(card_id)
        if line is not None and section[card_id] is entry:
            return line
    return entry


def carried(values: dict[str, Any], like: Mapping[str, LockedCard]) -> Mapping[str, LockedCard]:
    """The next lock's section: ``values`` (LockedCards, and lines ``kept`` from ``like``) as a Mapping."""
    if isinstance(like, LockEntries) and any(type(value) is str for value in values.values()):
        return LockEntries(values, like.reader)
    return values


class Questions(Mapping[str, str]):
    """Card id -> its question in the lock, over several sections (the first that holds the id wins)."""

    def __init__(self, *sections: Mapping[str, LockedCard]):
        self._sections = sections

    def __getitem__(self, card_id: str) -> str:
        for section in self._sections:
            if card_id in section:
                return question(section, card_id)
        raise KeyError(card_id)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(card_id for section in self._sections for card_id in section))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, card_id: object) -> bool:
        return any(card_id in section for section in self._sections)
