"""What ``check`` needs from deck.lock, derived once per lock and kept in ``cards/.cache/lock/``.

A fresh ``check`` process used to decode all of deck.lock and verify it
(lockcheck.py) every time: 1.3 s at 50,000 cards, for a file that changes only
when a build writes it. What the check reads from it is small: the namespace,
each live card's note type (card_kind_changed), the ids no new card may take
(reused_id), and the verification's findings. This module keeps exactly that
for the last lock read, as a LockSummary, which answers the check's questions
as a Lock does (view.LockView).

The summary is found by a key that hashes the lock's bytes, its displayed path
(the findings name it), the deckbuilder version and the builder's code
(load.code_fingerprint: a changed check never meets its old findings),
salted with the per-user cache secret like the parse cache's keys (a summary
planted in a shared folder cannot name a lock). It is JSON, validated field by
field on reading; anything amiss is a miss, and the lock is read in full (and
the summary written again). Verification that depends on the clock is not
kept: the summary holds the lock's latest time, and a lock with any time past
the clock's slack is read and verified in full, so its findings are exactly
the full path's.

A build that writes a lock keeps that lock's summary too (built_summary, then keep_built): it has the Lock, and
the sha256 of the bytes it wrote, so the check after a build need not read and verify the new lock in full.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from .. import __version__
from ..fs import UnsafeFile, read_regular_file, write_atomically
from ..load import code_fingerprint
from ..model import Diagnostic, Location, Severity
from .lockcheck import (
    CLOCK_SLACK, future_times, identity_problems, identity_problems_after, latest_time, verify_lock,
)
from .lines import parse_written
from .lockdata import derived_titles
from .lockfile import MAX_LOCK_BYTES, Lock, dump_lock, outside_link, parse_lock, read_lock
from .sections import briefs

SUMMARY_DIR = "lock"  # under cards/.cache: its own folder, as the parse cache prunes the *.json files of its own
SUMMARY_FILE = "summary.json"
# The derived titles (lockdata.derived_titles) of a lock read as lines, beside its summary: only a build reads
# them, so a check does not read them with the summary.
TITLES_FILE = "titles.json"
SUMMARY_FORMAT = 2  # 2: "written"
# A summary holds ids and reasons only (a few bytes a card): far less than the lock it summarises.
MAX_SUMMARY_BYTES = MAX_LOCK_BYTES


@dataclass(frozen=True)
class LockSummary:
    """The check's view of one deck.lock (view.LockView), without its cards' contents."""

    namespace: str
    kinds: Mapping[str, tuple[str, str]]  # live card id -> (note type, adopted note type or "")
    unavailable: Mapping[str, str]  # id -> why a new card may not take it (Lock.unavailable_ids)
    retired: frozenset[str]
    latest: int  # the lock's latest time (lockcheck.latest_time)
    digest: str = field(default="", repr=False)  # sha256 of the lock's bytes: build reads the same lock in full
    # The bytes are exactly what this code writes for the lock they hold (the build that wrote them kept the
    # summary, or reading them found so): a build reads its card entries as lines (lines.py).
    written: bool = field(default=False, compare=False)
    # Where the derived titles of those bytes are kept (the file, its key), when they are: a build reads them.
    titles_at: tuple[Path, str, bytes] | None = field(default=None, compare=False, repr=False)  # (+ secret)

    def card_kind(self, card_id: str) -> tuple[str, str] | None:
        return self.kinds.get(card_id)

    def is_retired(self, card_id: str) -> bool:
        return card_id in self.retired

    def unavailable_ids(self) -> dict[str, str]:
        return dict(self.unavailable)


def summarise(lock: Lock, digest: str = "", written: bool = False) -> LockSummary:
    return LockSummary(
        namespace=lock.namespace,
        kinds={card_id: (card.notetype, card.adopted) for card_id, card in briefs(lock.cards)},
        unavailable=lock.unavailable_ids(),
        retired=frozenset(lock.retired),
        latest=latest_time(lock),
        digest=digest,
        written=written,
    )


def read_lock_view(path: Path, display: str, now: int, folder: Path | None,
                   secret: bytes) -> tuple[Lock | LockSummary | None, list[Diagnostic]]:
    """read_lock then verify_lock (against ``now``), from the summary in ``folder`` when it holds this lock.

    Returns what the full path returns, but the lock may be its LockSummary; (None, diagnostics) for a lock
    that cannot be used. Without a cache folder (no per-user secret), the full path.
    """
    try:
        if folder is None or outside_link(path) is not None:
            return _full(path, display, now)
        data = read_regular_file(path, MAX_LOCK_BYTES)
    except (OSError, UnsafeFile):
        return _full(path, display, now)  # absent or unreadable: read_lock says which
    digest = hashlib.sha256(data).hexdigest()
    key = _key(secret, display, digest)
    slot = folder / SUMMARY_DIR / SUMMARY_FILE
    found = _decode(_read_json(slot), key, digest)
    if found is not None:
        summary, diagnostics = found
        if summary is None:
            return None, diagnostics
        if summary.latest <= now + CLOCK_SLACK:
            return replace(summary, titles_at=(slot.parent / TITLES_FILE, key, secret)), diagnostics
    lock, diagnostics = parse_lock(data, display)
    identity: list[Diagnostic] = []
    written = False
    if lock is not None:
        identity = identity_problems(lock, display)
        diagnostics = [*diagnostics, *identity, *future_times(lock, display, now)]
        # Laid out exactly as this code writes it (a fresh clone's lock, a colleague's): builds then read
        # it as lines (lines.py). Once per distinct lock, a third of the time of reading it in full.
        written = not identity and dump_lock(lock).encode() == data
    _store(slot, key, summarise(lock, digest, written) if lock is not None else None,
           diagnostics if lock is None else identity)
    if written:
        _store_titles(slot.parent / TITLES_FILE, key, derived_titles(lock), secret)
    return lock, diagnostics


@dataclass(frozen=True)
class BuiltSummary:
    slot: Path
    key: str
    summary: LockSummary
    titles: Mapping[str, str]  # derived_titles of the lock written
    secret: bytes = field(default=b"", repr=False)  # what the titles file is signed with


def built_summary(folder: Path | None, secret: bytes, display: str, digest: str, lock: Lock,
                  previous: Lock | None, derived: tuple[str, Iterable[str]] = ("", ())) -> BuiltSummary | None:
    """The summary of the lock a build wrote (``digest``: the sha256 of the bytes written), as read_lock_view
    would make it on reading that lock, so that the next check need not read and verify it all; not yet
    written (keep_built writes it, once the lock is in place: a refused or failed write leaves the old lock,
    and its summary). None when there is none to keep.

    ``previous``: the verified lock the build planned from (lockcheck.identity_problems_after). The written
    lock reads back as ``lock`` (test_lockfile.py's round trips), so its summary and identity findings are
    those of ``lock``; but findings name lines of the file, which ``lock`` does not know, so a lock with any
    is not summarised (the next check reads it in full and reports them). ``derived``: as for
    identity_problems_after."""
    if folder is None or identity_problems_after(lock, display, previous, derived):
        return None
    return BuiltSummary(folder / SUMMARY_DIR / SUMMARY_FILE, _key(secret, display, digest),
                        summarise(lock, digest, written=True), derived_titles(lock), secret)


def keep_built(built: BuiltSummary | None) -> None:
    if built is not None:
        _store(built.slot, built.key, built.summary, [])
        _store_titles(built.slot.parent / TITLES_FILE, built.key, built.titles, built.secret)


def full_lock(summary: LockSummary, path: Path, display: str, now: int) -> tuple[Lock | None, list[Diagnostic]]:
    """The Lock ``summary`` was made from, read again for a build, and the verification still owed.

    When the file still holds the bytes summarised, the identity half
    was reported with the summary and only the clock half is redone against ``now`` (a build's clock may
    be pinned earlier than the check's); otherwise the lock is read and verified as if for the first time.
    """
    try:
        data = read_regular_file(path, MAX_LOCK_BYTES)
    except (OSError, UnsafeFile):
        return _full(path, display, now)
    if hashlib.sha256(data).hexdigest() != summary.digest:
        lock, problems = parse_lock(data, display)
        return lock, [*problems, *(verify_lock(lock, display, now) if lock is not None else ())]
    lock = parse_written(data, _read_titles(*summary.titles_at) if summary.titles_at else None) \
        if summary.written else None
    problems: list[Diagnostic] = []
    if lock is None:
        lock, problems = parse_lock(data, display)
    if lock is not None and summary.latest > now + CLOCK_SLACK:
        problems = [*problems, *future_times(lock, display, now)]
    return lock, problems


def _full(path: Path, display: str, now: int) -> tuple[Lock | None, list[Diagnostic]]:
    lock, problems = read_lock(path, display)
    return lock, [*problems, *(verify_lock(lock, display, now) if lock is not None else ())]


def _key(secret: bytes, display: str, digest: str) -> str:
    salt = f"deckbuilder {__version__} lock summary {SUMMARY_FORMAT} {code_fingerprint()}\0{display}\0{digest}"
    return hashlib.sha256(secret + salt.encode()).hexdigest()


# ---------------------------------------------------------------- the entry on disk


def _read_json(slot: Path) -> Any:
    try:
        return json.loads(read_regular_file(slot, MAX_SUMMARY_BYTES))
    except (OSError, UnsafeFile, ValueError, RecursionError):
        return None


def _store(slot: Path, key: str, summary: LockSummary | None, diagnostics: list[Diagnostic]) -> None:
    entry: dict[str, Any] = {"key": key, "diagnostics": [_diagnostic_data(d) for d in diagnostics], "lock": None}
    if summary is not None:
        kinds: dict[str, list[str]] = {}
        for card_id, (notetype, adopted) in summary.kinds.items():
            kinds.setdefault(f"{notetype}\t{adopted}", []).append(card_id)
        entry["lock"] = {"namespace": summary.namespace, "kinds": kinds, "unavailable": dict(summary.unavailable),
                         "retired": sorted(summary.retired), "latest": summary.latest, "written": summary.written}
    try:
        slot.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(slot, json.dumps(entry, ensure_ascii=False).encode(), durable=False)
    except OSError:
        pass  # a read-only checkout still checks, reading the lock in full each time


def _store_titles(slot: Path, key: str, titles: Mapping[str, str], secret: bytes) -> None:
    try:
        write_atomically(slot, _signed(_titles_chunks(key, titles), secret), durable=False)
    except OSError:
        pass


def _titles_chunks(key: str, titles: Mapping[str, str]) -> Iterator[str]:
    """``json.dumps({"key": key, "titles": titles})`` in chunks: at a build's end, the peak of its memory, 50,000
    titles as one string and its bytes were 11 MB more."""
    string = json.encoder.encode_basestring  # (json.dumps's, in C)
    yield f'{{"key": {string(key)}, "titles": {{'
    items = list(titles.items())
    for start in range(0, len(items), 1000):
        yield (", " if start else "") + ", ".join(f"{string(k)}: {string(v)}" for k, v in items[start:start + 1000])
    yield "}}"


def _signed(chunks: Iterator[str], secret: bytes) -> Iterator[str]:
    """``chunks``, then a line with their HMAC under the per-user secret. The titles are shown to students
    (the changelog) and recorded in deck.lock, and nothing else checks them: the key in the file is no
    proof, for it can be read in summary.json and copied into a forged file."""
    mac = hmac.new(secret, digestmod=hashlib.sha256)
    for chunk in chunks:
        mac.update(chunk.encode())
        yield chunk
    yield "\n" + mac.hexdigest()


def _read_titles(slot: Path, key: str, secret: bytes) -> dict[str, str] | None:
    """The titles kept for the lock of ``key``; None for a miss (they are then worked out again)."""
    try:
        data = read_regular_file(slot, MAX_SUMMARY_BYTES)
    except (OSError, UnsafeFile):
        return None
    body, newline, mac = data.rpartition(b"\n")
    if not newline or not hmac.compare_digest(mac, hmac.new(secret, body, hashlib.sha256).hexdigest().encode()):
        return None
    try:
        entry = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if type(entry) is not dict or entry.get("key") != key:
        return None
    titles = entry.get("titles")
    if type(titles) is not dict or not all(type(k) is str and type(v) is str and v for k, v in titles.items()):
        return None
    return titles


def _diagnostic_data(d: Diagnostic) -> list[Any]:
    loc = d.location
    return [d.code, d.severity.value, loc.file, loc.line, loc.column, d.message, d.subject]


def _decode(entry: Any, key: str, digest: str) -> tuple[LockSummary | None, list[Diagnostic]] | None:
    """The entry's summary and diagnostics, if it is a well-formed entry for ``key``; None for a miss."""
    if type(entry) is not dict or entry.get("key") != key:  # the key holds the lock's digest
        return None
    diagnostics = _diagnostics_from(entry.get("diagnostics"))
    if diagnostics is None:
        return None
    data = entry.get("lock")
    if data is None:
        # An unusable lock's findings: they must say why, or a bad lock would pass unremarked.
        return (None, diagnostics) if diagnostics else None
    if type(data) is not dict:
        return None
    namespace, kinds, unavailable, retired, latest, written = (data.get(name) for name in (
        "namespace", "kinds", "unavailable", "retired", "latest", "written"))
    if (type(namespace) is not str or type(kinds) is not dict or type(unavailable) is not dict
            or type(retired) is not list or type(latest) is not int or type(written) is not bool
            or not all(type(k) is str and type(v) is str for k, v in unavailable.items())
            or not all(type(card_id) is str for card_id in retired)):
        return None
    by_id: dict[str, tuple[str, str]] = {}
    for kind, ids in kinds.items():
        notetype, tab, adopted = kind.partition("\t")
        if not tab or type(ids) is not list or not all(type(card_id) is str for card_id in ids):
            return None
        pair = (notetype, adopted)
        for card_id in ids:
            if by_id.setdefault(card_id, pair) is not pair:
                return None  # an id under two kinds: no summary of ours
    summary = LockSummary(namespace, by_id, dict(unavailable), frozenset(retired), latest, digest, written)
    return summary, diagnostics


def _diagnostics_from(data: Any) -> list[Diagnostic] | None:
    if type(data) is not list:
        return None
    found = []
    for item in data:
        if type(item) is not list or len(item) != 7:
            return None
        code, severity, file, line, column, message, subject = item
        if (type(code) is not str or type(file) is not str or type(line) is not int or type(column) is not int
                or type(message) is not str or not (subject is None or type(subject) is str)
                or severity not in ("error", "warning")):
            return None
        found.append(Diagnostic(code, Severity(severity), Location(file, line, column), message, subject))
    return found
