"""What a rule may look at: the card set, plus grounding data when it was asked for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

from ..model import CardSet

if TYPE_CHECKING:
    from ..grounding import SourceText
    from ..lockfile import Lock


@dataclass(frozen=True)
class CheckContext:
    card_set: CardSet
    # Source id -> verified text; None unless `check --sources DIR` was given.
    source_texts: Mapping[str, SourceText] | None = None
    # What earlier builds shipped (cards/deck.lock); None before the first build.
    lock: Lock | None = None
