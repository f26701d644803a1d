"""The quick reading of a card file in which nothing is wrong: libyaml's graph straight into cards.

The careful path (yamlsource's ``_Converter``, then schema's ``read_fields``)
builds a positioned node for every value, then reads the nodes against the
field tables: two walks and a million small objects at 50,000 cards, most of
the time of a first parse beyond libyaml's own. Almost every card file is
well formed, and a well-formed file needs none of what that path is for
(diagnostics with their positions): this module reads libyaml's graph once,
against the same tables (schema.CARD_FIELDS), and makes the same cards with
the same positions.

It gives up (``None``) at the first thing that is not plainly right: a value
the careful path would report, or merely treat in a way of its own (an
alias, an explicit tag, an empty list, a limit approached). The caller then
reads the file the careful way, which reports it. So the fast path never
decides a diagnostic; it can only be right or step aside, and
tests/load/test_fast_cards.py holds it equal to the careful path on edited
and hostile files.
"""

from __future__ import annotations

import operator
from sys import intern

import yaml

from ..model import Card, CardType, Location, SourceRef
from .cardfields import card_of
from .positions import LazyPositions
from .schema import CARD_FIELDS, CARD_TYPE, CONTROL_CHARACTER, SOURCE_REF_FIELDS, FieldSpec, Kind
from . import yamlsource  # its limits read when a file is, as the careful path reads them
from .yamlsource import STR_TAG, Loader, has_hidden_break, too_big_to_compose

# The shared words of yamlsource's converter: the same strings held once (memory, not equality).
from .yamlsource import _SHARED_WORD_CHARS

_ScalarNode = yaml.ScalarNode
_SequenceNode = yaml.SequenceNode
_MappingNode = yaml.MappingNode
_new_location = tuple.__new__
_CARD_TYPES = {kind.value: kind for kind in CardType}


class _QuickLoader(Loader):  # type: ignore[misc, valid-type]
    """yamlsource's Loader, without two calls into Python per value: libyaml's composer asks the resolver
    to descend into and ascend from every node, which does nothing without path resolvers (none is ever
    added: PyYAML's add_path_resolver is not used, and the class below then keeps Loader's own)."""

    if not Loader.yaml_path_resolvers:
        descend_resolver = staticmethod(operator.is_)  # (any two arguments, in C; the result is unused)
        ascend_resolver = staticmethod(tuple)


class _GiveUp(Exception):
    """Something the careful path should read."""


def fast_cards(data: bytes, display: str) -> tuple[Card, ...] | None:
    """The cards of a card file with nothing to report, as the careful path makes them; None otherwise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if too_big_to_compose(text, display) is not None or has_hidden_break(text):
        return None
    loader = _QuickLoader(text)
    try:
        root = loader.get_single_node()
    except Exception:  # noqa: BLE001 - whatever it is, the careful path reports it
        return None
    finally:
        loader.dispose()
    if type(root) is not _SequenceNode:
        return None  # an empty file, or not a list of cards: the careful path says which
    # A value holds a control character only if the file does, or writes one as an escape (a backslash in
    # double quotes): folding lines adds only spaces and line breaks. Else no value need be searched.
    controls = "\\" in text or CONTROL_CHARACTER.search(text) is not None
    try:
        return _Reader(display, controls).cards(root)
    except _GiveUp:
        return None


class _Reader:
    def __init__(self, display: str, controls: bool = True):
        self.display = display
        self.controls = controls  # whether a value may hold a control character (see fast_cards)
        self.budget = yamlsource.MAX_NODES_PER_FILE - 1  # the root
        self.longest = yamlsource.MAX_TEXT_CHARS
        self.seen: set[int] = set()  # collections read: one met again is an alias (the careful path's)

    def location(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return _new_location(Location, (self.display, mark.line + 1, mark.column + 1))

    def collection(self, node: yaml.Node) -> None:
        self.budget -= 1
        if self.budget < 0 or id(node) in self.seen:
            raise _GiveUp
        self.seen.add(id(node))

    def scalar(self, node: yaml.Node) -> str:
        """The text of a plain-text value the careful path accepts without a word (else _GiveUp)."""
        self.budget -= 1
        if type(node) is not _ScalarNode or node.tag != STR_TAG or self.budget < 0:
            raise _GiveUp
        value = node.value
        if len(value) > self.longest:
            raise _GiveUp
        if len(value) <= _SHARED_WORD_CHARS and " " not in value:
            value = intern(value)
        text = value.strip()
        if not text or self.controls and CONTROL_CHARACTER.search(text):
            raise _GiveUp
        return text

    def text(self, spec: FieldSpec, node: yaml.Node) -> str:
        text = self.scalar(node)
        if spec.choices and text not in spec.choices or spec.pattern and not spec.pattern.fullmatch(text):
            raise _GiveUp
        return text

    def entries(self, node: yaml.Node) -> dict[str, yaml.Node]:
        if type(node) is not _MappingNode:
            raise _GiveUp
        self.collection(node)
        entries: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not _ScalarNode or key_node.tag != STR_TAG:
                raise _GiveUp
            self.budget -= 1  # (the careful path does not count keys: giving up sooner is always safe)
            key = intern(key_node.value)
            if key in entries:
                raise _GiveUp
            entries[key] = value_node
        return entries

    def cards(self, root: yaml.SequenceNode) -> tuple[Card, ...]:
        self.collection(root)
        return tuple(self.card(item) for item in root.value)

    def card(self, node: yaml.Node) -> Card:
        entries = self.entries(node)
        card_type = CardType.BASIC
        if "type" in entries:
            card_type = _CARD_TYPES[self.text(CARD_TYPE, entries["type"])]
        specs = CARD_FIELDS[card_type]
        positions: list[str] = []
        values = self.fields(entries, specs, positions)
        # The positions written as the parse cache keeps them, decoded if a rule asks (positions.py): a
        # card's ten Locations were a third of its memory, and are read for the few cards a check reports.
        return card_of(card_type, values, self.location(node), LazyPositions(self.display, " ".join(positions)))

    def fields(self, entries: dict[str, yaml.Node], specs: dict[str, FieldSpec], positions: list[str]) -> dict:
        """schema.read_fields of a mapping it has nothing to say about; its positions, in read_fields' order,
        as positions.encode writes them ("name line column")."""
        values: dict = {}
        for key, node in entries.items():
            spec = specs.get(key)
            if spec is None:
                raise _GiveUp
            mark = node.start_mark
            positions.append(f"{key} {mark.line + 1} {mark.column + 1}")
            kind = spec.kind
            if kind is Kind.TEXT:
                values[key] = self.text(spec, node)
            elif kind is Kind.TEXT_LIST:
                values[key] = self.text_items(spec, node, positions)
            elif kind is Kind.SOURCE_REFS:
                values[key] = self.source_refs(spec, node, positions)
            else:
                raise _GiveUp
        for spec in specs.values():
            if spec.required and spec.name not in entries:
                raise _GiveUp
        return values

    def items(self, node: yaml.Node) -> list[yaml.Node]:
        # An empty list (or a null) reads as none at all, which the careful path handles as it likes.
        if type(node) is not _SequenceNode or not node.value:
            raise _GiveUp
        self.collection(node)
        return node.value

    def text_items(self, spec: FieldSpec, node: yaml.Node, positions: list[str]) -> tuple[str, ...]:
        items = []
        name = spec.name
        for index, item in enumerate(self.items(node)):
            items.append(self.scalar(item))
            mark = item.start_mark
            positions.append(f"{name}[{index}] {mark.line + 1} {mark.column + 1}")
        return tuple(items)

    def source_refs(self, spec: FieldSpec, node: yaml.Node, positions: list[str]) -> tuple[SourceRef, ...]:
        refs = []
        name = spec.name
        for index, item in enumerate(self.items(node)):
            if type(item) is _MappingNode:
                values = self.fields(self.entries(item), SOURCE_REF_FIELDS, [])  # (read_fields' are dropped too)
                refs.append(SourceRef(values["id"], values.get("section")))
            else:
                refs.append(SourceRef(self.scalar(item)))
            mark = item.start_mark
            positions.append(f"{name}[{index}] {mark.line + 1} {mark.column + 1}")
        return tuple(refs)
