"""deck.lock is checked, never trusted: what in it no build would have written.

The lock is a file in a pull request like any other, and what it says decides
what students' collections do: a GUID names the note a re-import updates, a
time decides whether it updates at all. So before a build relies on it:

* every card's GUID is the one derived from its id (or from an id that the
  lock records as renamed into it, or the GUID the lock records as adopted
  from the Anki deck ``deckbuilder import`` made the cards from): a changed
  or emptied GUID would give every student a duplicate note and orphan their
  reviews;
* no GUID belongs to two entries, live, retired or purged: a retired entry
  with a live card's GUID would overwrite the live note with "Please delete
  it";
* no time is after the build's clock (beyond CLOCK_SLACK): a modification time in the future
  makes Anki keep that note over every later correction;
* ids are slugs, as the checker requires of every card (they are shown in
  the changelog and on tombstones).

Duplicate entries and unknown note types are found while reading (E006); the
rest here (E208). A tampered lock can only stop the build.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from . import identity
from ..model import Diagnostic, Location, diagnostic
from .lockfile import Lock, to_iso
from .sections import Briefed, briefs
from ..load import SLUG

CODE = "E208"

# Two builds with edits in one second step a note's time one second past the clock (it must be strictly
# newer for Anki to take it), so a lock may run a little ahead; a minute is far more than a session of
# saves in `watch` makes, and far less than the hours or years a hand-edited time would be.
CLOCK_SLACK = 60

# A GUID `deckbuilder import` keeps: Anki's own are 10 characters of base91, genanki's too; other tools write
# UUIDs. Printable ASCII without space (Anki's text export would split it) or field separator.
MAX_GUID = 64
ADOPTED_GUID = re.compile(r"[!-~]{1,%d}" % MAX_GUID)


def _predecessors(lock: Lock) -> dict[str, set[str]]:
    """Card id -> every id it was renamed from, perhaps over several renames."""
    into: dict[str, set[str]] = {}
    for old, new in lock.renamed.items():
        into.setdefault(new, set()).add(old)
    earlier: dict[str, set[str]] = {}
    for card_id in into:
        found, todo = set(), [card_id]
        while todo:
            for old in into.get(todo.pop(), ()):
                if old not in found:
                    found.add(old)
                    todo.append(old)
        earlier[card_id] = found
    return earlier


def verify_lock(lock: Lock, display: str, now: int) -> list[Diagnostic]:
    """What in ``lock`` no build would have written, located at its line; [] for a sound lock."""
    return [*identity_problems(lock, display), *future_times(lock, display, now)]


def identity_problems(lock: Lock, display: str) -> list[Diagnostic]:
    """The half of verify_lock that does not depend on the clock (what summary.py keeps for a lock)."""
    global _last_identity
    # Deriving every GUID costs 0.2 s at 50,000 cards; watch hands back the same Lock object while the
    # file is unchanged, so the identity half is kept for it (the clock half is cheap and must be redone).
    if _last_identity is None or _last_identity[0] is not lock or _last_identity[1] != display:
        _last_identity = (lock, display, list(_identity_problems(lock, display)))
    return list(_last_identity[2])


_last_identity: tuple[Lock, str, list[Diagnostic]] | None = None


def latest_time(lock: Lock) -> int:
    """The latest time the lock holds: ``future_times(lock, _, now)`` is empty exactly when this is at most
    ``now + CLOCK_SLACK`` (it reads the same times as _late_times)."""
    latest = lock.created
    for _, _, card in _entries(lock):
        latest = max(latest, card.added, card.changed, card.retired or 0)
    for nt in lock.notetypes.values():
        latest = max(latest, nt.changed)
    for entry in lock.history:
        latest = max(latest, entry.date)
    return latest


def _where(lock: Lock, display: str, key: str) -> Location:
    line = lock.lines.get(key)
    return Location(display, line, 5 if "/" in key else 3) if line else Location(display)


def _entries(lock: Lock) -> Iterator[tuple[str, str, Briefed]]:
    """Every card entry, as much of it as these checks read (sections.py: a lock read as lines is not decoded)."""
    for card_id, card in briefs(lock.cards):
        yield "cards", card_id, card
    for card_id, card in briefs(lock.retired):
        yield "retired", card_id, card


def identity_problems_after(lock: Lock, display: str, previous: Lock | None,
                            derived: tuple[str, Iterable[str]] = ("", ())) -> list[Diagnostic]:
    """``identity_problems(lock, display)``, for a lock a build made from ``previous``, a lock whose identity
    was verified clean (the build only goes ahead when the check found no error, E208 included).

    Deriving GUIDs is the cost (0.2 s at 50,000 cards), so an entry whose (id, GUID) ``previous`` held is not
    derived again: there the GUID was one derived for that id, and what it may be derived from only grows
    when the namespace is the same and every rename and adoption of ``previous`` is still in ``lock``
    (checked here; otherwise every GUID is derived). ``derived``: (namespace, ids) whose entries the build
    made with the GUID it derived from the id in that namespace (reconcile's additions), not derived again
    when it is the lock's namespace (a first build adds every card). Every other check (slugs, uniqueness
    of every GUID, adoptions, renames) runs as in identity_problems."""
    known: set[tuple[str, str]] = set()
    if (previous is not None and previous.namespace == lock.namespace
            and previous.renamed.items() <= lock.renamed.items() and previous.adopted.items() <= lock.adopted.items()):
        known = {(card_id, card.guid) for _, card_id, card in _entries(previous)}
        known.update(previous.purged.items())
    namespace, added = derived
    if namespace == lock.namespace:
        known.update((card_id, lock.cards[card_id].guid) for card_id in added if card_id in lock.cards)
    return list(_identity_problems(lock, display, known))


def _identity_problems(lock: Lock, display: str, known: set[tuple[str, str]] = frozenset()) -> Iterator[Diagnostic]:
    namespace = lock.namespace
    earlier = _predecessors(lock)
    owners: dict[str, str] = {}  # guid -> "section/id" of its first holder

    def derived(card_id: str) -> set[str]:
        names = {card_id, *earlier.get(card_id, ())}
        # A deck made by `deckbuilder import` keeps the GUIDs its notes had in Anki, recorded as adopted.
        return ({identity.note_guid(namespace, name) for name in names}
                | {lock.adopted[name] for name in names if name in lock.adopted})

    guids = [(section, card_id, card.guid) for section, card_id, card in _entries(lock)]
    guids += [("purged", card_id, guid) for card_id, guid in lock.purged.items()]
    for section, card_id, guid in guids:
        key = f"{section}/{card_id}"
        if not SLUG.fullmatch(card_id):
            yield _e208(lock, display, key, f"{section} id {card_id!r} is not a slug, so no build wrote it")
            continue
        if (card_id, guid) not in known and guid not in derived(card_id):
            yield _e208(lock, display, key, (
                f"{section} entry '{card_id}' has GUID {guid!r}, not the {identity.note_guid(namespace, card_id)!r} "
                "derived from its id (and no rename records another): a changed GUID gives every student a "
                "duplicate note without its reviews"))
        elif guid in owners:
            yield _e208(lock, display, key, (
                f"{section} entry '{card_id}' has the GUID of {owners[guid]}: one of the two notes would "
                "overwrite the other in every student's collection"))
        else:
            owners.setdefault(guid, key)
    adopters: dict[str, str] = {}
    for card_id, guid in lock.adopted.items():
        key = f"adopted/{card_id}"
        if not SLUG.fullmatch(card_id):
            yield _e208(lock, display, key, f"adopted id {card_id!r} is not a slug, so no import wrote it")
        elif not ADOPTED_GUID.fullmatch(guid):
            yield _e208(lock, display, key, (
                f"adopted GUID {guid!r} of '{card_id}' is not one Anki writes (1 to {MAX_GUID} printable characters, "
                "no space)"))
        elif guid in adopters:
            yield _e208(lock, display, key, (
                f"'{card_id}' adopts the GUID '{adopters[guid]}' adopts: one of the two notes would overwrite the "
                "other in every student's collection"))
        else:
            adopters[guid] = card_id
    for old, new in lock.renamed.items():
        if not (SLUG.fullmatch(old) and SLUG.fullmatch(new)):
            yield _e208(lock, display, f"renamed/{old}", f"rename {old!r} -> {new!r} is not between slugs")


def future_times(lock: Lock, display: str, now: int) -> Iterator[Diagnostic]:
    """The half of verify_lock that depends on the clock: every time after ``now`` (beyond CLOCK_SLACK)."""
    limit = now + CLOCK_SLACK
    reported = set()
    # Every time is compared, but a message is made only for one that is late: at 50,000 cards, making
    # every card's two messages first took a quarter of a second per build.
    for key, what, moment in _late_times(lock, limit):
        if key not in reported:
            reported.add(key)
            yield _e208(lock, display, key, (
                f"{what} at {to_iso(moment)}, after this build's clock ({to_iso(now)}): a note time in the "
                "future keeps students' Anki from taking any later correction"))


def _late_times(lock: Lock, limit: int) -> Iterator[tuple[str, str, int]]:
    """(entry key, what the time is, the time) of every time in the lock after ``limit``, in lock order."""
    if lock.created > limit:
        yield "created", "the lock's creation", lock.created
    for section, card_id, card in _entries(lock):
        if card.added > limit:
            yield f"{section}/{card_id}", f"'{card_id}' added", card.added
        if card.changed > limit:
            yield f"{section}/{card_id}", f"'{card_id}' changed", card.changed
        if card.retired is not None and card.retired > limit:
            yield f"{section}/{card_id}", f"'{card_id}' retired", card.retired
    for kind, nt in lock.notetypes.items():
        if nt.changed > limit:
            yield f"notetypes/{kind}", f"note type '{kind}' changed", nt.changed
    for entry in lock.history:
        if entry.date > limit:
            yield "history", f"version {entry.version}", entry.date


def _e208(lock: Lock, display: str, key: str, message: str) -> Diagnostic:
    return diagnostic(CODE, _where(lock, display, key), f"deck.lock: {message}; restore deck.lock from version "
                                                        "control (it is written by `deckbuilder build` only)")
