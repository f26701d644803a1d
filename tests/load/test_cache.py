"""The parse cache: unchanged card files are not parsed again, and nothing it holds can change a result."""

import shutil

from hypothesis import given, settings, strategies as st

from builder import pipeline
from builder.load.cache import ParseCache, disk_cache, parse_all
from builder.load.loader import card_files, load_card_file

from ..conftest import DATA


def many_files(make_cards, count=12):
    cards = make_cards("valid.yaml")
    for n in range(count):
        text = (DATA / "cards" / "valid.yaml").read_text().replace("id: valid-", f"id: v{n}-")
        text = text.replace("What cell shape is typical?", f"What cell shape is typical in case {n}?")
        text = text.replace("text: Margins of", f"text: In case {n}, margins of")
        text = text.replace("front: HLRCC", f"front: HLRCC {n}")
        (cards / f"part-{n:02}.yaml").write_text(text)
    return cards


def test_a_second_check_parses_nothing_and_an_edit_parses_one_file(make_cards):
    cards = many_files(make_cards)
    first = pipeline.check(cards)
    cache = disk_cache(cards)
    again = pipeline.check(cards, cache=cache)
    assert (cache.hits, cache.misses) == (13, 0)
    assert again.diagnostics == first.diagnostics and again.card_set == first.card_set
    path = cards / "part-03.yaml"
    path.write_text(path.read_text().replace("back: Spindle", "back: Round"))
    cache = disk_cache(cards)
    edited = pipeline.check(cards, cache=cache)
    assert (cache.hits, cache.misses) == (12, 1)
    assert next(c for c in edited.card_set.cards if c.id == "v3-basic").back == "Round"


def test_the_cache_changes_no_result(make_cards):
    cards = make_cards("valid.yaml", "missing-field.yaml", "unknown-field.yaml")
    cold = pipeline.check(cards, cache=ParseCache(None))
    pipeline.check(cards)  # fills the disk cache
    warm = pipeline.check(cards)
    assert warm.diagnostics == cold.diagnostics and warm.card_set == cold.card_set
    assert [c.positions for c in warm.card_set.cards] == [c.positions for c in cold.card_set.cards]


def test_a_damaged_or_foreign_entry_is_a_miss(make_cards):
    cards = make_cards("valid.yaml")
    pipeline.check(cards)
    entries = sorted((cards / ".cache").glob("*.json"))
    assert len(entries) == 1
    entries[0].write_text('{"key": "someone else", "cards": "__import__(\\"os\\")"}')
    cache = disk_cache(cards)
    result = pipeline.check(cards, cache=cache)
    assert cache.misses == 1 and len(result.card_set.cards) == 3


def test_entries_of_removed_files_are_pruned_and_the_folder_is_safe_to_delete(make_cards):
    cards = many_files(make_cards, count=3)
    pipeline.check(cards)
    assert len(list((cards / ".cache").glob("*.json"))) == 4
    (cards / "part-01.yaml").unlink()
    pipeline.check(cards)
    assert len(list((cards / ".cache").glob("*.json"))) == 3
    shutil.rmtree(cards / ".cache")
    assert pipeline.check(cards).card_count == 9


def test_parallel_parsing_gives_what_serial_parsing_gives(make_cards, monkeypatch):
    from builder.load import cache as cache_module

    cards = many_files(make_cards, count=16)
    paths = card_files(cards)
    serial = [load_card_file(p.read_bytes(), f"cards/{p.name}") for p in paths]
    monkeypatch.setattr(cache_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(cache_module.os, "cpu_count", lambda: 2)
    assert len(cache_module._shares([(i, "k", b"x" * 10, "d") for i in range(8)])) == 2
    parallel = parse_all(paths, disk_cache(cards), cards)
    assert parallel == serial
    assert len(list((cards / ".cache").glob("*.json"))) == 17  # the children wrote their shares' entries


@settings(max_examples=200, deadline=None)
@given(sizes=st.lists(st.integers(1, 5000), min_size=8, max_size=60), cores=st.integers(2, 4),
       child_cost=st.sampled_from([1.0, 1.15, 1.5]))
def test_the_shares_of_the_parse_hold_every_file_once_and_end_together(sizes, cores, child_cost):
    """Counted at what a byte costs each side (a child's at ``child_cost``), no share ends later than another
    by more than the largest file: each file goes where it ends soonest."""
    from unittest import mock

    from builder.load import cache as cache_module

    todo = [(index, "k", b"x" * size, "d") for index, size in enumerate(sizes)]
    with mock.patch.object(cache_module, "PARALLEL_MIN_BYTES", 0), \
            mock.patch.object(cache_module.os, "cpu_count", lambda: cores), \
            mock.patch.object(cache_module, "can_fork", lambda: True):
        shares = cache_module._shares(todo, child_cost)
    assert len(shares) == cores
    assert sorted(job[0] for share in shares for job in share) == list(range(len(sizes)))
    ends = [sum(len(job[2]) for job in share) * (1.0 if number == 0 else child_cost)
            for number, share in enumerate(shares)]
    assert max(ends) - min(ends) <= max(sizes) * child_cost


def test_an_entry_planted_in_the_repository_cannot_change_the_cards(make_cards):
    """A contributor could commit cards/.cache/<key>.json with cards that differ from the reviewed YAML."""
    from dataclasses import replace

    from builder.load.loader import CardFile

    cards = make_cards("valid.yaml")
    path = cards / "valid.yaml"
    honest = load_card_file(path.read_bytes(), "cards/valid.yaml")
    forged = CardFile(honest.display, tuple(replace(card, back="Forged answer") for card in honest.cards),
                      honest.complete, honest.diagnostics)
    # Whatever key the planter can compute: without this machine's secret, or with another machine's.
    for planter in (ParseCache(cards / ".cache"), ParseCache(cards / ".cache", secret=b"x" * 32)):
        planter.put(planter.key("cards/valid.yaml", path.read_bytes()), forged)
    result = pipeline.check(cards)
    assert "Forged answer" not in {card.back for card in result.card_set.cards}
    assert sorted(p.name for p in (cards / ".cache").glob("*.json")) == [
        f"{disk_cache(cards).key('cards/valid.yaml', path.read_bytes())}.json"], "planted entries are pruned"


def test_without_a_place_for_the_secret_there_is_no_disk_cache(make_cards, monkeypatch):
    cards = make_cards("valid.yaml")
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert disk_cache(cards).folder is None
    assert pipeline.check(cards).card_count == 3 and not (cards / ".cache").exists()
