"""Finding near-duplicate questions among tens of thousands without comparing all pairs.

Two questions are near-duplicates when

* their *content words* (lower-case words, stop words dropped) overlap with
  a Jaccard similarity of at least ``min_jaccard``, and
* rapidfuzz's ``token_sort_ratio`` of the normalised texts is at least
  ``min_score`` (it weighs the whole wording, so a shared rare word alone
  does not make two questions alike).

Comparing all pairs is quadratic: 1.25 billion comparisons at 50,000 cards.
The first condition lets us skip almost all of them *exactly*, with prefix
filtering (Chaudhuri et al. 2006; Bayardo et al. 2007): order every word by
how rare it is; if two sets have Jaccard >= t, then the first
``|x| - ceil(t*|x|) + 1`` words of x (rarest first) share at least one word
with the corresponding prefix of y. So only pairs sharing a rare prefix word
are candidates, and the result is identical to the exhaustive comparison
(``similar_pairs_exhaustively``, kept for tests and as the definition).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Sequence

from rapidfuzz import fuzz

STOP_WORDS = frozenset(
    "a an the of in on at to for from by with and or nor but is are was were be been being what which who whom "
    "whose how why when where does do did can could should would will shall may might must it its this that these "
    "those as than into about per".split()
)
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^{}]*?)?\}\}", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-case words of a field: cloze answers inlined, markup and punctuation dropped."""
    return _WORD.findall(_TAG.sub(" ", _CLOZE.sub(r"\1", text)).casefold())


def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text) if w not in STOP_WORDS)


@dataclass(frozen=True)
class SimilarPair:
    first: int  # indexes into the texts, first < second
    second: int
    jaccard: float
    score: float  # rapidfuzz token_sort_ratio, 0-100


def _prepare(texts: Sequence[str]) -> tuple[list[frozenset[str]], list[str]]:
    return [content_words(t) for t in texts], [" ".join(words(t)) for t in texts]


def _verify(i: int, j: int, sets, normals, threshold: Fraction, min_score: float,
            compatible: Callable[[int, int], bool] | None) -> SimilarPair | None:
    a, b = sets[i], sets[j]
    shared = len(a & b)
    union = len(a) + len(b) - shared
    if not union or shared * threshold.denominator < threshold.numerator * union:
        return None
    if compatible is not None and not compatible(i, j):
        return None
    score = fuzz.token_sort_ratio(normals[i], normals[j], score_cutoff=min_score)
    if not score:
        return None
    return SimilarPair(min(i, j), max(i, j), shared / union, score)


def similar_pairs(
    texts: Sequence[str],
    min_jaccard: float,
    min_score: float,
    compatible: Callable[[int, int], bool] | None = None,
) -> list[SimilarPair]:
    """All near-duplicate pairs, found through prefix filtering (no all-pairs comparison).

    Two exact filters keep the candidates few (PPJoin, Xiao et al. 2008):
    records go in by increasing size, so each word's postings are ordered by
    size and a pointer skips, for good, the ones too small to match; and when
    x and y share a word at positions i and j of their rarity order, at most
    1 + min(|x|-i-1, |y|-j-1) more words can be shared, so a pair that can no
    longer reach the overlap Jaccard >= t requires is dropped on the spot.
    """
    threshold = Fraction(str(min_jaccard))
    t_num, t_den = threshold.numerator, threshold.denominator
    sets, normals = _prepare(texts)
    frequency = Counter(word for s in sets for word in s)
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)  # word -> [(record, position of word)]
    skip: dict[str, int] = defaultdict(int)
    sizes = [len(s) for s in sets]
    found = []
    for x in sorted(range(len(texts)), key=sizes.__getitem__):
        size = sizes[x]
        if not size:
            continue
        needed = -(-t_num * size // t_den)  # ceil(t * |x|): Jaccard >= t needs |x & y| >= t|x|, |y| >= t|x|
        ordered = sorted(sets[x], key=lambda w: (frequency[w], w))
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
            listed.append((x, i))
        for y, seen in overlap.items():
            if seen > 0:
                pair = _verify(x, y, sets, normals, threshold, min_score, compatible)
                if pair is not None:
                    found.append(pair)
    return sorted(found, key=lambda p: (p.first, p.second))


def similar_pairs_exhaustively(
    texts: Sequence[str],
    min_jaccard: float,
    min_score: float,
    compatible: Callable[[int, int], bool] | None = None,
) -> list[SimilarPair]:
    """The definition: every pair compared. Quadratic; for tests and small inputs only."""
    threshold = Fraction(str(min_jaccard))
    sets, normals = _prepare(texts)
    found = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            pair = _verify(i, j, sets, normals, threshold, min_score, compatible)
            if pair is not None:
                found.append(pair)
    return found
