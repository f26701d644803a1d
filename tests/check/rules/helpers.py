"""Run one rule over a small project and list what it reports."""

from __future__ import annotations

from types import ModuleType

from builder.check.rules import CheckContext, run_checks
from builder.load.loader import load_card_set

from ...conftest import positions


def rule_positions(rule: ModuleType, cards_dir, source_texts=None, lock=None) -> list[tuple[str, str, int, int]]:
    """(code, file, line, column) of what one rule reports on a cards folder (its media folder included)."""
    from builder.load.loader import media_files

    result = load_card_set(cards_dir)
    assert result.card_set is not None, result.diagnostics
    ctx = CheckContext(result.card_set, source_texts, lock, frozenset(media_files(cards_dir)))
    return positions(run_checks(ctx, rules=[rule]))


def with_media(cards_dir, *names):
    """Put test media files (tests/data/media) into the cards folder's media/."""
    import shutil

    from ...conftest import DATA

    (cards_dir / "media").mkdir(exist_ok=True)
    for name in names:
        shutil.copy(DATA / "media" / name, cards_dir / "media" / name)
    return cards_dir


def built_lock(cards_dir, output_dir):
    """Build the cards as they are and return the lock that build wrote."""
    from builder import pipeline
    from builder.lock.lockfile import read_lock

    result = pipeline.build(cards_dir, output_dir, now=1_790_000_000)
    assert result.package is not None, [str(d) for d in result.diagnostics]
    lock, problems = read_lock(cards_dir / "deck.lock", "deck.lock")
    assert problems == []
    return lock


def source_texts_for(cards_dir):
    """The verified test source texts (tests/data/sources) for the cards' sources.yaml."""
    from builder.check.grounding import load_source_texts

    from ...conftest import DATA

    texts, problems = load_source_texts(load_card_set(cards_dir).card_set, DATA / "sources")
    assert problems == []
    return texts
