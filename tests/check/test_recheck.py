"""watch's re-check: it redoes only what a save affects, and always says what a fresh check says."""

import shutil

import pytest

from builder import pipeline
from builder.load.cache import ParseCache, disk_cache
from builder.check.rules import RULES
from builder.check.rules import long_answer
from builder.lock import lockfile
from builder.lock.lockfile import parse_lock
from builder.check.recheck import RecheckMemo

from ..conftest import DATA

# Files that between them trigger most codes, card-level and deck-level.
PROBLEM_FILES = [
    "valid.yaml", "long-answer.yaml", "enumeration.yaml", "unknown-topic.yaml", "unknown-source.yaml",
    "unsafe-html.yaml", "removed-markup.yaml", "media-references.yaml", "cloze-syntax.yaml", "tag-format.yaml",
    "near-duplicate-question.yaml", "likely-contradiction.yaml", "duplicate-question.yaml", "bad-id-format.yaml",
    "yes-no-question.yaml", "answer-in-question.yaml", "reverse-answer-not-term.yaml",
]


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def assert_same_as_a_fresh_check(cards, cache, memo):
    again = pipeline.check(cards, cache=cache, memo=memo)
    fresh = pipeline.check(cards, cache=ParseCache(None))
    assert again.diagnostics == fresh.diagnostics
    return again


def test_every_re_check_reports_what_a_fresh_check_reports(make_cards, tmp_path):
    cards = make_cards(*PROBLEM_FILES)
    cache, memo = disk_cache(cards), RecheckMemo()
    first = assert_same_as_a_fresh_check(cards, cache, memo)
    assert len({d.code for d in first.diagnostics}) >= 12

    edit(cards / "valid.yaml", "back: Spindle", "back: Spindle " + "very " * 20)  # a card-level finding appears
    assert_same_as_a_fresh_check(cards, cache, memo)
    edit(cards / "tag-format.yaml", "id: ", "id: near-")  # every id in a file changes
    assert_same_as_a_fresh_check(cards, cache, memo)
    (cards / "enumeration.yaml").unlink()  # a file goes
    assert_same_as_a_fresh_check(cards, cache, memo)
    shutil.copy(DATA / "cards" / "with-media.yaml", cards / "with-media.yaml")  # a file comes
    assert_same_as_a_fresh_check(cards, cache, memo)
    (cards / "media").mkdir(exist_ok=True)
    (cards / "media" / "missing.png").write_bytes(b"png")  # the media folder changes
    assert_same_as_a_fresh_check(cards, cache, memo)
    edit(cards / "deck.yaml", "name:", "checks:\n  W801: {max_words: 3}\nname:")  # the deck's options change
    assert_same_as_a_fresh_check(cards, cache, memo)
    edit(cards / "deck.yaml", "checks:\n  W801: {max_words: 3}\n", "")
    assert_same_as_a_fresh_check(cards, cache, memo)
    edit(cards / "near-duplicate-question.yaml", "front: ", "front: Exactly ")  # near-duplicate pairs change
    assert_same_as_a_fresh_check(cards, cache, memo)


def test_a_build_then_a_re_check_agree_with_a_fresh_check(make_cards, tmp_path):
    cards = make_cards("valid.yaml", "lifecycle.yaml")
    cache, memo = disk_cache(cards), RecheckMemo()
    checked = pipeline.check(cards, cache=cache, memo=memo)
    built = pipeline.build_checked(checked, cards, tmp_path / "out", memo=memo)
    assert built.lock_written
    edit(cards / "valid.yaml", "back: Spindle", "back: Round")
    assert_same_as_a_fresh_check(cards, cache, memo)
    (cards / "valid.yaml").unlink()
    shutil.copy(DATA / "cards" / "card-kind-changed.yaml", cards)  # checked against the lock the build wrote
    again = assert_same_as_a_fresh_check(cards, cache, memo)
    assert "E206" in {d.code for d in again.diagnostics}
    (cards / "deck.lock").write_text("{damaged")  # the lock changes behind watch's back
    again = assert_same_as_a_fresh_check(cards, cache, memo)
    assert "E006" in {d.code for d in again.diagnostics}


def test_a_re_check_runs_card_rules_only_on_the_saved_file(make_cards, monkeypatch):
    cards = make_cards(*PROBLEM_FILES[:6])
    cache, memo = disk_cache(cards), RecheckMemo()
    pipeline.check(cards, cache=cache, memo=memo)
    seen = []
    original = long_answer.check_cards

    def counting(ctx, subset):
        seen.append({card.location.file for card in subset})
        return original(ctx, subset)

    monkeypatch.setattr(long_answer, "check_cards", counting)
    pipeline.check(cards, cache=cache, memo=memo)
    assert seen == []  # nothing changed: every finding reused
    edit(cards / "long-answer.yaml", "back: ", "back: A ")
    pipeline.check(cards, cache=cache, memo=memo)
    assert seen == [{"cards/long-answer.yaml"}]


@pytest.mark.parametrize("rule", [r for r in RULES if hasattr(r, "check_cards")], ids=lambda r: r.CODE)
def test_card_rules_find_per_file_what_they_find_for_the_whole_deck(rule, make_cards):
    """The contract that lets watch reuse findings: a card's findings do not depend on the other cards."""
    cards = make_cards(*PROBLEM_FILES)
    memo = RecheckMemo()
    whole = pipeline.check(cards, cache=ParseCache(None))
    per_file = pipeline.check(cards, cache=ParseCache(None), memo=memo)
    assert [d for d in per_file.diagnostics if d.code == rule.CODE] == [
        d for d in whole.diagnostics if d.code == rule.CODE]


def test_after_a_build_watch_remembers_the_lock_it_wrote_without_decoding_it(make_cards, tmp_path, monkeypatch):
    cards = make_cards("valid.yaml", "lifecycle.yaml")
    memo = RecheckMemo()
    pipeline.build_checked(pipeline.check(cards, memo=memo), cards, tmp_path / "out", memo=memo)
    on_disk, _ = parse_lock((cards / "deck.lock").read_bytes(), "cards/deck.lock")

    def no_decoding(*_args):
        raise AssertionError("decoded the lock again")

    monkeypatch.setattr(lockfile, "parse_lock", no_decoding)
    remembered, problems = memo.read_lock(cards / "deck.lock", "cards/deck.lock")
    assert problems == [] and remembered == on_disk and remembered.read_format == on_disk.read_format
