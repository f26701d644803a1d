"""W811: cards that interfere: alike questions with different answers, or one generic answer to many.

Two questions a word apart ("... arise in the stomach?" / "... arise in the
ileum?") with different answers cue each other: recalling one brings back
the other's answer. Several different questions sharing one short generic
answer ("Surgery") teach nothing that tells them apart. Both are reported
on the later card, naming the earlier one. Cards whose scopes differ are a
deliberate contrast set (dermal vs subcutaneous) and are not reported as
alike questions. Linear in the number of cards: questions are bucketed by
their words with one word left out, never compared pairwise. Option
``max_answer_words``: a shared answer this short (in content words) is generic.
"""

from __future__ import annotations

import weakref
from typing import Any, Iterable, Iterator, Mapping

from ...load import Background
from ...model import Card, CardSet
from ..similarity import STOP_WORDS, words
from .context import CheckContext, Finding
from ...model import RULE_OPTIONS

CODE = "W811"
OPTIONS = RULE_OPTIONS[CODE]

FAILING = """\
- id: treatment-first-choice
  front: What is the usual first treatment of leiomyosarcoma?
  back: Surgery
- id: treatment-children-first-choice
  front: What is the preferred treatment of leiomyosarcoma in children when feasible?
  back: Surgery
"""
PASSING = """\
- id: treatment-first-choice
  front: What is the usual first treatment of leiomyosarcoma?
  back: Surgery to remove the tumour, where possible
- id: treatment-children-first-choice
  front: What is the preferred treatment of leiomyosarcoma in children when feasible?
  back: Complete removal of the tumour and the tissue around it
"""

MIN_QUESTION_WORDS = 3  # content words
# Each question makes one signature per word, each as long as the question: a question of thousands of
# words (a hostile file, or a paragraph pasted as a question) would cost millions. Questions a word apart
# are short; longer ones are W801's and W806's business.
MAX_QUESTION_WORDS = 40
BUCKET_LIMIT = 50  # a signature shared by more cards than this is too common to mean "alike"


def _content(text: str) -> tuple[str, ...]:
    return tuple(w for w in words(text) if w not in STOP_WORDS)


def _has_signature(question: tuple[str, ...], signature: tuple[str, ...]) -> bool:
    """Whether leaving one word out of ``question`` gives ``signature``."""
    return len(question) == len(signature) + 1 and any(
        question[:i] + question[i + 1:] == signature for i in range(len(question)))


# card set id -> (a weak reference to it, {max_answer_words: the findings, or the search computing them})
_started: dict[int, tuple[weakref.ref, dict[int, Any]]] = {}


def _results_for(card_set: CardSet) -> dict[int, Any]:
    key = id(card_set)
    entry = _started.get(key)
    if entry is None or entry[0]() is not card_set:
        entry = (weakref.ref(card_set, lambda _ref, key=key: _started.pop(key, None)), {})
        _started[key] = entry
    return entry[1]


def start(card_set: CardSet, options: Mapping[str, Any]) -> None:
    """Begin on the second core as soon as the cards are loaded (with the near-duplicate search), so that
    reading the lock and the other checks run meanwhile: at 50,000 cards this rule is a second of work."""
    results = _results_for(card_set)
    limit = options["max_answer_words"]
    if limit not in results:
        results[limit] = Background(lambda: list(_findings(card_set.cards, limit)))


def check(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.options["max_answer_words"]
    found = _results_for(ctx.card_set).pop(limit, None)
    if found is None:
        yield from _findings(ctx.card_set.cards, limit)
    else:
        yield from found.result()


def _findings(cards: Iterable[Card], limit: int) -> Iterator[Finding]:
    by_answer: dict[tuple[str, ...], object] = {}
    # The hash of a signature -> the one card under it, or a list of them. Half a million signatures at
    # 50,000 cards: kept as tuples, each with its own list, they took 290 MB; a shared hash cannot make a
    # partner (each is checked against the signature itself), only, once in billions, fill a bucket early.
    by_signature: dict[int, Any] = {}
    reported: set[str] = set()
    for card in cards:
        question, answer = _content(card.question), _content(card.answer)
        if len(question) < MIN_QUESTION_WORDS or not answer:
            continue  # "HLRCC" and "A question?" are too short to be alike or to share an answer
        if len(answer) <= limit and not any(map(str.isdigit, card.answer)):  # a figure is not generic
            first = by_answer.setdefault(answer, card)
            if first is not card and _content(first.question) != question:
                reported.add(card.id)
                yield Finding(card.where("back" if card.back else "text"), (
                    f"'{card.id}' has the same short answer ('{card.answer}') as '{first.id}' "
                    f"({first.location}): the cards cue each other; say what sets each apart"), card.id)
                continue
        if len(question) > MAX_QUESTION_WORDS:
            continue
        signatures = {question[:i] + question[i + 1:] for i in range(len(question))}
        partner = None
        item = (card, question, answer)
        for signature in signatures:
            key = hash(signature)
            bucket = by_signature.get(key)
            if bucket is None:
                by_signature[key] = item
                continue
            if type(bucket) is tuple:
                bucket = by_signature[key] = [bucket]
            if len(bucket) < BUCKET_LIMIT:
                if partner is None:
                    partner = next((other for other, other_question, other_answer in bucket
                                    if other.scope == card.scope and other_answer != answer
                                    and other_question != question  # (the same question is E402)
                                    and _has_signature(other_question, signature)), None)
                bucket.append(item)
        if partner is not None and card.id not in reported:
            yield Finding(card.where("front" if card.front else "text"), (
                f"the question of '{card.id}' differs by one word from that of '{partner.id}' "
                f"({partner.location}) but the answers differ: each cues the other"), card.id)
