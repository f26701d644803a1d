"""W809: the answer can be read from the rest of the card.

W803 catches an answer written out in its own question. This rule catches
the subtler give-aways a reviewer finds: every word of the answer appears
elsewhere on what the student sees (for a cloze: the sentence with the other
deletions shown, as Anki shows them), or a term next to the blank defines the
answer ("{{c1::before}} surgery (neoadjuvant)": neoadjuvant *means* before
surgery). Words are compared by stem ("recur" / "recurrence"). Option
``max_answer_words``: longer answers are not checked word by word.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from ...text import parse, replace_deletions
from ...model import Card, CardType, RULE_OPTIONS
from ..passages import stem
from ..similarity import STOP_WORDS
from .cloze_views import uncovered
from .context import CheckContext, Finding

CODE = "W809"
OPTIONS = RULE_OPTIONS[CODE]

FAILING = """\
- id: treatment-radiation-timing
  type: cloze
  text: >-
    Radiation given {{c1::before}} surgery (neoadjuvant) shrinks the tumour;
    given {{c2::after}} surgery (adjuvant), it destroys remaining cells.
"""
PASSING = """\
- id: treatment-radiation-timing
  type: cloze
  text: >-
    Neoadjuvant radiation, given {{c1::before surgery}}, aims to {{c2::shrink the tumour}}.
"""

# Terms that say their own answer: the term on the card gives away the word hidden near it.
CUES: dict[str, tuple[str, ...]] = {
    "before": ("neoadjuvant", "preoperative", "pre-operative", "presurgical"),
    "after": ("adjuvant", "postoperative", "post-operative", "postsurgical"),
    "below": ("subcutaneous", "subdermal", "submucosal"),
    "under": ("subcutaneous", "subdermal", "submucosal"),
    "inside": ("intradermal", "intraluminal", "intramural"),
    "children": ("pediatric", "paediatric"),
    "skin": ("cutaneous", "dermal"),
}
_WORD = re.compile(r"[a-z][a-z'-]*")
_ASCII_DIGIT = re.compile("[0-9]")


def _has_digit(answer: str) -> bool:
    """Whether a character of ``answer`` is a digit to str.isdigit (superscripts and circled digits too,
    which \\d is not). In ASCII text only 0-9 are: one search instead of a call per character."""
    return bool(_ASCII_DIGIT.search(answer)) if answer.isascii() else any(map(str.isdigit, answer))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _content(text: str) -> list[str]:
    return _content_of_lower(text.lower())


def _content_of_lower(lower: str) -> list[str]:
    return [w for w in _WORD.findall(lower) if w not in STOP_WORDS and len(w) > 2]


def given_away(answer: str, visible: str, max_words: int) -> str | None:
    """Why ``answer`` can be read from ``visible`` text, or None."""
    return _given_away(answer, answer.lower(), visible.lower(), max_words)


def _given_away(answer: str, answer_lower: str, visible_lower: str, max_words: int) -> str | None:
    if _has_digit(answer):
        return None  # the figure is the fact; its unit on the card gives nothing away
    content = _content_of_lower(answer_lower)
    if not content or _surely_not_shown(content, visible_lower, max_words):
        return None
    return _why(answer, content, visible_lower, max_words)


def _surely_not_shown(content: list[str], shown: str, max_words: int) -> bool:
    """Whether the answer's ``content`` words are known not to be given away by text whose lower case is
    ``shown`` (pieces of it may be joined by NULs: no word holds one), without reading its words.

    Only the cue test can pass an answer longer than ``max_words``; and a stem is the start of its word
    (``stem``), so an answer word whose stem is nowhere in the text is neither on the card as written nor
    by its stem. Most answers are such a term: this spares finding and stemming every word of the card."""
    if len(content) == 1 and content[0] in CUES:
        return False  # the cues are looked for among the card's words
    if len(content) > max_words:
        return True
    return not all(map(shown.__contains__, map(stem, content)))


def _why(answer: str, content: list[str], visible_lower: str, max_words: int) -> str | None:
    shown = set(_WORD.findall(visible_lower))
    if len(content) == 1:
        for cue in CUES.get(content[0], ()):
            if cue in shown:
                return f"'{cue}' on the card says '{content[0]}'"
    if len(content) <= max_words:
        # A word shown as written is shown by its stem too: only the others need the card's stems.
        unseen = [w for w in content if w not in shown]
        if not unseen or {stem(w) for w in unseen} <= {stem(w) for w in shown}:
            return f"every word of '{answer}' is on the card"
    return None


def _shown_for(text: str, number: int) -> str:
    """What card ``number`` of a cloze shows: its own deletions blank, the others' answers written out."""
    return replace_deletions(text, lambda d: " [...] " if d.number == number else f" {d.answer} ")


def _cloze_given_away(text: str, limit: int) -> tuple[int, str] | None:
    """The first deletion of a cloze whose answer the rest of its card shows, with why; as ``given_away``
    on each deletion's ``_shown_for`` text, but that text is made only for the deletions that can be."""
    deletions = parse(text)[0]
    pieces: tuple[str, list[tuple[int, str]]] | None = None
    for deletion in deletions:
        answer = deletion.answer
        if _has_digit(answer):
            continue
        content = _content(answer)
        if not content:
            continue
        if pieces is None:  # card ``number`` shows these pieces, but the other answers only when not its own
            pieces = (uncovered(text).lower(),
                      [(d.number, d.answer.lower()) for d in deletions])
        outside, answers = pieces
        shown = "\0".join([outside, *(low for number, low in answers if number != deletion.number)])
        if _surely_not_shown(content, shown, limit):
            continue
        why = _why(answer, content, _shown_for(text, deletion.number).lower(), limit)
        if why:
            return deletion.number, why
    return None


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    limit = ctx.options["max_answer_words"]
    for card in cards:
        if card.type is CardType.CLOZE:
            found = _cloze_given_away(card.text, limit)
            if found:
                yield Finding(card.where("text"), f"cloze card '{card.id}', c{found[0]}: {found[1]}", card.id)
        elif card.back and (back := card.back.lower()) not in (front := card.front.lower()):  # (a verbatim
            why = _given_away(card.back, back, front, limit)                                  # answer: W803)
            if why:
                yield Finding(card.where("front"), f"the question of '{card.id}' gives its answer away: {why}",
                              card.id)
