"""Random and hostile decks for the deck-wide searches (W811, the near-duplicate search), and edits of them.

The words are chosen to be hard on the fast paths: words inside other words ("oma", "sarcoma",
"leiomyosarcoma": the near-duplicate snapshot finds a word's holders in its stored lines), the same
words in another order and answers that are each other's words reordered (W811's keys add the words'
digests, so those share a key), words twice in a row (two equal signatures), digits, superscript
digits, markup, cloze syntax, letters that are not words ("é": the search's words are [a-z0-9]),
questions with no words at all, past W811's 40 words, and scopes.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from ..conftest import DATA

TOKENS = ["oma", "sarcoma", "leiomyosarcoma", "skin", "skin", "dermal", "margin", "survival", "grade", "5", "50",
          "a5", "the", "of", "what", "is", "é", "<b>", "</b>", "?", "-", "Skin", "OMA", "&amp;", "2²"]
ANSWERS = ["Surgery", "surgery", "Surgery first", "first Surgery", "In 10%", "Rarely", "²", "Skin margin",
           "margin skin", "oma", "A long answer that names many words of its own"]
SCOPES = [None, None, None, "general", "cutaneous"]


@dataclass
class Card:
    words: list[str]
    answer: str
    scope: str | None
    cloze: bool


tokens = st.one_of(st.sampled_from(TOKENS), st.from_regex(r"[a-z]{3,5}", fullmatch=True))  # (and words of one card)
cards = st.builds(
    Card,
    st.one_of(st.lists(tokens, min_size=3, max_size=8), st.lists(tokens, max_size=3),
              st.lists(st.sampled_from(TOKENS), min_size=41, max_size=45)),  # past W811's MAX_QUESTION_WORDS
    st.sampled_from(ANSWERS), st.sampled_from(SCOPES), st.sampled_from([False, False, False, True]))


def _echoes(deck: list[list[Card]], echoes: list[tuple[int, int, str]]) -> list[list[Card]]:
    """Some cards made a word apart from an earlier one (each echo: how far back, which word, the new word):
    W811's partners, and near-duplicates."""
    flat = [card for file_cards in deck for card in file_cards]
    for at, (back, place, token) in zip(range(len(flat)), echoes):
        if back and back <= at and flat[at - back].words:
            words = list(flat[at - back].words)
            words[place % len(words)] = token
            flat[at].words = words
    return deck


decks = st.builds(_echoes, st.lists(st.lists(cards, max_size=10), min_size=1, max_size=4),  # files of cards
                  st.lists(st.tuples(st.sampled_from([0, 1, 1, 2, 3]), st.integers(0, 50), tokens),
                           min_size=10, max_size=40))


def _question(card: Card) -> str:
    text = " ".join(card.words)
    if card.cloze:
        return f"{text} {{{{c1::{card.answer}}}}}"
    return f"What is the {text}?"


def card_yaml(card: Card, card_id: str) -> str:
    lines = [f"- id: {card_id}"]
    if card.cloze:
        lines += ["  type: cloze", f"  text: {json.dumps(_question(card))}"]
    else:
        lines += [f"  front: {json.dumps(_question(card))}", f"  back: {json.dumps(card.answer)}"]
    lines += ["  topics: [histology]", "  sources: [src-a]"]
    if card.scope:
        lines.append(f"  scope: {card.scope}")
    return "\n".join(lines) + "\n"


def write_deck(folder: Path, deck: list[list[Card]], fillers: int = 0) -> Path:
    """``folder``/cards with the base deck.yaml and sources.yaml and one file per list of cards; ``fillers``: so
    many more cards of their own words, in a file no edit changes (a snapshot takes new cards only up to a
    tenth of the deck)."""
    cards_dir = folder / "cards"
    if cards_dir.exists():
        shutil.rmtree(cards_dir)
    cards_dir.mkdir(parents=True)
    shutil.copy(DATA / "base" / "deck.yaml", cards_dir / "deck.yaml")
    shutil.copy(DATA / "base" / "sources.yaml", cards_dir / "sources.yaml")
    for number, file_cards in enumerate(deck):
        write_file(cards_dir / f"part-{number}.yaml", file_cards, number)
    if fillers:
        (cards_dir / "fillers.yaml").write_text("".join(
            card_yaml(Card([f"own{i}", f"other{i}", f"more{i}"], "Rarely", None, False), f"filler-{i}")
            for i in range(fillers)))
    return cards_dir


def write_file(path: Path, file_cards: list[Card], number: int) -> None:
    path.write_text("".join(card_yaml(card, f"f{number}-c{index}") for index, card in enumerate(file_cards)))


# An edit: (which file, what, which card, a card). What: reword (the card's words), answer, scope, add, remove,
# a new file, a file removed.
edits = st.tuples(st.integers(0, 3), st.sampled_from(["reword", "answer", "scope", "add", "remove", "new file",
                                                      "drop file"]), st.integers(0, 20), cards)


def apply_edit(cards_dir: Path, deck: list[list[Card]], edit) -> None:
    """Change ``deck`` (the cards as written) by ``edit`` and write the files that changed."""
    which, what, index, card = edit
    if what == "new file":
        deck.append([card, Card(list(card.words), card.answer, card.scope, not card.cloze)])
    elif what == "drop file":
        if len(deck) > 1:
            deck.pop(which % len(deck))
    else:
        file_cards = deck[which % len(deck)]
        if what == "add" or not file_cards:
            file_cards.insert(index % (len(file_cards) + 1), card)
        else:
            at = index % len(file_cards)
            old = file_cards[at]
            if what == "reword":
                file_cards[at] = Card(card.words, old.answer, old.scope, old.cloze)
            elif what == "answer":
                file_cards[at] = Card(old.words, card.answer, old.scope, old.cloze)
            elif what == "scope":
                file_cards[at] = Card(old.words, old.answer, card.scope, old.cloze)
            else:
                file_cards.pop(at)
    # Every file written again (an unchanged one keeps its parse-cache key: the same bytes), the others removed.
    for path in cards_dir.glob("part-*.yaml"):
        path.unlink()
    for number, file_cards in enumerate(deck):
        write_file(cards_dir / f"part-{number}.yaml", file_cards, number)


def rechecks_match_a_cold_check(deck: list[list[Card]], changes: list, background: bool, codes: tuple[str, ...]):
    """After each edit, watch's re-check and a fresh process (from its snapshots and stored keys) report,
    under ``codes``, what a check with no cache reports; ``background``: the searches on the second core."""
    import tempfile

    import pytest

    from builder import pipeline
    from builder.check import rules as checks
    from builder.check.recheck import RecheckMemo
    from builder.load.cache import ParseCache, disk_cache

    def found(result):
        return [d for d in result.diagnostics if d.code in codes]

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        if background:  # the path a large deck takes: the search on the second core
            patch.setattr(checks, "PARALLEL_MIN_CARDS", 0)
        cards_dir = write_deck(Path(folder), deck)
        cache, memo = disk_cache(cards_dir), RecheckMemo()
        assert found(pipeline.check(cards_dir, cache=cache, memo=memo)) == found(
            pipeline.check(cards_dir, cache=ParseCache(None)))
        for change in changes:
            apply_edit(cards_dir, deck, change)
            cold = found(pipeline.check(cards_dir, cache=ParseCache(None)))
            assert found(pipeline.check(cards_dir, cache=cache, memo=memo)) == cold  # watch
            assert found(pipeline.check(cards_dir)) == cold  # a fresh process: the snapshots, the stored keys
