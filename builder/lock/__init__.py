"""deck.lock, the deck's memory between builds: reading and writing it, checking it (it is
checked, never trusted), and the stable ids (GUIDs) derived from card ids.

This module is the stage's interface: what the stages above it use (docs/architecture.md).
"""

from .identity import stable_id
from .hashes import made_hashes
from .lockdata import question_title
from .bounds import MAX_LOCK_TEXT, lock_text
from .lockcheck import verify_lock
from .lockcheck import ADOPTED_GUID
from .summary import LockSummary, full_lock, read_lock_view, built_summary, keep_built
from .view import LockView
from .sections import (
    Questions as LockQuestions, brief as entry_brief, carried as carried_entries, keep as keep_entry,
    kept as kept_entry, release_kept,
)
from .lockfile import (
    CardChange, FORMAT, HistoryEntry, LOCK_FILE, Lock, LockedCard, LockedNotetype, LockTooLarge, MAX_LOCK_BYTES,
    checked_size, dump_lock, lock_chunks, lock_writer, outside_link, parse_lock, read_lock, to_iso, write_lock,
)

__all__ = [
    "ADOPTED_GUID", "MAX_LOCK_TEXT", "lock_text", "LockSummary", "LockView", "full_lock", "read_lock_view",
    "built_summary", "keep_built",
    "CardChange", "FORMAT", "HistoryEntry", "LOCK_FILE", "Lock", "LockedCard", "LockedNotetype", "LockTooLarge",
    "MAX_LOCK_BYTES", "checked_size", "lock_writer",
    "dump_lock", "lock_chunks", "outside_link", "parse_lock", "read_lock", "stable_id", "to_iso", "verify_lock",
    "write_lock", "LockQuestions", "entry_brief", "carried_entries", "keep_entry", "kept_entry",
    "release_kept", "made_hashes", "question_title",
]
