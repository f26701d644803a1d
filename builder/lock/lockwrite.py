"""Writing deck.lock: one line per card, in chunks (a 50,000-card lock is never one string unless asked),
never past what the reader accepts (LockTooLarge). The layout is described in lockfile.py."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator, Mapping

from ..model import DeckbuilderError
from . import lockdata
from .hashes import EMPTY_HASH, FieldHashes
from .sections import LockEntries
from .lockdata import (
    FORMAT, NOTE, CardChange, HistoryEntry, Lock, LockedCard, _hash_order, _listed_ids, derived_titles, to_iso,
)


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
    if type(value) is str:  # a first build's history lists 50,000 ids: json.dumps's own string encoder, direct
        return _string(value)
    return _line(value)


def _block(name: str, entries: Mapping[str, Any], line=lambda value: _line(value),
           last: bool = False, keyed: Callable[[str], str] | None = None) -> Iterator[str]:
    """A top-level member whose entries are one line each, sorted by key (``line`` writes each entry's value;
    ``keyed``, when given, writes the value of the entry of a key).

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
        value = keyed(key) if keyed is not None else line(entries[key])
        yield f"    {name}: {value}" + ("\n" if key == last_key else ",\n")
    yield f"  }}{end}"


def _cards_block(name: str, section: Mapping[str, LockedCard], created: int) -> Iterator[str]:
    """A card section: an entry kept as the line a lock of this code wrote for it (sections.py) is written
    as that line, which is what _card_line writes for it (test_lines.py); the others are encoded."""
    if not isinstance(section, LockEntries):
        return _block(name, section, lambda card: _card_line(card, created))

    def line(card_id: str) -> str:
        kept = section.line(card_id)
        return kept if kept is not None else _card_line(section[card_id], created)

    return _block(name, section, keyed=line)


def lock_chunks(lock: Lock) -> Iterator[str]:
    """The lock as JSON, in chunks: header members first, then one line per note type, card, retired id."""
    notetypes = {kind: {"id": nt.id, "fields": list(nt.fields), "templates": list(nt.templates),
                        "style": nt.style, "changed": to_iso(nt.changed)} for kind, nt in lock.notetypes.items()}
    yield "{\n"
    yield f'  "note": {_line(NOTE)},\n  "format": {FORMAT},\n  "namespace": {_line(lock.namespace)},\n'
    yield f'  "created": {_line(to_iso(lock.created))},\n'
    yield from _block("notetypes", notetypes)
    yield from _cards_block("cards", lock.cards, lock.created)
    yield from _cards_block("retired", lock.retired, lock.created)
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
        limit = lockdata.MAX_LOCK_BYTES
        super().__init__(f"deck.lock would take more than {size:,} bytes, past the {limit:,} that "
                         "deckbuilder reads, so no later run could read it: nothing was written; split the deck "
                         "into smaller decks (each with its own cards folder)")
        self.size = size


def lock_writer(lock: Lock, digest: Any = None) -> Callable[[BinaryIO], None]:
    """Writes ``lock`` to an open file in blocks of about a megabyte, raising LockTooLarge (the file then half
    written: stage it, StagedFiles removes it) as soon as it passes MAX_LOCK_BYTES. ``digest`` (a hashlib
    object) is updated with every byte written, so a build knows the written lock's sha256 without reading it
    back (summary.built_summary)."""

    def write(out: BinaryIO) -> None:
        limit = lockdata.MAX_LOCK_BYTES
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
                if digest is not None:
                    digest.update(data)
                block, chars = [], 0

    return write


def checked_size(data: bytes) -> bytes:
    """``data`` (a dumped lock) if the reader would accept it; else LockTooLarge."""
    if len(data) > lockdata.MAX_LOCK_BYTES:
        raise LockTooLarge(len(data))
    return data


def write_lock(lock: Lock, path: Path) -> None:
    """Write atomically: a crash leaves the previous lock, never half of one; never one the reader refuses."""
    from ..fs import write_atomically

    write_atomically(path, lock_writer(lock))

