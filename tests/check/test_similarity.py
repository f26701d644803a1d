"""Near-duplicate search: the blocked search, and the index watch updates, find exactly what comparing every
pair finds."""

import operator
import random

import pytest

from builder.check.similarity import (COMMON_MIN, PairIndex, common_words, content_words, similar_pairs,
                                similar_pairs_exhaustively, words)

STEMS = ["What is the", "Which", "Where does the", "How often does the", "What share of", "At what age does the"]


def corpus(size: int, seed: int, vocabulary_size: int = 2500, rare_words: int = 0) -> list[str]:
    """Questions like a deck's: shared stems, a medical-ish vocabulary, about 5% near-duplicates.

    ``rare_words``: each question also takes that many words from a vocabulary of its own size (the
    small-vocabulary case: a deck of a few words, with the occasional distinctive one).
    """
    rng = random.Random(seed)
    vocabulary = [f"term{i}" for i in range(vocabulary_size)] + (
        "leiomyosarcoma cutaneous dermal subcutaneous margin survival metastasis recurrence tumour").split()
    questions = []
    for _ in range(size):
        if questions and rng.random() < 0.05:
            parts = rng.choice(questions).split()
            parts[rng.randrange(len(parts))] = rng.choice(vocabulary)
            questions.append(" ".join(parts))
        else:
            common = rng.random() < 0.4
            body = " ".join(rng.choice(vocabulary[-9:] if common else vocabulary) for _ in range(rng.randint(2, 12)))
            body += "".join(f" rare{rng.randrange(size)}" for _ in range(rare_words))
            questions.append(f"{rng.choice(STEMS)} {body}?")
    return questions


@pytest.mark.parametrize("min_jaccard, min_score", [(0.6, 70.0), (0.4, 0.0)])
def test_blocked_search_equals_the_exhaustive_comparison_on_thousands_of_cards(min_jaccard, min_score):
    questions = corpus(2500, seed=11)
    found = similar_pairs(questions, min_jaccard, min_score)
    assert len(found) > 50  # the corpus has near-duplicates to find
    assert found == similar_pairs_exhaustively(questions, min_jaccard, min_score)


def test_on_a_small_vocabulary_the_search_is_still_exact_and_linear():
    questions = corpus(3000, seed=3, vocabulary_size=51, rare_words=1)
    found = similar_pairs(questions, 0.6, 70.0)
    assert len(found) > 20
    assert found == similar_pairs_exhaustively(questions, 0.6, 70.0)


def test_words_common_in_the_deck_do_not_make_questions_alike():
    """A template deck: every question shares the template, and differs in the one word that matters."""
    battles = [f"In which year did the battle of place{i} take place on the northern frontier?" for i in range(400)]
    assert sorted(common_words([content_words(q) for q in battles])) == [
        "battle", "frontier", "northern", "place", "take", "year"]
    assert similar_pairs(battles, 0.6, 70.0) == []
    # The same question asked twice in other words is still found among them.
    twice = battles + ["In what year did the battle of place7 take place on the northern frontier?"]
    assert [(p.first, p.second) for p in similar_pairs(twice, 0.6, 70.0)] == [(7, 400)]
    # A small deck keeps every word: nothing is common below COMMON_MIN questions.
    assert common_words([content_words(q) for q in battles[:COMMON_MIN]]) == frozenset()


def test_the_compatibility_filter_applies_the_same_way():
    questions = corpus(1500, seed=5)

    def compatible(i, j):
        return (i + j) % 3 != 0

    assert similar_pairs(questions, 0.5, 0.0, compatible) == similar_pairs_exhaustively(questions, 0.5, 0.0, compatible)


def test_words_ignore_markup_case_punctuation_and_cloze_syntax():
    assert words("What is the <b>5-year</b> survival of {{c1::Dermal::layer}} LMS?") == (
        "what", "is", "the", "5", "year", "survival", "of", "dermal", "lms")
    assert content_words("What is the survival of dermal LMS?") == {"survival", "dermal", "lms"}


def test_grouped_search_equals_the_exhaustive_comparison():
    questions = corpus(2000, seed=21)
    rng = random.Random(4)
    groups = [rng.choice(["dermal", "subcutaneous", "gastro", None]) for _ in questions]
    # Near-duplicates copy their original's group, or none (the interesting cross-group case).
    assert similar_pairs(questions, 0.5, 0.0, groups=groups) == similar_pairs_exhaustively(
        questions, 0.5, 0.0, groups=groups)
    assert similar_pairs(questions, 0.5, 0.0, groups=groups) != similar_pairs(questions, 0.5, 0.0)


class Record:
    """A card stand-in: the index knows records by identity, as it knows cards."""

    def __init__(self, text, group):
        self.text, self.group = text, group


def _expected(records, min_jaccard, min_score):
    normals = [" ".join(words(r.text)) for r in records]
    return similar_pairs([r.text for r in records], min_jaccard, min_score,
                         lambda i, j: normals[i] != normals[j], groups=[r.group for r in records])


@pytest.mark.parametrize("start, vocabulary", [
    (400, 2500), (1500, 2500),  # 400: records go in one by one; 1500: by the batch search
    (400, 51),  # a small vocabulary: words cross the common limit as cards come and go
])
def test_the_index_updated_edit_by_edit_equals_a_search_from_scratch(start, vocabulary):
    rng = random.Random(start)
    texts = corpus(start + 600, seed=7, vocabulary_size=vocabulary, rare_words=1 if vocabulary < 100 else 0)
    spare = iter(texts[start:])
    records = [Record(text, rng.choice(["dermal", "uterine", None])) for text in texts[:start]]
    index = PairIndex(0.6, 50.0, compatible=operator.ne)
    for round_ in range(4):
        found = index.update([(r, r.text, r.group) for r in records])
        assert found == _expected(records, 0.6, 50.0), f"round {round_}"
        assert len(found) > 5
        # A save: some cards edited (a new object, often a near-copy of another card), some removed, some added.
        for _ in range(25):
            position = rng.randrange(len(records))
            source = rng.choice(records).text.split()
            source[rng.randrange(len(source))] = rng.choice(["margin", "survival", "tumour"])
            records[position] = Record(" ".join(source), rng.choice(["dermal", None]))
        for _ in range(10):
            records.pop(rng.randrange(len(records)))
        for _ in range(15):
            records.insert(rng.randrange(len(records)), Record(next(spare), None))
