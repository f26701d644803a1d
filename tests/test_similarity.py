"""Near-duplicate search: the blocked search, and the index watch updates, find exactly what comparing every
pair finds."""

import operator
import random

import pytest

from builder.similarity import PairIndex, content_words, similar_pairs, similar_pairs_exhaustively, words

STEMS = ["What is the", "Which", "Where does the", "How often does the", "What share of", "At what age does the"]


def corpus(size: int, seed: int) -> list[str]:
    """Questions like a deck's: shared stems, a medical-ish vocabulary, about 3% near-duplicates."""
    rng = random.Random(seed)
    vocabulary = [f"term{i}" for i in range(2500)] + (
        "leiomyosarcoma cutaneous dermal subcutaneous margin survival metastasis recurrence tumour").split()
    questions = []
    for _ in range(size):
        if questions and rng.random() < 0.03:
            parts = rng.choice(questions).split()
            parts[rng.randrange(len(parts))] = rng.choice(vocabulary)
            questions.append(" ".join(parts))
        else:
            common = rng.random() < 0.4
            body = " ".join(rng.choice(vocabulary[-9:] if common else vocabulary) for _ in range(rng.randint(2, 12)))
            questions.append(f"{rng.choice(STEMS)} {body}?")
    return questions


@pytest.mark.parametrize("min_jaccard, min_score", [(0.6, 70.0), (0.4, 0.0)])
def test_blocked_search_equals_the_exhaustive_comparison_on_thousands_of_cards(min_jaccard, min_score):
    questions = corpus(2500, seed=11)
    found = similar_pairs(questions, min_jaccard, min_score)
    assert len(found) > 50  # the corpus has near-duplicates to find
    assert found == similar_pairs_exhaustively(questions, min_jaccard, min_score)


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


@pytest.mark.parametrize("start", [400, 1500])  # 400: records go in one by one; 1500: by the batch search
def test_the_index_updated_edit_by_edit_equals_a_search_from_scratch(start):
    rng = random.Random(start)
    texts = corpus(start + 600, seed=7)
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
