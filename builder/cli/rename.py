"""``deckbuilder rename OLD NEW``: change a card's id without costing students anything.

A card's GUID comes from its id when it is first built and is then kept in
deck.lock. Renaming by hand would look like "OLD deleted, NEW added": students
would get a tombstone and a fresh copy without history. This command moves
the lock entry instead, so the note keeps its GUID (and its reviews).

The YAML edit is surgical: only the id's characters on that one line change,
so comments, quoting and layout survive. The loader's positions say exactly
where the id is; the text there is verified before the edit, and the edited
file is parsed again and compared with the original, card for card. If
anything differs, the file is restored and the rename refused.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from pathlib import Path

from ..model import Card, DeckbuilderError
from ..fs import one_writer, write_atomically
from ..load import SLUG, SLUG_HELP, load_card_set
from ..lock import LOCK_FILE, Lock, read_lock, write_lock


@dataclass(frozen=True)
class RenameResult:
    file: str
    line: int
    lock_updated: bool  # False when the card was never built (nothing to keep)


def rename_card(cards_dir: Path, old: str, new: str) -> RenameResult:
    from ..pipeline import cannot_write

    try:
        with one_writer(cards_dir):  # no build may read or write deck.lock meanwhile
            return _rename(cards_dir, old, new)
    except OSError as exc:  # a read-only cards folder: one line, not a traceback
        raise cannot_write(exc, None) from exc


def _rename(cards_dir: Path, old: str, new: str) -> RenameResult:
    loaded = load_card_set(cards_dir)
    if loaded.card_set is None:
        raise DeckbuilderError("the cards do not load; run `deckbuilder check` and fix deck.yaml/sources.yaml first")
    lock, problems = read_lock(cards_dir / LOCK_FILE, str(cards_dir / LOCK_FILE))
    if problems:
        raise DeckbuilderError(f"cannot read deck.lock: {problems[0]}")
    cards = {card.id: card for card in loaded.card_set.cards}
    _validate(old, new, cards, lock)

    card = cards[old]
    where = card.where("id")
    path = Path(where.file)
    original = path.read_bytes()
    write_atomically(path, _replace_id(original, where.line, where.column, old, new))
    try:
        _verify(cards_dir, card, new)
    except DeckbuilderError:
        write_atomically(path, original)
        raise

    lock_updated = lock is not None and old in lock.cards
    if lock_updated:
        write_lock(_renamed_in_lock(lock, old, new), cards_dir / LOCK_FILE)
    return RenameResult(where.file, where.line, lock_updated)


def _validate(old: str, new: str, cards: dict[str, Card], lock: Lock | None) -> None:
    if old not in cards:
        hint = " (it is retired; see `deckbuilder unretire`)" if lock and old in lock.retired else ""
        raise DeckbuilderError(f"there is no card with id '{old}'{hint}")
    if not SLUG.fullmatch(new):
        raise DeckbuilderError(f"'{new}' is not a valid id: use {SLUG_HELP}")
    if new in cards:
        raise DeckbuilderError(f"a card with id '{new}' already exists ({cards[new].where('id')})")
    if lock is not None:
        unavailable = lock.unavailable_ids()
        if new in unavailable and not _renamed_away_to(lock, new, old):
            raise DeckbuilderError(f"id '{new}' {unavailable[new]}, and ids are never reused")
        if new in lock.cards or new in lock.retired:  # a retired card `unretire` brought back keeps its id
            raise DeckbuilderError(f"id '{new}' belongs to a card in deck.lock")


def _replace_id(data: bytes, line: int, column: int, old: str, new: str) -> bytes:
    """Replace the id scalar that starts at (line, column), 1-based, keeping its quotes."""
    text = data.decode("utf-8-sig")
    bom = data.startswith(b"\xef\xbb\xbf")
    lines = text.split("\n")
    current = lines[line - 1]
    start = column - 1
    quote = current[start] if current[start:start + 1] in ("'", '"') else ""
    token = f"{quote}{old}{quote}"
    if current[start:start + len(token)] != token:
        raise DeckbuilderError(f"could not find id '{old}' at line {line}, column {column}; nothing was changed")
    lines[line - 1] = current[:start] + f"{quote}{new}{quote}" + current[start + len(token):]
    return ("\ufeff" if bom else "").encode() + "\n".join(lines).encode()


def _comparable(card: Card) -> dict:
    fields = {f.name: getattr(card, f.name) for f in dataclasses.fields(card) if f.compare}
    fields.pop("id")
    return fields


def _verify(cards_dir: Path, before: Card, new: str) -> None:
    reloaded = load_card_set(cards_dir)
    after = next((c for c in reloaded.card_set.cards if c.id == new), None) if reloaded.card_set else None
    if after is None or _comparable(after) != _comparable(before):
        raise DeckbuilderError("the edited file did not read back as the same card with the new id; "
                               "the file was restored and nothing was renamed")


def _renamed_away_to(lock: Lock, start: str, target: str) -> bool:
    """Whether id ``start`` was renamed, perhaps several times, into ``target``: then it is the same note."""
    seen = set()
    while start in lock.renamed and start not in seen:
        seen.add(start)
        start = lock.renamed[start]
    return start == target


def _renamed_in_lock(lock: Lock, old: str, new: str) -> Lock:
    cards = dict(lock.cards)
    cards[new] = cards.pop(old)
    # Renaming back to an earlier id of the same note frees that id again.
    renamed = {k: v for k, v in lock.renamed.items() if k != new}
    return replace(lock, cards=cards, renamed={**renamed, old: new})
