"""W811's cards that share a key, kept from the last full run, so a fresh check after an edit recounts only the
keys of the cards that changed.

W811 reports among the cards that share a key (interference.findings): which
those are needs every card's keys counted, 637,000 of them at 50,000 cards.
This snapshot keeps, from the last full run (written only then, like
pair_snapshot.py's), each file's parse-cache key, every card's keys as one
line of one string, the count of every key that more than one card holds, and
which cards took part. On the next run:

* the cards of unchanged files have the same keys; a changed file's cards are
  matched to its old ones by their keys' line, and only the lines left over
  (old ones gone, new ones come) change any count;
* a card none of whose keys changed count takes part exactly as before;
* every card holding a key whose count changed is decided again from the
  counts: those keys' old holders are found in the stored string (and must
  be as many as the stored count says), the new ones are the changed lines.

The cards that take part are then those of the full run, so W811's own
definition (interference._findings) over them reports what the full run
reports. Too many changed lines, or a snapshot missing, damaged or of other
code or options: None, the full run. Like every cache: JSON under
cards/.cache/, keyed with the user's secret, validated on reading (what is
read of it is checked; a bad snapshot is a miss).

When too much changed for that, the full run counts again, with the unchanged
files' cards' lines read from here (``records``: a line it does not write is a
miss for its file): only the changed files' keys are made again.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from itertools import accumulate
from typing import Any, Callable, Sequence

from ...load import for_card_set
from ...model import Card, CardSet
from .interference_keys import KEY_HEX

KIND = "w811-snapshot"  # (not "interference-...": that prefix was the per-file entries')
FORMAT = 2  # 2: the 32-bit keys of interference_keys.py
MAX_CHANGED = 2000  # changed lines (old and new) past which the full run is as quick
# One card's line: "x" (too short to take part), else its generic answer's key or "-", "|", its signatures'
# keys separated by spaces (none for a question too long to have any).
_LINE = re.compile(r"x|(?:-|[0-9a-f]{%d})\|(?:[0-9a-f]{%d}(?: [0-9a-f]{%d})*)?" % ((KEY_HEX,) * 3))
_KEY = re.compile(r"[0-9a-f]{%d}" % KEY_HEX)

Record = list | None  # interference._record's: [answer key or None, signature keys space-separated]


def _context(limit: int) -> str:
    return repr((FORMAT, limit))


def _line(record: Record) -> str:
    return "x" if record is None else f"{record[0] or '-'}|{record[1]}"


def _keys(line: str) -> tuple[str | None, list[str]] | None:
    """(answer key or None, signature keys) of a line as _line writes it, or None: not such a line. ("x": no
    keys at all, as a record of None.)"""
    if not _LINE.fullmatch(line):
        return None
    if line == "x":
        return None, []
    answer, _, signatures = line.partition("|")
    return (None if answer == "-" else answer), (signatures.split(" ") if signatures else [])


def save(card_set: CardSet, limit: int, records: Sequence[Record], signatures: dict[str, int],
         answers: dict[str, int], taking: Sequence[int]) -> None:
    """Keep what a full run counted (the counts of its keys, those of more than one card at least; ``taking``:
    the indexes of the cards that took part, in order)."""
    stored = for_card_set(card_set)
    if stored is None:
        return
    stored.write_whole(KIND, _context(limit), {
        "files": [[display, file_key, len(cards)] for display, file_key, cards in stored.files],
        "lines": "\n".join(map(_line, records)),
        "signatures": {key: n for key, n in signatures.items() if n > 1},
        "answers": {key: n for key, n in answers.items() if n > 1},
        "taking": list(taking),
    })


def _valid(snapshot: Any) -> bool:
    if not (type(snapshot) is dict and type(snapshot.get("files")) is list and type(snapshot.get("lines")) is str
            and type(snapshot.get("signatures")) is dict and type(snapshot.get("answers")) is dict
            and type(snapshot.get("taking")) is list):
        return False
    total = 0
    for item in snapshot["files"]:
        if not (type(item) is list and len(item) == 3 and type(item[0]) is str and type(item[1]) is str
                and type(item[2]) is int and item[2] >= 0):
            return False
        total += item[2]
    if len({item[0] for item in snapshot["files"]}) != len(snapshot["files"]):
        return False  # a file said twice: the cards of one would be neither kept nor gone
    lines = snapshot["lines"]  # one line a card, none empty
    if (lines.count("\n") + 1 if lines else 0) != total:
        return False
    for counts in (snapshot["signatures"], snapshot["answers"]):
        if not all(type(n) is int and n > 1 and _KEY.fullmatch(key) for key, n in counts.items()):
            return False
    taking = snapshot["taking"]
    return (all(type(i) is int for i in taking) and all(a < b for a, b in zip(taking, taking[1:]))
            and (not taking or 0 <= taking[0] and taking[-1] < total))


def read(card_set: CardSet, limit: int) -> dict | None:
    """The snapshot of the last full count, if there is one and it is what ``save`` writes (its shape)."""
    stored = for_card_set(card_set)
    if stored is None:
        return None
    snapshot = stored.read_whole(KIND, _context(limit))
    return snapshot if _valid(snapshot) else None


def records(card_set: CardSet, limit: int, record: Callable[[Card, int], Record], snapshot: dict | None
            ) -> list[Record]:
    """Every card's record, as ``record`` makes it: for the cards of a file unchanged since ``snapshot`` (read),
    from its lines, when they are lines _line writes; made for the rest."""
    stored = for_card_set(card_set)
    if stored is None or snapshot is None:
        return [record(card, limit) for card in card_set.cards]
    old_files: dict[str, tuple[str, int, int]] = {}
    start = 0
    for display, file_key, count in snapshot["files"]:
        old_files[display] = (file_key, count, start)
        start += count
    text: str = snapshot["lines"]
    old_lines = text.split("\n") if text else []
    found: list[Record] = []
    for display, file_key, file_cards in stored.files:
        previous = old_files.get(display)
        kept = None
        if previous is not None and previous[0] == file_key and previous[1] == len(file_cards):
            kept = _records_of(old_lines[previous[2]:previous[2] + previous[1]])
        found.extend(kept if kept is not None else (record(card, limit) for card in file_cards))
    return found


def _records_of(lines: list[str]) -> list[Record] | None:
    """The records that _line wrote as ``lines``, or None: a line it does not write."""
    found: list[Record] = []
    for line in lines:
        if line == "x":
            found.append(None)
            continue
        if not _LINE.fullmatch(line):
            return None
        answer, _, signatures = line.partition("|")
        found.append([None if answer == "-" else answer, signatures])
    return found


def update(card_set: CardSet, limit: int, record: Callable[[Card, int], Record], snapshot: dict | None = None
           ) -> list[Card] | None:
    """The cards that take part (interference.findings'), in deck order, from the snapshot (``read``, if not
    given) and the cards that changed since; None: count everything (``record``: interference._record)."""
    stored = for_card_set(card_set)
    if stored is None:
        return None
    if snapshot is None:
        snapshot = read(card_set, limit)
        if snapshot is None:
            return None
    text: str = snapshot["lines"]
    old_lines = text.split("\n") if text else []
    old_files: dict[str, tuple[str, int, int]] = {}
    start = 0
    for display, file_key, count in snapshot["files"]:
        old_files[display] = (file_key, count, start)
        start += count

    cards = card_set.cards
    old_of: list[int | None] = []  # current card -> the old card with its line (None: a new line)
    lines: list[str] = []  # every current card's line
    added: list[int] = []  # current cards with a new line
    removed: list[str] = []  # old lines gone
    for display, file_key, file_cards in stored.files:
        previous = old_files.pop(display, None)
        if previous is not None and previous[0] == file_key and previous[1] == len(file_cards):
            first = previous[2]
            old_of.extend(range(first, first + len(file_cards)))
            lines.extend(old_lines[first:first + len(file_cards)])
            continue
        waiting: dict[str, list[int]] = defaultdict(list)
        if previous is not None:
            for i in range(previous[2], previous[2] + previous[1]):
                waiting[old_lines[i]].append(i)
        for card in file_cards:
            line = _line(record(card, limit))
            matches = waiting.get(line)
            if matches:
                old_of.append(matches.pop(0))
            else:
                old_of.append(None)
                added.append(len(lines))
            lines.append(line)
        removed.extend(line for line, indexes in waiting.items() for _ in indexes)
    for _, count, first in old_files.values():  # files gone
        removed.extend(old_lines[first:first + count])
    if len(added) + len(removed) > MAX_CHANGED:
        return None

    # How each key's count changes (a line's keys counted as the full run counts them: every occurrence).
    net_signatures: Counter = Counter()
    net_answers: Counter = Counter()
    for sign, found in ((1, (lines[i] for i in added)), (-1, removed)):
        for line in found:
            keys = _keys(line)
            if keys is None:
                return None
            answer, signatures = keys
            if answer is not None:
                net_answers[answer] += sign
            for key in signatures:
                net_signatures[key] += sign
    changed_signatures = {key for key, n in net_signatures.items() if n}
    changed_answers = {key for key, n in net_answers.items() if n}

    # The old holders of every key whose count changed, which must be as many as the snapshot counted.
    starts = list(accumulate((len(line) + 1 for line in old_lines[:-1]), initial=0))
    old_signatures: dict[str, int] = snapshot["signatures"]
    old_answers: dict[str, int] = snapshot["answers"]
    holders: set[int] = set()
    new_count: dict[tuple[bool, str], int] = {}
    for is_answer, keys, old_counts, net in ((False, changed_signatures, old_signatures, net_signatures),
                                             (True, changed_answers, old_answers, net_answers)):
        for key in keys:
            found = _occurrences(text, key, is_answer)
            if found is None:
                return None
            expected = old_counts.get(key)
            if (len(found) != expected) if expected is not None else len(found) > 1:
                return None  # not the counts this snapshot's lines make
            holders.update(bisect_right(starts, at) - 1 for at in found)
            new_count[(is_answer, key)] = len(found) + net[key]

    def shared(is_answer: bool, key: str) -> bool:
        count = new_count.get((is_answer, key))
        if count is None:  # unchanged
            return key in (old_answers if is_answer else old_signatures)
        return count > 1

    old_to_new = {old: new for new, old in enumerate(old_of) if old is not None}
    decide = set(added)
    for old in holders:
        new = old_to_new.get(old)
        if new is not None:
            decide.add(new)
    taking = {old_to_new[old] for old in snapshot["taking"] if old in old_to_new} - decide
    for index in decide:
        keys = _keys(lines[index])
        if keys is None:
            return None
        if lines[index] == "x":
            continue
        answer, signatures = keys
        if (answer is not None and shared(True, answer)) or any(shared(False, key) for key in signatures):
            taking.add(index)
    return [cards[index] for index in sorted(taking)]


def _occurrences(text: str, key: str, is_answer: bool) -> list[int] | None:
    """Where ``key`` is a signature key (or, ``is_answer``, a line's answer key) in the lines; None when a match
    is not a whole key (not lines that _line writes)."""
    found = []
    at = text.find(key)
    while at >= 0:
        before = text[at - 1] if at else "\n"
        after = text[at + KEY_HEX:at + KEY_HEX + 1]
        if before == "\n":
            if after != "|":
                return None
            if is_answer:
                found.append(at)
        elif before in " |":
            if after not in ("", " ", "\n"):
                return None
            if not is_answer:
                found.append(at)
        else:
            return None
        at = text.find(key, at + 1)
    return found
