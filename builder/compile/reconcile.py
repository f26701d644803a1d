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
from typing import Any, Mapping

from ..lock import CardChange, HistoryEntry, Lock, LockedCard, LockedNotetype, identity, lock_text
from ..lock import LockQuestions, carried_entries, entry_brief, keep_entry, kept_entry, question_title
from ..model import CardSet, Diagnostic, Location, diagnostic
from .notes import NoteContent, tombstone
from .notetypes import NoteTypeSpec


@dataclass(frozen=True)
class ShippedNote:
    content: NoteContent
    guid: str
    mtime: int
    retired: bool = False


@dataclass(frozen=True)
class Changes:
    """What this build changes, relative to the previous build (the terminal's summary)."""

    added: tuple[str, ...] = ()
    changed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # id -> changed fields
    retired: tuple[str, ...] = ()
    notetypes: tuple[str, ...] = ()  # whose style or templates changed
    renamed: Mapping[str, str] = field(default_factory=dict)  # new id -> old id
    restored: tuple[str, ...] = ()
    waiting: tuple[str, ...] = ()  # unretired, but their YAML is not back yet

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.retired or self.notetypes or self.renamed or self.restored)


@dataclass(frozen=True)
class Release:
    """Which version this build ships, and whether it releases it.

    A version is released by the first build that carries its number; from then on its
    record is fixed. Changes built after it, under the same number, are unreleased: they
    ship as ``<version>+unreleased`` until deck.yaml names a new version.
    """

    version: str  # deck.yaml's
    releasing: bool  # this build writes the version's record
    released_on: int | None = None  # when the version was released (None: not before this build)
    unreleased: bool = False  # it ships changes made after the last release
    latest: str = ""  # the last released version (versions shipped never go back, whatever deck.yaml says)

    @property
    def base(self) -> str:
        """The released version the deck is, or builds on."""
        return self.version if self.releasing or not self.latest else self.latest

    @property
    def label(self) -> str:
        """The version as every output shows it: Anki's deck description, manifest, README, sheets, changelog."""
        return f"{self.base}+unreleased" if self.unreleased else self.base


@dataclass(frozen=True)
class Plan:
    lock: Lock  # the lock as it stands after this build
    notes: tuple[ShippedNote, ...]  # live cards in YAML order, then tombstones by id
    notetype_mtimes: Mapping[str, int]
    changes: Changes
    problems: tuple[Diagnostic, ...] = ()  # errors that stop the build
    media: Mapping[str, Path] = field(default_factory=dict)  # published name -> file (medianames.py)
    release: Release = Release("", True)
    # What the changelog says of the version this build ships: the entry it released, or the unreleased one.
    entry: HistoryEntry = HistoryEntry("", 0)
    adoption: Any = None  # deck.yaml `adopted:` (model.Adoption): the note types adopted notes ship on


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
    released_on = lock.released_versions.get(deck.version)
    release = Release(deck.version, released_on is None, released_on,
                      latest=lock.history[-1].version if lock.history else "")
    pending = lock.unreleased or HistoryEntry("", 0)

    locked_types, notetype_mtimes, restyled = _reconcile_notetypes(
        lock, notetypes, now, lock_location, accept_notetype_change, problems)

    cards: dict[str, LockedCard | str] = {}  # (str: an entry kept as its line, lock.sections)
    shipped: list[ShippedNote] = []
    added: list[str] = []
    changed: dict[str, tuple[str, ...]] = {}
    texts: dict[str, CardChange] = {}
    renamed: dict[str, str] = {}
    restored: list[str] = []
    for content in contents:
        digest = content.digest()
        card_id = content.card_id
        brief = entry_brief(lock.cards, card_id)
        if (brief is not None and brief.digest == digest and brief.placement == content.placement
                and (brief.answered or content.notetype != "basic")):
            # Unchanged: the one-hash test spares hashing every field of every card, and the entry is kept
            # as it was read (a lock read as lines writes the same line again, undecoded).
            cards[card_id] = kept_entry(lock.cards, card_id)
            shipped.append(ShippedNote(content, brief.guid, brief.changed))
            continue
        old = lock.cards.get(card_id)
        if old is None and card_id in lock.retired and lock.retired[card_id].restoring:
            old = lock.retired[card_id]
            restored.append(card_id)
            hashes = content.hashes()
            entry = replace(old, notetype=content.notetype, changed=_bump(old.changed, now), hashes=hashes,
                            question=_question(content), answer=lock_text(_answer(content)), reverse=content.reverse,
                            placement=content.placement, digest=digest, retired=None, retired_in=None,
                            restoring=False, adopted=content.adopted)
        elif old is None:
            entry = LockedCard(
                guid=identity.note_guid(deck.namespace, card_id), notetype=content.notetype,
                added=now, changed=now, hashes=content.hashes(), question=_question(content),
                reverse=content.reverse, placement=content.placement, digest=digest, answer=lock_text(_answer(content)),
                adopted=content.adopted)
            added.append(card_id)
        elif old.digest == digest:
            # Unchanged but for its placement or a missing answer (above: unchanged in all). Placement is not
            # shipped content (the tags hash covers topics, scope and sources), so recording it changes no mtime.
            entry = old if old.placement == content.placement else replace(old, placement=content.placement)
            if not entry.answer and content.notetype == "basic":  # a lock from before answers were kept
                entry = replace(entry, answer=lock_text(_answer(content)))
        else:
            hashes = content.hashes()
            if old.hashes == hashes and old.notetype == content.notetype:
                # Same content, in a lock that predates the digest: record it, change no mtime.
                entry = replace(old, digest=digest, placement=content.placement)
            else:
                entry = replace(old, notetype=content.notetype, changed=_bump(old.changed, now), hashes=hashes,
                                question=_question(content), answer=lock_text(_answer(content)),
                                reverse=content.reverse, placement=content.placement, digest=digest,
                                adopted=content.adopted)
                names = tuple(name for name in hashes if old.hashes.get(name) != hashes[name])
                changed[card_id] = names
                if "CardId" in names:
                    origin = _renamed_from(lock, card_id, old.hashes.get("CardId"))
                    if origin is not None:
                        renamed[card_id] = origin
                fields = tuple(name for name in names if name != "CardId" or card_id not in renamed)
                if fields:
                    texts[card_id] = _card_change(fields, old, content)
        cards[card_id] = entry
        shipped.append(ShippedNote(content, entry.guid, entry.changed))

    retired: dict[str, LockedCard | str] = {}
    newly_retired = sorted(set(lock.cards) - set(cards))
    waiting = []
    for card_id in sorted((set(lock.retired) - set(cards)) | set(newly_retired)):
        old = lock.retired.get(card_id) or lock.cards[card_id]
        if card_id in newly_retired:
            old = replace(old, retired=now, retired_in=release.version if release.releasing
                          else f"{release.base}+unreleased")
        elif old.restoring:
            waiting.append(card_id)
        if release.releasing and card_id in pending.retired:
            old = replace(old, retired_in=release.version)  # it leaves the deck in the version released now
        stone = tombstone(card_id, old.notetype, old.question, old.reverse, old.retired_in or deck.version,
                          deck.namespace, old.placement)
        if deck.adopted is not None:  # a deck imported from Anki: the note ships on the note type students have
            from ..model import CardType

            kind = CardType.CLOZE if old.notetype == "cloze" else CardType.REVERSED if old.reverse else CardType.BASIC
            adopted = deck.adopted.for_card(card_id, kind)
            if adopted is not None:
                stone = replace(stone, adopted=adopted.key)
        digest = stone.digest()
        if old.digest == digest:
            entry = old
        else:
            hashes = stone.hashes()
            entry = (replace(old, digest=digest) if old.hashes == hashes
                     else replace(old, hashes=hashes, digest=digest, changed=_bump(old.changed, now)))
        retired[card_id] = keep_entry(lock.retired, card_id, entry)
        shipped.append(ShippedNote(stone, entry.guid, entry.changed, retired=True))

    changes = Changes(tuple(added), changed, tuple(newly_retired), tuple(restyled), renamed, tuple(restored),
                      tuple(waiting))
    built = HistoryEntry("", 0, added=tuple(added), changed=texts, renamed=renamed, retired=tuple(newly_retired),
                         restored=tuple(restored), notetypes=tuple(restyled))
    merged = merge_entries(pending, built)
    cards_kept, retired_kept = carried_entries(cards, lock.cards), carried_entries(retired, lock.retired)
    questions = LockQuestions(cards_kept, retired_kept)
    merged = titled(merged, questions)
    history = tuple(titled(old, questions) if _untitled(old) else old for old in lock.history)
    if release.releasing:
        entry = replace(merged, version=deck.version, date=now)
        history, unreleased = (*history, entry), None
    elif merged:
        release = replace(release, unreleased=True)
        entry = replace(merged, version=release.label, date=0)
        unreleased = replace(merged, version="", date=0)
    else:  # the deck is the last released version, as it was shipped
        entry, unreleased = history[-1], None
    new_lock = replace(lock, notetypes=locked_types, cards=cards_kept, retired=retired_kept, history=history,
                       unreleased=unreleased)
    return Plan(new_lock, tuple(shipped), notetype_mtimes, changes, tuple(problems), release=release, entry=entry)


def _question(content: NoteContent) -> str:
    """The question as its lock entry keeps it: bounded (lock.bounds), so that no card can swell the lock."""
    return lock_text(content.question, cloze=content.notetype == "cloze")


def _answer(content: NoteContent) -> str:
    return content.named_fields.get("Back", "") if content.notetype == "basic" else ""


def _card_change(fields: tuple[str, ...], old: LockedCard, content: NoteContent) -> CardChange:
    """The texts a student reads, before and after, for the fields that hold them."""
    from ..text import TEXT_LIMIT, plain

    before, after = {}, {}
    if content.notetype == "cloze" and "Text" in fields:
        before["text"] = plain(old.question, TEXT_LIMIT, cloze=True)
        after["text"] = plain(content.question, TEXT_LIMIT, cloze=True)
    if content.notetype == "basic" and "Front" in fields:
        before["question"], after["question"] = plain(old.question, TEXT_LIMIT), plain(content.question, TEXT_LIMIT)
    if content.notetype == "basic" and "Back" in fields:
        after["answer"] = plain(content.named_fields["Back"], TEXT_LIMIT)
        if old.answer:  # locks written by deckbuilder 0.3 did not keep it
            before["answer"] = plain(old.answer, TEXT_LIMIT)
    # A replaced picture changes only a file name in the HTML: say which file, as the author named it.
    from ..text import author_name, media_references

    was = set(media_references(old.question) + media_references(old.answer))
    now = set(media_references(content.question) + media_references(_answer(content)))
    if was and now - was:
        after["media"] = ", ".join(sorted({author_name(name) for name in now - was}))
    return CardChange(fields, before, after)


def _renamed_from(lock: Lock, card_id: str, old_hash: str | None) -> str | None:
    """The id this note had at the last build, if `rename` (perhaps several times) brought it to ``card_id``."""
    from .notes import id_hash

    previous = {new: old for old, new in lock.renamed.items()}
    seen = set()
    current = card_id
    while current in previous and current not in seen:
        seen.add(current)
        current = previous[current]
        if id_hash(current) == old_hash:
            return current
    return None


def _listed(entry: HistoryEntry) -> list[str]:
    return [*entry.added, *entry.changed, *entry.renamed, *entry.retired, *entry.restored, *entry.purged]


def _untitled(entry: HistoryEntry) -> bool:
    """An entry written before entries kept their questions: they are taken once from the lock, then kept."""
    return bool(entry) and not entry.titles


def titled(entry: HistoryEntry, questions: Mapping[str, str]) -> HistoryEntry:
    """The entry with the question of every card it lists, as a student reads it (cloze answers hidden)."""
    titles = {card_id: question_title(questions[card_id]) if card_id in questions else entry.titles.get(card_id, "")
              for card_id in _listed(entry)}
    titles = dict(sorted((k, v) for k, v in titles.items() if v))
    return entry if titles == entry.titles else replace(entry, titles=titles)


def merge_entries(pending: HistoryEntry, built: HistoryEntry) -> HistoryEntry:
    """One version's record: what ``pending`` says, followed by ``built``; each card in one list at most.

    Dictionaries throughout: linear in the number of changes (a first build of 50,000 cards
    is 50,000 additions).
    """
    added = dict.fromkeys(pending.added)
    changed = dict(pending.changed)
    renamed = dict(pending.renamed)  # new -> id at the last release
    retired = dict.fromkeys(pending.retired)
    restored = dict.fromkeys(pending.restored)
    purged = dict.fromkeys(pending.purged)
    for new, old in built.renamed.items():
        if old in added:  # added in this version under another id: it is simply added
            del added[old]
            added[new] = None
            continue
        origin = renamed.pop(old, old)
        if origin != new:  # renamed back to the released id: no rename to tell
            renamed[new] = origin
        for moved in (changed, restored):
            if old in moved:
                moved[new] = moved.pop(old)
    added.update(dict.fromkeys(built.added))
    for card_id, change in built.changed.items():
        if card_id in added or card_id in restored:
            continue  # the version adds or restores it as it now is
        earlier = changed.get(card_id)
        changed[card_id] = change if earlier is None else _combined(earlier, change)
    for card_id in built.retired:
        changed.pop(card_id, None)
        renamed.pop(card_id, None)
        if card_id in added:
            del added[card_id]  # came and went within one version
        elif card_id in restored:
            del restored[card_id]  # back, then gone again: retired as the last version had it
        else:
            retired[card_id] = None
    for card_id in built.restored:
        if card_id in retired:
            del retired[card_id]  # gone, then back within one version: students never saw it go
        else:
            restored[card_id] = None
    for card_id in built.purged:
        purged[card_id] = None
    return HistoryEntry(
        pending.version, pending.date, added=tuple(sorted(added)), changed=dict(sorted(changed.items())),
        renamed=dict(sorted(renamed.items())), retired=tuple(sorted(retired)), restored=tuple(sorted(restored)),
        purged=tuple(sorted(purged)), notetypes=tuple(sorted(set(pending.notetypes) | set(built.notetypes))),
        titles={**pending.titles, **built.titles})


def _combined(earlier: CardChange, later: CardChange) -> CardChange:
    """Two edits of one card in one version: from the first one's "before" to the last one's "after"."""
    return CardChange(tuple(dict.fromkeys((*earlier.fields, *later.fields))),
                      {**later.before, **earlier.before}, {**earlier.after, **later.after})


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
