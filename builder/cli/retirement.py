"""Managing retired cards in deck.lock: purge them for good, or bring one back.

A retired card ships as a tombstone until it is purged, so that every
student re-importing sees the notice. Purging stops shipping it but keeps its
id (and GUID) in the lock: ids are never reused. A card whose retirement no
released version has shipped yet cannot be purged: no student would ever be
told to delete it. Unretiring undoes a deletion made by mistake: the card
stays a tombstone, marked to come back, until its YAML is back; the build
that finds it ships the card again with a newer mtime, so students'
tombstones turn back into the card, reviews intact. Both are recorded in
the unreleased changes, which the next version's changelog lists.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..model import DeckbuilderError
from ..fs import one_writer
from ..lock import LOCK_FILE, HistoryEntry, Lock, read_lock, write_lock


def _load(cards_dir: Path) -> Lock:
    path = cards_dir / LOCK_FILE
    lock, problems = read_lock(path, str(path))
    if problems:
        raise DeckbuilderError(f"cannot read deck.lock: {problems[0]}")
    if lock is None:
        raise DeckbuilderError(f"there is no {path} yet: nothing has been built, so nothing is retired")
    return lock


def purge(cards_dir: Path, card_ids: list[str], everything: bool = False) -> list[str]:
    """Stop shipping tombstones for these retired cards; returns the ids purged."""
    from ..pipeline import cannot_write

    try:
        with one_writer(cards_dir):
            return _purge(cards_dir, card_ids, everything)
    except OSError as exc:  # a read-only cards folder: one line, not a traceback
        raise cannot_write(exc, None) from exc


def _purge(cards_dir: Path, card_ids: list[str], everything: bool) -> list[str]:
    lock = _load(cards_dir)
    pending = lock.unreleased or HistoryEntry("", 0)
    unshipped = set(pending.retired)
    chosen = [card_id for card_id in sorted(lock.retired) if card_id not in unshipped] if everything else card_ids
    unknown = [card_id for card_id in chosen if card_id not in lock.retired]
    if unknown:
        raise DeckbuilderError(f"not retired, so cannot be purged: {', '.join(unknown)}")
    early = [card_id for card_id in chosen if card_id in unshipped]
    if early:
        raise DeckbuilderError(
            f"cannot purge {', '.join(early)} yet: no released version has told students to delete "
            f"{'it' if len(early) == 1 else 'them'}. Release a new version first (set `version` in deck.yaml "
            "and build), then purge")
    retired = {card_id: card for card_id, card in lock.retired.items() if card_id not in chosen}
    purged = {**lock.purged, **{card_id: lock.retired[card_id].guid for card_id in chosen}}
    if chosen:
        from ..text import plain

        # Recorded now, with the questions the changelog will show: the lock keeps no more of them.
        titles = {**pending.titles, **{card_id: plain(lock.retired[card_id].question) for card_id in chosen}}
        unreleased = replace(pending, purged=tuple(sorted({*pending.purged, *chosen})), titles=titles)
        write_lock(replace(lock, retired=retired, purged=purged, unreleased=unreleased), cards_dir / LOCK_FILE)
    return list(chosen)


def unretire(cards_dir: Path, card_id: str) -> None:
    """Make a retired card an ordinary card again (its YAML must come back too)."""
    from ..pipeline import cannot_write

    try:
        with one_writer(cards_dir):
            _unretire(cards_dir, card_id)
    except OSError as exc:
        raise cannot_write(exc, None) from exc


def _unretire(cards_dir: Path, card_id: str) -> None:
    lock = _load(cards_dir)
    if card_id not in lock.retired:
        reason = "it was purged, and purged ids are never reused" if card_id in lock.purged else "it is not retired"
        raise DeckbuilderError(f"cannot unretire '{card_id}': {reason}")
    if lock.retired[card_id].restoring:
        return  # already waiting for its YAML
    # Still a tombstone until a build finds its YAML again (reconcile.py): only then is it restored.
    retired = {**lock.retired, card_id: replace(lock.retired[card_id], restoring=True)}
    write_lock(replace(lock, retired=retired), cards_dir / LOCK_FILE)
