"""The derived cache's notes are read with C-speed type checks (notes._decode_notes): on every stored value,
however damaged, they decide exactly what the plain item-by-item reading below decides (the code as it was)."""

import copy
import json
from pathlib import Path

from builder import pipeline
from builder.compile.notes import NOTETYPE_FIELDS, NoteContent, _decode_notes, _encode_note, _note
from builder.load.cache import ParseCache
from builder.model import Placement

REPO_CARDS = Path(__file__).parents[2] / "cards"


def _plain_texts(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("not a list of text")
    return tuple(value)


def _plain_decode(data, cards):
    """The reading the quick one replaced, kept here as its oracle."""
    if not isinstance(data, list) or len(data) != len(cards):
        return None
    try:
        notes = []
        for card, item in zip(cards, data):
            card_id, notetype, fields, tags, topics, scope, sources, adopted, digest = item
            if (card_id != card.id or notetype not in NOTETYPE_FIELDS or not (scope is None or isinstance(scope, str))
                    or not isinstance(adopted, str) or not isinstance(digest, str) or len(digest) != 16):
                return None
            fields = _plain_texts(fields)
            if len(fields) != len(NOTETYPE_FIELDS[notetype]):
                return None
            notes.append(NoteContent(card_id, notetype, fields, _plain_texts(tags),
                                     Placement(_plain_texts(topics), scope, _plain_texts(sources)), adopted))
        return notes
    except (TypeError, ValueError):
        return None


# What JSON can hold where a stored note has a value: every kind, and lists of text with one bad item.
HOSTILE = [None, True, False, 0, 1, 2.5, "", "basic", "cloze", "x", [], ["x"], ["x", None], [None], [1], [["x"]],
           [{"a": "b"}], {}, {"basic": 1}, ["a", "b", "c", "d", "e", "f", "g", "h", 1]]


def _stored(card_set):
    sources = card_set.sources_by_id
    cards = [card for card in card_set.cards if all(ref.id in sources for ref in card.sources)][:12]
    return cards, json.loads(json.dumps([_encode_note(_note(card, card_set, sources)) for card in cards]))


def test_quick_reading_equals_the_plain_one_on_every_damaged_value():
    card_set = pipeline.check(REPO_CARDS, cache=ParseCache(None)).card_set
    cards, stored = _stored(card_set)
    assert {item[1] for item in stored} == {"basic", "cloze"}
    assert _decode_notes(stored, cards) == _plain_decode(stored, cards) is not None
    tried = misses = 0
    for index in range(len(stored)):
        for position in range(9):
            for value in HOSTILE:
                damaged = copy.deepcopy(stored)
                damaged[index][position] = value
                expected = _plain_decode(damaged, cards)
                assert _decode_notes(damaged, cards) == expected, (index, position, value)
                tried += 1
                misses += expected is None
        # A field list one too long or short, and an item that is not nine values.
        for item in (stored[index][:8], [*stored[index], ""], None, "x", {}):
            damaged = copy.deepcopy(stored)
            damaged[index] = item
            assert _decode_notes(damaged, cards) is _plain_decode(damaged, cards) is None
        for fields in (stored[index][2][:-1], [*stored[index][2], ""]):
            damaged = copy.deepcopy(stored)
            damaged[index][2] = fields
            assert _decode_notes(damaged, cards) is _plain_decode(damaged, cards) is None
    assert 0 < misses < tried  # some damage is still a note (a tag list of one tag), most is a miss
    for whole in (None, {}, "x", stored[:-1], [*stored, stored[0]]):
        assert _decode_notes(whole, cards) is _plain_decode(whole, cards) is None


def test_a_stored_note_keeps_the_digest_stored_with_it():
    """The digest reconcile compares is the one stored beside the fields, written from those same fields."""
    card_set = pipeline.check(REPO_CARDS, cache=ParseCache(None)).card_set
    cards, stored = _stored(card_set)
    fresh = [_note(card, card_set, card_set.sources_by_id) for card in cards]
    decoded = _decode_notes(stored, cards)
    assert [note.digest() for note in decoded] == [note.digest() for note in fresh]
    stored[0][8] = "0" * 16
    assert _decode_notes(stored, cards)[0].digest() == "0" * 16 != fresh[0].digest()
