"""W810: a guessable binary question.

"In which sex is it more common?", "Dermal or subcutaneous?", "Before or
after surgery?": when the answer is one of two options and the card asks
nothing more, a guess is right half the time and a right answer shows little.
Reported when what the answer adds to the question comes down to one side of
a known pair (male/female, dermal/subcutaneous, before/after, proximal/distal,
better/worse, higher/lower, benign/malignant, early/late) and carries no
figure. Ask for something that needs recall (the ratio, the figure, the
reason), or contrast the two sides on one card. Option ``max_answer_words``:
answers with more words than this say enough to be a real recall.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from ...text import parse
from ...model import Card, CardType, RULE_OPTIONS
from ..passages import stem
from ..similarity import STOP_WORDS
from .context import CheckContext, Finding

CODE = "W810"
OPTIONS = RULE_OPTIONS[CODE]

FAILING = """\
- id: epidemiology-overall-sex
  front: In which sex is leiomyosarcoma as a whole more common?
  back: Females
"""
PASSING = """\
- id: epidemiology-cutaneous-sex-ratio
  front: What is the male-to-female ratio of cutaneous leiomyosarcoma?
  back: About 2:1
"""

PAIRS: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(a.split()), frozenset(b.split())) for a, b in (
        ("male males men man boys", "female females women woman girls"),
        ("dermal", "subcutaneous"),
        ("before preoperative neoadjuvant", "after postoperative adjuvant"),
        ("proximal", "distal"),
        ("better favorable favourable", "worse unfavorable unfavourable poorer"),
        ("higher", "lower"),
        ("benign", "malignant"),
        ("early", "late"),
        ("left", "right"),
        ("increased increases increase", "decreased decreases decrease"),
    ))
_SIDE = {word: (i, side) for i, pair in enumerate(PAIRS) for side, words in enumerate(pair) for word in words}
# Words an answer repeats without saying anything ("Subcutaneous tumours", "the more favorable one").
_FILLER = frozenset("tumour tumours tumor tumors disease one ones more most less has have the cases lesions "
                    "patients people those layer".split())
_WORD = re.compile(r"[a-z][a-z'-]*")
_DIGIT = re.compile(r"\d")


def binary_side(answer: str, question: str, max_words: int) -> str | None:
    """The binary word the answer comes down to, or None."""
    if _DIGIT.search(answer):
        return None
    found = _WORD.findall(answer.lower())
    if _SIDE.keys().isdisjoint(found):
        return None  # no side word: the words need no sifting, nor the question's (the costly part) stemming
    words = [w for w in found if w not in STOP_WORDS]
    if not words or len(words) > max_words:
        return None
    asked = {stem(w) for w in _WORD.findall(question.lower())}
    rest = [w for w in words if w not in _FILLER and (w in _SIDE or stem(w) not in asked)]
    sides = {_SIDE.get(w) for w in rest}
    if len(sides) == 1 and None not in sides:
        return rest[0]
    return None


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    limit = ctx.options["max_answer_words"]
    for card in cards:
        if card.type is CardType.CLOZE:
            for deletion in parse(card.text)[0]:
                word = binary_side(deletion.answer, "", limit)
                if word:
                    yield Finding(card.where("text"), (
                        f"cloze card '{card.id}', c{deletion.number}: '{deletion.answer}' is one of two options; "
                        "a guess is right half the time"), card.id)
                    break
        else:
            word = binary_side(card.back, card.front, limit)
            if word:
                yield Finding(card.where("front"), (
                    f"'{card.id}' asks a binary question (the answer comes down to '{word}'): a guess is right "
                    "half the time; ask for what needs recall"), card.id)
