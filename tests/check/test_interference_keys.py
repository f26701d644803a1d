"""W811's cheap keys (rules/interference_keys.py): whatever they make take part, the findings are W811's definition
(interference._findings over every card), on the cold path, from the stored per-file keys, from the snapshot
after edits, and under watch and a fresh process."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.check.rules import interference, interference_snapshot
from builder.check.rules.interference_keys import (KEY_HEX, WordDigests, answer_key, hex_key, hex_keys,
                                                   signature_keys)
from builder.load.cache import ParseCache, disk_cache
from builder.load.derived import DERIVED_DIR
from builder.load.loader import load_card_set

from .hostile_decks import rechecks_match_a_cold_check, apply_edit, decks, edits, write_deck

SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
word_lists = st.lists(st.sampled_from(["oma", "sarcoma", "skin", "skin", "5", "x", "dermal"]), max_size=12)


@given(word_lists)
def test_a_signatures_key_is_the_key_of_the_words_left(question):
    """Equal signatures have equal keys, whichever word was left out and from whichever question."""
    digests = WordDigests()
    keys = signature_keys(question, digests)
    assert keys == [answer_key(question[:i] + question[i + 1:], digests) for i in range(len(question))]
    assert all(0 <= key < 1 << (4 * KEY_HEX) for key in keys)


@given(st.lists(st.integers(0, (1 << 32) - 1), max_size=20))
def test_keys_are_written_as_fixed_width_hex(keys):
    assert hex_keys(keys) == " ".join(hex_key(key) for key in keys)
    assert all(len(part) == KEY_HEX for part in hex_keys(keys).split(" ") if keys)


def test_a_key_is_the_same_in_every_process():
    """The keys are stored per file and in the snapshot: they must not depend on Python's hash seed (these
    figures were made under another seed), only on the words."""
    assert answer_key(("skin", "margin"), WordDigests()) == 0xFD3B2986
    assert signature_keys(("what", "skin", "margin"), WordDigests()) == [0xFD3B2986, 939292772, 3082726810]
    # The same words in another order share a key: only a card's taking part, never a finding (the tests below).
    assert answer_key(("margin", "skin"), WordDigests()) == 0xFD3B2986


def _definition(cards_dir, limit):
    card_set = load_card_set(cards_dir, ParseCache(None)).card_set
    return list(interference._findings(card_set.cards, limit))


def _fresh(cards_dir):
    return load_card_set(cards_dir, disk_cache(cards_dir)).card_set


def _snapshot_files(cards_dir):
    return list((cards_dir / ".cache" / DERIVED_DIR).glob(f"{interference_snapshot.KIND}-*.json"))


@SLOW
@given(decks, st.sampled_from([0, 1, 2, 5]), st.lists(edits, max_size=6))
def test_every_path_reports_the_definition_on_hostile_decks(deck, limit, changes):
    with tempfile.TemporaryDirectory() as folder:
        cards_dir = write_deck(Path(folder), deck)
        expected = _definition(cards_dir, limit)
        assert interference.findings(_fresh(cards_dir), limit) == expected  # cold: keys stored, a snapshot
        assert interference.findings(_fresh(cards_dir), limit) == expected  # from the snapshot
        for path in _snapshot_files(cards_dir):
            path.unlink()
        assert interference.findings(_fresh(cards_dir), limit) == expected  # from the stored keys
        for change in changes:
            apply_edit(cards_dir, deck, change)
            assert interference.findings(_fresh(cards_dir), limit) == _definition(cards_dir, limit)


@SLOW
@given(decks, st.sampled_from([0, 2]))
def test_with_every_key_shared_the_findings_are_the_same(deck, limit):
    """Hostile keys: every signature and answer one key, so every card takes part."""
    with tempfile.TemporaryDirectory() as folder:
        cards_dir = write_deck(Path(folder), deck)
        expected = _definition(cards_dir, limit)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(interference, "signature_keys", lambda question, _digests: [7] * len(question))
            patch.setattr(interference, "answer_key", lambda _answer, _digests: 7)
            assert interference.findings(_fresh(cards_dir), limit) == expected



@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decks, st.lists(edits, min_size=1, max_size=5), st.booleans())
def test_after_edits_watch_and_a_fresh_process_report_what_a_cold_check_does(deck, changes, background):
    rechecks_match_a_cold_check(deck, changes, background, ("W811",))


def test_the_snapshot_is_used_after_an_edit_on_a_hostile_deck(tmp_path):
    """(So that the tests above go through it: an edit of one card is answered from the snapshot.)"""
    from .hostile_decks import Card

    deck = [[Card(["skin", "margin", "oma", "grade"], "Surgery", None, False),
             Card(["skin", "margin", "oma", "survival"], "Rarely", None, False),
             Card(["sarcoma", "margin", "oma", "grade"], "surgery", "general", True)] * 3]
    cards_dir = write_deck(tmp_path, deck)
    interference.findings(_fresh(cards_dir), 2)
    apply_edit(cards_dir, deck, (0, "answer", 1, Card([], "Surgery", None, False)))
    taking = interference_snapshot.update(_fresh(cards_dir), 2, interference._record)
    assert taking is not None
    assert list(interference._findings(taking, 2)) == _definition(cards_dir, 2)
