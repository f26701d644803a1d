"""A cached card's positions (load/positions.py): decoded only when asked, validated when the entry is read."""

import json
import pickle

import pytest

from builder import pipeline
from builder.load.cache import ParseCache, disk_cache
from builder.load.positions import LazyPositions, encode, valid
from builder.model import Location


def test_cached_positions_are_the_parsed_ones(make_cards):
    cards = make_cards("valid.yaml", "media-references.yaml", "unknown-source.yaml")
    cold = pipeline.check(cards, cache=ParseCache(None)).card_set
    pipeline.check(cards)
    warm = pipeline.check(cards).card_set
    assert all(isinstance(card.positions, LazyPositions) for card in warm.cards)
    for cached, parsed in zip(warm.cards, cold.cards):
        assert dict(cached.positions) == dict(parsed.positions) and len(cached.positions) == len(parsed.positions)
        for name in parsed.positions:
            assert cached.where(name) == parsed.where(name) and name in cached.positions
        assert cached.where("no-such-field") == parsed.where("no-such-field") == parsed.location
        assert cached.where("topics", 0) == parsed.where("topics", 0)


@pytest.mark.parametrize("encoded", [
    "front 1", "front 1 2 ", " front 1 2", "front  1 2", "front 0 2", "front 1 -2", "front 1 2x", "front 1.0 2",
    "front \u0661 2",  # an Arabic-Indic digit, which int() would accept
    "front 1 2\nback 3 4", 12, None, ["front", 1, 2],
])
def test_anything_but_what_encode_writes_is_refused(encoded):
    assert not valid(encoded)


def test_what_encode_writes_is_accepted_and_read_back():
    positions = {"id": Location("f.yaml", 2, 7), "topics[0]": Location("f.yaml", 5, 12),
                 "sources[1].section": Location("f.yaml", 9, 15)}
    encoded = encode(positions)
    assert valid(encoded) and valid("")
    lazy = LazyPositions("f.yaml", encoded)
    assert dict(lazy) == positions and lazy.get("nothing") is None and lazy["id"] == positions["id"]
    assert pickle.loads(pickle.dumps(lazy)) == positions  # what a forked search sends back


def test_an_entry_with_damaged_positions_or_values_is_a_miss(make_cards):
    cards = make_cards("valid.yaml")
    cold = pipeline.check(cards, cache=ParseCache(None))
    pipeline.check(cards)
    (entry,) = sorted((cards / ".cache").glob("*.json"))
    data = json.loads(entry.read_text())
    for damage in range(4):
        damaged = json.loads(json.dumps(data))
        card = damaged["cards"][0]
        if damage == 0:
            card[13] = card[13] + " x"  # positions no longer triples
        elif damage == 1:
            card[4] = ["not", "text"]  # a front that is not a string
        elif damage == 2:
            card[3] = [["src-a", None, "extra"]]
        else:
            card[1] = "no-such-type"
        entry.write_text(json.dumps(damaged))
        cache = disk_cache(cards)
        warm = pipeline.check(cards, cache=cache)
        assert cache.misses == 1, damage
        assert warm.diagnostics == cold.diagnostics and warm.card_set == cold.card_set
        assert [dict(c.positions) for c in warm.card_set.cards] == [dict(c.positions) for c in cold.card_set.cards]


def test_a_card_decoded_from_the_cache_is_the_card_the_loader_makes(make_cards):
    """The decoder fills a Card's fields without its __init__ (load/cache.py): the result must be equal in every
    field, hash alike, and stay frozen."""
    import dataclasses

    from builder.load import cache

    assert cache._FILL_DIRECTLY, "Card changed: check that _decode_card still makes what Card() makes"
    cards = make_cards("valid.yaml", "unknown-source.yaml")
    cold = pipeline.check(cards, cache=ParseCache(None)).card_set.cards
    pipeline.check(cards)
    warm = pipeline.check(cards).card_set.cards
    for cached, parsed in zip(warm, cold, strict=True):
        assert cached == parsed and hash(cached) == hash(parsed) and repr(cached) == repr(parsed)
        assert vars(cached).keys() == vars(dataclasses.replace(parsed)).keys()
        with pytest.raises(dataclasses.FrozenInstanceError):
            cached.front = "changed"
