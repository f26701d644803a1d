"""The near-duplicate search reads each question once (similarity.prepare) and its snapshot keeps the normalised
questions (rules/pair_snapshot.py, format 4): the pairs are still every pair compared, on the cold path, from
the snapshot after edits, and under watch and a fresh process, on random and hostile decks."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.check.rules import pair_snapshot, pairs
from builder.check.similarity import _prepare, common_words, prepare, similar_pairs, similar_pairs_exhaustively
from builder.load.cache import ParseCache, disk_cache
from builder.load.derived import DERIVED_DIR
from builder.load.loader import load_card_set

from .hostile_decks import rechecks_match_a_cold_check, TOKENS, apply_edit, decks, edits, write_deck

SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THRESHOLDS = (0.6, 70.0)
# Texts as a file may hold them: markup, cloze syntax, letters that are not words, case, nothing at all.
texts = st.lists(st.sampled_from(TOKENS + ["{{c1::", "::hint}}", "}}", "<i>x</i>", "\u00df", "\u212a", ""]),
                 max_size=12).map(" ".join)


@given(st.lists(texts, max_size=30))
def test_prepare_reads_what_the_plain_preparation_reads(found):
    sets, distinctive, normals = _prepare(found)
    assert prepare(found) == (sets, distinctive, normals, common_words(sets))


@given(st.lists(texts, min_size=2, max_size=60), st.lists(st.sampled_from([None, None, "a", "b"]), min_size=60),
       st.sampled_from([(0.6, 70.0), (0.4, 0.0), (0.8, 90.0)]))
def test_the_prepared_search_is_every_pair_compared(found, groups, thresholds):
    groups = groups[:len(found)]
    prepared = prepare(found)

    def compatible(i, j):
        return prepared.normals[i] != prepared.normals[j]

    assert similar_pairs(found, *thresholds, compatible, groups=groups, prepared=prepared) == (
        similar_pairs_exhaustively(found, *thresholds, compatible, groups=groups))


counts = st.dictionaries(st.sampled_from(["oma", "skin", "grade", "margin", "x", "y"]), st.integers(1, 9))


@given(counts, counts, st.frozensets(st.sampled_from(["oma", "skin", "x"])))
def test_a_scopes_bound_is_the_bound_of_its_cards_and_the_unscoped_ones(found, loose, common):
    found, loose = Counter(found), Counter(loose)
    assert pair_snapshot._sharing_with(found, loose, common) == pair_snapshot._sharing(found + loose, common)


def _definition(cards_dir):
    cards = load_card_set(cards_dir, ParseCache(None)).card_set.cards
    normals = [pair_snapshot.normal(card.question) for card in cards]
    found = similar_pairs_exhaustively([card.question for card in cards], *THRESHOLDS,
                                       lambda i, j: normals[i] != normals[j], groups=[c.scope for c in cards])
    return [(p.first, p.second, p.jaccard, p.score) for p in found], None


def _fresh(cards_dir):
    return load_card_set(cards_dir, disk_cache(cards_dir)).card_set


@SLOW
@given(decks, st.lists(edits, max_size=6))
def test_from_the_snapshot_after_edits_the_pairs_are_every_pair_compared(deck, changes):
    with tempfile.TemporaryDirectory() as folder:
        cards_dir = write_deck(Path(folder), deck, fillers=60)
        assert pairs._search(_fresh(cards_dir), *THRESHOLDS) == _definition(cards_dir)  # cold: a snapshot
        assert list((cards_dir / ".cache" / DERIVED_DIR).glob(f"{pair_snapshot.KIND}-*.json"))
        for change in changes:
            apply_edit(cards_dir, deck, change)
            assert pairs._search(_fresh(cards_dir), *THRESHOLDS) == _definition(cards_dir)


def test_the_snapshot_is_used_after_edits_of_words_inside_words(tmp_path):
    """A changed word's holders are found in the stored lines: "oma" inside "sarcoma" is not one of them."""
    from .hostile_decks import Card

    deck = [[Card(["leiomyosarcoma", "skin", "margin", "grade"], f"Answer {i}", None, False) for i in range(3)]
            + [Card(["sarcoma", "dermal", "survival", "5"], "Rarely", None, False),
               Card(["oma", "dermal", "survival", "5", "50"], "Rarely", "general", False)],
            # (Cards of their own words: a snapshot takes new cards up to a tenth of the deck.)
            [Card([f"own{i}", f"other{i}", "skin"], "Rarely", None, False) for i in range(30)],
            [Card(["a5", "oma", "oma", "skin"], "Surgery", None, False),
             # A line that begins with its only content word (a cloze card's line has no "what is the").
             Card(["leiomyosarcoma"], "the", None, True), Card(["x"], "skin", None, False)]]
    cards_dir = write_deck(tmp_path, deck)
    pairs._search(_fresh(cards_dir), *THRESHOLDS)
    paired = []
    for edit in [(0, "reword", 3, Card(["oma", "dermal", "survival", "5"], "", None, False)),
                 (1, "add", 0, Card(["leiomyosarcoma"], "Often", None, False)),
                 (2, "add", 0, Card(["sarcoma", "skin", "margin", "grade"], "Often", None, False)),
                 (0, "remove", 4, Card([], "", None, False)), (2, "drop file", 0, Card([], "", None, False))]:
        apply_edit(cards_dir, deck, edit)
        card_set = _fresh(cards_dir)
        found = pair_snapshot.update(card_set, *THRESHOLDS, pairs.MAX_PAIRS, pairs.MAX_COMPARISONS)
        assert found is not None, edit
        assert (found, None) == _definition(cards_dir)
        paired.append(bool(found))
    assert paired == [True, True, True, True, False], "the edits make and unmake near-duplicates"



@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decks, st.lists(edits, min_size=1, max_size=5), st.booleans())
def test_after_edits_watch_and_a_fresh_process_report_what_a_cold_check_does(deck, changes, background):
    rechecks_match_a_cold_check(deck, changes, background, ("W403", "W702"))


cloze_texts = st.lists(st.sampled_from(["{{c1::", "{{c2::", "::", "}}", "{{", "}", "{", "<b>", "</b>", "<", ">", "oma",
                                        "Skin", " ", "\n", "5", "ß", "hint"]), max_size=20).map("".join)


@given(cloze_texts)
def test_words_read_cloze_answers_as_the_template_did(text):
    """similarity.words takes a cloze deletion's answer with a C method instead of the template r"\\1"."""
    from sys import intern

    from builder.check import similarity

    plain = similarity._TAG.sub(" ", text) if "<" in text else text
    plain = similarity._CLOZE.sub(r"\1", plain) if "{{" in plain else plain
    assert similarity.words.__wrapped__(text) == tuple(map(intern, similarity._WORD.findall(plain.casefold())))
