"""Grounding data: the source texts a deck was written from, and the figures in them.

``deckbuilder check --sources DIR`` reads each source's captured text (the
``file`` named in sources.yaml), verifies it is the text the deck was written
against (its sha256), and extracts every figure in it, so that checks can ask
"does this number on the card appear in what the card cites?".

Figures are compared as normalised numerals. Sources often spell numbers out
("Sixty-three of 100 people", "five-year survival", "up to the fifth year"),
so number words and ordinals count as the numerals they stand for.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .codes import diagnostic
from .diagnostics import Diagnostic
from .model import CardSet
from .reading import UnsafeFile, link_problem, read_regular_file, reason

MAX_SOURCE_BYTES = 64 * 1024 * 1024  # a source text larger than this is not a text

# 15,000 / 49.9 / 2 / 100,000 (digits inside words too: CD117, C49.9)
_NUMERAL = re.compile(r"\d+(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?")

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINALS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
             "tenth", "eleventh", "twelfth"]
_WORD_VALUES: dict[str, int] = {word: value for value, word in enumerate(_UNITS)}
_WORD_VALUES |= {word: value * 10 for value, word in enumerate(_TENS) if word}
_WORD_VALUES |= {word: value for value, word in enumerate(_ORDINALS) if word}
_WORD_VALUES |= {"hundred": 100, "thousand": 1000}
_NUMBER_WORD = re.compile(
    r"\b(" + "|".join(w for w in _TENS if w) + r")[- ](" + "|".join(_UNITS[1:10]) + r")\b"
    r"|\b(" + "|".join(sorted(_WORD_VALUES, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
# Cloze markup is not part of the sentence: {{c12::answer::hint}} -> answer::hint
_CLOZE_MARK = re.compile(r"\{\{c\d+::|\}\}")


def normalise(numeral: str) -> str:
    """'15,000' -> '15000', '2.50' -> '2.5', '08' -> '8'."""
    plain = numeral.replace(",", "")
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".")
    return plain.lstrip("0") or "0"


def figures_in(text: str) -> list[str]:
    """The numerals written as digits in ``text``, normalised, in order of appearance."""
    return [normalise(m.group()) for m in _NUMERAL.finditer(_CLOZE_MARK.sub(" ", text))]


def figures_stated(text: str) -> frozenset[str]:
    """Every figure a source states, in digits or in words."""
    found = set(figures_in(text))
    for match in _NUMBER_WORD.finditer(text):
        tens, unit, word = match.groups()
        if word:
            found.add(str(_WORD_VALUES[word.lower()]))
        else:
            found.add(str(_WORD_VALUES[tens.lower()] + _WORD_VALUES[unit.lower()]))
    return frozenset(found)


# Words are alphabetic: figures are meant to carry over, so they never count
# towards copied wording.
_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?")
# A quotation is cited, not copied (an official code title must be verbatim).
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
# Runs of this many words shared with a source count as copied wording.
COPIED_RUN = 8


def words(text: str) -> list[str]:
    """Lower-case words, punctuation and markup dropped: what 'the same sentence' compares."""
    return _WORD.findall(_CLOZE_MARK.sub(" ", text).lower())


def word_runs(text: str, length: int = COPIED_RUN, *, skip_quotations: bool = False) -> set[tuple[str, ...]]:
    """Every run of ``length`` consecutive words; quotations left out when asked.

    A run never spans a quotation: the words on either side of it were not
    written next to each other.
    """
    segments = _QUOTED.split(text) if skip_quotations else [text]
    runs: set[tuple[str, ...]] = set()
    for segment in segments:
        tokens = words(segment)
        runs.update(tuple(tokens[i:i + length]) for i in range(len(tokens) - length + 1))
    return runs


@dataclass(frozen=True)
class SourceText:
    source_id: str
    text: str
    figures: frozenset[str]
    runs: frozenset[tuple[str, ...]]  # every COPIED_RUN-word sequence in the text


def load_source_texts(card_set: CardSet, sources_dir: Path) -> tuple[dict[str, SourceText], list[Diagnostic]]:
    """Read and verify the text of every source that names a file.

    Sources without a file are left out (rule W603 reports them); a missing
    file or a changed text is an error, because the deck would be checked
    against something other than what it was written from.
    """
    texts: dict[str, SourceText] = {}
    problems: list[Diagnostic] = []
    for source in card_set.sources:
        if not source.file:
            continue
        path = sources_dir / source.file
        outside = link_problem(path, sources_dir)
        if outside is not None:
            problems.append(diagnostic(
                "E601", source.where("file"), f"{source.file} {outside}: name a file inside {sources_dir}"))
            continue
        try:
            data = read_regular_file(path, MAX_SOURCE_BYTES)
        except (OSError, UnsafeFile) as exc:
            problems.append(diagnostic("E601", source.where("file"), f"cannot read {path}: {reason(exc)}"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        if source.sha256 is None:
            problems.append(diagnostic(
                "E602", source.where("file"), f"source '{source.id}' has no sha256 to verify {source.file}; "
                                              f"its current sha256 is {digest}"))
            continue
        if digest != source.sha256:
            problems.append(diagnostic(
                "E602", source.where("sha256"),
                f"{path} has changed since the deck was written from it (sha256 {digest}); "
                "review the cards that cite it, then update the sha256"))
            continue
        text = data.decode("utf-8", errors="replace")
        texts[source.id] = SourceText(source.id, text, figures_stated(text), frozenset(word_runs(text)))
    return texts, problems


def figures_of_sources(texts: Mapping[str, SourceText], source_ids: list[str]) -> frozenset[str]:
    return frozenset().union(*(texts[s].figures for s in source_ids if s in texts))
