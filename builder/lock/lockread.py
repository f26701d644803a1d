"""Reading deck.lock: checked, never trusted (a damaged lock is a located E006, never a crash), with a quick
path for the entries build writes. Formats 1 (YAML) to 3 are read; the layout is described in lockfile.py."""

from __future__ import annotations

import datetime
import json
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

from ..fs import UnsafeFile, link_problem, read_regular_file, reason
from ..load import too_big_to_compose
from ..model import Diagnostic, Location, Placement, diagnostic
from . import lockdata
from .hashes import EMPTY_HASH, FieldHashes
from .lockdata import (
    FORMAT, NOTETYPES, READABLE_FORMATS, CardChange, HistoryEntry, Lock, LockedCard, LockedNotetype, _hash_order,
    _listed_ids, derived_titles, to_timestamp,
)


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
        data = read_regular_file(path, lockdata.MAX_LOCK_BYTES)
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
    # Looked for line by line only where one could be: splitting a 25 MB lock into lines to find none was most
    # of this step.
    marker = next((n for n, line in enumerate(text.split("\n"), 1) if line.startswith(("<<<<<<<", ">>>>>>>"))),
                  None) if "<<<<<<<" in text or ">>>>>>>" in text else None
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
    for number, line in enumerate(text.split("\n"), 1):
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
    for number, line in enumerate(text.split("\n"), 1):
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
        for number, line in enumerate(text.split("\n"), 1):
            stripped = line.lstrip()
            if stripped.startswith((f'"{key}":', f"{key}:")):
                return Location(display, number, len(line) - len(stripped) + 1)
    return Location(display)




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


def _lock_from(data: Any, sections: Mapping[str, Mapping[str, LockedCard]] | None = None,
               titles: Callable[[Lock], Mapping[str, str]] = derived_titles) -> Lock:
    """``sections``: the "cards" and "retired" sections already read (lines.py), in place of ``data``'s;
    ``titles``: derived_titles, or what gives the same for this lock (lines.py: kept from when it was written)."""
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
        cards=sections["cards"] if sections else {card_id: _card_from(card_id, card, read_format, created, shared)
                                                  for card_id, card in _mapping(data, "cards", "cards").items()},
        retired=sections["retired"] if sections else {
            card_id: _card_from(card_id, card, read_format, created, shared)
            for card_id, card in _mapping(data, "retired", "retired").items()},
        purged={str(k): str(v) for k, v in _mapping(data, "purged", "purged").items()},
        renamed={str(k): str(v) for k, v in _mapping(data, "renamed", "renamed").items()},
        adopted={str(k): str(v) for k, v in _mapping(data, "adopted", "adopted").items()},
        history=tuple(_history_from(entry) for entry in history),
        unreleased=_history_from(data["unreleased"], released=False) if data.get("unreleased") else None,
        read_format=read_format,
    )
    if read_format >= 3 and (lock.history or lock.unreleased is not None):
        derivable = titles(lock)
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

