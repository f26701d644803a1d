"""What is derived from one card file alone, kept on disk so that an unchanged file costs a read.

After a one-card edit, a fresh ``check`` or ``build`` process used to run every
card-level rule (``check_cards``, see check/rules/) and render every note again, for
the hundreds of files that did not change. This cache keeps, per card file:

* ``findings``: each card-level rule's findings for the file's cards;
* ``notes``: the compiled note contents (rendered fields, tags, placement).

An entry is found by a key that hashes everything the result depends on: the
file's parse-cache key (its bytes, displayed path, deckbuilder version, the
user's secret), the deck and sources as loaded (and, for findings, the media
folder's names and each rule's options), and the source code of the builder
package itself, so that a changed rule or renderer never meets its old results.
Like the parse cache (cache.py), entries are plain JSON in ``cards/.cache/``
(never pickle), salted with the per-user secret so that a planted file cannot
name an entry, and checked on reading: one that does not decode, or whose key
is not the one wanted, is a miss, and the result is computed again. The cache
is used only for the very card objects the loader returned: a card set made
differently (preview's, a test's) computes everything.

Callers of check and compile never see it: the loader attaches it to the card
set it returns (``CardSet.derived``), and the stages look for it there.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from .. import __version__
from ..fs import UnsafeFile, read_regular_file, write_atomically
from .deferred import DeferredWrites, write_all

if TYPE_CHECKING:
    from ..model import Card, CardSet

DERIVED_DIR = "derived"
DERIVED_FORMAT = 3  # 2: results encoded by the stage that computes them; 3: keys hash the context first
MAX_ENTRY_BYTES = 512 * 1024 * 1024  # as the parse cache's: a 64 MB card file's notes, with room


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the builder package's source: results computed by other code are never reused."""
    root = Path(__file__).resolve().parent.parent  # builder/, not only builder/load/: the rules and renderers
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"unreadable")
        digest.update(b"\0")
    return digest.hexdigest()


class DerivedCache:
    """The derived results of a loaded card set's files, by file (in load order)."""

    def __init__(self, folder: Path, secret: bytes, files: Sequence[tuple[str, str, tuple[Card, ...]]],
                 deferred: DeferredWrites | None = None):
        self.folder = folder
        self.deferred = deferred  # the parse cache's, when its writes are held back (deferred.py)
        self.secret = secret
        self.files = list(files)  # (displayed path, parse-cache key, the cards loaded from it)
        self._entries: dict[tuple[str, str], dict[str, Any]] = {}  # (kind, display) -> entry as read/updated
        self._dirty: set[tuple[str, str]] = set()
        self._usable: tuple[int, bool] | None = None
        self._prefixes: dict[tuple[str, str], Any] = {}  # (kind, context) -> hashlib object (_key)

    # ------------------------------------------------------------ which card sets it serves

    def serves(self, card_set: CardSet) -> bool:
        """Whether ``card_set`` holds exactly the card objects loaded (a replaced card is not)."""
        cards = card_set.cards
        if self._usable is not None and self._usable[0] == id(cards):
            return self._usable[1]
        loaded = [card for _, _, file_cards in self.files for card in file_cards]
        usable = len(loaded) == len(cards) and all(a is b for a, b in zip(loaded, cards))
        self._usable = (id(cards), usable)
        self._held = cards  # keeps the id above from being reused by another tuple
        return usable

    # ------------------------------------------------------------ entries

    def _slot(self, kind: str, display: str) -> Path:
        name = hashlib.sha256(self.secret + f"{kind}\0{display}".encode()).hexdigest()[:32]
        return self.folder / f"{kind}-{name}.json"

    def _key(self, kind: str, file_key: str, context: str) -> str:
        # The hash of everything but the file's key is made once per kind and context: a check asks for the
        # key of every file for each of its rules (13,000 keys at 50,000 cards), and a context can be long.
        prefix = self._prefixes.get((kind, context))
        if prefix is None:
            salt = f"deckbuilder {__version__} derived {DERIVED_FORMAT} {kind} {code_fingerprint()}\0".encode()
            prefix = self._prefixes[kind, context] = hashlib.sha256(self.secret + salt + f"{context}\0".encode())
        key = prefix.copy()
        key.update(file_key.encode())
        return key.hexdigest()

    def _entry(self, kind: str, display: str, key: str) -> dict[str, Any]:
        """The file's entry for ``key``: the one on disk if it is that one, else a new, empty one."""
        slot = (kind, display)
        entry = self._entries.get(slot)
        if entry is not None and entry.get("key") == key:
            return entry
        try:
            found = json.loads(read_regular_file(self._slot(kind, display), MAX_ENTRY_BYTES))
        except (OSError, UnsafeFile, ValueError, RecursionError):
            found = None
        if not isinstance(found, dict) or found.get("key") != key or not isinstance(found.get("results"), dict):
            found = {"key": key, "results": {}}
        self._entries[slot] = found
        return found

    def _store(self, kind: str, display: str) -> None:
        self._dirty.add((kind, display))

    def flush(self, kind: str | None = None) -> None:
        """Write the entries that changed (a read-only checkout simply keeps none); with ``kind``, also let go
        of that kind's entries: what was handed out holds what it needs, and the decoded entries of every
        file would otherwise stay for the whole run (tens of megabytes at 50,000 cards)."""
        dirty, self._dirty = self._dirty, set()
        now = []
        for slot in sorted(dirty):
            entry = self._entries.get(slot)
            if entry is None:
                continue
            path, make = self._slot(*slot), functools.partial(_encoded, entry)
            if self.deferred is None or not self.deferred.hold(path, make):
                now.append((path, make))
        write_all(now)  # (as held writes are made: a folder that cannot be written is left alone)
        if kind is not None:
            self._entries = {slot: entry for slot, entry in self._entries.items() if slot[0] != kind}

    # ------------------------------------------------------------ results per card

    def per_file(self, kind: str, context: str, name: str, compute: Callable[[tuple[Card, ...]], list],
                 encode: Callable[[list], Any], decode: Callable[[Any, tuple[Card, ...]], list | None]) -> list:
        """``compute(cards)`` for every file's cards, in load order: stored for unchanged files (and an equal
        ``context``, whatever else the results depend on), computed and stored for the rest. ``decode``
        turns what was stored back into results, or None when it is not what ``encode`` writes (a miss).

        The check stage keeps its rules' findings here and the compile stage its notes: each encodes its
        own results, so this cache knows no stage above load."""
        found: list = []
        for display, file_key, cards in self.files:
            entry = self._entry(kind, display, self._key(kind, file_key, context))
            results = decode(entry["results"].get(name), cards)
            if results is None:
                results = compute(cards)
                entry["results"][name] = encode(results)
                self._store(kind, display)
            found.extend(results)
        return found

    def missing(self, kind: str, context: str, name: str) -> list[int]:
        """The indexes (in ``files``) of the files with no results stored under ``name`` for ``context``: what
        ``per_file`` will compute (and more, if a stored result does not decode). Lets a caller share that
        work out before asking; presence only, so that asking costs no decoding."""
        return [index for index, (display, file_key, _) in enumerate(self.files)
                if name not in self._entry(kind, display, self._key(kind, file_key, context))["results"]]

    # ------------------------------------------------------------ one entry for the whole deck

    def read_whole(self, kind: str, context: str) -> Any:
        """What ``write_whole`` stored for the whole deck under this ``context``, or None. The caller validates
        its shape and checks it against the files it now has (``files``): it may be a run older than theirs."""
        try:
            found = json.loads(read_regular_file(self._slot(kind, ""), MAX_ENTRY_BYTES))
        except (OSError, UnsafeFile, ValueError, RecursionError):
            return None
        if not isinstance(found, dict) or found.get("key") != self._key(kind, "", context):
            return None
        return found.get("results")

    def write_whole(self, kind: str, context: str, results: Any) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self._slot(kind, ""), json.dumps(
                {"key": self._key(kind, "", context), "results": results}, ensure_ascii=False).encode(), durable=False)
        except OSError:
            pass  # a read-only checkout: the next run searches again

    # ------------------------------------------------------------ texts made from one card

    def card_texts(self, kind: str, context: str, make: Callable[[Card], str]) -> dict[int, str]:
        """``make(card)`` for every card loaded, by ``id(card)``: stored for unchanged files (and an equal
        ``context``: whatever else the texts depend on), made for the rest."""
        def decode(stored: Any, cards: tuple[Card, ...]) -> list[str] | None:
            usable = isinstance(stored, list) and len(stored) == len(cards) and all(isinstance(t, str) for t in stored)
            return stored if usable else None

        made = self.per_file(kind, context, "texts", lambda cards: [make(card) for card in cards], list, decode)
        self.flush(kind)
        return dict(zip((id(card) for _, _, cards in self.files for card in cards), made))


def _encoded(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, ensure_ascii=False).encode()


def for_card_set(card_set: CardSet) -> DerivedCache | None:
    """The cache serving this card set, if the loader attached one and the cards are the ones it loaded."""
    derived = getattr(card_set, "derived", None)
    return derived if derived is not None and derived.serves(card_set) else None
