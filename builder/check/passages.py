"""Where a figure stands in a source text: its section, its sentence, and what that sentence is about.

A source states "~98%" in a bullet under "Dermal leiomyosarcoma:", and "~88%"
in one under "Subcutaneous leiomyosarcoma:". To ground a card's figure we
need more than "the page has 98% somewhere": the figure must be carried by a
passage of the cited section whose words match the card's. A :class:`Layout`
is read once per source text (with ``check --sources``):

* **sections**: a heading is a line a card cites as a section, or a line that
  looks like one (alone between blank lines, unindented, short, no closing
  punctuation, and either a question or in Title Case). A section runs from
  its heading to the next heading after some content, so a sub-heading right
  under a heading ("Treatment Recommendations" / "Primary Treatment") stays in it;
* **passages**: one per sentence, with the words of its *context*: the lines
  it is nested under (a bullet's parents, by indentation; the nearest counts
  fully, a list's lead-in less) and, for a short unnested line such as a
  table cell ("63%"), the lines around it;
* **quantities**: every figure of every passage (see quantities.py).

Words are compared by a crude stem (their first five letters: "metastasis",
"metastatic" and "metastasize" are one word) and weighed by how rare they are
in the source, so that "dermal" counts and "leiomyosarcoma" hardly does.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from .quantities import Quantity, ordinals, quantities
from .similarity import STOP_WORDS

_WORD = re.compile(r"[a-zA-Z][a-zA-Z'’]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"(])")
_BULLET = re.compile(r"^[\s•\-*·▪◦]+")
_NOT_CONTEXT = STOP_WORDS | frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand first second third "
    "fourth fifth percent cm mm s t not no has have had your you their they them also than then there".split())
STEM = 5
SHORT_LINE = 4  # words: a line this short (a table cell) takes its meaning from the lines around it
NEIGHBOURS = 2  # lines each side of a short line
NEIGHBOUR_WEIGHT = 0.7  # a table cell's labels
FAR_PARENT_WEIGHT = 0.5  # a list's lead-in, above the item's own parent
ANCESTOR_LINES = 60  # how far back a bullet's parents are looked for


# Words repeat (Zipf): the rules stem a million at 50,000 cards, from a vocabulary of some thousands.
@functools.lru_cache(maxsize=1 << 14)
def stem(word: str) -> str:
    word = word.lower().replace("’", "'").split("'")[0]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]  # "years" is "year", "tumours" "tumour"
    return word[:STEM]


def stems(text: str) -> dict[str, str]:
    """Stem -> the first word written with it, for the words that can say what a figure is about."""
    found: dict[str, str] = {}
    for word in _WORD.findall(text):
        lower = word.lower()
        if lower in _NOT_CONTEXT or len(lower) < 2:
            continue
        found.setdefault(stem(lower), word)
    return found


def normal_heading(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.replace("’", "'").lower()))


@dataclass(frozen=True)
class Passage:
    line: int  # 0-based line of the source text
    sentence: str
    own: Mapping[str, str]  # stems of the sentence itself
    # Stems of the sentence, its parents and (table cells) its neighbours, each with how much it
    # speaks for the passage: the sentence and its nearest parent fully, the rest less.
    context: Mapping[str, float]
    about: Mapping[str, str]  # stems of the sentence and its parents: what it is about (for messages)


@dataclass(frozen=True)
class PlacedFigure:
    """A figure of a source text, and the passage it stands in."""

    quantity: Quantity
    passage: int  # index into Layout.passages


@dataclass(frozen=True)
class Layout:
    lines: tuple[str, ...]
    headings: frozenset[int]  # line numbers
    passages: tuple[Passage, ...]
    figures: tuple[PlacedFigure, ...]
    idf: Mapping[str, float] = field(default_factory=dict)
    # Memo of section() (the same few sections are cited by thousands of cards).
    _sections: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, text: str, cited_sections: Iterable[str] = ()) -> Layout:
        lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        cited = {normal_heading(s) for s in cited_sections}
        headings = frozenset(i for i, line in enumerate(lines) if normal_heading(line) in cited
                             or _looks_like_heading(lines, i))
        heading_set = headings
        passages: list[Passage] = []
        figures: list[PlacedFigure] = []
        for i, line in enumerate(lines):
            content = _BULLET.sub("", line).strip()
            if not content or i in heading_set:
                continue
            parents = _parents(lines, i, heading_set)
            around: dict[str, str] = {}
            if not parents and len(_WORD.findall(content)) < SHORT_LINE:
                # a table cell ("63%"): its row and column labels are the lines around it
                for j in range(max(0, i - NEIGHBOURS), min(len(lines), i + NEIGHBOURS + 1)):
                    if j != i and j not in heading_set:
                        around |= stems(lines[j])
            parent_stems: dict[str, str] = {}
            weights: dict[str, float] = {s: NEIGHBOUR_WEIGHT for s in around}
            for depth, j in enumerate(parents):
                found = stems(lines[j])
                parent_stems = found | parent_stems
                for s in found:
                    weights[s] = max(weights.get(s, 0.0), 1.0 if depth == 0 else FAR_PARENT_WEIGHT)
            for sentence in _SENTENCE_END.split(content):
                own = stems(sentence)
                index = len(passages)
                context = dict(weights) | {s: 1.0 for s in own}
                passages.append(Passage(i, sentence, own, context, {**around, **parent_stems, **own}))
                for q in quantities(sentence):
                    figures.append(PlacedFigure(q, index))
                for q in ordinals(sentence):
                    figures.append(PlacedFigure(q, index))
        counts = Counter(s for p in passages for s in p.own)
        total = len(passages) + 1
        idf = {s: math.log(total / (n + 1)) + 0.05 for s, n in counts.items()}
        return cls(lines, headings, tuple(passages), tuple(figures), idf)

    def section(self, name: str) -> tuple[tuple[int, int], ...] | None:
        """The line ranges [start, end) of every section headed ``name``, or None if the text has no such heading.

        A captured page can repeat a heading (its title in the navigation, then above the text): each copy
        heads a section, and a card citing it is grounded by any of them.
        """
        if name not in self._sections:
            self._sections[name] = self._find_section(name)
        return self._sections[name]

    def _find_section(self, name: str) -> tuple[tuple[int, int], ...] | None:
        wanted = normal_heading(name)
        if not wanted:
            return None
        starts = [i for i in sorted(self.headings) if normal_heading(self.lines[i]) == wanted]
        if not starts:
            starts = [i for i, line in enumerate(self.lines) if normal_heading(line) == wanted][:1]
        if not starts:
            return None
        return tuple(self._section_from(start) for start in starts)

    def _section_from(self, start: int) -> tuple[int, int]:
        content = False
        for i in range(start + 1, len(self.lines)):
            if i in self.headings:
                if content:
                    return start, i
            elif self.lines[i].strip():
                content = True
        return start, len(self.lines)

    def figures_in(self, spans: tuple[tuple[int, int], ...] | None) -> list[PlacedFigure]:
        key = ("figures", spans)
        if key not in self._sections:
            if spans is None:
                self._sections[key] = list(self.figures)
            else:
                self._sections[key] = [f for f in self.figures
                                       if any(a <= self.passages[f.passage].line < b for a, b in spans)]
        return self._sections[key]

    def score(self, passage: Passage, weights: Mapping[str, float]) -> float:
        """How well a passage's context matches a card's words (each weighed by its rarity in the source)."""
        context = passage.context
        return sum(w * context[s] * self.idf.get(s, 0.0) for s, w in weights.items() if s in context)


def _looks_like_heading(lines: tuple[str, ...], i: int) -> bool:
    line = lines[i]
    text = line.strip()
    if not text or line[:1].isspace() or len(text.split()) > 12 or text[-1] in ".,;:!":
        return False
    if (i > 0 and lines[i - 1].strip()) or (i + 1 < len(lines) and lines[i + 1].strip()):
        return False
    if text.endswith("?"):
        return True
    long_words = [w for w in re.findall(r"[A-Za-z]+", text) if len(w) > 3]
    return len(text.split()) >= 2 and bool(long_words) and all(w[0].isupper() for w in long_words)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _parents(lines: tuple[str, ...], i: int, headings: set[int]) -> list[int]:
    """The lines a nested line hangs from: each earlier line indented less than everything after it."""
    level = _indent(lines[i])
    parents = []
    for j in range(i - 1, max(-1, i - ANCESTOR_LINES), -1):
        if level == 0 or j in headings:
            break
        if lines[j].strip() and _indent(lines[j]) < level:
            parents.append(j)
            level = _indent(lines[j])
    return parents
