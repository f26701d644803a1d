"""Decide what a build ships, by comparing the cards with the lock file.

For every note the rule is DESIGN §4.2: its mtime is the time its content last
changed. Unchanged content keeps the mtime in the lock (so a re-import
touches nothing); changed content gets ``max(now, previous + 1)`` (strictly
newer, so Anki's "if newer" update happens even for two builds in one
second). The same holds for note types, whose CSS and templates must reach
students too. A card that left the YAML becomes a tombstone; its GUID and id
are never handed out again.

Pure function of (cards, note contents, previous lock, now): no files, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from . import identity
from .codes import diagnostic
from .compile import NoteContent, tombstone
from .diagnostics import Diagnostic, Location
from .lockfile import HistoryEntry, Lock, LockedCard, LockedNotetype
from .model import CardSet
from .notetypes import NoteTypeSpec


@dataclass(frozen=True)
class ShippedNote:
    content: NoteContent
    guid: str
    mtime: int
    retired: bool = False


@dataclass(frozen=True)
class Changes:
    added: tuple[str, ...] = ()
    changed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # id -> changed fields
    retired: tuple[str, ...] = ()
    notetypes: tuple[str, ...] = ()  # whose style or templates changed

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.retired or self.notetypes)


@dataclass(frozen=True)
class Plan:
    lock: Lock  # the lock as it stands after this build
    notes: tuple[ShippedNote, ...]  # live cards in YAML order, then tombstones by id
    notetype_mtimes: Mapping[str, int]
    changes: Changes
    problems: tuple[Diagnostic, ...] = ()  # errors that stop the build
    media: Mapping[str, Path] = field(default_factory=dict)  # published name -> file (medianames.py)


def _bump(previous: int, now: int) -> int:
    return max(now, previous + 1)


def reconcile(
    card_set: CardSet,
    contents: list[NoteContent],
    previous: Lock | None,
    notetypes: Mapping[str, NoteTypeSpec],
    now: int,
    *,
    lock_location: Location,
    accept_notetype_change: bool = False,
) -> Plan:
    deck = card_set.deck
    lock = previous or Lock(namespace=deck.namespace, created=now)
    problems: list[Diagnostic] = []

    locked_types, notetype_mtimes, restyled = _reconcile_notetypes(
        lock, notetypes, now, lock_location, accept_notetype_change, problems)

    cards: dict[str, LockedCard] = {}
    shipped: list[ShippedNote] = []
    added: list[str] = []
    changed: dict[str, tuple[str, ...]] = {}
    for content in contents:
        digest = content.digest()
        old = lock.cards.get(content.card_id)
        if old is None:
            entry = LockedCard(
                guid=identity.note_guid(deck.namespace, content.card_id), notetype=content.notetype,
                added=now, changed=now, hashes=content.hashes(), question=content.question,
                reverse=content.reverse, placement=content.placement, digest=digest)
            added.append(content.card_id)
        elif old.digest == digest:
            # Unchanged: the one-hash test spares hashing every field of every card.
            # Placement is not shipped content (the tags hash covers topics, scope and sources),
            # so recording it changes no mtime.
            entry = old if old.placement == content.placement else replace(old, placement=content.placement)
        else:
            hashes = content.hashes()
            if old.hashes == hashes and old.notetype == content.notetype:
                # Same content, in a lock that predates the digest: record it, change no mtime.
                entry = replace(old, digest=digest, placement=content.placement)
            else:
                entry = replace(old, notetype=content.notetype, changed=_bump(old.changed, now), hashes=hashes,
                                question=content.question, reverse=content.reverse, placement=content.placement,
                                digest=digest)
                changed[content.card_id] = tuple(name for name in hashes if old.hashes.get(name) != hashes[name])
        cards[content.card_id] = entry
        shipped.append(ShippedNote(content, entry.guid, entry.changed))

    retired: dict[str, LockedCard] = {}
    newly_retired = sorted(set(lock.cards) - set(cards))
    for card_id in sorted(set(lock.retired) | set(newly_retired)):
        old = lock.retired.get(card_id) or lock.cards[card_id]
        if card_id in newly_retired:
            old = replace(old, retired=now, retired_in=deck.version)
        stone = tombstone(card_id, old.notetype, old.question, old.reverse, old.retired_in or deck.version,
                          deck.namespace, old.placement)
        digest = stone.digest()
        if old.digest == digest:
            entry = old
        else:
            hashes = stone.hashes()
            entry = (replace(old, digest=digest) if old.hashes == hashes
                     else replace(old, hashes=hashes, digest=digest, changed=_bump(old.changed, now)))
        retired[card_id] = entry
        shipped.append(ShippedNote(stone, entry.guid, entry.changed, retired=True))

    changes = Changes(tuple(added), changed, tuple(newly_retired), tuple(restyled))
    history = _record(lock.history, changes, deck.version, now)
    new_lock = replace(lock, notetypes=locked_types, cards=cards, retired=retired, history=history)
    return Plan(new_lock, tuple(shipped), notetype_mtimes, changes, tuple(problems))


def _reconcile_notetypes(
    lock: Lock,
    specs: Mapping[str, NoteTypeSpec],
    now: int,
    lock_location: Location,
    accept_change: bool,
    problems: list[Diagnostic],
) -> tuple[dict[str, LockedNotetype], dict[str, int], list[str]]:
    locked: dict[str, LockedNotetype] = {}
    mtimes: dict[str, int] = {}
    restyled: list[str] = []
    for kind, spec in specs.items():
        old = lock.notetypes.get(kind)
        if old is None:
            entry = LockedNotetype(spec.id, spec.fields, spec.templates, spec.style, now)
        elif (spec.fields, spec.templates) != old.schema:
            if not accept_change:
                problems.append(diagnostic("E205", lock_location, _schema_change_message(kind, old, spec)))
            entry = LockedNotetype(spec.id, spec.fields, spec.templates, spec.style, _bump(old.changed, now))
            restyled.append(kind)
        elif spec.style != old.style or spec.id != old.id:
            entry = replace(old, id=spec.id, style=spec.style, changed=_bump(old.changed, now))
            restyled.append(kind)
        else:
            entry = old
        locked[kind] = entry
        mtimes[kind] = entry.changed
    return locked, mtimes, restyled


def _schema_change_message(kind: str, old: LockedNotetype, spec: NoteTypeSpec) -> str:
    return (
        f"the '{kind}' note type would change its fields or card templates "
        f"(fields {list(old.fields)} -> {list(spec.fields)}, templates {list(old.templates)} -> "
        f"{list(spec.templates)}). Anki treats that as a different note type: students who re-import "
        "get a second copy of it (named with a '+'), and edits to their existing cards stop arriving. "
        "If that is really intended, build again with --accept-notetype-change"
    )


def _record(history: tuple[HistoryEntry, ...], changes: Changes, version: str, now: int) -> tuple[HistoryEntry, ...]:
    """Add this build's changes to the history entry of the current deck version."""
    if not changes:
        return history
    if history and history[-1].version == version:
        *earlier, current = history
    else:
        earlier, current = list(history), HistoryEntry(version=version, date=now)
    added = list(current.added)
    changed = dict(current.changed)
    retired = list(current.retired)
    for card_id in changes.added:
        if card_id in retired:
            retired.remove(card_id)
        if card_id not in added:
            added.append(card_id)
    for card_id, names in changes.changed.items():
        if card_id not in added:  # still "added" as far as this version is concerned
            changed[card_id] = tuple(dict.fromkeys((*changed.get(card_id, ()), *names)))
    for card_id in changes.retired:
        changed.pop(card_id, None)
        if card_id in added:
            added.remove(card_id)  # came and went within one version
        else:
            retired.append(card_id)
    notetypes = set(current.notetypes) | set(changes.notetypes)
    # Sorted as deck.lock stores them, so the planned lock equals the lock read back from disk.
    entry = replace(current, date=now, added=tuple(sorted(added)), changed=changed, retired=tuple(sorted(retired)),
                    notetypes=tuple(sorted(notetypes)))
    return (*earlier, entry)
