"""Finding near-duplicate questions among tens of thousands without comparing all pairs.

Two questions are near-duplicates when

* their *content words* (lower-case words, stop words dropped) overlap with
  a Jaccard similarity of at least ``min_jaccard``,
* so do their *distinctive* words: the content words that are not common in
  this deck (see ``common_words``), and
* rapidfuzz's ``token_sort_ratio`` of the normalised texts is at least
  ``min_score`` (it weighs the whole wording, so a shared rare word alone
  does not make two questions alike).

The second condition is what a reader means by "asks the same thing": two
questions built on one template ("In which year did the battle of X take
place?") share every common word and differ in the one that matters, so a
template deck does not flood the report. It also bounds the search: a word
in more than a few hundred questions is never a candidate key, so no
vocabulary, however small, makes the search quadratic.

Comparing all pairs is quadratic: 1.25 billion comparisons at 50,000 cards.
The first condition lets us skip almost all of them *exactly*, with prefix
filtering (Chaudhuri et al. 2006; Bayardo et al. 2007): order every word by
how rare it is; if two sets have Jaccard >= t, then the first
``|x| - ceil(t*|x|) + 1`` words of x (rarest first) share at least one word
with the corresponding prefix of y. So only pairs sharing a rare prefix word
are candidates (the prefixes are taken from the distinctive words, which the
second condition bounds), and the result is identical to the exhaustive
comparison (``similar_pairs_exhaustively``, kept for tests and as the
definition).
"""

from __future__ import annotations

import functools
import operator
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain
from sys import intern
from typing import Callable, Hashable, NamedTuple, Sequence

from rapidfuzz import fuzz

STOP_WORDS = frozenset(
    "a an the of in on at to for from by with and or nor but is are was were be been being what which who whom "
    "whose how why when where does do did can could should would will shall may might must it its this that these "
    "those as than into about per".split()
)
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^{}]*?)?\}\}", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[a-z0-9]+")
# A cloze deletion's answer, for _CLOZE.sub: what the template r"\1" gives, without its expansion in Python for
# every match (a third of the cost of reading a cloze card's words).
_ANSWER = operator.methodcaller("group", 1)


@functools.lru_cache(maxsize=1 << 18)  # many checks look at the same fields' words
def words(text: str) -> tuple[str, ...]:
    """Lower-case words of a field: cloze answers inlined, markup and punctuation dropped."""
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "{{" in text:
        text = _CLOZE.sub(_ANSWER, text)
    # Interned: a deck has some thousands of words, written millions of times; held once each, the memo of
    # every field's words shrinks by a third at 50,000 cards (and equal words compare by identity).
    return tuple(map(intern, _WORD.findall(text.casefold())))


def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text) if w not in STOP_WORDS)


# A word is common in a deck when more questions than this hold it: more
# than a twentieth of them, but at least COMMON_MIN (a small deck keeps every
# word) and at most COMMON_MAX (which bounds every candidate list).
COMMON_SHARE = 0.05
COMMON_MIN = 20
COMMON_MAX = 200


def common_limit(questions: int) -> int:
    return int(max(COMMON_MIN, min(COMMON_SHARE * questions, COMMON_MAX)))


def common_words(sets: Sequence[frozenset[str]]) -> frozenset[str]:
    """The deck's own stop words: its subject, a template's fixed wording, a tiny vocabulary's every word."""
    limit = common_limit(len(sets))
    frequency = Counter(chain.from_iterable(sets))
    return frozenset(word for word, count in frequency.items() if count > limit)


@dataclass(frozen=True)
class SimilarPair:
    first: int  # indexes into the texts, first < second
    second: int
    jaccard: float
    score: float  # rapidfuzz token_sort_ratio, 0-100


class Prepared(NamedTuple):
    """What the search reads of each text, made once (``prepare``): the snapshot of the search keeps it too."""

    sets: list[frozenset[str]]  # each text's content words
    distinctive: list[frozenset[str]]  # its content words less the common ones
    normals: list[str]  # its normalised wording: its words, space-separated
    common: frozenset[str]  # common_words(sets)


def prepare(texts: Sequence[str]) -> Prepared:
    sets, normals = [], []
    for text in texts:
        found = words(text)
        normals.append(" ".join(found))
        sets.append(frozenset(found) - STOP_WORDS)  # (content_words, without a Python loop over the words)
    common = common_words(sets)
    return Prepared(sets, [s - common for s in sets] if common else sets, normals, common)


def _prepare(texts: Sequence[str]) -> tuple[list[frozenset[str]], list[frozenset[str]], list[str]]:
    """Each text's content words, its distinctive words and its normalised wording."""
    sets = [content_words(t) for t in texts]
    common = common_words(sets)
    distinctive = [s - common for s in sets] if common else sets
    return sets, distinctive, [" ".join(words(t)) for t in texts]


def _jaccard(a: frozenset[str], b: frozenset[str], threshold: Fraction) -> float | None:
    """Their Jaccard similarity if it reaches ``threshold`` (compared exactly, in integers), else None."""
    shared = len(a & b)
    union = len(a) + len(b) - shared
    if not union or shared * threshold.denominator < threshold.numerator * union:
        return None
    return shared / union


def _verify(i: int, j: int, sets, distinctive, normals, threshold: Fraction, min_score: float,
            compatible: Callable[[int, int], bool] | None) -> SimilarPair | None:
    if _jaccard(distinctive[i], distinctive[j], threshold) is None:
        return None
    jaccard = _jaccard(sets[i], sets[j], threshold)
    if jaccard is None or compatible is not None and not compatible(i, j):
        return None
    score = fuzz.token_sort_ratio(normals[i], normals[j], score_cutoff=min_score)
    if not score:
        return None
    return SimilarPair(min(i, j), max(i, j), jaccard, score)


class TooManyPairs(Exception):
    """The search met more near-duplicates (or candidates) than a report can use: a file written to make
    every question resemble every other (60,000 of them would be 1.8 billion pairs) stops here."""

    def __init__(self, record: int, found: list[SimilarPair]):
        super().__init__(record)
        self.record = record  # the record being searched when the budget ran out
        self.found = found  # the pairs found until then


class Budget:
    """How many pairs a search may report and candidates it may verify before it stops (TooManyPairs)."""

    def __init__(self, pairs: int, comparisons: int):
        self.pairs = pairs
        self.comparisons = comparisons
        self.found = 0
        self.compared = 0


def similar_pairs(
    texts: Sequence[str],
    min_jaccard: float,
    min_score: float,
    compatible: Callable[[int, int], bool] | None = None,
    groups: Sequence[Hashable | None] | None = None,
    budget: Budget | None = None,
    prepared: Prepared | None = None,
) -> list[SimilarPair]:
    """All near-duplicate pairs, found through prefix filtering (no all-pairs comparison).

    ``groups`` is an exact blocking key: records of two different groups are
    never compared (None: a record that may pair with any group). Each group
    is searched on its own, with the ungrouped records. ``prepared``: what
    ``prepare(texts)`` gives, when the caller has it already.
    """
    sets, distinctive, normals, _ = prepare(texts) if prepared is None else prepared
    rank = _rarity_ranks(distinctive)
    search = (sets, distinctive, normals, rank, min_jaccard, min_score, compatible, budget)
    if groups is None:
        found = _pairs_within(list(range(len(texts))), *search)
        return sorted(found, key=lambda p: (p.first, p.second))
    members: dict[Hashable, list[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        members[group].append(index)
    loose = members.pop(None, [])
    found = []
    try:
        found += _pairs_within(loose, *search)
        for indexes in members.values():
            own = set(indexes)
            found += [p for p in _pairs_within(indexes + loose, *search)
                      if p.first in own or p.second in own]  # pairs of two loose records are found once, above
    except TooManyPairs as stopped:
        raise TooManyPairs(stopped.record, sorted(found + stopped.found, key=lambda p: (p.first, p.second))) from None
    return sorted(found, key=lambda p: (p.first, p.second))


def _rarity_ranks(sets: list[frozenset[str]]) -> dict[str, int]:
    """Each word's place in the order rarest first (ties by the word): one order for every group.

    Prefix filtering is exact under any fixed order; rarest first keeps the candidates few.
    """
    frequency = Counter(chain.from_iterable(sets))
    return {word: rank for rank, word in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}


def _pairs_within(
    indexes: list[int],
    full_sets: list[frozenset[str]],
    sets: list[frozenset[str]],  # the distinctive words: prefixes come from them
    normals: list[str],
    rank: dict[str, int],
    min_jaccard: float,
    min_score: float,
    compatible: Callable[[int, int], bool] | None,
    budget: Budget | None = None,
) -> list[SimilarPair]:
    """Prefix-filtered search among ``indexes``.

    Three exact filters keep the candidates few (All-Pairs, Bayardo et al.
    2007; PPJoin, Xiao et al. 2008). Records go in by increasing size, so each
    word's postings are ordered by size and a pointer skips, for good, the ones
    too small to match. A record y is probed only by records at least as
    large, which need an overlap of at least 2t/(1+t)|y| with it, so y is
    indexed under a shorter prefix than it probes with. And when x and y share
    a word at positions i and j of their rarity order, at most 1 + min(|x|-i-1,
    |y|-j-1) more can be shared: a pair that can no longer reach the overlap
    Jaccard >= t requires is dropped on the spot.
    """
    threshold = Fraction(str(min_jaccard))
    t_num, t_den = threshold.numerator, threshold.denominator
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)  # word -> [(record, position of word)]
    skip: dict[str, int] = defaultdict(int)
    sizes = [len(s) for s in sets]
    found = []
    for x in sorted(indexes, key=sizes.__getitem__):
        size = sizes[x]
        if not size:
            continue
        needed = -(-t_num * size // t_den)  # ceil(t * |x|): Jaccard >= t needs |x & y| >= t|x|, |y| >= t|x|
        ordered = sorted(sets[x], key=rank.__getitem__)
        indexed = size - (-(-2 * t_num * size // (t_num + t_den))) + 1  # |x| - ceil(2t/(1+t)|x|) + 1
        overlap: dict[int, int] = {}
        for i, word in enumerate(ordered[:size - needed + 1]):
            listed = postings[word]
            start = skip[word]
            while start < len(listed) and sizes[listed[start][0]] < needed:
                start += 1
            skip[word] = start
            for y, j in listed[start:]:
                seen = overlap.get(y, 0)
                if seen < 0:
                    continue  # already pruned
                # |x & y| >= t/(1+t) * (|x| + |y|) is equivalent to Jaccard >= t.
                required = -(-t_num * (size + sizes[y]) // (t_num + t_den))
                if seen + 1 + min(size - i - 1, sizes[y] - j - 1) >= required:
                    overlap[y] = seen + 1
                else:
                    overlap[y] = -1
            if i < indexed:
                listed.append((x, i))
        candidates = [y for y, seen in overlap.items() if seen > 0]
        if budget is not None:
            budget.compared += len(candidates)
            if budget.compared > budget.comparisons:
                raise TooManyPairs(x, found)
        for y in candidates:
            pair = _verify(x, y, full_sets, sets, normals, threshold, min_score, compatible)
            if pair is not None:
                found.append(pair)
                if budget is not None:
                    budget.found += 1
                    if budget.found > budget.pairs:
                        raise TooManyPairs(x, found)
    return found


class PairIndex:
    """The near-duplicate pairs of a changing collection, updated at the cost of what changed.

    ``watch`` re-checks after every save, and a save changes a few records of
    tens of thousands. A record is an object (a Card) with its text and group,
    known by identity: the index holds the object, so an unchanged record is
    the very same object, with the same text and group. Each update forgets
    the records that left and compares each new one with the others.

    The comparison is prefix filtering again, with one word order fixed for
    the index's life: the rarity ranks of its first batch, words seen later
    ranked rarest (any fixed order keeps the filter exact; rarity keeps it
    quick). Every record is listed under the words of its prefix, and a new
    record is compared only with the records listed under its own prefix
    words. Which words are common depends on the whole collection: when a
    save changes that set, the index searches everything again. The result
    equals ``similar_pairs`` on the same texts (tested).
    """

    BATCH_MIN = 1000  # more new records than this (or a tenth of all): search them all at once

    def __init__(self, min_jaccard: float, min_score: float,
                 compatible: Callable[[str, str], bool] | None = None):
        self.min_jaccard = min_jaccard
        self.threshold = Fraction(str(min_jaccard))
        self.min_score = min_score
        self.compatible = compatible  # called with the two records' normalised texts
        self._rank: dict[str, int] = {}  # the word order, set by the first batch search
        # id(record) -> (record, content words, normalised text, group)
        self._records: dict[int, tuple[object, frozenset[str], str, Hashable | None]] = {}
        self._postings: dict[str, set[int]] = defaultdict(set)  # prefix word -> records
        self._pairs: dict[int, dict[int, tuple[float, float]]] = defaultdict(dict)  # both directions
        self._frequency: Counter[str] = Counter()  # how many records hold each content word
        self._common: frozenset[str] = frozenset()  # common_words() of the records, as last searched
        # Where the last update's batch search ran out of budget (an index into its records), or None.
        self.stopped: int | None = None

    def update(self, records: Sequence[tuple[object, str, Hashable | None]],
               budget: Budget | None = None) -> list[SimilarPair]:
        """All near-duplicate pairs among ``records`` (record, text, group), as indexes into it.

        With ``budget``, a batch search that exceeds it returns the pairs found until then, sets
        ``stopped``, and leaves the index empty: the next update searches everything again, exactly as
        a fresh check would."""
        current = {id(record): index for index, (record, _, _) in enumerate(records)}
        for key in [key for key in self._records if key not in current]:
            self._forget(key)
        added = [(id(record), record, text, group) for record, text, group in records
                 if id(record) not in self._records]
        batch = len(added) > max(self.BATCH_MIN, len(records) // 10)
        for key, record, text, group in added:
            found = content_words(text)
            self._records[key] = (record, found, " ".join(words(text)), group)
            self._frequency.update(found)
        limit = common_limit(len(records))
        common = frozenset(word for word, count in self._frequency.items() if count > limit)
        if common != self._common:  # the definition itself moved: nothing indexed so far still holds
            self._common = common
            batch = True
        self.stopped = None
        if batch:  # the first update, a large change, or new common words: the batch search
            try:
                self._search_all(records, budget)
            except TooManyPairs as too_many:
                self._records.clear()
                self._postings.clear()
                self._pairs.clear()
                self._frequency.clear()
                self._common = frozenset()
                self.stopped = too_many.record
                return too_many.found
        for key, _, _, _ in added:
            for word in self._prefix(key):
                self._postings[word].add(key)
        if not batch:
            for key, _, _, _ in added:
                self._search(key)
        pairs = [SimilarPair(current[a], current[b], jaccard, score)
                 for a, partners in self._pairs.items() for b, (jaccard, score) in partners.items()
                 if current[a] < current[b]]
        return sorted(pairs, key=lambda p: (p.first, p.second))

    def _prefix(self, key: int) -> list[str]:
        """The first |x| - ceil(t|x|) + 1 words of x in the index's order: two records with Jaccard >= t
        share at least one of them."""
        found = self._records[key][1] - self._common
        size = len(found)
        needed = -(-self.threshold.numerator * size // self.threshold.denominator)  # ceil(t|x|)
        rank = self._rank
        return sorted(found, key=lambda w: (rank.get(w, -1), w))[:size - needed + 1]

    def _search_all(self, records: Sequence[tuple[object, str, Hashable | None]],
                    budget: Budget | None = None) -> None:
        keys = [id(record) for record, _, _ in records]
        compatible = None
        if self.compatible is not None:
            normals = [self._records[key][2] for key in keys]
            compatible = lambda i, j: self.compatible(normals[i], normals[j])  # noqa: E731
        self._pairs.clear()
        self._postings.clear()
        self._rank = _rarity_ranks([self._records[key][1] - self._common for key in keys])
        pairs = similar_pairs([text for _, text, _ in records], self.min_jaccard, self.min_score, compatible,
                              groups=[group for _, _, group in records], budget=budget)
        for pair in pairs:
            a, b = keys[pair.first], keys[pair.second]
            self._pairs[a][b] = self._pairs[b][a] = (pair.jaccard, pair.score)
        for key in keys:  # every record is listed again under its prefix in the new order
            for word in self._prefix(key):
                self._postings[word].add(key)

    def _forget(self, key: int) -> None:
        for word in self._prefix(key):
            listed = self._postings[word]
            listed.discard(key)
            if not listed:
                del self._postings[word]
        self._frequency.subtract(self._records.pop(key)[1])
        for partner in self._pairs.pop(key, {}):
            self._pairs[partner].pop(key, None)

    def _search(self, key: int) -> None:
        _, found, normal, group = self._records[key]
        candidates = set().union(*(self._postings[w] for w in self._prefix(key)))
        candidates.discard(key)
        partners = self._pairs[key]
        for other in candidates:
            if other in partners:
                continue  # found from the other side already
            _, other_words, other_normal, other_group = self._records[other]
            if group is not None and other_group is not None and group != other_group:
                continue
            if _jaccard(found - self._common, other_words - self._common, self.threshold) is None:
                continue
            jaccard = _jaccard(found, other_words, self.threshold)
            if jaccard is None or self.compatible is not None and not self.compatible(normal, other_normal):
                continue
            score = fuzz.token_sort_ratio(normal, other_normal, score_cutoff=self.min_score)
            if score:
                partners[other] = self._pairs[other][key] = (jaccard, score)


def similar_pairs_exhaustively(
    texts: Sequence[str],
    min_jaccard: float,
    min_score: float,
    compatible: Callable[[int, int], bool] | None = None,
    groups: Sequence[Hashable | None] | None = None,
) -> list[SimilarPair]:
    """The definition: every pair compared. Quadratic; for tests and small inputs only."""
    threshold = Fraction(str(min_jaccard))
    sets, distinctive, normals = _prepare(texts)
    found = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if groups is not None and None not in (groups[i], groups[j]) and groups[i] != groups[j]:
                continue
            pair = _verify(i, j, sets, distinctive, normals, threshold, min_score, compatible)
            if pair is not None:
                found.append(pair)
    return found
