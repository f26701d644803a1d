"""What a rule may look at: the card set, plus grounding data when it was asked for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, NamedTuple, Protocol

from ...model import Card, CardSet, Location

if TYPE_CHECKING:
    from ..grounding import SourceText
    from ...lock import LockView
    from ..similarity import PairIndex


def did_you_mean(word: str, choices) -> str:
    """' (did you mean 'margins'?)' when one of ``choices`` is close to ``word``, else ''."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Finding(NamedTuple):
    """One problem a rule found; the runner turns it into a Diagnostic."""

    location: Location
    message: str
    subject: str | None = None  # the card or source id it is about


class Memo(Protocol):
    """What a check run asks of watch's re-check memo (recheck.RecheckMemo).

    Declared here so that the context, which every rule imports, does not
    import the memo module, which imports the context.
    """

    def start_run(self, ctx: CheckContext) -> None: ...

    def card_findings(self, code: str, check_cards: Callable[[CheckContext, Iterable[Card]], Iterable[Finding]],
                      ctx: CheckContext) -> Iterable[Finding]: ...

    def pair_index(self, key: tuple[Any, ...], make: Callable[[], PairIndex]) -> PairIndex: ...


@dataclass(frozen=True)
class CheckContext:
    card_set: CardSet
    # Source id -> verified text; None unless `check --sources DIR` was given.
    source_texts: Mapping[str, SourceText] | None = None
    # What earlier builds shipped (cards/deck.lock): the Lock, or for a one-off check its summary (the
    # rules ask only what both answer); None before the first build.
    lock: LockView | None = None
    # Names of the files in the media folder, and that folder as displayed.
    media_files: frozenset[str] = frozenset()
    media_dir: str = "cards/media"
    # The running rule's options: its defaults merged with deck.yaml `checks:`.
    options: Mapping[str, Any] = field(default_factory=dict)
    # What the previous check of this session found (watch); None for a one-off check.
    memo: Memo | None = None
