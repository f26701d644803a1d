"""Reading a lock this deckbuilder wrote as its lines (sections.py says why).

Only for bytes that are exactly what this code writes for the lock they hold: summary.full_lock uses it when
the lock's bytes are those of a summary that says so (a build kept it for the lock it wrote, or a check made it
after comparing a lock it read in full with what the writer writes for it; the summary's key holds the bytes'
sha256, the code's fingerprint and the per-user secret). Each line is then what lockwrite._card_line writes
for its entry, with the members in the writer's order, and it reads back as that entry. Anything in the text
not laid out as lock_chunks lays it out makes ``parse_written`` return None, and the lock is read in full.

The writer's order is what lets a Brief be read from the ends of a line: the members before "question" are
short (GUID, note type, times, flags), and "placed", "digest" and "hashes" close every line. A member name
with its quotes cannot occur inside a JSON string, where every quote is escaped, so the first ``, "question": ``
of a line is the member, and so is its last ``, "placed": ``. Each line is checked for that layout before it
is read so (the head's members in the writer's order, only the question and answer between them, a digest and
one-string hashes at the end); a line laid out otherwise (an older lock's hashes kept as a mapping) is
decoded whole, so that even a summary that wrongly says "written" costs speed, never a wrong field.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # (json's own, in C: a string and where it ends)
from dataclasses import replace
from typing import Mapping

from ..model import DeckbuilderError, Placement
from ..text import plain
from .lockdata import FORMAT, Lock, LockedCard, derived_titles, to_timestamp
from .lockread import _card_fast, _card_from, _Damaged, _lock_from, _no_duplicate_keys, _Shared, entry_lines
from .sections import Brief, LockEntries

_QUESTION = ', "question": '
_ANSWER = ', "answer": '
_PLACED = ', "placed": '
# How every line the builder writes ends: a digest and the hashes in their one-string form (lockwrite).
_TAIL = re.compile(r', "digest": "([0-9a-f]*)", "hashes": "[0-9a-f -]*"\}\Z')
# A member before the question, as the writer writes it: a string without escapes, or a flag (true / null).
_HEAD_MEMBER = re.compile(r'"(\w+)": ("[^"]*"|true|null)')
# The members before the question, in the order the writer writes them (lockwrite._card_line): "guid",
# then any of the others in this order (every such sequence, to check a line's with one lookup).
_OPTIONAL_HEAD = ("notetype", "added", "changed", "retired", "retired_in", "restoring", "reverse", "adopted")
_HEADS = frozenset(("guid", *(name for bit, name in enumerate(_OPTIONAL_HEAD) if chosen >> bit & 1))
                   for chosen in range(1 << len(_OPTIONAL_HEAD)))
_SECTIONS = ("cards", "retired")  # the sections read as lines, in the order lock_chunks writes them


class WrittenLines:
    """sections.LineReader for one lock: decodes and remembers (by line) what its sections are asked for."""

    def __init__(self, created: int):
        self.created = created
        self._shared = _Shared()
        self._placements: dict[str, Placement] = {}  # a placement's text in a line -> one Placement
        self._cards: dict[str, LockedCard] = {}
        self._briefs: dict[str, Brief] = {}
        self._titles: dict[str, str] = {}

    def know_titles(self, sections: Mapping[str, Mapping[str, str]], titles: Mapping[str, str]) -> None:
        """Take ``titles`` (card id -> derived title) as the titles of these sections' lines."""
        for lines in sections.values():
            for card_id, line in lines.items():
                title = titles.get(card_id)
                if title is not None:
                    self._titles[line] = title

    def forget(self) -> None:
        self._cards, self._briefs, self._titles = {}, {}, {}

    def card(self, line: str) -> LockedCard:
        card = self._cards.get(line)
        if card is None:
            try:
                data = json.loads(line)
                card = _card_fast(data, FORMAT, self.created, self._shared) or _card_from(
                    "", data, FORMAT, self.created, self._shared)  # (hashes kept as a mapping, say)
            except (_Damaged, ValueError, RecursionError, TypeError, AttributeError):
                # Its bytes were checked when the summary was made: only a change since (or a summary not
                # made by this code) could do it.
                raise DeckbuilderError("deck.lock does not read as the summary in cards/.cache/lock says: "
                                       "delete that folder and build again") from None
            self._cards[line] = card
        return card

    def brief(self, line: str) -> Brief:
        found = self._briefs.get(line)
        if found is None:
            found = self._briefs[line] = self._brief(line)
        return found

    def _brief(self, line: str) -> Brief:
        start = line.find(_QUESTION)
        end = line.rfind(_PLACED)
        tail = _TAIL.search(line, end) if 0 <= start < end else None
        middle = _middle(line, start, end) if tail is not None else None
        members = self._head(line[:start]) if middle is not None else None
        if members is not None:
            try:
                return self._brief_of(line, members, middle[1], end, tail)
            except (ValueError, TypeError, KeyError, IndexError):  # a value no build writes there
                pass
        card = self.card(line)  # not laid out as the builder lays out an entry: from the entry itself
        return Brief(card.guid, card.notetype, card.added, card.changed, card.retired, card.retired_in,
                     card.restoring, card.adopted, card.digest, card.placement, card.answered)

    def _brief_of(self, line: str, members: dict[str, str], answered: bool, end: int, tail: re.Match) -> Brief:
        placed = line[end + len(_PLACED):tail.start()]
        placement = self._placements.get(placed)
        if placement is None:
            topics, scope, sources = json.loads(placed)
            if (type(topics) is not list or type(sources) is not list or not (scope is None or type(scope) is str)
                    or not all(type(name) is str for name in (*topics, *sources))):
                raise ValueError(placed)  # (not as the writer writes a placement)
            placement = self._placements[placed] = Placement(tuple(topics), scope, tuple(sources))
        added = members.get("added")
        added = to_timestamp(added[1:-1]) if added else self.created
        changed = members.get("changed")
        retired = members.get("retired")
        retired_in = members.get("retired_in")
        notetype = members.get("notetype")
        adopted = members.get("adopted")
        return Brief(  # (by position: this runs once per line of the lock)
            members["guid"][1:-1], notetype[1:-1] if notetype else "basic", added,
            to_timestamp(changed[1:-1]) if changed else added, to_timestamp(retired[1:-1]) if retired else None,
            retired_in[1:-1] if retired_in and retired_in != "null" else None,
            members.get("restoring") == "true", adopted[1:-1] if adopted else "",
            tail.group(1), placement, answered)

    @staticmethod
    def _head(head: str) -> dict[str, str] | None:
        """The members before the question (strings with their quotes), if they are as the writer writes
        them: "guid" first, then the others in the writer's order; None otherwise."""
        if "\\" not in head:
            # Without an escape, a member's value is its text between quotes: no JSON parser needed (a
            # fifth of the time).
            pairs: list = _HEAD_MEMBER.findall(head)
            if len(pairs) != head.count('": '):
                return None
        else:
            try:
                decoded = json.loads(head + "}", object_pairs_hook=list)
            except (ValueError, RecursionError):
                return None
            # As the regular expression gives them: a string with its quotes, or a flag's word.
            spelled = {True: "true", None: "null"}
            pairs = [(name, f'"{value}"' if type(value) is str else spelled.get(value) if value is True or
                      value is None else None) for name, value in decoded]
            if any(value is None for _, value in pairs):
                return None
        members = dict(pairs)
        return members if tuple(members) in _HEADS and len(members) == len(pairs) else None

    def title(self, line: str) -> str:
        found = self._titles.get(line)
        if found is None:
            found = self._titles[line] = plain(self.question(line))
        return found

    def question(self, line: str) -> str:
        card = self._cards.get(line)
        if card is not None:
            return card.question
        start = line.find(_QUESTION)
        end = line.rfind(_PLACED)
        middle = _middle(line, start, end) if 0 <= start < end and _TAIL.search(line, end) else None
        return self.card(line).question if middle is None else middle[0]


def _middle(line: str, start: int, end: int) -> tuple[str, bool] | None:
    """(the question, whether an answer follows) when the question and perhaps the answer are all that lie
    between ``start`` (its ``, "question": ``) and ``end`` (the ``, "placed": ``); None otherwise."""
    at = start + len(_QUESTION)
    try:
        if line[at] != '"':
            return None
        question, at = scanstring(line, at + 1)
        if at == end:
            return question, False
        if not line.startswith(_ANSWER, at) or line[at + len(_ANSWER)] != '"':
            return None
        _, at = scanstring(line, at + len(_ANSWER) + 1)
    except (ValueError, IndexError):
        return None
    return (question, True) if at == end else None


def parse_written(data: bytes, titles: Mapping[str, str] | None = None) -> Lock | None:
    """The lock written as ``data``, its card sections as lines; None when ``data`` is not laid out as this
    deckbuilder writes a lock (parse_lock then reads it). ``titles``: derived_titles of this lock, kept when
    it was written (summary.py), which spares working out the plain text of every card's question again.

    Read as bytes, each line decoded alone: the whole lock as one string took up to four bytes a character
    (one character past Latin-1 anywhere does that), where a line of plain text takes one.
    """
    cut: list[tuple[int, int]] = []  # the spans of the sections' entries, left out of what json reads
    sections: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    position = 0
    for name in _SECTIONS:
        found = _section(data, name, position)
        if found is None:
            return None
        values, numbers, start, end = found
        sections[name] = values
        lines.update(numbers)
        if start < end:
            cut.append((start, end))
        position = end
    rest = []
    kept_from = 0
    for start, end in cut:
        rest.append(data[kept_from:start])
        kept_from = end
    rest.append(data[kept_from:])
    try:
        outside = b"".join(rest).decode("utf-8")
        top = json.loads(outside, object_pairs_hook=_no_duplicate_keys)
        created = to_timestamp(top["created"])
    except (ValueError, RecursionError, KeyError, TypeError):
        return None
    if type(top) is not dict or top.get("format") != FORMAT or any(top.get(name) for name in _SECTIONS):
        return None
    reader = WrittenLines(created)
    if titles is not None:
        reader.know_titles(sections, titles)
    try:
        lock = _lock_from(top, {name: LockEntries(values, reader) for name, values in sections.items()},
                          derived_titles if titles is None else lambda _lock: titles)
    except Exception:  # noqa: BLE001 - not as written: parse_lock reads it and says what is wrong
        return None
    if lock.created != created:
        return None
    # The other entries' lines, in ``outside``: shifted by the lines left out before them.
    shifts = []  # (the last line of ``outside`` before a cut, the lines cut there)
    removed = 0
    for start, end in cut:
        before = data.count(b"\n", 0, start) - removed
        count = data.count(b"\n", start, end)
        shifts.append((before, count))
        removed += count
    numbers = {}
    for key, number in entry_lines(outside).items():
        numbers[key] = number + sum(count for before, count in shifts if number > before)
    return replace(lock, lines={**numbers, **lines})


def _section(data: bytes, name: str, position: int) -> tuple[dict[str, str], dict[str, int], int, int] | None:
    """A card section's entries (id -> the line's value), their line numbers, and the span of their lines."""
    opener = f'\n  "{name}": {{'.encode()
    at = data.find(opener, position)
    if at < 0:
        return None
    start = at + len(opener)
    if data.startswith(b"},\n", start):  # an empty section
        return {}, {}, start, start
    if not data.startswith(b"\n", start):
        return None
    start += 1
    end = data.find(b"\n  }", start)
    if end < 0:
        return None
    values: dict[str, str] = {}
    numbers: dict[str, int] = {}
    number = data.count(b"\n", 0, start) + 1
    index = start
    find, startswith = data.find, data.startswith
    try:
        while index <= end:
            newline = find(b"\n", index, end + 1)
            if newline < 0 or not startswith(b'    "', index):
                return None
            close = find(b'": {', index + 5, newline)
            card_id = data[index + 5:close].decode("ascii")  # a slug: checked when the lock was written
            if close < 0 or "\\" in card_id or '"' in card_id or card_id in values:
                return None
            last = newline == end
            stop = newline if last else newline - 1
            if (not last and data[stop] != 44) or data[stop - 1] != 125:  # "," and "}"
                return None
            values[card_id] = data[close + 3:stop].decode("utf-8")
            numbers[f"{name}/{card_id}"] = number
            number += 1
            index = newline + 1
    except UnicodeDecodeError:
        return None
    return values, numbers, start, end + 1
