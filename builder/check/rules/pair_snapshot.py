"""The near-duplicate pairs of the last check, kept on disk, so a fresh check after an edit compares only the
edited cards with the rest.

The search (pairs.py, similarity.py) is 1.5 s of work at 50,000 cards, and
after a one-card edit a fresh ``check`` did all of it again. A pair depends
only on its two questions and scopes and on which words are common in the
deck (similarity.common_words); so this snapshot keeps, from the last search,
each file's questions (normalised: what the comparison reads, one line a
card) and scopes by the file's parse-cache key, a bound on the search's
candidates, and the pairs. On
the next run (the snapshot stays that of the last full search, so it is
written only then):

* the cards of unchanged files are the same questions; a changed file's cards
  are matched to its old ones by question and scope (the normalised
  questions themselves: exactly), and only the unmatched ones are new;
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

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from fractions import Fraction
from itertools import accumulate, chain
from typing import Any

from ...load import for_card_set
from ...model import CardSet
from ..similarity import STOP_WORDS, Prepared, _verify, common_limit, words

KIND = "pairs"
# 4: a file's normalised questions, one line a card, instead of (2, 3) its words with the cards holding each
# and a blake2b mark of each card: the search has them already (3 was one line per word, on this branch only).
FORMAT = 4
# More new cards than this (or a tenth of the deck) since the last full search: search everything again.
MAX_NEW = 2000

Pairs = list[tuple[int, int, float, float]]


def normal(question: str) -> str:
    """A question as the search compares it: its words, lower case, markup and punctuation dropped."""
    return " ".join(words(question))


def _content(normal_text: str) -> frozenset[str]:
    return frozenset(normal_text.split()) - STOP_WORDS


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
        files.append([display, file_key, len(file_cards), "\n".join(normals[start:end]), "".join(codes[start:end])])
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


_SCOPE_BASE = 0x30  # a card's scope is one character of its file's scope string: "0" unscoped, then "1", ...
# A file's normalised questions as save writes them: words of [a-z0-9] (similarity.words) split by spaces, one
# question a line. (Only those characters: then a word found between spaces or line ends is one of the
# question's words exactly as str.split reads them.)
_NORMALS = re.compile(r"[a-z0-9 \n]*")


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
        if not (type(item) is list and len(item) == 5 and type(item[0]) is str and type(item[1]) is str
                and type(item[2]) is int and item[2] >= 0 and type(item[3]) is str and type(item[4]) is str):
            return False
        count, text, codes = item[2:]
        # One line a card (a file of no cards: no text); the scopes are checked where they are read.
        if not (len(codes) == count and (text.count("\n") == count - 1 if count else text == "")
                and _NORMALS.fullmatch(text)):
            return False
        total += count
    if len({item[0] for item in snapshot["files"]}) != len(snapshot["files"]):
        return False  # a file said twice: the cards of one would be neither kept nor gone
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
    code_of = {name: chr(_SCOPE_BASE + number) for number, name in enumerate(scope_names)}
    old_files: dict[str, tuple[str, int, str, str, int]] = {}
    old_start = 0
    for display, file_key, count, text, codes in snapshot["files"]:
        old_files[display] = (file_key, count, text, codes, old_start)
        old_start += count
    old_total = old_start
    old_text = "\n".join([text for _, _, count, text, _ in snapshot["files"] if count])  # line i: old card i
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
            old_index.update((previous[4] + i, start + i) for i in range(len(file_cards)))
            start += len(file_cards)
            continue
        # (normalised question, scope's character) -> the old cards not yet matched
        waiting: dict[tuple[str, str], list[int]] = defaultdict(list)
        if previous is not None and previous[1]:
            for i, question in enumerate(zip(previous[2].split("\n"), previous[3])):
                waiting[question].append(i)
        for i, card in enumerate(file_cards):
            code = code_of.get(card.scope)  # (a scope the snapshot never saw: a new card)
            matches = waiting.get((normal(card.question), code)) if code is not None else None
            if matches:
                old_index[previous[4] + matches.pop(0)] = start + i
            else:
                new_cards.append(start + i)
        left = sorted(i for indexes in waiting.values() for i in indexes)
        if left:
            lines = previous[2].split("\n")
            for i in left:
                scope = _scope(previous[3][i], scope_names)
                if scope is False:
                    return None
                removed.append((_content(lines[i]), scope))
        start += len(file_cards)
    for _, count, text, codes, _ in old_files.values():  # files removed
        for line, code in zip(text.split("\n") if count else [], codes):
            scope = _scope(code, scope_names)
            if scope is False:
                return None
            removed.append((_content(line), scope))
    if len(new_cards) > min(MAX_NEW, max(total // 10, 1)):
        return None

    # The snapshot's cards holding a word of a changed card: how many hold each, and which old cards.
    normals = {index: normal(cards[index].question) for index in new_cards}
    added = Counter(word for index in new_cards for word in _content(normals[index]))
    taken = Counter(word for found, _ in removed for word in found)
    changed = set(added) | set(taken)
    holding: dict[str, list[int]] = {}
    before: Counter = Counter()
    starts: list[int] = []  # where each old card's line begins in old_text (made when first needed)
    old_limit, limit = common_limit(old_total), common_limit(total)
    for word in changed:
        # Past this many holders a word is common before and after, as the checks below need to know, and no
        # common word's holders are needed: a word in every card is not counted to 50,000.
        enough = max(old_limit, limit + taken[word] - added[word]) + 1
        at = old_text.find(word)
        if at >= 0 and not starts:
            starts = list(accumulate((len(line) + 1 for line in old_text.split("\n")[:-1]), initial=0))
        found: list[int] = []  # the old cards holding the word, each once
        while at >= 0 and len(found) < enough:
            end = at + len(word)
            if (at == 0 or old_text[at - 1] in " \n") and (end == len(old_text) or old_text[end] in " \n"):
                card = bisect_right(starts, at) - 1
                if not found or found[-1] != card:
                    found.append(card)
            at = old_text.find(word, end)
        before[word] = len(found)
        if word not in common:  # (the cards holding a common word are never candidates)
            holding[word] = found
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


def _scope(code: str, names: list) -> str | None | bool:
    """The scope a card's code names, or False when it names none."""
    number = ord(code) - _SCOPE_BASE
    return names[number] if 0 <= number < len(names) else False
