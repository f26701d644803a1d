"""The card-level rules as they were written before their fast paths: what tests/check/test_rule_fast_paths.py
holds the rules to. Each function here is the plain computation (render every field, read every word),
kept verbatim apart from imports; the rules' own modules now skip work where it cannot change the answer."""

from __future__ import annotations

import html
import re
from typing import Iterable, Iterator

from rapidfuzz import fuzz

from builder.check.passages import stem
from builder.check.rules import binary_question, empty_render, give_away, source_in_question
from builder.check.rules.context import CheckContext, Finding
from builder.check.similarity import STOP_WORDS, words
from builder.model import TEXT_FIELDS, Card, CardType
from builder.text import is_plain, parse, render, replace_deletions


def shows_nothing(markdown: str) -> bool:
    if not markdown.strip() or is_plain(markdown):
        return False
    rendered = render(markdown)
    if empty_render._SHOWS_SOMETHING.search(rendered):
        return False
    return not html.unescape(empty_render._TAG.sub("", rendered)).strip()


def empty_render_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        for field in TEXT_FIELDS:
            value = getattr(card, field) or ""
            if shows_nothing(value):
                yield Finding(card.where(field), f"'{field}' of card '{card.id}' shows nothing once rendered "
                                                 f"(an HTML comment, an unclosed tag, an empty list item?)",
                              card.id)


def given_away(answer: str, visible: str, max_words: int) -> str | None:
    if any(map(str.isdigit, answer)):
        return None
    shown = set(give_away._words(visible))
    content = give_away._content(answer)
    if len(content) == 1:
        for cue in give_away.CUES.get(content[0], ()):
            if cue in shown:
                return f"'{cue}' on the card says '{content[0]}'"
    if content and len(content) <= max_words:
        unseen = [w for w in content if w not in shown]
        if not unseen or {stem(w) for w in unseen} <= {stem(w) for w in shown}:
            return f"every word of '{answer}' is on the card"
    return None


def _shown_for(text: str, number: int) -> str:
    return replace_deletions(text, lambda d: " [...] " if d.number == number else f" {d.answer} ")


def give_away_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    limit = ctx.options["max_answer_words"]
    for card in cards:
        if card.type is CardType.CLOZE:
            for deletion in parse(card.text)[0]:
                why = given_away(deletion.answer, _shown_for(card.text, deletion.number), limit)
                if why:
                    yield Finding(card.where("text"), f"cloze card '{card.id}', c{deletion.number}: {why}", card.id)
                    break
        elif card.back and card.back.lower() not in card.front.lower():
            why = given_away(card.back, card.front, limit)
            if why:
                yield Finding(card.where("front"), f"the question of '{card.id}' gives its answer away: {why}",
                              card.id)


def binary_side(answer: str, question: str, max_words: int) -> str | None:
    _WORD, _SIDE, _FILLER = binary_question._WORD, binary_question._SIDE, binary_question._FILLER
    if binary_question._DIGIT.search(answer):
        return None
    words = [w for w in _WORD.findall(answer.lower()) if w not in STOP_WORDS]
    if not words or len(words) > max_words:
        return None
    asked = {stem(w) for w in _WORD.findall(question.lower())}
    rest = [w for w in words if w not in _FILLER and (w in _SIDE or stem(w) not in asked)]
    sides = {_SIDE.get(w) for w in rest}
    if len(sides) == 1 and None not in sides:
        return rest[0]
    return None


def source_in_question_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    _names, _normal = source_in_question._names, source_in_question._normal
    minimum = ctx.options["min_name_length"]
    sources = ctx.card_set.sources_by_id
    names: dict[str, list[tuple[str, str]]] = {}
    for card in cards:
        if card.sources_differ:
            continue
        question = _normal(card.question)
        for ref in card.sources:
            source = sources.get(ref.id)
            if source is None:
                continue
            wanted = names.get(ref.id)
            if wanted is None:
                wanted = names[ref.id] = [(n, f" {_normal(n).strip()} ") for n in _names(source, minimum)]
            named = next((n for n, form in wanted if form in question), None)
            if named:
                yield Finding(card.where("front" if card.front else "text"), (
                    f"the question of '{card.id}' names its source ('{named}'): test the fact, and name a source "
                    "only where the sources differ (then say so in sources_differ)"), card.id)
                break


def _contains(haystack: str, needle: str) -> bool:
    needle_words = words(needle)
    if not needle_words or needle_words[0] not in haystack.casefold():
        return False
    if not [w for w in needle_words if w not in STOP_WORDS]:
        return False
    return f" {' '.join(needle_words)} " in f" {' '.join(words(haystack))} "


def answer_in_question_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        if card.type is CardType.CLOZE:
            visible = replace_deletions(card.text, lambda _deletion: " | ")
            for deletion in parse(card.text)[0]:
                if _contains(visible, deletion.answer):
                    yield Finding(card.where("text"), (
                        f"cloze card '{card.id}': the answer of c{deletion.number} ('{deletion.answer}') also "
                        "appears uncovered in the sentence"), card.id)
                    break
        elif _contains(card.front, card.back):
            yield Finding(card.where("front"), f"the question of '{card.id}' contains its answer", card.id)
        elif card.type is CardType.REVERSED and _contains(card.back, card.front):
            yield Finding(card.where("back"), (
                f"the back of reversed card '{card.id}' contains its front, so the reverse card gives itself away"),
                card.id)


def extra_repeats_answer_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        if card.type is CardType.CLOZE or not card.extra:
            continue
        answer = " ".join(words(card.back))
        if len(answer) > 300:
            continue
        extra = " ".join(words(card.extra))
        meaningful = [w for w in answer.split() if w not in STOP_WORDS]
        if len(meaningful) >= 2 and fuzz.partial_ratio(answer, extra, score_cutoff=ctx.options["min_score"]):
            yield Finding(card.where("extra"), f"the extra of '{card.id}' repeats its answer: use it for context",
                          card.id)


def items(answer: str) -> int:
    from builder.check.rules.enumeration import _MARKDOWN_ITEM, _SEPARATOR

    bullets = len(_MARKDOWN_ITEM.findall(answer))
    if bullets:
        return bullets
    return len([part for part in _SEPARATOR.split(answer) if part.strip()])


def enumeration_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    limit = ctx.options["max_items"]
    for card in cards:
        if card.type is not CardType.CLOZE:
            count = items(card.back)
            if count > limit:
                yield Finding(card.where("back"), f"answer of '{card.id}' lists {count} items (limit {limit}): "
                                                  "use a cloze with one deletion per item, or several cards",
                              card.id)


_AUXILIARY = re.compile(
    r"^(is|are|was|were|am|do|does|did|can|could|should|would|will|shall|has|have|had|may|might|must)\b",
    re.IGNORECASE)


def yes_no_question_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        if card.type is CardType.CLOZE:
            continue
        answer = words(card.back)
        question = " ".join(words(card.front))
        if _AUXILIARY.match(question) or answer[:1] in (("yes",), ("no",)):
            yield Finding(card.where("front"), f"'{card.id}' is a yes/no question: ask for the fact itself",
                          card.id)


def cloze_numbering_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    for card in cards:
        if card.type is not CardType.CLOZE:
            continue
        deletions, problems = parse(card.text)
        if problems:
            continue
        numbers = {d.number for d in deletions}
        missing = sorted(set(range(1, max(numbers, default=0) + 1)) - numbers)
        if numbers and missing:
            gaps = ", ".join(f"c{n}" for n in missing)
            yield Finding(card.where("text"), f"cloze card '{card.id}' skips {gaps}: renumber the deletions "
                                              "from c1 without gaps", card.id)


def too_many_deletions_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    limit = ctx.options["max_deletions"]
    for card in cards:
        if card.type is CardType.CLOZE:
            count = len({d.number for d in parse(card.text)[0]})
            if count > limit:
                yield Finding(card.where("text"), f"cloze card '{card.id}' has {count} deletions (limit {limit}): "
                                                  "split it into several cards", card.id)


def interchangeable_deletions_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    from builder.check.rules.interchangeable_deletions import runs

    minimum = ctx.options["min_items"]
    for card in cards:
        if card.type is not CardType.CLOZE:
            continue
        for group in runs(card.text):
            numbers = sorted({d.number for d in group})
            if len(group) >= minimum and len(numbers) >= 2:
                items = ", ".join(f"'{d.answer}'" for d in group)
                yield Finding(card.where("text"), (
                    f"cloze card '{card.id}': {', '.join(f'c{n}' for n in numbers)} are items of one list ({items}); "
                    "any blank accepts another's answer: hide the list as one deletion, or give each item a cue"),
                    card.id)
                break
