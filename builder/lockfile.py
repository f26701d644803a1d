"""``cards/deck.lock``: the deck's memory between builds.

Anki updates a student's note only when the incoming note is newer than the
one they have (DESIGN §4.2), and it matches notes by GUID. So every build must
know, for every card it has ever shipped: the card's GUID (kept across
renames), what its content looked like, and when that content last changed.
The lock file holds exactly that, plus retired and purged ids (never reused)
and the history the student changelog is written from.

It is YAML with sorted keys, one block per card, so that a change to one card
is a change to a few lines, and two maintainers adding cards rarely conflict.
Build writes it; people only read and commit it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

import yaml

from .codes import diagnostic
from .compile import Placement
from .diagnostics import Diagnostic, Location
from .yamlsource import Mapping as YamlMapping
from .yamlsource import Node, Scalar, Sequence, parse_file

LOCK_FILE = "deck.lock"
FORMAT = 1

HEADER = """\
# deck.lock: written by `deckbuilder build`. Commit it together with the cards.
# It remembers every card's GUID and when its content last changed, so that
# students' re-imports update notes in place. Do not edit it by hand.
"""


def to_timestamp(value: str) -> int:
    return int(datetime.datetime.fromisoformat(value).timestamp())


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


@dataclass(frozen=True)
class HistoryEntry:
    """What changed in one deck version (builds of the same version merge)."""

    version: str
    date: int
    added: tuple[str, ...] = ()
    changed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # id -> changed field names
    retired: tuple[str, ...] = ()
    notetypes: tuple[str, ...] = ()  # note types whose style changed


@dataclass(frozen=True)
class Lock:
    namespace: str
    created: int
    notetypes: Mapping[str, LockedNotetype] = field(default_factory=dict)
    cards: Mapping[str, LockedCard] = field(default_factory=dict)
    retired: Mapping[str, LockedCard] = field(default_factory=dict)
    purged: Mapping[str, str] = field(default_factory=dict)  # id -> guid; never reused
    renamed: Mapping[str, str] = field(default_factory=dict)  # old id -> new id; old never reused
    history: tuple[HistoryEntry, ...] = ()

    def unavailable_ids(self) -> dict[str, str]:
        """Ids a new card may not take, with the reason."""
        reasons = {card_id: "was renamed" for card_id in self.renamed}
        reasons |= {card_id: "was retired and purged" for card_id in self.purged}
        reasons |= {card_id: f"was retired in version {card.retired_in}" for card_id, card in self.retired.items()}
        return reasons


# ---------------------------------------------------------------- writing


class _Inline(dict):
    """A mapping written on one line (a card's hashes): one card, few lines."""


class _InlineList(list):
    """A short list written on one line (a note type's field names)."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Inline, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))
_Dumper.add_representer(_InlineList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _card_data(card: LockedCard) -> dict[str, Any]:
    data: dict[str, Any] = {
        "guid": card.guid,
        "notetype": card.notetype,
        "added": to_iso(card.added),
        "changed": to_iso(card.changed),
    }
    if card.retired is not None:
        data["retired"] = to_iso(card.retired)
        data["retired_in"] = card.retired_in
    if card.reverse:
        data["reverse"] = True
    data["question"] = card.question
    data["placed"] = _Inline([("topics", _InlineList(card.placement.topics)), ("scope", card.placement.scope),
                              ("sources", _InlineList(card.placement.sources))])
    data["hashes"] = _Inline(sorted(card.hashes.items()))
    return data


def _history_data(entry: HistoryEntry) -> dict[str, Any]:
    data: dict[str, Any] = {"version": entry.version, "date": to_iso(entry.date)}
    if entry.added:
        data["added"] = sorted(entry.added)
    if entry.changed:
        data["changed"] = {card_id: list(names) for card_id, names in sorted(entry.changed.items())}
    if entry.retired:
        data["retired"] = sorted(entry.retired)
    if entry.notetypes:
        data["notetypes"] = sorted(entry.notetypes)
    return data


def dump_lock(lock: Lock) -> str:
    """The lock as YAML: header fields first, then every collection sorted by id."""
    data = {
        "format": FORMAT,
        "namespace": lock.namespace,
        "created": to_iso(lock.created),
        "notetypes": {
            kind: {"id": nt.id, "fields": _InlineList(nt.fields), "templates": _InlineList(nt.templates),
                   "style": nt.style, "changed": to_iso(nt.changed)}
            for kind, nt in sorted(lock.notetypes.items())
        },
        "cards": {card_id: _card_data(card) for card_id, card in sorted(lock.cards.items())},
        "retired": {card_id: _card_data(card) for card_id, card in sorted(lock.retired.items())},
        "purged": dict(sorted(lock.purged.items())),
        "renamed": dict(sorted(lock.renamed.items())),
        # History stays in time order.
        "history": [_history_data(entry) for entry in lock.history],
    }
    # Block style everywhere else, one id per line: additions merge cleanly.
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True,
                     width=100_000)
    return HEADER + body


def write_lock(lock: Lock, path: Path) -> None:
    """Write atomically: a crash leaves the previous lock, never half of one."""
    from .files import write_atomically

    write_atomically(path, dump_lock(lock).encode())


# ---------------------------------------------------------------- reading


class _Damaged(Exception):
    def __init__(self, node: Node | None, message: str):
        super().__init__(message)
        self.node = node


def read_lock(path: Path, display: str) -> tuple[Lock | None, list[Diagnostic]]:
    """The lock at ``path``; (None, []) when there is none yet."""
    if not path.exists():
        return None, []
    marker = _conflict_marker_line(path)
    if marker is not None:
        return None, [diagnostic(
            "E006", Location(display, marker), "deck.lock has unresolved merge conflict markers: check out "
            "either side (`git checkout --theirs cards/deck.lock`) and build again; the build re-adds the "
            "other side's cards")]
    parsed = parse_file(path, display)
    if parsed.diagnostics:
        return None, list(parsed.diagnostics)
    try:
        return _lock_from(parsed.root), []
    except _Damaged as damaged:
        where = damaged.node.location if damaged.node is not None else Location(display)
        return None, [diagnostic("E006", where, f"deck.lock is damaged: {damaged}; restore it from version control")]


def _conflict_marker_line(path: Path) -> int | None:
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None  # parse_file reports these with a position
    return next((n for n, line in enumerate(lines, 1) if line.startswith(("<<<<<<<", ">>>>>>>"))), None)


def _mapping(node: Node | None, what: str) -> YamlMapping:
    if node is None:
        return YamlMapping(location=Location("deck.lock"), entries={})
    if isinstance(node, Scalar) and node.is_null:
        return YamlMapping(location=node.location, entries={})
    if not isinstance(node, YamlMapping):
        raise _Damaged(node, f"{what} should be a mapping")
    return node


def _text(node: Node | None, what: str) -> str:
    if not isinstance(node, Scalar) or node.is_null:
        raise _Damaged(node, f"{what} should be text")
    return node.text


def _get(node: YamlMapping, key: str, what: str) -> Node:
    if key not in node.entries:
        raise _Damaged(node, f"{what} has no '{key}'")
    return node.entries[key]


def _int(node: Node, what: str) -> int:
    try:
        return int(_text(node, what))
    except ValueError:
        raise _Damaged(node, f"{what} should be a whole number") from None


def _time(node: Node, what: str) -> int:
    try:
        return to_timestamp(_text(node, what))
    except ValueError:
        raise _Damaged(node, f"{what} should be a time like 2026-01-31T12:00:00Z") from None


def _texts(node: Node | None, what: str) -> tuple[str, ...]:
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return ()
    if not isinstance(node, Sequence):
        raise _Damaged(node, f"{what} should be a list")
    return tuple(_text(item, what) for item in node.items)


def _card_from(card_id: str, node: Node) -> LockedCard:
    what = f"card '{card_id}'"
    m = _mapping(node, what)
    hashes = _mapping(_get(m, "hashes", what), f"{what} hashes")
    retired = m.entries.get("retired")
    return LockedCard(
        guid=_text(_get(m, "guid", what), f"{what} guid"),
        notetype=_text(_get(m, "notetype", what), f"{what} notetype"),
        added=_time(_get(m, "added", what), f"{what} added"),
        changed=_time(_get(m, "changed", what), f"{what} changed"),
        hashes={name: _text(value, f"{what} hash") for name, value in hashes.entries.items()},
        question=_text(_get(m, "question", what), f"{what} question"),
        reverse=_text(m.entries["reverse"], what) == "true" if "reverse" in m.entries else False,
        retired=_time(retired, f"{what} retired") if retired is not None else None,
        retired_in=_text(m.entries["retired_in"], what) if "retired_in" in m.entries else None,
        placement=_placement_from(m.entries.get("placed"), what),
    )


def _placement_from(node: Node | None, what: str) -> Placement:
    if node is None:
        return Placement()
    m = _mapping(node, f"{what} placed")
    scope = m.entries.get("scope")
    return Placement(
        topics=_texts(m.entries.get("topics"), f"{what} topics"),
        scope=None if scope is None or (isinstance(scope, Scalar) and scope.is_null) else _text(scope, what),
        sources=_texts(m.entries.get("sources"), f"{what} sources"),
    )


def _history_from(node: Node) -> HistoryEntry:
    m = _mapping(node, "history entry")
    changed = _mapping(m.entries.get("changed"), "history 'changed'")
    return HistoryEntry(
        version=_text(_get(m, "version", "history entry"), "history version"),
        date=_time(_get(m, "date", "history entry"), "history date"),
        added=_texts(m.entries.get("added"), "history 'added'"),
        changed={card_id: _texts(names, "history 'changed'") for card_id, names in changed.entries.items()},
        retired=_texts(m.entries.get("retired"), "history 'retired'"),
        notetypes=_texts(m.entries.get("notetypes"), "history 'notetypes'"),
    )


def _lock_from(root: Node | None) -> Lock:
    top = _mapping(root, "deck.lock")
    if _int(_get(top, "format", "deck.lock"), "format") != FORMAT:
        raise _Damaged(top.entries["format"], f"format is not {FORMAT}; this deckbuilder cannot read it")
    notetypes = {}
    for kind, node in _mapping(top.entries.get("notetypes"), "notetypes").entries.items():
        m = _mapping(node, f"notetype '{kind}'")
        notetypes[kind] = LockedNotetype(
            id=_int(_get(m, "id", kind), f"notetype '{kind}' id"),
            fields=_texts(_get(m, "fields", kind), f"notetype '{kind}' fields"),
            templates=_texts(_get(m, "templates", kind), f"notetype '{kind}' templates"),
            style=_text(_get(m, "style", kind), f"notetype '{kind}' style"),
            changed=_time(_get(m, "changed", kind), f"notetype '{kind}' changed"),
        )
    history = top.entries.get("history")
    if history is not None and not (isinstance(history, Scalar) and history.is_null):
        if not isinstance(history, Sequence):
            raise _Damaged(history, "history should be a list")
        entries = tuple(_history_from(item) for item in history.items)
    else:
        entries = ()
    return Lock(
        namespace=_text(_get(top, "namespace", "deck.lock"), "namespace"),
        created=_time(_get(top, "created", "deck.lock"), "created"),
        notetypes=notetypes,
        cards={i: _card_from(i, n) for i, n in _mapping(top.entries.get("cards"), "cards").entries.items()},
        retired={i: _card_from(i, n) for i, n in _mapping(top.entries.get("retired"), "retired").entries.items()},
        purged={i: _text(n, "purged guid") for i, n in _mapping(top.entries.get("purged"), "purged").entries.items()},
        renamed={i: _text(n, "renamed id")
                 for i, n in _mapping(top.entries.get("renamed"), "renamed").entries.items()},
        history=entries,
    )
