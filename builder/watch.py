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
from .errors import DeckbuilderError
from .loader import CARD_SUFFIXES


def is_card_file(path: str) -> bool:
    name = Path(path).name
    return name.endswith(CARD_SUFFIXES) and not name.startswith(".")


def watch(
    cards_dir: Path,
    output_dir: Path,
    on_build: Callable[[pipeline.BuildResult], None],
    on_error: Callable[[DeckbuilderError], None],
    *,
    stop: Event | None = None,
    debounce_ms: int = 400,
) -> None:
    """Build now, then again after every change to a card file, until ``stop`` is set."""

    from .cache import disk_cache

    cache = disk_cache(cards_dir)  # kept in memory between builds: only saved files are parsed again

    def build_once() -> None:
        try:
            on_build(pipeline.build(cards_dir, output_dir, cache=cache))
        except DeckbuilderError as error:  # e.g. output folder not writable: report, keep watching
            on_error(error)

    build_once()
    for _ in watchfiles.watch(cards_dir, watch_filter=lambda _change, path: is_card_file(path),
                              debounce=debounce_ms, stop_event=stop, raise_interrupt=False):
        build_once()
