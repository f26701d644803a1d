"""The card-level rules shared with a forked child (rules/card_share.py) find exactly what one process finds."""

import shutil
import sys
from pathlib import Path

import pytest

from builder import pipeline
from builder.check.rules import card_share, give_away

from ..conftest import DATA

ALL_CARD_FILES = sorted(path.name for path in (DATA / "cards").glob("*.yaml"))


@pytest.fixture
def shares(monkeypatch):
    """Every CardShare started (so a test knows the child really ran), with the threshold at zero."""
    started = []
    real = card_share.share_out

    def spy(*args):
        share = real(*args)
        started.append(share)
        return share

    monkeypatch.setattr("builder.check.rules.share_out", spy)
    return started


def _check(cards: Path, parallel: bool, monkeypatch) -> pipeline.CheckResult:
    monkeypatch.setattr(card_share, "MIN_CARDS", 0 if parallel else sys.maxsize)
    return pipeline.check(cards)


def _both(cards: Path, monkeypatch, shares) -> tuple[pipeline.CheckResult, pipeline.CheckResult]:
    """The check inline, then shared, each from the caches as they are now; asserts that a child ran."""
    cache = cards / ".cache"
    saved = cards.parent / "saved-cache"
    if cache.exists():
        shutil.copytree(cache, saved)
    inline = _check(cards, False, monkeypatch)
    shutil.rmtree(cache, ignore_errors=True)
    if saved.exists():
        saved.rename(cache)
    shares.clear()
    parallel = _check(cards, True, monkeypatch)
    assert shares and shares[0] is not None and shares[0].child is None, "a child checked a share and was collected"
    return inline, parallel


def test_shared_checking_finds_what_one_process_finds_on_every_data_file(make_cards, monkeypatch, shares):
    cards = make_cards(*ALL_CARD_FILES)
    inline, parallel = _both(cards, monkeypatch, shares)
    assert any(d.code == give_away.CODE for d in inline.diagnostics), "the card-level rules should find things"
    assert parallel.diagnostics == inline.diagnostics
    # What the shared run stored serves the next run (from the cache alone: nothing left to share).
    shares.clear()
    assert _check(cards, True, monkeypatch).diagnostics == inline.diagnostics
    assert shares == [None]


def test_shared_checking_with_part_of_the_findings_stored(make_cards, monkeypatch, shares):
    cards = make_cards(*ALL_CARD_FILES)
    _check(cards, False, monkeypatch)  # every file's findings stored
    for name in ("give-away.yaml", "yes-no-question.yaml", "valid.yaml"):
        path = cards / name
        path.write_text(path.read_text().replace("front: ", "front: Edited, ", 1))
    inline, parallel = _both(cards, monkeypatch, shares)
    assert parallel.diagnostics == inline.diagnostics
    assert len(shares[0].files) > 3 and not shares[0].found, "only the edited files were checked, and all used"


def test_a_generated_deck_is_shared_at_the_default_threshold(tmp_path, monkeypatch, shares):
    sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
    try:
        from bench import generate
    finally:
        sys.path.pop(0)
    monkeypatch.chdir(tmp_path)
    cards = generate(tmp_path, 2500)
    parallel = pipeline.check(cards)
    assert shares[0] is not None, "2,500 unchecked cards are worth a child"
    shutil.rmtree(cards / ".cache")
    inline = _check(cards, False, monkeypatch)
    assert parallel.diagnostics == inline.diagnostics and parallel.diagnostics


def test_a_rule_failing_in_the_child_fails_the_check_as_it_does_inline(make_cards, monkeypatch, shares):
    cards = make_cards(*ALL_CARD_FILES)
    last = sorted(ALL_CARD_FILES)[-1]  # loaded last, so in the child's share
    real = give_away.check_cards

    def failing(ctx, cards):
        if any(card.location.file.endswith(last) for card in cards):
            raise ValueError(f"a rule's bug, met in {last}")
        return real(ctx, cards)

    monkeypatch.setattr(give_away, "check_cards", failing)
    with pytest.raises(ValueError) as inline:
        _check(cards, False, monkeypatch)
    shutil.rmtree(cards / ".cache")
    with pytest.raises(ValueError) as parallel:
        _check(cards, True, monkeypatch)
    assert str(parallel.value) == str(inline.value) == f"a rule's bug, met in {last}"
    assert shares[-1] is not None


def test_nothing_forks_when_forking_is_unsafe(make_cards, monkeypatch, shares):
    monkeypatch.setattr(card_share, "can_fork", lambda: False)
    cards = make_cards(*ALL_CARD_FILES)
    assert _check(cards, True, monkeypatch).diagnostics
    assert shares == [None]


def test_stored_findings_that_do_not_decode_are_computed_as_inline(make_cards, monkeypatch, shares):
    """A hostile or damaged entry: present, so not shared out, yet not usable; the runner computes it."""
    import json

    cards = make_cards(*ALL_CARD_FILES)
    cold = _check(cards, False, monkeypatch).diagnostics
    entries = sorted((cards / ".cache" / "derived").glob("findings-*.json"))
    assert len(entries) > 10
    for path in entries[::2]:  # half the files: W809's stored findings replaced by junk, another rule's removed
        entry = json.loads(path.read_text())
        entry["results"][give_away.CODE] = ["junk"]
        del entry["results"]["E406"]
        path.write_text(json.dumps(entry))
    inline, parallel = _both(cards, monkeypatch, shares)
    assert parallel.diagnostics == inline.diagnostics == cold
