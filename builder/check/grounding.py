"""Grounding data: the source texts a deck was written from, and the figures in them.

``deckbuilder check --sources DIR`` reads each source's captured text (the
``file`` named in sources.yaml), verifies it is the text the deck was written
against (its sha256), and extracts every figure in it, so that checks can ask
"does this number on the card appear in what the card cites?".

Two readings of the figures:

* as normalised numerals (``figures_in``, ``figures_stated``): what the
  consistency rules compare between cards (E701, W702, W703). Sources often
  spell numbers out ("Sixty-three of 100 people", "up to the fifth year"), so
  number words and ordinals count as the numerals they stand for;
* as quantities in their context (``ground_figures``): each card figure, read
  with its unit, range and bound (quantities.py), against the passages of the
  cited sections that state it (passages.py), and the passages nearby that
  give a different figure of the same kind. W604, W606 and W608 report from
  these verdicts.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..model import Card, CardSet, Diagnostic, TEXT_FIELDS, diagnostic
from .passages import Layout, Passage, stems
from .quantities import Quantity, comparable, grounds, quantities, strip_cloze
from ..fs import UnsafeFile, link_problem, read_regular_file, reason

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
    # Where each figure stands: passages, their quantities, and the headings (see passages.py).
    layout: "Layout | None" = None
    # What a card calls this source when it attributes a figure to it ("Cleveland Clinic's 63%").
    names: tuple[str, ...] = ()


def load_source_texts(card_set: CardSet, sources_dir: Path) -> tuple[dict[str, SourceText], list[Diagnostic]]:
    """Read and verify the text of every source that names a file.

    Sources without a file are left out (rule W603 reports them); a missing
    file or a changed text is an error, because the deck would be checked
    against something other than what it was written from.
    """
    texts: dict[str, SourceText] = {}
    problems: list[Diagnostic] = []
    # A section a card cites is a heading, whatever it looks like.
    cited_sections: dict[str, set[str]] = {}
    for card in card_set.cards:
        for ref in card.sources:
            if ref.section:
                cited_sections.setdefault(ref.id, set()).add(ref.section)
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
        layout = Layout.of(text, cited_sections.get(source.id, ()))
        texts[source.id] = SourceText(source.id, text, figures_stated(text), frozenset(word_runs(text)), layout,
                                      source_names(source.publisher))
    return texts, problems


def source_names(publisher: str | None) -> tuple[str, ...]:
    """The publisher's name as cards write it: "Nicklaus Children's Hospital (Miami)" -> the full name
    and its first word ("Nicklaus"); a first word shorter than four letters names nothing."""
    name = re.sub(r"\([^)]*\)", " ", publisher or "").split()
    if not name or len(name[0]) < 4 or not name[0][0].isupper():
        return ()
    return tuple(dict.fromkeys((" ".join(name), name[0])))


def figures_of_sources(texts: Mapping[str, SourceText], source_ids: list[str]) -> frozenset[str]:
    return frozenset().union(*(texts[s].figures for s in source_ids if s in texts))


# --- Figures grounded in context -------------------------------------------------------------------------------

# How much a card word counts towards matching a source passage: the clause
# that holds the figure says most about what the figure is; the question and
# answer next; the extra and sources-differ note least.
CLAUSE_WEIGHT, FIELD_WEIGHT, OTHER_WEIGHT = 3.0, 2.0, 1.0
_CLAUSE_END = re.compile(r"[,;:.()]|\bthen\b|\bwhereas\b|\bbut\b")
# A rival passage must match the card better than the supporting one by this much (in idf units).
RIVAL_MARGIN = 1.0


@dataclass(frozen=True)
class Scope:
    """The part of a cited source a card's figure must be found in."""

    source_id: str
    section: str | None  # as cited; None: the whole text
    span: tuple[tuple[int, int], ...] | None  # line ranges; None: the whole text (no section, or one it lacks)


@dataclass(frozen=True)
class Support:
    scope: Scope
    passage: Passage
    quantity: Quantity
    score: float


@dataclass(frozen=True)
class FigureVerdict:
    """What the cited sources say about one figure on a card."""

    field: str
    quantity: Quantity
    supports: tuple[Support, ...]  # passages stating this very quantity, best match first
    rival: Support | None = None  # a passage matching the card better that gives another figure
    nearby: Support | None = None  # when unsupported: the best matching figure of the same kind
    elsewhere: Support | None = None  # when unsupported in the cited sections: a passage outside them that states it


def card_scopes(card: Card, texts: Mapping[str, SourceText]) -> list[Scope]:
    scopes = []
    for ref in card.sources:
        text = texts.get(ref.id)
        if text is None or text.layout is None:
            continue
        span = text.layout.section(ref.section) if ref.section else None
        scopes.append(Scope(ref.id, ref.section if span is not None else None, span))
    return scopes


def _clauses(value: str) -> list[tuple[int, int]]:
    cuts = [0] + [m.end() for m in _CLAUSE_END.finditer(value)] + [len(value)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def card_weights(card: Card, field: str, quantity: Quantity) -> dict[str, float]:
    """The card's words, weighed by how close they stand to the figure.

    A clause of the figure's own field that holds another figure speaks for
    that figure, not this one: "localized 63%, regional 36%" says nothing
    about 63% with "regional".
    """
    weights: dict[str, float] = {}
    for name in TEXT_FIELDS:
        value = strip_cloze(getattr(card, name) or "")
        if not value:
            continue
        weight = FIELD_WEIGHT if name in ("front", "back", "text") else OTHER_WEIGHT
        figures = [(q.start, q.end) for q in quantities(value, words_need_unit=True)]
        for a, b in _clauses(value):
            own = name == field and a <= quantity.start < b
            if name == field and not own and any(a <= start < b for start, _ in figures):
                continue
            for s in stems(value[a:b]):
                weights[s] = max(weights.get(s, 0.0), CLAUSE_WEIGHT if own else weight)
    return weights


# W604, W606 and W608 all read the same verdicts: work them out once per card and run.
_VERDICTS: dict[tuple[int, Card], list[FigureVerdict]] = {}


def forget_verdicts() -> None:
    _VERDICTS.clear()


def ground_figures(card: Card, texts: Mapping[str, SourceText]) -> list[FigureVerdict]:
    key = (id(texts), card)
    found = _VERDICTS.get(key)
    if found is None:
        found = _VERDICTS[key] = _ground_figures(card, texts)
    return found


def _ground_figures(card: Card, texts: Mapping[str, SourceText]) -> list[FigureVerdict]:
    """Every figure on ``card``, with the passages of its cited sources (sections) that state it.

    Per cited source, the passages of the cited section (the whole text when
    no section is given, or the text has no such heading) that state the same
    quantity support it. A figure is then checked against its context: if in
    every source that states it, another passage of the same section matches
    the card's words clearly better and gives a different figure of the same
    kind, the card most likely took that passage's figure for the wrong thing
    (or the other way round), and the verdict names that rival.
    """
    scopes = card_scopes(card, texts)
    if not scopes:
        return []
    verdicts = []
    seen: set[tuple] = set()
    cited = [scope.source_id for scope in scopes]
    for name in TEXT_FIELDS:
        value = getattr(card, name) or ""
        for q in quantities(value, words_need_unit=True):
            # The same figure credited to another source is another claim ("Cleveland Clinic's 63%" then
            # "Dr.Oracle's 63%"), so it is judged again.
            named = attributed_source(value, q, texts, cited)
            if (q.key(), q.bound, named) in seen:
                continue
            seen.add((q.key(), q.bound, named))
            weights = card_weights(card, name, q)
            supports: list[Support] = []
            rivals: list[Support] = []
            unsupported: dict[str, Support] = {}  # per cited source that does not state it: its best rival
            nearby: Support | None = None
            for scope in scopes:
                layout = texts[scope.source_id].layout
                best_support: Support | None = None
                best_rival: Support | None = None
                for located in layout.figures_in(scope.span):
                    passage = layout.passages[located.passage]
                    if grounds(located.quantity, q):
                        found = Support(scope, passage, located.quantity, layout.score(passage, weights))
                        if best_support is None or found.score > best_support.score:
                            best_support = found
                    elif comparable(located.quantity, q):
                        found = Support(scope, passage, located.quantity, layout.score(passage, weights))
                        if best_rival is None or found.score > best_rival.score:
                            best_rival = found
                if best_support is not None:
                    supports.append(best_support)
                    if (best_rival is not None and best_rival.score > best_support.score + RIVAL_MARGIN
                            and not q.code):
                        rivals.append(best_rival)
                elif best_rival is not None:
                    unsupported[scope.source_id] = best_rival
                    if nearby is None or best_rival.score > nearby.score:
                        nearby = best_rival
            elsewhere = None
            if not supports:
                for scope in scopes:
                    if scope.span is None:
                        continue
                    layout = texts[scope.source_id].layout
                    for located in layout.figures_in(None):
                        if grounds(located.quantity, q):
                            passage = layout.passages[located.passage]
                            found = Support(Scope(scope.source_id, None, None), passage, located.quantity,
                                            layout.score(passage, weights))
                            if elsewhere is None or found.score > elsewhere.score:
                                elsewhere = found
            supports.sort(key=lambda s: -s.score)
            # Context only overrules when every source that states the figure has a better match for the card.
            rival = max(rivals, key=lambda r: r.score) if supports and len(rivals) == len(supports) else None
            if rival is None and supports and not q.code:
                # "Dr.Oracle gives about 36% for dermal tumours": 36% is on another cited page (Cleveland
                # Clinic's regional stage), so no source contradicts it unless the card's own attribution
                # is read. The named source's figure of the same kind is the rival.
                if named in unsupported and not states_anywhere(texts[named], q):
                    rival = unsupported[named]
            verdicts.append(FigureVerdict(name, q, tuple(supports), rival, nearby, elsewhere))
    return verdicts


# A name this close after a figure claims it ("98% (Dr.Oracle)", "98% in Dr.Oracle"); otherwise the
# nearest name before the figure in its sentence does ("Cleveland Clinic's 63%").
_TRAILING_NAME_CHARS = 16
_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)")


def attributed_source(value: str, quantity: Quantity, texts: Mapping[str, SourceText],
                      cited: list[str]) -> str | None:
    """The cited source a card's sentence credits with this figure by name, if any."""
    start = max((m.end() for m in _SENTENCE_END.finditer(value, 0, quantity.start)), default=0)
    found = _SENTENCE_END.search(value, quantity.end)
    end = found.start() if found else len(value)
    after, before = None, None
    for source_id in dict.fromkeys(cited):
        for name in texts[source_id].names if source_id in texts else ():
            for m in re.finditer(rf"(?<![\w.]){re.escape(name)}(?!\w)", value[start:end]):
                at = start + m.start()
                if quantity.end <= at <= quantity.end + _TRAILING_NAME_CHARS and (after is None or at < after[0]):
                    after = (at, source_id)
                elif (at + len(name) <= quantity.start and (before is None or at > before[0])
                      and not _claim_ends(value, at + len(name), quantity)
                      and not _credits_an_earlier_figure(value, at)):
                    before = (at, source_id)
    if after is None and _TRAILING_PAREN.match(value, quantity.end):
        return None  # "7–11% (the non-uterine LMS page)": credited, to a page this deck has no name for
    chosen = after or before
    return chosen[1] if chosen else None


# A figure's own parenthesis: "98% (Dr.Oracle)". A name in one credits that figure only.
_TRAILING_PAREN = re.compile(r"\s*\(")
_FIGURE_BEFORE_PAREN = re.compile(r"[\d%]\s*(?:cm|mm|months?|years?)?\s*\(\s*$")


def _credits_an_earlier_figure(value: str, name_start: int) -> bool:
    """Whether a name stands in the parenthesis right after another figure ("10–20% (Cleveland Clinic)")."""
    return _FIGURE_BEFORE_PAREN.search(value, max(0, name_start - 16), name_start) is not None


_CLAUSE_BREAK = re.compile(r"[,;:(]")


def _claim_ends(value: str, name_end: int, quantity: Quantity) -> bool:
    """Whether a name's claim stops before this figure: "A gives 10–20%, the other page 7–11%" credits A
    with 10–20% only (a clause break after a figure of the same kind), while "A gives 98% for dermal and
    88% for subcutaneous tumours" credits A with both ("5-year survival" is another kind of figure)."""
    between = strip_cloze(value[:quantity.start])
    for other in quantities(between[name_end:], words_need_unit=True):
        if comparable(other, quantity) and _CLAUSE_BREAK.search(between, name_end + other.end):
            return True
    return False


def states_anywhere(text: SourceText, quantity: Quantity) -> bool:
    """Whether the source states this quantity anywhere in its text."""
    return any(grounds(located.quantity, quantity) for located in text.layout.figures_in(None))


def distinctive(words: Mapping[str, str], other: Mapping[str, float], weights: Mapping[str, float] | None,
                layout: Layout, limit: int = 2) -> list[str]:
    """The words one passage has and the other lacks, most telling first (for messages).

    With ``weights`` (a card's words), only the card's words count."""
    found = [((weights[s] if weights else 1.0) * layout.idf.get(s, 0.0), word) for s, word in words.items()
             if (weights is None or s in weights) and s not in other]
    return [word.lower() for _, word in sorted(found, key=lambda x: -x[0])[:limit]]
