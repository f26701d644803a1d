"""Shared fixtures: small card projects built from named data files, and a real Anki collection."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable, Iterable

import pytest

from builder.model.diagnostics import Diagnostic

TESTS = Path(__file__).parent
DATA = TESTS / "data"
REPO = TESTS.parent

MakeCards = Callable[..., Path]


@pytest.fixture
def make_cards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MakeCards:
    """Make ``cards/`` in a temporary project (the working folder) from data files.

    ``make_cards("duplicate-id.yaml")`` copies the base deck.yaml and
    sources.yaml plus ``tests/data/cards/duplicate-id.yaml``; ``deck=`` and
    ``sources=`` swap in a file from ``tests/data/deck`` instead.
    """
    monkeypatch.chdir(tmp_path)

    def make(*card_files: str, deck: str | None = None, sources: str | None = None) -> Path:
        cards = tmp_path / "cards"
        cards.mkdir()
        shutil.copy(DATA / "deck" / deck if deck else DATA / "base" / "deck.yaml", cards / "deck.yaml")
        shutil.copy(DATA / "deck" / sources if sources else DATA / "base" / "sources.yaml", cards / "sources.yaml")
        for name in card_files:
            shutil.copy(DATA / "cards" / name, cards / name)
        return cards

    return make


def positions(diagnostics: Iterable[Diagnostic]) -> list[tuple[str, str, int, int]]:
    """(code, file name, line, column) of each diagnostic: what tests assert on."""
    return [(d.code, Path(d.location.file).name, d.location.line, d.location.column) for d in diagnostics]


@pytest.fixture
def collection(tmp_path: Path):
    """A fresh, real Anki collection (the `anki` package from PyPI)."""
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


def _after_the_bundled_lock() -> int:
    """Just after the latest time the bundled cards/deck.lock records: a build's clock may be neither
    earlier than its lock nor later than the real clock (E208), and every rebuild of the bundled deck
    moves that time on."""
    import re

    from builder.lock.lockfile import to_timestamp

    times = re.findall(r'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"', (REPO / "cards" / "deck.lock").read_text())
    return max(map(to_timestamp, times)) + 1


# Two fixed moments for builds of the bundled deck (builds are reproducible given the time and the lock).
V1_TIME = _after_the_bundled_lock()
V2_TIME = V1_TIME + 1


def edit_bundled_cards_to_v2(cards: Path) -> None:
    """A copy of the bundled cards, edited as a maintainer would: one answer changed, one card added."""
    margins = cards / "margins.yaml"
    text = margins.read_text()
    assert "back: Wide excision with negative margins" in text
    margins.write_text(text.replace("back: Wide excision with negative margins",
                                    "back: Wide local excision with negative margins") + """
- id: margins-aim-clear
  front: What margin status should the excision of a cutaneous leiomyosarcoma leave?
  back: Tumour-free (negative) margins
  topics: [margins]
  scope: cutaneous
  sources:
    - id: dr-oracle
      section: Treatment Recommendations
""")
