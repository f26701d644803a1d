import pytest

from builder import pipeline
from builder.model.errors import DeckbuilderError
from builder.lock.lockfile import read_lock
from builder.cli.retirement import purge, unretire

NOW = 1_790_000_000


def retire_basic(cards, tmp_path, release=True):
    pipeline.build(cards, tmp_path / "v1", now=NOW)
    path = cards / "valid.yaml"
    text = path.read_text()
    path.write_text(text.replace(text[text.index("- id: valid-basic"):text.index("- id: valid-reversed")], ""))
    if release:
        deck = cards / "deck.yaml"
        deck.write_text(deck.read_text().replace("version: 1.0.0", "version: 1.1.0"))
    return pipeline.build(cards, tmp_path / "v2", now=NOW + 60)


def test_a_retirement_no_release_has_shipped_cannot_be_purged(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    retire_basic(cards, tmp_path, release=False)
    with pytest.raises(DeckbuilderError, match="Release a new version first"):
        purge(cards, ["valid-basic"])
    assert purge(cards, [], everything=True) == []


def test_purge_stops_the_tombstone_and_reserves_the_id(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    assert retire_basic(cards, tmp_path).tombstone_count == 1
    assert purge(cards, ["valid-basic"]) == ["valid-basic"]
    lock = read_lock(cards / "deck.lock", "deck.lock")[0]
    assert "valid-basic" not in lock.retired and "valid-basic" in lock.purged
    result = pipeline.build(cards, tmp_path / "v3", now=NOW + 120)
    assert (result.note_count, result.tombstone_count) == (2, 0)


def test_purge_refuses_ids_that_are_not_retired(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    retire_basic(cards, tmp_path)
    with pytest.raises(DeckbuilderError, match="not retired"):
        purge(cards, ["valid-cloze"])


def test_purge_all(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    retire_basic(cards, tmp_path)
    assert purge(cards, [], everything=True) == ["valid-basic"]


def test_unretire_brings_the_card_back_as_a_change(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    retire_basic(cards, tmp_path)
    unretire(cards, "valid-basic")
    (cards / "back.yaml").write_text("- id: valid-basic\n  front: What cell shape is typical?\n  back: Spindle\n"
                                     "  topics: [histology]\n  sources: [src-a]\n")
    result = pipeline.build(cards, tmp_path / "v3", now=NOW + 120)
    assert result.changes.restored == ("valid-basic",) and result.tombstone_count == 0
    assert not result.changes.added and not result.changes.changed


def test_unretire_refuses_purged_and_live_ids(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    retire_basic(cards, tmp_path)
    with pytest.raises(DeckbuilderError, match="not retired"):
        unretire(cards, "valid-cloze")
    purge(cards, ["valid-basic"])
    with pytest.raises(DeckbuilderError, match="purged"):
        unretire(cards, "valid-basic")


def test_nothing_to_manage_before_the_first_build(make_cards):
    with pytest.raises(DeckbuilderError, match="nothing has been built"):
        purge(make_cards("valid.yaml"), ["x"])
