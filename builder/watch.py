"""``deckbuilder watch``: rebuild on every save of a card file.

watchfiles (Rust's notify underneath) waits for a burst of saves to settle
before yielding, so an editor writing a file in several steps triggers one
build. Only card files count: the build's own writes (deck.lock, output/)
never trigger another build.
"""

from __future__ import annotations

from pathlib import Path
from threading import Event
from typing import Callable

import watchfiles

from . import pipeline
from .model import DeckbuilderError
from .load import CARD_SUFFIXES


def is_card_file(path: str) -> bool:
    name = Path(path).name
    return name.endswith(CARD_SUFFIXES) and not name.startswith(".")


def watch(
    cards_dir: Path,
    output_dir: Path,
    on_build: Callable[[pipeline.BuildResult], None],
    on_error: Callable[[DeckbuilderError], None],
    *,
    on_check: Callable[[pipeline.CheckResult], None] | None = None,
    stop: Event | None = None,
    debounce_ms: int = 400,
    preview_dir: Path | None = None,
) -> None:
    """Build now, then again after every change to a card file, until ``stop`` is set.

    ``on_check`` hears the check's result first: at tens of thousands of cards
    it comes in well under a second, long before the deck is written. With
    ``preview_dir``, the preview gallery is rewritten after every check (errors
    included: the gallery shows them), with a new build stamp.
    """

    from .load import disk_cache
    from .check import RecheckMemo

    cache = disk_cache(cards_dir)  # kept in memory between builds: only saved files are parsed again
    memo = RecheckMemo()  # and only what they affect is checked again
    builds = 0

    def build_once() -> None:
        nonlocal builds
        builds += 1
        try:
            checked = pipeline.check(cards_dir, cache=cache, memo=memo)
            if on_check is not None:
                on_check(checked)
            if preview_dir is not None:
                pipeline.preview(cards_dir, preview_dir, build=builds, checked=checked)
            on_build(pipeline.build_checked(checked, cards_dir, output_dir, memo=memo))
        except DeckbuilderError as error:  # e.g. output folder not writable: report, keep watching
            on_error(error)

    build_once()
    for _ in watchfiles.watch(cards_dir, watch_filter=lambda _change, path: is_card_file(path),
                              debounce=debounce_ms, stop_event=stop, raise_interrupt=False):
        build_once()
