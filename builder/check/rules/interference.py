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
from collections import Counter
from itertools import filterfalse
from typing import Any, Iterable, Iterator, Mapping

from ...load import Background, Batch
from ...model import Card, CardSet
from ..similarity import STOP_WORDS, words
from . import interference_snapshot
from .interference_keys import KEY_HEX, WordDigests, answer_key, hex_key, hex_keys, signature_keys
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
    return tuple(filterfalse(STOP_WORDS.__contains__, words(text)))  # (a C loop: 100,000 calls a check)


def _has_signature(question: tuple[str, ...], signature: tuple[str, ...]) -> bool:
    """Whether leaving one word out of ``question`` gives ``signature``."""
    return len(question) == len(signature) + 1 and any(
        question[:i] + question[i + 1:] == signature for i in range(len(question)))


def _signatures(question: tuple[str, ...]) -> dict[tuple[str, ...], None]:
    """The question with each word left out in turn, in that order (once each): the order decides which
    partner a card with several is reported with, so it must not vary between processes as a set's does."""
    return dict.fromkeys(question[:i] + question[i + 1:] for i in range(len(question)))


# card set id -> (a weak reference to it, {max_answer_words: the findings, or the search computing them})
_started: dict[int, tuple[weakref.ref, dict[int, Any]]] = {}


def _results_for(card_set: CardSet) -> dict[int, Any]:
    key = id(card_set)
    entry = _started.get(key)
    if entry is None or entry[0]() is not card_set:
        entry = (weakref.ref(card_set, lambda _ref, key=key: _started.pop(key, None)), {})
        _started[key] = entry
    return entry[1]


def start(card_set: CardSet, options: Mapping[str, Any], batch: Batch | None = None) -> None:
    """Begin on the second core as soon as the cards are loaded (with the near-duplicate search), so that
    reading the lock and the other checks run meanwhile; with ``batch``, in the batch's process."""
    results = _results_for(card_set)
    limit = options["max_answer_words"]
    if limit not in results:
        results[limit] = (Background(findings, card_set, limit) if batch is None
                          else batch.add(findings, card_set, limit))


def check(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.options["max_answer_words"]
    found = _results_for(ctx.card_set).pop(limit, None)
    if found is None:
        yield from findings(ctx.card_set, limit)
    else:
        yield from found.result()


# ---------------------------------------------------------------- only the cards that share a key

# What a card contributes: None for a card too short to take part, else [the key of its answer if that
# answer is generic (or None), the keys of its signatures as hex, space-separated]. A card whose keys no other
# card shares cannot be reported and cannot change what another card is reported with (its buckets hold it
# alone, and it is first under its answer), so the rule runs over the cards that share a key: at 50,000 cards
# about 2,000. Every card's record is kept in the snapshot of the last full count (interference_snapshot.py):
# after an edit only the changed files' records are made again. (They were also kept per card file in the
# derived cache, 6 MB more written on every first check, for what the snapshot's lines already held.)


# Each word's digest, for the keys (interference_keys.py); emptied after every run.
_DIGESTS = WordDigests()


def _record(card: Card, limit: int) -> list | None:
    question = _content(card.question)
    if len(question) < MIN_QUESTION_WORDS:
        return None
    text = card.answer  # (a cloze card's is made on every reading)
    answer = _content(text)
    if not answer:
        return None
    generic = len(answer) <= limit and not any(map(str.isdigit, text))
    # (Each key once: a question with a word twice in a row has two equal signatures.)
    keys = "" if len(question) > MAX_QUESTION_WORDS else hex_keys(
        list(dict.fromkeys(signature_keys(question, _DIGESTS))))
    return [hex_key(answer_key(answer, _DIGESTS)) if generic else None, keys]


def findings(card_set: CardSet, limit: int) -> list[Finding]:
    """What ``_findings`` reports for every card, from the cards that share a key with another: counted again
    only for the cards that changed since the last full count (interference_snapshot.py), when it can be."""
    try:
        snapshot = interference_snapshot.read(card_set, limit)
        taking_part = None if snapshot is None else interference_snapshot.update(card_set, limit, _record, snapshot)
        if taking_part is None:
            records = interference_snapshot.records(card_set, limit, _record, snapshot)
    finally:
        _DIGESTS.clear()
    if taking_part is not None:
        return list(_findings(taking_part, limit))
    signature_counts = Counter(" ".join(r[1] for r in records if r is not None and r[1]).split())
    # The counts of the keys more than one card holds: what decides taking part, and what the snapshot keeps.
    shared = {key: count for key, count in signature_counts.items() if count > 1}
    answer_counts = Counter(r[0] for r in records if r is not None and r[0] is not None)
    shared_answers = {key: count for key, count in answer_counts.items() if count > 1}
    keys = shared.keys()
    taking = [index for index, r in enumerate(records) if r is not None and (
        r[0] in shared_answers or (shared and r[1] and not keys.isdisjoint(r[1].split(" "))))]
    interference_snapshot.save(card_set, limit, records, shared, shared_answers, taking)
    cards = card_set.cards
    return list(_findings([cards[index] for index in taking], limit))


# ---------------------------------------------------------------- the definition


def _findings(cards: Iterable[Card], limit: int) -> Iterator[Finding]:
    by_answer: dict[tuple[str, ...], object] = {}
    # A signature -> the one card under it, or a list of them: keyed by the signature itself, so that which
    # cards share a bucket (and fill it) is exact; the cards here are the few that share a key
    # (``findings``), not the whole deck.
    by_signature: dict[tuple[str, ...], Any] = {}
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
        partner = None
        item = (card, question, answer)
        for signature in _signatures(question):
            bucket = by_signature.get(signature)
            if bucket is None:
                by_signature[signature] = item
                continue
            if type(bucket) is tuple:
                bucket = by_signature[signature] = [bucket]
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
