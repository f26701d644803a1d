"""``cards/deck.lock``: the deck's memory between builds.

Anki updates a student's note only when the incoming note is newer than the
one they have (DESIGN §4.2), and it matches notes by GUID. So every build must
know, for every card it has ever shipped: the card's GUID (kept across
renames), what its content looked like, and when that content last changed.
The lock file holds exactly that, plus retired and purged ids (never reused)
and the history the student changelog is written from.

It is JSON with one line per card, sorted by id: a change to one card is a
change to one line, two maintainers adding cards rarely conflict, and it
reads in milliseconds at 50,000 cards (Python's JSON parser is C end to end;
YAML was 20 times slower here). Build writes it; people only read and commit
it. Locks from before format 2 were YAML and are still read.

Format 3 writes the same content in less room (a 50,000-card lock was twice the
size of the cards' YAML, and a lock past the reader's limit stops every later
run): a card's field hashes are one string in the note type's field order
("-" for an empty field), its placement a list, its note type only when it is
not basic, the time it was added only when it is not the lock's creation, its
modification time only when it differs from the time it was added, and a
version record's title of a card only when it is not the plain text of the
card's question in the lock (the reader takes it from there). Format 2 locks
are still read.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator, Mapping

import yaml

from ..model import BASIC_FIELDS, CLOZE_FIELDS, DeckbuilderError, Diagnostic, Location, Placement, diagnostic
from ..text import plain
from ..fs import UnsafeFile, link_problem, read_regular_file, reason
from ..load import MAX_FILE_BYTES as MAX_LOCK_BYTES, too_big_to_compose
from .hashes import EMPTY_HASH, FieldHashes

LOCK_FILE = "deck.lock"
FORMAT = 3
READABLE_FORMATS = (1, 2, 3)  # 1: the YAML layout of deckbuilder 0.2; 2: JSON with every value spelled out
NOTE = ("written by `deckbuilder build`; commit it with the cards. It keeps every card's GUID and when its "
        "content last changed, so that students' re-imports update notes in place. Do not edit it by hand.")


@functools.lru_cache(maxsize=4096)
def to_timestamp(value: str) -> int:
    # Remembered: the cards of a deck built at once share a few times (50,000 parses of the same text).
    return int(datetime.datetime.fromisoformat(value).timestamp())


@functools.lru_cache(maxsize=4096)
def to_iso(timestamp: int) -> str:
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class LockedNotetype:
    id: int
    fields: tuple[str, ...]
    templates: tuple[str, ...]
    style: str  # hash of name, CSS and templates: a change must reach students
    changed: int

    @property
    def schema(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What Anki compares to decide whether a note type is the same one."""
        return self.fields, self.templates


@dataclass(frozen=True)
class LockedCard:
    guid: str
    notetype: str  # "basic" or "cloze"
    added: int
    changed: int  # = the note's mtime
    hashes: Mapping[str, str]  # field name (and "tags") -> short content hash
    question: str  # the rendered question, kept to show on a tombstone
    reverse: bool = False  # basic note with the reverse card
    retired: int | None = None  # when it left the YAML
    retired_in: str | None = None  # deck version at retirement
    # Where it belongs (topics, scope, cited sources): which decks ship it, even once retired.
    placement: Placement = Placement()
    digest: str = ""  # one hash of the whole note (empty in locks written before it existed)
    answer: str = ""  # the rendered answer of a basic card, to say what a correction replaced
    restoring: bool = False  # retired, and `unretire` was run: the next build with its YAML brings it back
    adopted: str = ""  # the adopted note type it ships on (deck.yaml `adopted:`, "adopted-basic"), or ours


@dataclass(frozen=True)
class CardChange:
    """How one card changed within a version: which fields, and what the texts a student reads were."""

    fields: tuple[str, ...]  # note field names ("Back", "tags"), CardId excepted (a rename says that)
    before: Mapping[str, str] = field(default_factory=dict)  # "question" / "answer" / "text" -> plain text
    after: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HistoryEntry:
    """What changed in one deck version, relative to the version before it.

    A released version's entry is written once, by the build that releases it, and never
    changes (DESIGN §3); later changes gather in ``Lock.unreleased`` until a new version.
    Each card is in at most one of the lists.
    """

    version: str
    date: int
    added: tuple[str, ...] = ()
    changed: Mapping[str, CardChange] = field(default_factory=dict)
    renamed: Mapping[str, str] = field(default_factory=dict)  # new id -> the id the last version had
    retired: tuple[str, ...] = ()
    restored: tuple[str, ...] = ()  # retired in an earlier version, back in this one
    purged: tuple[str, ...] = ()  # retired earlier; their tombstones no longer ship
    notetypes: tuple[str, ...] = ()  # note types whose style changed
    # Each listed card's question when the version was recorded, so the record never changes with the cards.
    titles: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.renamed or self.retired or self.restored or self.purged
                    or self.notetypes)


@dataclass(frozen=True)
class Lock:
    namespace: str
    created: int
    notetypes: Mapping[str, LockedNotetype] = field(default_factory=dict)
    cards: Mapping[str, LockedCard] = field(default_factory=dict)
    retired: Mapping[str, LockedCard] = field(default_factory=dict)
    purged: Mapping[str, str] = field(default_factory=dict)  # id -> guid; never reused
    renamed: Mapping[str, str] = field(default_factory=dict)  # old id -> new id; old never reused
    # id -> the GUID its note had in the Anki deck `deckbuilder import` made the cards from (kept, not derived)
    adopted: Mapping[str, str] = field(default_factory=dict)
    history: tuple[HistoryEntry, ...] = ()  # released versions, oldest first
    unreleased: HistoryEntry | None = None  # changes since the last released version
    # The format the lock was read in (FORMAT for a new one): an older one is rewritten.
    read_format: int = field(default=FORMAT, compare=False)
    # Where each entry was read ("cards/ID", "retired/ID", "notetypes/basic", "created"...): line numbers
    # for the diagnostics of lockcheck.py. Empty for a lock not read from a file.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    # What the check asks of a lock (view.LockView: a summary of the lock answers the same).

    def card_kind(self, card_id: str) -> tuple[str, str] | None:
        """A live card's note type ("basic"/"cloze") and adopted note type ("" for ours); None if not live."""
        card = self.cards.get(card_id)
        return None if card is None else (card.notetype, card.adopted)

    def is_retired(self, card_id: str) -> bool:
        return card_id in self.retired

    def unavailable_ids(self) -> dict[str, str]:
        """Ids a new card may not take, with the reason."""
        reasons = {card_id: "was renamed" for card_id in self.renamed}
        reasons |= {card_id: "was retired and purged" for card_id in self.purged}
        reasons |= {card_id: f"was retired in version {card.retired_in}" for card_id, card in self.retired.items()
                    if not card.restoring}
        return reasons

    @property
    def released_versions(self) -> dict[str, int]:
        """Version -> the date it was released."""
        return {entry.version: entry.date for entry in self.history}


# ---------------------------------------------------------------- writing




@functools.lru_cache(maxsize=None)
def _hash_order(notetype: str) -> tuple[str, ...]:
    """The names a card's hashes are written for, in order (format 3): its note type's fields, then tags."""
    return (*(BASIC_FIELDS if notetype == "basic" else CLOZE_FIELDS), "tags")


def _hashes_data(card: LockedCard) -> Any:
    """One string of the hashes in field order, when they are exactly the note type's; else the mapping."""
    order = _hash_order(card.notetype)
    hashes = card.hashes
    if type(hashes) is FieldHashes and hashes.names == order:  # as read: its text, when that is its form
        written = hashes.written
        if written is not None:
            return written
    if len(hashes) != len(order) or not all(name in hashes for name in order) or any(
            not hashes[name] or " " in hashes[name] or hashes[name] == "-" for name in order):
        return dict(sorted(hashes.items()))
    return " ".join("-" if hashes[name] == EMPTY_HASH else hashes[name] for name in order)


def _card_data(card: LockedCard, created: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"guid": card.guid}
    if card.notetype != "basic":
        data["notetype"] = card.notetype
    if card.added != created:
        data["added"] = to_iso(card.added)
    if card.changed != card.added:
        data["changed"] = to_iso(card.changed)
    if card.retired is not None:
        data["retired"] = to_iso(card.retired)
        data["retired_in"] = card.retired_in
    if card.restoring:
        data["restoring"] = True
    if card.reverse:
        data["reverse"] = True
    if card.adopted:
        data["adopted"] = card.adopted
    data["question"] = card.question
    if card.answer:
        data["answer"] = card.answer
    data["placed"] = [list(card.placement.topics), card.placement.scope, list(card.placement.sources)]
    data["digest"] = card.digest
    data["hashes"] = _hashes_data(card)
    return data


_string = json.encoder.encode_basestring  # in C: how json.dumps(..., ensure_ascii=False) writes a string


def _texts_line(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(map(_string, values)) + "]"


def _card_line(card: LockedCard, created: int | None = None) -> str:
    """``_line(_card_data(card, created))``, character for character, without a dictionary and json.dumps for
    every card (a third of a 50,000-card lock's writing); test_lockfile.py compares the two."""
    try:
        parts = ['{"guid": ', _string(card.guid)]
        if card.notetype != "basic":
            parts += ', "notetype": ', _string(card.notetype)
        if card.added != created:
            parts += ', "added": ', _string(to_iso(card.added))
        if card.changed != card.added:
            parts += ', "changed": ', _string(to_iso(card.changed))
        if card.retired is not None:
            retired_in = card.retired_in
            parts += (', "retired": ', _string(to_iso(card.retired)), ', "retired_in": ',
                      "null" if retired_in is None else _string(retired_in))
        if card.restoring:
            parts.append(', "restoring": true')
        if card.reverse:
            parts.append(', "reverse": true')
        if card.adopted:
            parts += ', "adopted": ', _string(card.adopted)
        parts += ', "question": ', _string(card.question)
        if card.answer:
            parts += ', "answer": ', _string(card.answer)
        placement = card.placement
        scope = placement.scope
        parts += (', "placed": [', _texts_line(placement.topics), ", ", "null" if scope is None else _string(scope),
                  ", ", _texts_line(placement.sources), '], "digest": ', _string(card.digest), ', "hashes": ')
        hashes = _hashes_data(card)
        parts += _string(hashes) if type(hashes) is str else _line(hashes), "}"
        return "".join(parts)
    except TypeError:  # a value of another type than build writes (a test's card): json.dumps says how
        return _line(_card_data(card, created))


def _change_data(change: CardChange) -> Any:
    if not change.before and not change.after:
        return list(change.fields)
    return {"fields": list(change.fields), "before": dict(sorted(change.before.items())),
            "after": dict(sorted(change.after.items()))}


def _history_data(entry: HistoryEntry, released: bool = True,
                  derivable: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``derivable``: card id -> the title a reader derives from the lock (plain text of its question)."""
    data: dict[str, Any] = {"version": entry.version, "date": to_iso(entry.date)} if released else {}
    if entry.added:
        data["added"] = sorted(entry.added)
    if entry.changed:
        data["changed"] = {card_id: _change_data(change) for card_id, change in sorted(entry.changed.items())}
    if entry.renamed:
        data["renamed"] = dict(sorted(entry.renamed.items()))
    for name in ("retired", "restored", "purged", "notetypes"):
        if getattr(entry, name):
            data[name] = sorted(getattr(entry, name))
    titles = dict(entry.titles)
    if derivable:
        for card_id in _listed_ids(entry):
            if card_id not in derivable:
                continue
            if titles.get(card_id) == derivable[card_id]:
                del titles[card_id]  # the reader takes it from the card's question
            elif card_id not in titles:
                titles[card_id] = ""  # no title, though the reader could derive one
    if titles:
        data["titles"] = dict(sorted(titles.items()))
    return data


def _listed_ids(entry: HistoryEntry) -> dict[str, None]:
    return dict.fromkeys((*entry.added, *entry.changed, *entry.renamed, *entry.retired, *entry.restored,
                          *entry.purged))


def derived_titles(lock: Lock) -> dict[str, str]:
    """The title a format-3 reader gives a listed card without one: the plain text of its question in the
    lock (as reconcile.titled makes titles), when there is any."""
    titles = {}
    for cards in (lock.retired, lock.cards):
        for card_id, card in cards.items():
            title = plain(card.question)
            if title:
                titles[card_id] = title
    return titles


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _indented(value: Any, depth: int = 0) -> str:
    """``json.dumps(value, indent=2)``, byte for byte, with the C encoder for every scalar.

    With ``indent``, json falls back to its pure-Python encoder, which held a first build's history
    (every card added, with its question) as tens of megabytes of small strings.
    """
    if isinstance(value, dict) and value:
        inner = "\n" + "  " * (depth + 1)
        items = (f"{_line(key)}: {_indented(item, depth + 1)}" for key, item in value.items())
        return "{" + inner + ("," + inner).join(items) + "\n" + "  " * depth + "}"
    if isinstance(value, list) and value:
        inner = "\n" + "  " * (depth + 1)
        return "[" + inner + ("," + inner).join(_indented(item, depth + 1) for item in value) + "\n" + "  " * depth + "]"
    return _line(value)


def _block(name: str, entries: Mapping[str, Any], line=lambda value: _line(value),
           last: bool = False) -> Iterator[str]:
    """A top-level member whose entries are one line each, sorted by key (``line`` writes each entry's value).

    One line at a time: at 50,000 cards, a list of every card's dictionary cost a hundred megabytes.
    """
    end = "\n" if last else ",\n"
    if not entries:
        yield f"  {_line(name)}: {{}}{end}"
        return
    yield f"  {_line(name)}: {{\n"
    keys = sorted(entries)
    last_key = keys[-1]
    for key in keys:
        name = _string(key) if type(key) is str else _line(key)
        yield f"    {name}: {line(entries[key])}" + ("\n" if key == last_key else ",\n")
    yield f"  }}{end}"


def lock_chunks(lock: Lock) -> Iterator[str]:
    """The lock as JSON, in chunks: header members first, then one line per note type, card, retired id."""
    notetypes = {kind: {"id": nt.id, "fields": list(nt.fields), "templates": list(nt.templates),
                        "style": nt.style, "changed": to_iso(nt.changed)} for kind, nt in lock.notetypes.items()}
    yield "{\n"
    yield f'  "note": {_line(NOTE)},\n  "format": {FORMAT},\n  "namespace": {_line(lock.namespace)},\n'
    yield f'  "created": {_line(to_iso(lock.created))},\n'
    yield from _block("notetypes", notetypes)
    yield from _block("cards", lock.cards, lambda card: _card_line(card, lock.created))
    yield from _block("retired", lock.retired, lambda card: _card_line(card, lock.created))
    yield from _block("purged", lock.purged)
    yield from _block("renamed", lock.renamed)
    if lock.adopted:  # only decks made by `deckbuilder import` have it: other locks stay byte for byte as they were
        yield from _block("adopted", lock.adopted)
    # History stays in time order, one id per line: additions merge cleanly.
    derivable = derived_titles(lock) if lock.history or lock.unreleased is not None else {}
    history = _indented([_history_data(entry, derivable=derivable) for entry in lock.history])
    yield '  "history": ' + history.replace("\n", "\n  ") + ("," if lock.unreleased is not None else "") + "\n"
    if lock.unreleased is not None:
        unreleased = _indented(_history_data(lock.unreleased, released=False, derivable=derivable))
        yield '  "unreleased": ' + unreleased.replace("\n", "\n  ") + "\n"
    yield "}\n"


def dump_lock(lock: Lock) -> str:
    return "".join(lock_chunks(lock))


class LockTooLarge(DeckbuilderError):
    """The lock a build would write is larger than the reader accepts: written, it would stop every later run."""

    def __init__(self, size: int):
        super().__init__(f"deck.lock would take more than {size:,} bytes, past the {MAX_LOCK_BYTES:,} that "
                         "deckbuilder reads, so no later run could read it: nothing was written; split the deck "
                         "into smaller decks (each with its own cards folder)")
        self.size = size


def lock_writer(lock: Lock) -> Callable[[BinaryIO], None]:
    """Writes ``lock`` to an open file in blocks of about a megabyte, raising LockTooLarge (the file then half
    written: stage it, StagedFiles removes it) as soon as it passes MAX_LOCK_BYTES."""

    def write(out: BinaryIO) -> None:
        limit = MAX_LOCK_BYTES
        size = 0
        block: list[str] = []
        chars = 0
        for chunk in itertools.chain(lock_chunks(lock), [""]):  # "": the end, write what is left
            block.append(chunk)
            chars += len(chunk)
            if chars >= 1 << 20 or not chunk:
                data = "".join(block).encode()
                size += len(data)
                if size > limit:
                    raise LockTooLarge(size)
                out.write(data)
                block, chars = [], 0

    return write


def checked_size(data: bytes) -> bytes:
    """``data`` (a dumped lock) if the reader would accept it; else LockTooLarge."""
    if len(data) > MAX_LOCK_BYTES:
        raise LockTooLarge(len(data))
    return data


def write_lock(lock: Lock, path: Path) -> None:
    """Write atomically: a crash leaves the previous lock, never half of one; never one the reader refuses."""
    from ..fs import write_atomically

    write_atomically(path, lock_writer(lock))


# ---------------------------------------------------------------- reading


class _Damaged(Exception):
    def __init__(self, where: str | None, message: str):
        super().__init__(message)
        self.where = where  # a card id or member name to find the line by, when known


def read_lock(path: Path, display: str) -> tuple[Lock | None, list[Diagnostic]]:
    """The lock at ``path``; (None, []) when there is none yet."""
    if not path.exists() and not path.is_symlink():
        return None, []
    problem = outside_link(path)
    if problem is not None:
        return None, [diagnostic("E002", Location(display), f"cannot read deck.lock: it {problem}")]
    try:
        data = read_regular_file(path, MAX_LOCK_BYTES)
    except (OSError, UnsafeFile) as exc:
        return None, [diagnostic("E002", Location(display), f"cannot read deck.lock: {reason(exc)}")]
    return parse_lock(data, display)


def outside_link(path: Path) -> str | None:
    """Why deck.lock, a link, must not be followed: it leads out of the cards folder, or loops."""
    return link_problem(path, path.parent) if path.is_symlink() else None


def parse_lock(data: bytes, display: str) -> tuple[Lock | None, list[Diagnostic]]:
    """The lock written as ``data``, or the diagnostic saying why it cannot be used."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, [diagnostic("E002", Location(display), "deck.lock is not valid UTF-8 text; restore it from "
                                                            "version control")]
    marker = next((n for n, line in enumerate(text.splitlines(), 1) if line.startswith(("<<<<<<<", ">>>>>>>"))),
                  None)
    if marker is not None:
        return None, [diagnostic(
            "E006", Location(display, marker), "deck.lock has unresolved merge conflict markers: check out "
            "either side (`git checkout --theirs cards/deck.lock`) and build again; the build re-adds the "
            "other side's cards")]
    if not text.lstrip().startswith("{"):  # format 1 was YAML: refuse what would crash libyaml first
        too_big = too_big_to_compose(text, display)
        if too_big is not None:
            return None, [diagnostic("E006", too_big.location, f"deck.lock cannot be parsed: {too_big.message}; "
                                                               "restore it from version control")]
    try:
        data = (json.loads(text, object_pairs_hook=_no_duplicate_keys) if text.lstrip().startswith("{")
                else yaml.load(text, Loader=_LegacyLoader))
    except _DuplicateKey as duplicate:
        return None, [diagnostic("E006", _second_line_of(text, display, duplicate.key), (
            f"deck.lock holds '{duplicate.key}' twice (a merge that kept both sides?); JSON would silently "
            "keep the last one: restore deck.lock from version control, or take one side of the merge")
        )]
    except RecursionError:
        return None, [diagnostic("E006", Location(display), "deck.lock is nested too deeply to be a lock; "
                                                            "restore it from version control")]
    except json.JSONDecodeError as exc:
        return None, [diagnostic("E006", Location(display, exc.lineno, exc.colno),
                                 f"deck.lock is not valid JSON ({exc.msg}); restore it from version control")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
        return None, [diagnostic("E006", where, f"deck.lock cannot be parsed ({exc.problem}); restore it from "
                                                "version control")]
    except yaml.YAMLError as exc:  # e.g. a control character, which has an offset but no mark
        return None, [diagnostic("E006", Location(display), f"deck.lock cannot be parsed ({exc}); restore it "
                                                            "from version control")]
    try:
        lock = _lock_from(data)
    except _Damaged as damaged:
        return None, [diagnostic("E006", _line_of(text, display, damaged.where),
                                 f"deck.lock is damaged: {damaged}; restore it from version control")]
    return replace(lock, lines=entry_lines(text)), []


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        raise _DuplicateKey(next(key for key, _ in pairs if key in seen or seen.add(key)))
    return data


def _second_line_of(text: str, display: str, key: str) -> Location:
    """Where ``key`` appears as a member name the second time (the first is the one JSON would lose)."""
    wanted = f"{json.dumps(key, ensure_ascii=False)}:"
    found = 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if stripped.startswith(wanted) or f"{{{wanted}" in line or f", {wanted}" in line:
            found += 1
            if found == 2:
                return Location(display, number, len(line) - len(stripped) + 1)
    return _line_of(text, display, key)


_SECTIONS = ("notetypes", "cards", "retired", "purged", "renamed", "adopted")


def entry_lines(text: str) -> dict[str, int]:
    """The line of every entry of a lock as dump_lock lays it out: "cards/ID" -> line, "created" -> line."""
    lines: dict[str, int] = {}
    section = None
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith('  "') and not line.startswith("   "):
            name = line[3:line.find('"', 3)]
            section = name if name in _SECTIONS else None
            lines.setdefault(name, number)
        elif section is not None and line.startswith('    "'):
            try:
                quoted = line[4:line.index('": ') + 1]
                # A key without escapes is its own text (ids are slugs): no JSON parser needed.
                key = quoted[1:-1] if "\\" not in quoted and '"' not in quoted[1:-1] else json.loads(quoted)
            except ValueError:
                continue
            lines.setdefault(f"{section}/{key}", number)
    return lines


class _LegacyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Format 1 locks were YAML whose times were strings; read them as plain data."""


def _line_of(text: str, display: str, key: str | None) -> Location:
    if key:
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.lstrip()
            if stripped.startswith((f'"{key}":', f"{key}:")):
                return Location(display, number, len(line) - len(stripped) + 1)
    return Location(display)


NOTETYPES = ("basic", "cloze")


def _get(data: Any, key: str, what: str, where: str | None, kind: type | tuple = str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise _Damaged(where, f"{what} has no '{key}'")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise _Damaged(where, f"{what} '{key}' has the wrong type")
    return value


def _time(data: Any, key: str, what: str, where: str | None) -> int:
    value = _get(data, key, what, where, (str, datetime.datetime))
    try:
        return int(value.timestamp()) if isinstance(value, datetime.datetime) else to_timestamp(value)
    except ValueError:
        raise _Damaged(where, f"{what} '{key}' should be a time like 2026-01-31T12:00:00Z") from None


def _texts(data: Any, key: str, what: str, where: str | None) -> tuple[str, ...]:
    value = data.get(key) if isinstance(data, dict) else None
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Damaged(where, f"{what} '{key}' should be a list of text")
    return tuple(value)


def _mapping(data: Any, key: str, where: str | None) -> dict:
    value = data.get(key) if isinstance(data, dict) else None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Damaged(where or key, f"'{key}' should be a mapping")
    return value


def _hashes_from(data: Any, notetype: str, what: str, card_id: str) -> dict[str, str]:
    hashes = _get(data, "hashes", what, card_id, (dict, str))
    if isinstance(hashes, dict):
        return {str(name): str(value) for name, value in hashes.items()}
    order = _hash_order(notetype)
    values = hashes.split(" ")
    if len(values) != len(order) or not all(values):
        raise _Damaged(card_id, f"{what} 'hashes' should hold {len(order)} hashes, one per field and the tags")
    return {name: EMPTY_HASH if value == "-" else value for name, value in zip(order, values)}


def _placed_from(data: Any, what: str, card_id: str) -> Placement:
    placed = data.get("placed") or {}
    if isinstance(placed, list):  # format 3: [topics, scope, sources]
        if len(placed) != 3 or not (placed[1] is None or isinstance(placed[1], str)):
            raise _Damaged(card_id, f"{what} 'placed' should be [topics, scope, sources]")
        placed = {"topics": placed[0], "scope": placed[1], "sources": placed[2]}
    if not isinstance(placed, dict):
        raise _Damaged(card_id, f"{what} 'placed' should be a mapping")
    return Placement(_texts(placed, "topics", what, card_id),
                     str(placed["scope"]) if placed.get("scope") is not None else None,
                     _texts(placed, "sources", what, card_id))


class _Shared:
    """What many cards of one lock hold alike (placements): one object each."""

    def __init__(self) -> None:
        self.placements: dict[tuple, Placement] = {}


def _card_fast(data: Any, read_format: int, created: int, shared: _Shared) -> LockedCard | None:
    """A card entry as build writes it, read with the fewest steps; None for anything else, which
    _card_from then reads (and refuses with its reason), so that both accept exactly the same entries."""
    if type(data) is not dict:
        return None
    get = data.get
    compact = read_format >= 3
    notetype = get("notetype", "basic" if compact else None)
    guid, question = get("guid"), get("question")
    if notetype not in NOTETYPES or type(notetype) is not str or type(guid) is not str or type(question) is not str:
        return None
    try:
        if "added" in data:
            added = data["added"]
            added = to_timestamp(added) if type(added) is str else None
        else:
            added = created if compact else None
        if "changed" in data:
            changed = data["changed"]
            changed = to_timestamp(changed) if type(changed) is str else None
        else:
            changed = added if compact else None
        retired = get("retired")
        if retired is not None:
            retired = to_timestamp(retired) if type(retired) is str else None
            if retired is None:
                return None
    except ValueError:
        return None
    if added is None or changed is None:
        return None
    hashes = get("hashes")
    if type(hashes) is not str:
        return None
    order = _hash_order(notetype)
    # One non-empty hash per name, without splitting: no empty part, so no space at an end or beside another.
    if (hashes.count(" ") != len(order) - 1 or not hashes or hashes[0] == " " or hashes[-1] == " "
            or "  " in hashes):
        return None
    hashes = FieldHashes(order, hashes)
    placed = get("placed")
    if type(placed) is not list or len(placed) != 3:
        return None
    topics, scope, sources = placed
    if (type(topics) is not list or type(sources) is not list or not (scope is None or type(scope) is str)
            or not all(type(t) is str for t in topics) or not all(type(t) is str for t in sources)):
        return None
    key = (tuple(topics), scope, tuple(sources))
    placement = shared.placements.get(key)
    if placement is None:
        placement = shared.placements[key] = Placement(*key)
    retired_in = get("retired_in")
    adopted = get("adopted", "")
    if type(adopted) is not str:
        return None
    # Made without its __init__ (which sets each field through object.__setattr__, frozen: a third of this
    # function's time): every field is given here, as the quick == careful test of test_lockfile.py checks.
    card = _new_card(LockedCard)
    card.__dict__.update(
        guid=guid, notetype=notetype, added=added, changed=changed, hashes=hashes, question=question,
        reverse=get("reverse") is True, retired=retired,
        retired_in=str(retired_in) if retired_in is not None else None, placement=placement,
        digest=str(get("digest", "")), answer=str(get("answer", "")), restoring=get("restoring") is True,
        adopted=adopted,
    )
    return card


_new_card = object.__new__


def _card_from(card_id: str, data: Any, read_format: int = FORMAT, created: int = 0,
               shared: _Shared | None = None) -> LockedCard:
    fast = _card_fast(data, read_format, created, shared or _Shared())
    if fast is not None:
        return fast
    what = f"card '{card_id}'"
    # Format 3 leaves out the note type when it is basic, and the time added when it is the lock's creation.
    compact = read_format >= 3 and isinstance(data, dict)
    notetype = "basic" if compact and "notetype" not in data else _get(data, "notetype", what, card_id)
    if notetype not in NOTETYPES:
        raise _Damaged(card_id, f"{what} has note type {notetype!r}; deckbuilder writes only "
                                f"{' and '.join(NOTETYPES)}")
    added = created if compact and "added" not in data else _time(data, "added", what, card_id)
    # Format 3 leaves out a modification time equal to the time the card was added.
    changed = added if read_format >= 3 and "changed" not in data else _time(data, "changed", what, card_id)
    return LockedCard(
        guid=_get(data, "guid", what, card_id),
        notetype=notetype,
        added=added,
        changed=changed,
        hashes=_hashes_from(data, notetype, what, card_id),
        question=_get(data, "question", what, card_id),
        reverse=data.get("reverse") is True,
        retired=_time(data, "retired", what, card_id) if data.get("retired") is not None else None,
        retired_in=str(data["retired_in"]) if data.get("retired_in") is not None else None,
        placement=_placed_from(data, what, card_id),
        digest=str(data.get("digest", "")),
        answer=str(data.get("answer", "")),
        restoring=data.get("restoring") is True,
        adopted=str(data.get("adopted") or ""),
    )


def _change_from(data: Any, card_id: str, where: str) -> CardChange:
    value = data.get(card_id)
    if isinstance(value, list) or value is None:  # field names only (locks written by deckbuilder 0.3)
        return CardChange(_texts(data, card_id, f"{where} 'changed'", where))
    if not isinstance(value, dict):
        raise _Damaged(where, f"{where} 'changed' entry '{card_id}' should be a list or a mapping")
    texts = {}
    for side in ("before", "after"):
        part = value.get(side) or {}
        if not isinstance(part, dict) or not all(isinstance(v, str) for v in part.values()):
            raise _Damaged(where, f"{where} 'changed' entry '{card_id}' '{side}' should map names to text")
        texts[side] = {str(k): v for k, v in part.items()}
    return CardChange(_texts(value, "fields", f"{where} 'changed' entry '{card_id}'", where), **texts)


def _history_from(data: Any, released: bool = True) -> HistoryEntry:
    where = "history" if released else "unreleased"
    changed = _mapping(data, "changed", where)
    return HistoryEntry(
        version=str(_get(data, "version", "history entry", where, (str, int, float))) if released else "",
        date=_time(data, "date", "history entry", where) if released else 0,
        added=_texts(data, "added", "history entry", where),
        changed={str(card_id): _change_from(changed, card_id, where) for card_id in changed},
        renamed={str(k): str(v) for k, v in _mapping(data, "renamed", where).items()},
        retired=_texts(data, "retired", "history entry", where),
        restored=_texts(data, "restored", "history entry", where),
        purged=_texts(data, "purged", "history entry", where),
        notetypes=_texts(data, "notetypes", "history entry", where),
        titles={str(k): str(v) for k, v in _mapping(data, "titles", where).items()},
    )


def _lock_from(data: Any) -> Lock:
    if not isinstance(data, dict):
        raise _Damaged(None, "it is not a mapping")
    if data.get("format") not in READABLE_FORMATS:
        raise _Damaged("format", f"format {data.get('format')!r} is not one this deckbuilder reads")
    notetypes = {}
    for kind, nt in _mapping(data, "notetypes", "notetypes").items():
        what = f"notetype '{kind}'"
        notetypes[kind] = LockedNotetype(
            id=_get(nt, "id", what, kind, int),
            fields=_texts(nt, "fields", what, kind),
            templates=_texts(nt, "templates", what, kind),
            style=_get(nt, "style", what, kind),
            changed=_time(nt, "changed", what, kind),
        )
    history = data.get("history") or []
    if not isinstance(history, list):
        raise _Damaged("history", "'history' should be a list")
    read_format = data["format"]
    created = _time(data, "created", "deck.lock", "created")
    shared = _Shared()
    lock = Lock(
        namespace=_get(data, "namespace", "deck.lock", "namespace"),
        created=created,
        notetypes=notetypes,
        cards={card_id: _card_from(card_id, card, read_format, created, shared)
               for card_id, card in _mapping(data, "cards", "cards").items()},
        retired={card_id: _card_from(card_id, card, read_format, created, shared)
                 for card_id, card in _mapping(data, "retired", "retired").items()},
        purged={str(k): str(v) for k, v in _mapping(data, "purged", "purged").items()},
        renamed={str(k): str(v) for k, v in _mapping(data, "renamed", "renamed").items()},
        adopted={str(k): str(v) for k, v in _mapping(data, "adopted", "adopted").items()},
        history=tuple(_history_from(entry) for entry in history),
        unreleased=_history_from(data["unreleased"], released=False) if data.get("unreleased") else None,
        read_format=read_format,
    )
    if read_format >= 3 and (lock.history or lock.unreleased is not None):
        derivable = derived_titles(lock)
        lock = replace(lock, history=tuple(_with_titles(entry, derivable) for entry in lock.history),
                       unreleased=_with_titles(lock.unreleased, derivable) if lock.unreleased else None)
    return lock


def _with_titles(entry: HistoryEntry, derivable: Mapping[str, str]) -> HistoryEntry:
    """A format-3 entry's titles: those written ("" for none), and for the other listed cards the derived one."""
    titles = dict(entry.titles)
    for card_id in _listed_ids(entry):
        if card_id not in titles and card_id in derivable:
            titles[card_id] = derivable[card_id]
    return replace(entry, titles=dict(sorted((k, v) for k, v in titles.items() if v)))
