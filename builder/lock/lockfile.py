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

A lock that a build of this same code wrote, byte for byte, is read as its lines (lines.py, sections.py):
an entry is decoded only when asked for, and one the next build keeps is written as the same line.
"""

from __future__ import annotations

# The lock's modules, by what they do: its data (lockdata.py), writing it (lockwrite.py) and reading it
# (lockread.py). Every name is here too, for the code and tests that import the lock's names from here.
from .lockdata import (  # noqa: F401
    FORMAT, LOCK_FILE, MAX_LOCK_BYTES, NOTE, NOTETYPES, READABLE_FORMATS, CardChange, HistoryEntry, Lock,
    LockedCard, LockedNotetype, derived_titles, to_iso, to_timestamp,
)
from .lockread import entry_lines, outside_link, parse_lock, read_lock  # noqa: F401
from .lockwrite import (  # noqa: F401
    LockTooLarge, checked_size, dump_lock, lock_chunks, lock_writer, write_lock,
)
