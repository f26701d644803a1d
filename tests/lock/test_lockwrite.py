"""The lock's quick paths write and read what the plain ones do: card lines (lockwrite._card_line against
json.dumps of _card_data) and field hashes kept as their written text (hashes.FieldHashes)."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given, settings, strategies as st

from builder.lock import lockdata, lockread, lockwrite
from builder.lock.hashes import EMPTY_HASH, FieldHashes
from builder.lock.lockfile import LockedCard, dump_lock, parse_lock
from builder.model import Placement

from ..conftest import REPO

BUNDLED = (REPO / "cards" / "deck.lock").read_bytes()
BASIC = lockdata._hash_order("basic")
CLOZE = lockdata._hash_order("cloze")


def _plain_line(card: LockedCard, created: int | None) -> str:
    return lockwrite._line(lockwrite._card_data(card, created))


def test_every_card_line_of_the_bundled_lock_is_json_dumps_of_its_data():
    lock, _ = parse_lock(BUNDLED, "deck.lock")
    for card in [*lock.cards.values(), *lock.retired.values()]:
        for created in (lock.created, card.added, None):
            assert lockwrite._card_line(card, created) == _plain_line(card, created)


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
times = st.integers(0, 4_000_000_000)
hash_values = st.sampled_from(["-", EMPTY_HASH, "abc", "0123456789", "x-y"])


@st.composite
def cards(draw):
    notetype = draw(st.sampled_from(["basic", "cloze", "other"]))
    order = lockdata._hash_order(notetype)
    if draw(st.booleans()):
        hashes = FieldHashes(order, " ".join(draw(hash_values) for _ in order))
    else:
        values = st.sampled_from(["", " ", "-", "ab", EMPTY_HASH])
        hashes = draw(st.dictionaries(st.sampled_from([*order, "odd name"]), values))
    added = draw(times)
    return LockedCard(
        guid=draw(texts), notetype=notetype, added=added, changed=draw(st.sampled_from([added, draw(times)])),
        hashes=hashes, question=draw(texts), reverse=draw(st.booleans()),
        retired=draw(st.none() | times), retired_in=draw(st.none() | texts),
        placement=Placement(tuple(draw(st.lists(slugs, max_size=3))), draw(st.none() | slugs),
                            tuple(draw(st.lists(texts, max_size=3)))),
        digest=draw(texts), answer=draw(texts), restoring=draw(st.booleans()),
        adopted=draw(st.sampled_from(["", "adopted-basic"])),
    )


@settings(max_examples=300, deadline=None)
@given(cards(), st.none() | times)
def test_a_card_line_is_json_dumps_of_its_data(card, created):
    assert lockwrite._card_line(card, created) == _plain_line(card, created)
    assert lockwrite._card_line(card, card.added) == _plain_line(card, card.added)


def test_a_card_of_other_types_is_written_as_json_dumps_writes_it():
    card = LockedCard(guid="g", notetype="basic", added=1, changed=1, hashes={}, question="q", retired=5,
                      retired_in=3)  # type: ignore[arg-type]
    assert lockwrite._card_line(card, 1) == _plain_line(card, 1)


def test_field_hashes_are_the_mapping_they_stand_for():
    values = ["aaa", "-", "bbb", EMPTY_HASH, "ccc", "ddd", "eee", "fff", "ggg", "hhh"]
    hashes = FieldHashes(BASIC, " ".join(values))
    plain = {name: EMPTY_HASH if value == "-" else value for name, value in zip(BASIC, values)}
    assert hashes == plain and plain == hashes and dict(hashes) == plain and list(hashes) == list(BASIC)
    assert len(hashes) == len(BASIC) and "Front" in hashes and "nope" not in hashes
    assert hashes.get("Back") == EMPTY_HASH and hashes.get("nope") is None and hashes["tags"] == "hhh"
    assert hashes != {**plain, "Front": "other"} and hashes != FieldHashes(BASIC, " ".join(["x"] * 10))
    assert FieldHashes(BASIC, " ".join(values)) == hashes and hashes != [1]
    # The text spells an empty field's hash out, which the writer writes "-": not its written form.
    assert hashes.written is None
    assert FieldHashes(BASIC, " ".join(["-" if v == EMPTY_HASH else v for v in values])).written is not None


def test_a_lock_read_quickly_writes_what_the_careful_reading_writes(monkeypatch):
    """Card hashes read as FieldHashes (and one spelling an empty field's hash out) dump as the dicts do."""
    text = BUNDLED.decode()
    data = json.loads(text)
    first = next(iter(data["cards"]))
    parts = data["cards"][first]["hashes"].split(" ")
    data["cards"][first]["hashes"] = " ".join(EMPTY_HASH if p == "-" else p for p in parts)
    edited = json.dumps(data, indent=2, ensure_ascii=False).encode()
    quick, _ = parse_lock(edited, "deck.lock")
    assert isinstance(quick.cards[first].hashes, FieldHashes)
    monkeypatch.setattr(lockread, "_card_fast", lambda *args: None)
    careful, _ = parse_lock(edited, "deck.lock")
    assert quick == careful and dump_lock(quick) == dump_lock(careful)
    assert dump_lock(parse_lock(BUNDLED, "deck.lock")[0]) == text


def test_a_changed_card_is_written_with_its_new_hashes():
    lock, _ = parse_lock(BUNDLED, "deck.lock")
    card_id, card = next(iter(lock.cards.items()))
    new = {**card.hashes, "Front": "fffffff"}
    changed = replace(lock, cards={**lock.cards, card_id: replace(card, hashes=new)})
    line = next(line for line in dump_lock(changed).splitlines() if line.startswith(f'    "{card_id}"'))
    assert json.loads(line.split(": ", 1)[1].rstrip(","))["hashes"].split(" ")[0] == "fffffff"


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(st.characters(codec="utf-8")),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=500, deadline=None)
@given(_JSON)
def test_the_indented_writer_is_json_dumps_with_an_indent_of_two(value):
    from builder.lock.lockwrite import _indented

    assert _indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
