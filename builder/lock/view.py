"""What the check asks of deck.lock: answered by a full Lock (build) or by its summary (check, summary.py)."""

from __future__ import annotations

from typing import Protocol


class LockView(Protocol):
    """The read-only questions the check's rules ask of the lock (E203, E204, E206)."""

    @property
    def namespace(self) -> str: ...

    def card_kind(self, card_id: str) -> tuple[str, str] | None:
        """A live card's note type ("basic"/"cloze") and adopted note type ("" for ours); None if not live."""

    def is_retired(self, card_id: str) -> bool: ...

    def unavailable_ids(self) -> dict[str, str]:
        """Ids a new card may not take, with the reason."""
