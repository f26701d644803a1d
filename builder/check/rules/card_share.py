"""The card-level rules over two cores: a forked child checks some card files while this process checks the rest.

A card-level rule (``check_cards``) depends on one card alone, so a file's
findings are the same whichever process computes them. Before the runner
asks for them, the files whose findings are not in the derived cache
(load/derived.py) are shared out: a child (load's ``Background``: forked, the
card set shared copy-on-write) takes ``CHILD_SHARE`` of that work and sends
back its findings (small: a few per file); this process computes the rest,
then runs the deck-wide rules while the child finishes. The runner then
assembles everything in its usual order, so the result is the inline one
(tests/check/test_card_share.py compares them).

The second core already runs the near-duplicate search and W811 (started
when the cards were loaded), which is why the child takes less than half (``CHILD_SHARE``).
Under ``watch`` nothing forks (a thread runs there: ``can_fork``), and a
small deck or a warm cache is not worth a process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from ...load import Background, can_fork
from .context import CheckContext, Finding

if TYPE_CHECKING:
    from ...load import DerivedCache
    from ...model import Card

# The child's part of the card-level work. CPU seconds of a cold check at 50,000 cards: card-level rules
# 3.2, deck-wide rules 0.3 (here), near-duplicate search 1.3 and W811 0.8 (in their own children, started
# with the load): a third of the card-level work evens the two cores out.
CHILD_SHARE = 0.3

# Below this many cards to check, a process costs more than it saves.
MIN_CARDS = 2000

CheckCards = Callable[[CheckContext, Iterable["Card"]], Iterable[Finding]]
Job = tuple[str, CheckCards, CheckContext, list[int]]  # code, check_cards, its context, file indexes


@dataclass
class CardShare:
    """Findings computed ahead, by (code, file index); the child's arrive with ``collect``."""

    files: Sequence[tuple[str, str, tuple[Card, ...]]]
    found: dict[tuple[str, int], list[Finding]] = field(default_factory=dict)
    child: Background | None = None
    _index: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index = {id(cards): index for index, (_, _, cards) in enumerate(self.files)}

    def collect(self) -> None:
        """Wait for the child's findings (its exception, re-raised here, if a rule failed there)."""
        if self.child is not None:
            child, self.child = self.child, None
            self.found.update(child.result())

    def compute(self, code: str, check_cards: CheckCards, ctx: CheckContext) -> Callable[[tuple[Card, ...]], list]:
        """What the runner hands the derived cache: a file's findings as computed ahead, else computed now."""
        def compute(cards: tuple[Card, ...]) -> list[Finding]:
            self.collect()
            found = self.found.pop((code, self._index.get(id(cards), -1)), None)
            return found if found is not None else list(check_cards(ctx, cards))
        return compute


def share_out(stored: DerivedCache, rules: Sequence[tuple[ModuleType, CheckContext, str]]) -> CardShare | None:
    """Start the child on its files and compute this process's; None when it is not worth a process.

    ``rules``: each card-level rule with its context and the cache context of its findings (the runner's).
    A file with findings stored that do not decode is left to the runner, which computes it then."""
    if not can_fork():
        return None
    files = stored.files
    jobs: list[tuple[str, CheckCards, CheckContext, set[int]]] = []
    weight = [0] * len(files)  # cards to check, over all rules, per file
    for rule, ctx, context in rules:
        missing = stored.missing("findings", context, rule.CODE)
        jobs.append((rule.CODE, rule.check_cards, ctx, set(missing)))
        for index in missing:
            weight[index] += len(files[index][2])
    if sum(len(cards) for (_, _, cards), w in zip(files, weight) if w) < max(MIN_CARDS, 1):
        return None
    # The child takes the last files, up to its share of the work (whole files: a file's findings stay together).
    total, running, cut = sum(weight), 0, len(files)
    while cut > 0 and running + weight[cut - 1] <= total * CHILD_SHARE:
        cut -= 1
        running += weight[cut]
    theirs = [(code, check, ctx, sorted(i for i in indexes if i >= cut)) for code, check, ctx, indexes in jobs]
    ours = [(code, check, ctx, sorted(i for i in indexes if i < cut)) for code, check, ctx, indexes in jobs]
    share = CardShare(files)
    share.child = Background(_compute, files, theirs)
    share.found.update(_compute(files, ours))
    return share


def _compute(files: Sequence[tuple[str, str, tuple[Card, ...]]], jobs: list[Job]) -> dict[tuple[str, int], list]:
    return {(code, index): list(check_cards(ctx, files[index][2]))
            for code, check_cards, ctx, indexes in jobs for index in indexes}

