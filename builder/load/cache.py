"""The parse cache: card files already parsed, found again by their content.

``check``, ``build`` and ``watch`` parse only the card files whose bytes
changed; the rest come back from the cache. Entries are keyed by a hash of
the file's bytes, its displayed path and the deckbuilder version, so a stale
entry can never be used. The cache lives in ``cards/.cache/`` (ignored by
git, and safe to delete at any time) and in memory for ``watch``.

Entries are plain JSON, rebuilt into dataclasses: never pickle. A deck is
shared as files, and a cache file planted in a shared folder must not be able
to run code. An entry that does not decode is simply a miss.

Nor may a planted entry change what is built: a contributor could commit
``cards/.cache/<key>.json`` holding cards that differ from the YAML everyone
reviews. Keys are therefore salted with a secret kept outside the repository
(``~/.cache/deckbuilder/cache-secret``, made on first use): only this machine
can name an entry it will read. Without a place for the secret, there is no
disk cache.

Files that are not cached are parsed on every core (up to four) when there
is enough YAML to pay for the extra processes.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields as dataclass_fields
import json
import os
import secrets
from pathlib import Path
from typing import Any

from .. import __version__
from .background import Background, can_fork
from ..model import Card, CardType, Diagnostic, Location, Severity, SourceRef
from ..fs import UnsafeFile, display_path, read_regular_file
from .cardfile import CardFile, load_card_file
from .positions import LazyPositions, encode as encode_positions, valid as valid_positions
from .deferred import DeferredWrites, Write
from .yamlsource import read_file

CACHE_DIR = ".cache"
CACHE_FORMAT = 3  # 3: line breaks YAML hides (U+2028, U+2029, U+0085) became errors
# Parsing in a second process pays off only past this much YAML (process start, shipping results back).
PARALLEL_MIN_BYTES = 2_000_000
MAX_ENTRY_BYTES = 512 * 1024 * 1024  # a 64 MB card file's entry, with room; larger is not ours


class ParseCache:
    """Parsed card files by key: in memory, and in ``folder`` on disk when one is given."""

    def __init__(self, folder: Path | None, secret: bytes = b""):
        self.folder = folder
        self.secret = secret
        self.memory: dict[str, CardFile] = {}
        self.file_keys: dict[str, str] = {}  # displayed path -> key, for the files parse_all last read
        self.hits = 0
        self.misses = 0
        self.deferred: DeferredWrites | None = None  # see defer_writes

    def defer_writes(self) -> None:
        """Hold this process's writes of entries, this cache's and its card set's derived ones (deferred.py),
        until ``take_deferred``."""
        if self.folder is not None:
            self.deferred = DeferredWrites()

    def hand_over_deferred(self) -> list[Write]:
        """The writes held back so far, for a child to make; later ones are still held."""
        return self.deferred.hand_over() if self.deferred is not None else []

    def take_deferred(self) -> list[Write]:
        """The writes held back (for deferred.write_all); from now on entries are written at once."""
        return self.deferred.take() if self.deferred is not None else []

    def key(self, display: str, data: bytes) -> str:
        salt = f"deckbuilder {__version__} cache {CACHE_FORMAT} {display}\0".encode()
        return hashlib.sha256(self.secret + salt + data).hexdigest()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{key}.json"

    def get(self, key: str) -> CardFile | None:
        found = self.memory.get(key)
        if found is None and self.folder is not None:
            try:
                found = decode_entry(read_regular_file(self._path(key), MAX_ENTRY_BYTES), key)
            except (OSError, UnsafeFile):
                found = None  # absent or unreadable: parse the file again
            if found is not None:
                self.memory[key] = found
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, key: str, card_file: CardFile, entry: bytes | None = None) -> None:
        """Keep ``card_file`` (``entry``: its encode_entry bytes, when made already)."""
        self.memory[key] = card_file
        if self.folder is None:
            return
        from ..fs import write_atomically

        def encoded() -> bytes:
            return entry if entry is not None else encode_entry(card_file, key)

        if self.deferred is not None and self.deferred.hold(self._path(key), encoded):
            return
        try:
            write_atomically(self._path(key), encoded(), durable=False)
        except OSError:
            pass  # a read-only checkout still checks, just without a disk cache

    def remember(self, key: str, card_file: CardFile) -> None:
        """Keep in memory an entry another process already wrote to disk."""
        self.memory[key] = card_file

    def keep_only(self, keys: set[str]) -> None:
        """Forget entries of files that no longer exist in this form."""
        self.memory = {k: v for k, v in self.memory.items() if k in keys}
        if self.folder is None or not self.folder.is_dir():
            return
        try:
            for entry in self.folder.glob("*.json"):
                if entry.stem not in keys:
                    entry.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only checkout: the stale entries stay, and their keys can never match again


def disk_cache(cards_dir: Path) -> ParseCache:
    secret = machine_secret()
    return ParseCache(cards_dir / CACHE_DIR if secret else None, secret or b"")


SECRET_BYTES = 32


def machine_secret() -> bytes | None:
    """This user's cache secret (made on first use), or None where it can be neither read nor made."""
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache" if "HOME" in os.environ else None)
    if base is None:
        return None
    path = Path(base) / "deckbuilder" / "cache-secret"
    try:
        secret = read_regular_file(path, SECRET_BYTES)
        if len(secret) == SECRET_BYTES:
            return secret
    except (OSError, UnsafeFile):
        pass
    from ..fs import write_atomically

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(path, secrets.token_bytes(SECRET_BYTES), durable=False)
        path.chmod(0o600)
        return read_regular_file(path, SECRET_BYTES)  # another process may have made it first: use theirs
    except (OSError, UnsafeFile):
        return None


def parse_all(paths: list[Path], cache: ParseCache, cards_dir: Path) -> list[CardFile]:
    """Every card file: from the cache when unchanged, else parsed (in parallel when that pays)."""
    results: list[CardFile | None] = [None] * len(paths)
    todo: list[tuple[int, str, bytes, str]] = []
    used: set[str] = set()
    cache.file_keys = {}
    for index, path in enumerate(paths):
        display = display_path(path)
        data = read_file(path, display, cards_dir)
        if isinstance(data, Diagnostic):
            results[index] = CardFile(display, (), False, (data,))
            continue
        key = cache.key(display, data)
        used.add(key)
        cache.file_keys[display] = key
        found = cache.get(key)
        if found is not None:
            results[index] = found
        else:
            todo.append((index, key, data, display))
    for index, card_file in _parse_and_store(todo, cache):
        results[index] = card_file
    cache.keep_only(used)
    return [r for r in results if r is not None]


def _parse_and_store(todo: list[tuple[int, str, bytes, str]], cache: ParseCache) -> list[tuple[int, CardFile]]:
    """Parse the uncached files and cache them. With enough YAML, forked children take shares of the
    files (and write their own cache entries) while this process parses its share: only the children's
    results cross a pipe."""
    holding = cache.deferred is not None and cache.deferred.active  # (a build: see _shares)
    shares = _shares(todo, CHILD_BYTE_COST if holding else 1.0)
    children = [Background(_parse_share_for_parent, share, cache) for share in shares[1:]]
    parsed = _parse_share(shares[0], cache) if shares else []
    jobs = {index: (data, display) for index, _, data, display in todo}
    for child in children:
        for index, key, entry in child.result():
            # Decoded, hence validated, as if read from the disk cache; never a miss unless the bytes
            # were damaged on the way (then parsed here after all).
            card_file = decode_entry(entry, key)
            if card_file is None:
                card_file = load_card_file(*jobs[index])
            cache.remember(key, card_file)  # the child wrote the disk entry
            parsed.append((index, key, card_file))
    return [(index, card_file) for index, _, card_file in parsed]


def _parse_share(share: list[tuple[int, str, bytes, str]], cache: ParseCache) -> list[tuple[int, str, CardFile]]:
    parsed = []
    for index, key, data, display in share:
        card_file = load_card_file(data, display)
        cache.put(key, card_file)
        parsed.append((index, key, card_file))
    return parsed


def _parse_share_for_parent(share: list[tuple[int, str, bytes, str]],
                            cache: ParseCache) -> list[tuple[int, str, bytes]]:
    """A child's share, sent back as the cache entries it writes: pickling the cards (their positions
    above all) cost the child as long as parsing a fifth of its files, and the parent unpickled them
    more slowly than it decodes the entries (whose positions it decodes only when asked, positions.py)."""
    parsed = []
    for index, key, data, display in share:
        card_file = load_card_file(data, display)
        entry = encode_entry(card_file, key)
        cache.put(key, card_file, entry)
        parsed.append((index, key, entry))
    return parsed


# What a byte of YAML costs a child, in what it costs this process, when this process holds its cache writes
# back (a build, deferred.py): a child also encodes each entry it sends (as JSON, about a seventh of parsing
# it), and this process then decodes them; so children take smaller shares, and all end together. (In a
# check, this process encodes its own entries to write them: a byte costs both the same.)
CHILD_BYTE_COST = 1.15


def _shares(todo: list[tuple[int, str, bytes, str]],
            child_cost: float = 1.0) -> list[list[tuple[int, str, bytes, str]]]:
    """Split the files into one share per core (this process's first), by size, a child's bytes counted
    ``child_cost`` times; one share when parallelism would not pay."""
    cores = min(os.cpu_count() or 1, 4)
    total = sum(len(job[2]) for job in todo)
    if cores < 2 or total < PARALLEL_MIN_BYTES or len(todo) < 2 * cores or not can_fork():
        return [todo] if todo else []
    shares: list[list[tuple[int, str, bytes, str]]] = [[] for _ in range(cores)]
    costs = [1.0] + [child_cost] * (cores - 1)
    loads = [0.0] * cores
    for job in sorted(todo, key=lambda j: -len(j[2])):  # largest first, each where it ends soonest
        chosen = min(range(cores), key=lambda share: loads[share] + len(job[2]) * costs[share])
        shares[chosen].append(job)
        loads[chosen] += len(job[2]) * costs[chosen]
    return shares


# ---------------------------------------------------------------- JSON form


def encode_entry(card_file: CardFile, key: str) -> bytes:
    """A cache entry's bytes (JSON)."""
    return json.dumps(_encode(card_file, key), ensure_ascii=False).encode()


def decode_entry(entry: bytes, key: str) -> CardFile | None:
    """The card file an entry holds, or None when it is not what encode_entry writes for ``key``."""
    try:
        return _decode(json.loads(entry), key)
    except (ValueError, KeyError, TypeError, IndexError, RecursionError):
        return None  # damaged: a miss


def _encode(card_file: CardFile, key: str) -> dict[str, Any]:
    return {
        "key": key,
        "display": card_file.display,
        "complete": card_file.complete,
        "cards": [_encode_card(card) for card in card_file.cards],
        "diagnostics": [[d.code, d.severity.value, list(d.location), d.message, d.subject]
                        for d in card_file.diagnostics],
    }


# A card is a list (field order as _decode_card unpacks it), its positions one "name line column ..."
# string: at 50,000 cards, JSON objects with repeated keys took 2.6 times as long to load.


def _encode_card(card: Card) -> list[Any]:
    return [
        card.id, card.type.value, list(card.topics), [[ref.id, ref.section] for ref in card.sources],
        card.front, card.back, card.text, card.extra, card.scope, card.fact, card.sources_differ,
        list(card.tags), [card.location.line, card.location.column], encode_positions(card.positions),
    ]


def _decode(data: dict[str, Any], key: str) -> CardFile | None:
    if type(data) is not dict or data.get("key") != key:  # (an entry damaged into a list was a crash)
        return None
    display = data["display"]
    if not isinstance(display, str):
        return None
    cards = []
    for card in data["cards"]:
        decoded = _decode_card(card, display)
        if decoded is None:
            return None
        cards.append(decoded)
    diagnostics = tuple(Diagnostic(code, Severity(severity), Location(*where), message, subject)
                        for code, severity, where, message, subject in data["diagnostics"])
    return CardFile(display, tuple(cards), bool(data["complete"]), diagnostics)


_CARD_TYPES = {kind.value: kind for kind in CardType}
_OPTIONAL = (str, type(None))


def _decode_card(data: list[Any], display: str) -> Card | None:
    """One card of an entry, or None when it is not what _encode_card writes (the entry is then a miss).

    Every value is checked for the type the loader gives it. The positions stay encoded until a rule asks
    for one (load/positions.py): building half a million Locations was half of a fresh check."""
    (card_id, kind, topics, sources, front, back, text, extra, scope, fact, differ, tags, at,
     positions) = data
    # str.join raises TypeError (a miss, see ParseCache.get) unless every item is a string: the quickest
    # check of many values at once (this runs 50,000 times in a fresh check of a large deck).
    "".join((card_id, front, back, text, extra, positions))
    if not (type(topics) is list and type(tags) is list and type(sources) is list and type(at) is list
            and len(at) == 2 and type(at[0]) is int and type(at[1]) is int
            and (scope is None or type(scope) is str) and (fact is None or type(fact) is str)
            and (differ is None or type(differ) is str) and valid_positions(positions)):
        return None
    "".join(topics)
    "".join(tags)
    refs = []
    for ref in sources:
        source_id, section = ref  # anything but a pair raises: a miss
        if type(source_id) is not str or not isinstance(section, _OPTIONAL):
            return None
        refs.append(SourceRef(source_id, section))
    values = {"id": card_id, "type": _CARD_TYPES[kind], "topics": tuple(topics), "sources": tuple(refs),
              "front": front, "back": back, "text": text, "extra": extra, "scope": scope, "fact": fact,
              "sources_differ": differ, "tags": tuple(tags), "location": Location(display, *at),
              "positions": LazyPositions(display, positions)}
    if not _FILL_DIRECTLY:
        return Card(**values)
    # A frozen dataclass's __init__ sets each field through object.__setattr__: 2 us a card, 1.4 of them
    # saved by filling the instance's dict, which holds exactly the values __init__ would set (checked below).
    card = _new(Card)
    card.__dict__.update(values)
    return card


_new = object.__new__
# Only while Card is the plain frozen dataclass of these fields, in this order, with nothing done at init.
_FILL_DIRECTLY = ([f.name for f in dataclass_fields(Card)] == [
    "id", "type", "topics", "sources", "front", "back", "text", "extra", "scope", "fact", "sources_differ", "tags",
    "location", "positions"] and not hasattr(Card, "__post_init__") and not hasattr(Card, "__slots__"))
