"""The near-duplicate pairs of the last check, kept on disk, so a fresh check after an edit compares only the
edited cards with the rest.

The search (pairs.py, similarity.py) is 1.5 s of work at 50,000 cards, and
after a one-card edit a fresh ``check`` did all of it again. A pair depends
only on its two questions and scopes and on which words are common in the
deck (similarity.common_words); so this snapshot keeps, from the last search,
each file's questions (normalised: what the comparison reads) and scopes by
the file's parse-cache key, every word's count per scope, and the pairs. On
the next run (the snapshot stays that of the last full search, so it is
written only then):

* the cards of unchanged files are the same questions; a changed file's cards
  are matched to its old ones by question and scope, and only the unmatched
  ones are new;
* the pairs between two unchanged cards stand if the common words are the
  same (the counts of the changed cards' words are read from the snapshot's
  cards, which must agree with its common words);
* each new card is compared with every card sharing one of its distinctive
  words (the only ones the exact search could pair it with), verified as
  the search verifies (``similarity._verify``).

The result is the search's own only when the search would not have stopped
at its budget (MAX_PAIRS pairs found, MAX_COMPARISONS candidates verified):
the pairs it would count are known exactly, and the candidates are bounded
by the pairs of questions sharing a distinctive word (each candidate is one;
counted at the full search, and each new card can add at most the deck's
limit of a distinctive word's questions per word and search).
When either could be reached, when many cards changed, or when the snapshot
is missing, damaged or of other code or thresholds, the full search runs and
writes a new snapshot. Like every cache: JSON under cards/.cache/, salted
with the user's secret, validated on reading (a bad snapshot is a miss).
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from fractions import Fraction
from hashlib import blake2b
from itertools import chain
from typing import Any, Sequence

from ...load import for_card_set
from ...model import CardSet
from ..similarity import STOP_WORDS, Prepared, _verify, common_limit, words

KIND = "pairs"
FORMAT = 3  # 3: a file's words one line per word (2: one line per word and card)
# More new cards than this (or a tenth of the deck) since the last full search: search everything again.
MAX_NEW = 2000
KEY_BYTES = 6

Pairs = list[tuple[int, int, float, float]]


def normal(question: str) -> str:
    """A question as the search compares it: its words, lower case, markup and punctuation dropped."""
    return " ".join(words(question))


def _content(normal_text: str) -> frozenset[str]:
    return frozenset(normal_text.split()) - STOP_WORDS


def _mark(normal_text: str, scope: str | None) -> str:
    """What a card is to the search: its question's words and its scope (48 bits, hex)."""
    return blake2b(f"{scope!r}\0{normal_text}".encode(), digest_size=KEY_BYTES).hexdigest()


def _context(min_jaccard: float, min_score: float) -> str:
    return repr((FORMAT, min_jaccard, min_score))


def _sharing(found: Counter, common: frozenset[str]) -> int:
    """Pairs of questions that share a distinctive word (once per word): a bound on one search's candidates."""
    return sum(n * (n - 1) // 2 for word, n in found.items() if n > 1 and word not in common)


def save(card_set: CardSet, min_jaccard: float, min_score: float, prepared: Prepared, pairs: Pairs) -> None:
    """Keep what a finished full search found (``prepared``: what the search read of the cards' questions,
    similarity.prepare: their content words, normalised wording and common words)."""
    stored = for_card_set(card_set)
    if stored is None:
        return
    cards = card_set.cards
    contents, normals, common = prepared.sets, prepared.normals, prepared.common
    scopes: dict[str | None, int] = {None: 0}
    members: dict[str | None, list[int]] = defaultdict(list)  # scope -> its cards
    codes: list[str] = []  # each card's scope, as one character
    for index, card in enumerate(cards):
        scope = card.scope
        code = scopes.get(scope)
        if code is None:
            code = scopes[scope] = len(scopes)
        codes.append(chr(_SCOPE_BASE + code))
        members[scope].append(index)
    loose = Counter(chain.from_iterable(map(contents.__getitem__, members.pop(None, ()))))
    bound = _sharing(loose, common) + sum(
        _sharing_with(Counter(chain.from_iterable(map(contents.__getitem__, indexes))), loose, common)
        for indexes in members.values())
    files, start = [], 0
    for display, file_key, file_cards in stored.files:
        end = start + len(file_cards)
        files.append([display, file_key, len(file_cards), _words_of(contents[start:end]),
                      " ".join([_mark(text, card.scope) for text, card in zip(normals[start:end], file_cards)]),
                      "".join(codes[start:end])])
        start = end
    stored.write_whole(KIND, _context(min_jaccard, min_score), {
        "files": files, "scopes": list(scopes), "common": sorted(common), "bound": bound,
        "pairs": [list(pair) for pair in pairs],
    })


def _sharing_with(found: Counter, loose: Counter, common: frozenset[str]) -> int:
    """``_sharing(found + loose, common)`` (a scope's search, with the unscoped cards), from ``_sharing(loose)``
    and the scope's own words: every scope's search no longer copies the unscoped cards' counts."""
    added = 0
    for word, n in found.items():
        if word not in common:
            before = loose.get(word, 0)
            added += (n + before) * (n + before - 1) // 2 - before * (before - 1) // 2
    return _sharing(loose, common) + added


def _words_of(contents: Sequence[frozenset[str]]) -> str:
    """A file's cards' content words as one line per word, "word i j k" (the cards holding it, ascending),
    the lines sorted: a word's line is then found by bisection (``_holding``). (One string: JSON reads it at
    once; a word once a line, not once per card: half the size, a third of the making.)"""
    names = list(map(str, range(len(contents))))
    holders: dict[str, list[str]] = defaultdict(list)
    for name, found in zip(names, contents):
        for word in found:
            holders[word].append(name)
    return "\n".join([word + " " + " ".join(holders[word]) for word in sorted(holders)])


def _indexes(text: str, count: int) -> list[int] | None:
    """The cards a line names after its word, if each is one of the file's ``count``, written as _words_of
    writes them (ascending, no sign or leading zero: else a card could be named twice)."""
    found = []
    for part in text.split(" "):
        if not (part.isascii() and part.isdigit()):
            return None
        number = int(part)
        if number >= count or str(number) != part or (found and number <= found[-1]):
            return None
        found.append(number)
    return found


def _holding(entries: list[str], word: str) -> tuple[int, int]:
    """The range of ``entries`` about ``word`` (a space sorts before every letter and digit): one line, or
    none (more: not what _words_of writes)."""
    return bisect_left(entries, word + " "), bisect_left(entries, word + "!")


_SCOPE_BASE = 0x30  # a card's scope is one character of its file's scope string: "0" unscoped, then "1", ...
_WORD = re.compile(r"[a-z0-9]+")
_MARKS = re.compile(r"(?:[0-9a-f]{%d}(?: [0-9a-f]{%d})*)?" % (2 * KEY_BYTES, 2 * KEY_BYTES))


def _valid(snapshot: Any) -> bool:
    if not (type(snapshot) is dict and type(snapshot.get("files")) is list and type(snapshot.get("pairs")) is list
            and type(snapshot.get("scopes")) is list and type(snapshot.get("common")) is list
            and type(snapshot.get("bound")) is int):
        return False
    scopes = snapshot["scopes"]
    if not (scopes[:1] == [None] and all(type(s) is str for s in scopes[1:]) and len(set(scopes)) == len(scopes)
            and all(type(w) is str for w in snapshot["common"])):
        return False
    total = 0
    for item in snapshot["files"]:
        if not (type(item) is list and len(item) == 6 and type(item[0]) is str and type(item[1]) is str
                and type(item[2]) is int and item[2] >= 0 and all(type(s) is str for s in item[3:])):
            return False
        count, cards, marks, codes = item[2:]
        # Only the shape here: entries, marks and scopes are checked where they are read (most never are).
        if type(cards) is not str or len(codes) != count:
            return False
        total += count
    for pair in snapshot["pairs"]:
        if not (type(pair) is list and len(pair) == 4 and type(pair[0]) is int and type(pair[1]) is int
                and 0 <= pair[0] < pair[1] < total and type(pair[2]) is float and type(pair[3]) is float):
            return False
    return True


def update(card_set: CardSet, min_jaccard: float, min_score: float, max_pairs: int,
           max_comparisons: int) -> Pairs | None:
    """The search's pairs from the last snapshot and the cards that changed since; None: search everything
    (also where the search, with its budget of ``max_pairs`` and ``max_comparisons``, would stop)."""
    stored = for_card_set(card_set)
    if stored is None:
        return None
    snapshot = stored.read_whole(KIND, _context(min_jaccard, min_score))
    if not _valid(snapshot):
        return None
    scope_names = snapshot["scopes"]
    old_files: dict[str, tuple[str, int, list[str], list[str], str, int]] = {}
    old_start = 0
    for item in snapshot["files"]:
        display, file_key, count, joined, marks, codes = item
        entries = joined.split("\n") if joined else []
        if not all(map(operator.lt, entries, entries[1:])):  # strictly sorted, or bisection finds nonsense
            return None
        item[3] = entries
        old_files[display] = (file_key, count, entries, marks, codes, old_start)
        old_start += count
    old_total = old_start
    cards = card_set.cards
    total = len(cards)
    if common_limit(total) != common_limit(old_total):
        return None
    common = frozenset(snapshot["common"])

    # Which old card each current card is (None: new), and the old cards no longer there.
    old_index: dict[int, int] = {}  # old card -> current card
    new_cards: list[int] = []
    removed: list[tuple[frozenset[str], str | None]] = []  # content words, scope
    start = 0
    for display, file_key, file_cards in stored.files:
        previous = old_files.pop(display, None)
        if previous is not None and previous[0] == file_key and previous[1] == len(file_cards):
            old_index.update((previous[5] + i, start + i) for i in range(len(file_cards)))
            start += len(file_cards)
            continue
        waiting: dict[str, list[int]] = defaultdict(list)  # mark -> the old cards not yet matched
        if previous is not None and previous[1]:
            marks = previous[3]
            if not (_MARKS.fullmatch(marks) and len(marks) == previous[1] * (2 * KEY_BYTES + 1) - 1):
                return None
            for i, mark in enumerate(marks.split(" ")):
                waiting[mark].append(i)
        for i, card in enumerate(file_cards):
            matches = waiting.get(_mark(normal(card.question), card.scope))
            if matches:
                old_index[previous[5] + matches.pop(0)] = start + i
            else:
                new_cards.append(start + i)
        if previous is not None and previous[1]:
            left = {i for indexes in waiting.values() for i in indexes}
            if left:
                contents = _contents(previous[2], previous[1])
                if contents is None:
                    return None
                for i in sorted(left):
                    scope = _scope(previous[4][i], scope_names)
                    if scope is False:
                        return None
                    removed.append((contents[i], scope))
        start += len(file_cards)
    for _, count, entries, _, codes, _ in old_files.values():  # files removed
        contents = _contents(entries, count)
        if contents is None:
            return None
        for found, code in zip(contents, codes):
            scope = _scope(code, scope_names)
            if scope is False:
                return None
            removed.append((found, scope))
    if len(new_cards) > min(MAX_NEW, max(total // 10, 1)):
        return None

    # The snapshot's cards holding a word of a changed card: how many hold each, and which old cards.
    normals = {index: normal(cards[index].question) for index in new_cards}
    added = Counter(word for index in new_cards for word in _content(normals[index]))
    taken = Counter(word for found, _ in removed for word in found)
    changed = set(added) | set(taken)
    holding: dict[str, list[int]] = defaultdict(list)
    before: Counter = Counter()
    for _, _, entries, _, _, first, count in _files(snapshot):
        if not entries:
            continue
        for word in changed:
            low, high = _holding(entries, word)
            if high == low:
                continue
            indexes = _indexes(entries[low][len(word) + 1:], count) if high == low + 1 else None
            if indexes is None:
                return None
            before[word] += len(indexes)
            if word not in common:  # (the cards holding a common word are never candidates)
                holding[word].extend(first + index for index in indexes)
    old_limit, limit = common_limit(old_total), common_limit(total)
    for word in changed:
        before_count = before[word]
        if (before_count > old_limit) != (word in common):
            return None  # not the counts its common words came from
        if (before_count - taken[word] + added[word] > limit) != (word in common):
            return None  # the common words moved: every pair may have

    # Could the full search have met its budget? See the docstring.
    scoped = {scope for scope in (card.scope for card in cards) if scope is not None}
    if not scoped <= set(scope_names[1:]):
        return None  # a new scope is a new search, with every unscoped card again: not in the bound
    bound = snapshot["bound"]
    for index in new_cards:
        searches = 1 if cards[index].scope is not None else 1 + len(scoped)
        bound += searches * limit * len(_content(normals[index]) - common)
    if bound > max_comparisons:
        return None

    # The pairs between unchanged cards stand; each new card is compared with every card sharing a word.
    pairs: dict[tuple[int, int], tuple[float, float]] = {}
    for first, second, jaccard, score in snapshot["pairs"]:
        a, b = old_index.get(first), old_index.get(second)
        if a is not None and b is not None:
            pairs[(min(a, b), max(a, b))] = (jaccard, score)
    threshold = Fraction(str(min_jaccard))
    new_set = set(new_cards)
    for index in new_cards:
        text = normals[index]
        distinctive = _content(text) - common
        others = {old_index[old] for word in distinctive for old in holding.get(word, ()) if old in old_index}
        others.update(other for other in new_cards if other < index and not distinctive.isdisjoint(
            _content(normals[other])))
        scope = cards[index].scope
        for other in others:
            other_scope = cards[other].scope
            if scope is not None and other_scope is not None and scope != other_scope:
                continue
            other_text = normals[other] if other in new_set else normal(cards[other].question)
            sets = [_content(text), _content(other_text)]
            found = _verify(0, 1, sets, [s - common for s in sets], [text, other_text], threshold, min_score,
                            lambda i, j: text != other_text)
            if found is not None:
                pairs[(min(index, other), max(index, other))] = (found.jaccard, found.score)

    # The pairs the full search would count: a pair of two unscoped cards once per search.
    both_loose = sum(1 for a, b in pairs if cards[a].scope is None and cards[b].scope is None)
    if len(pairs) + both_loose * len(scoped) > max_pairs:
        return None
    return [(a, b, jaccard, score) for (a, b), (jaccard, score) in sorted(pairs.items())]


def _files(snapshot: dict) -> list[tuple[str, str, list[str], str, str, int, int]]:
    found, start = [], 0
    for display, file_key, count, cards, marks, codes in snapshot["files"]:
        found.append((display, file_key, cards, marks, codes, start, count))
        start += count
    return found


def _contents(entries: list[str], count: int) -> list[frozenset[str]] | None:
    """Each card's content words, from its file's entries (None: an entry that _words_of does not write)."""
    contents: list[set[str]] = [set() for _ in range(count)]
    for entry in entries:
        word, _, text = entry.partition(" ")
        indexes = _indexes(text, count)
        if indexes is None or not _WORD.fullmatch(word):
            return None
        for number in indexes:
            contents[number].add(word)
    return [frozenset(found) for found in contents]


def _scope(code: str, names: list) -> str | None | bool:
    """The scope a card's code names, or False when it names none."""
    number = ord(code) - _SCOPE_BASE
    return names[number] if 0 <= number < len(names) else False
