"""What ``watch`` remembers from one check to the next, so a re-check costs what changed.

After a save, usually one card file of hundreds differs. The parse cache
already hands back the very same Card objects for the files that did not
change, so object identity says what changed, and:

* the lock is decoded again only when its bytes changed (at 50,000 cards,
  decoding it takes seconds);
* a card-level rule's findings for a file (``check_cards``, see rules/) are
  reused while that file's cards are the same objects and the deck, sources,
  media folder and the rule's options are equal to last time;
* the near-duplicate search compares only new and edited cards with the rest
  (similarity.PairIndex).

Memory only, one per watch session; a one-off ``check`` has none and
computes everything, so the memo can never be the only thing that is right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from ..model import Diagnostic

if TYPE_CHECKING:
    from .rules.context import CheckContext, Finding
    from ..lock import Lock
    from ..model import Card
    from .similarity import PairIndex


@dataclass
class _RuleResult:
    cards: tuple[Card, ...]  # held, so that their ids cannot be reused while the entry exists
    options: dict[str, Any]
    findings: list[Finding]


@dataclass
class RecheckMemo:
    _lock_bytes: bytes | None = None
    _lock: tuple[Lock | None, list[Diagnostic]] = (None, [])
    _context: tuple | None = None
    _files: dict[str, tuple[Card, ...]] = field(default_factory=dict)
    _rule_results: dict[tuple[str, str], _RuleResult] = field(default_factory=dict)
    _pair_indexes: dict[tuple[Any, ...], PairIndex] = field(default_factory=dict)

    # ------------------------------------------------------------ the lock

    def read_lock(self, path: Path, display: str) -> tuple[Lock | None, list[Diagnostic]]:
        from ..lock import MAX_LOCK_BYTES, outside_link, parse_lock, read_lock
        from ..fs import UnsafeFile, read_regular_file

        try:
            if outside_link(path) is not None:
                return read_lock(path, display)
            data = read_regular_file(path, MAX_LOCK_BYTES)
        except (OSError, UnsafeFile):
            return read_lock(path, display)  # absent or unreadable: read_lock says which
        if data != self._lock_bytes:  # kept whole: comparing is quicker than hashing, and exact
            self._lock_bytes, self._lock = data, parse_lock(data, display)
        return self._lock[0], list(self._lock[1])

    def wrote_lock(self, data: bytes, lock: Lock) -> None:
        """The build just wrote ``data``, the serialised ``lock``: no need to decode it next time."""
        self._lock_bytes, self._lock = data, (lock, [])

    # ------------------------------------------------------------ card-level rules

    def start_run(self, ctx: CheckContext) -> None:
        """Begin a check: forget every rule result if anything but the cards changed."""
        card_set = ctx.card_set
        context = (card_set.deck, card_set.sources, ctx.media_files, ctx.media_dir)
        if context != self._context:
            self._context = context
            self._rule_results.clear()
        files: dict[str, list[Card]] = {}
        for card in card_set.cards:
            files.setdefault(card.location.file, []).append(card)
        previous = self._files
        self._files = {}
        for name, cards in files.items():
            before = previous.get(name, ())
            # The same tuple object as last time when its cards are, so card_findings compares by identity.
            self._files[name] = before if _same_objects(before, cards) else tuple(cards)
        for key in [key for key, kept in self._rule_results.items() if self._files.get(key[1]) is not kept.cards]:
            del self._rule_results[key]

    def card_findings(self, code: str, check_cards: Callable[[CheckContext, Iterable[Card]], Iterable[Finding]],
                      ctx: CheckContext) -> list[Finding]:
        """A card-level rule's findings, computed again only for the files whose cards changed."""
        found: list[Finding] = []
        for name, cards in self._files.items():
            kept = self._rule_results.get((code, name))
            if kept is None or kept.options != ctx.options:
                kept = _RuleResult(cards, dict(ctx.options), list(check_cards(ctx, cards)))
                self._rule_results[(code, name)] = kept
            found.extend(kept.findings)
        return found

    # ------------------------------------------------------------ near-duplicates

    def pair_index(self, key: tuple[Any, ...], make: Callable[[], PairIndex]) -> PairIndex:
        if key not in self._pair_indexes:
            self._pair_indexes[key] = make()
        return self._pair_indexes[key]


def _same_objects(first: Sequence[object], second: Sequence[object]) -> bool:
    return len(first) == len(second) and all(a is b for a, b in zip(first, second))
