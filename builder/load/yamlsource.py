"""Line-aware YAML: parse a file into a small tree that remembers positions.

PyYAML's constructors throw positions away and silently keep the last of two
equal keys. We let libyaml (the C parser, several times faster than the pure
Python one) build its node graph, then convert that graph ourselves, keeping a
1-based location for every value and reporting duplicate keys.

Scalars are kept as their source text plus YAML's resolved tag. The schema
decides how to read them: a card's ``back: 14`` or ``version: 1.0`` is the
text the author typed, never an int or float that lost its formatting.
"""

from __future__ import annotations

import functools
import re
from sys import intern
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..model import Diagnostic, Location, diagnostic
from ..fs import UnsafeFile, link_problem, read_regular_file

NULL_TAG = "tag:yaml.org,2002:null"
STR_TAG = "tag:yaml.org,2002:str"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class _TextResolving:
    """Tag resolution reduced to what the schema needs: null, or text.

    PyYAML tries a battery of regular expressions on every plain scalar to
    tell ints, floats, booleans and dates apart; the schema reads every value
    as the text typed, so that work (a third of loading) is skipped.
    """

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return NULL_TAG if implicit[0] and value in _NULLS else STR_TAG
        return yaml.SafeLoader.resolve(self, kind, value, implicit)


# libyaml when PyYAML was built with it; the pure-Python parser otherwise.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
USING_LIBYAML = _Base is not yaml.SafeLoader


class Loader(_TextResolving, _Base):  # type: ignore[misc, valid-type]
    pass


class PureLoader(_TextResolving, yaml.SafeLoader):
    """The pure-Python parser: slower, but the same in every PyYAML release."""

# Bounds that keep hostile files from exhausting the machine. Real card files
# are far below them (a 50,000-card deck in one file would be 25 MB and 750,000
# values); each limit ends in a diagnostic, not a crash.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES_PER_FILE = 1_000_000
MAX_REPEATED_NODES = 100_000  # values that aliases repeat (a "billion laughs" file repeats billions)
MAX_TEXT_CHARS = 100_000  # one value: a card field longer than a book chapter is a mistake

# Files that could nest deeper than this are scanned event by event before
# libyaml composes them: its composer recurses once per level and overflows the
# C stack (a segfault) somewhere past 20,000 levels (PyYAML 6.0.1-6.0.3).
# PyYAML 6.0.4's scanner refuses more than 1,000 levels with an error of its
# own wording; a file that fails to compose is therefore scanned too, so that
# our own depth limit (MAX_DEPTH) is the one that speaks, whatever the release.
SAFE_NESTING = 2_000

# Block nesting is written with indentation and "- ", "? ", ": " indicators at
# the start of a line: at most two levels (a mapping and the sequence under
# one of its keys may share a column) per character of that run.
# YAML 1.1 breaks lines at CR, NEL, LS and PS as well as at LF. (The definition of a line's prefix:
# too_big_to_compose searches for one too long instead, tests/load/test_fast_cards.py holds the two equal.)
_BLOCK_PREFIX = re.compile("(?:^|(?<=[\r\x85\u2028\u2029]))[ ?:-]*", re.MULTILINE)


class Node:
    """A parsed value and where it was written (and, in a mapping, where its key was)."""

    __slots__ = ("location", "key_location")
    kind = "a value"

    def __init__(self, location: Location, key_location: Location | None = None):
        self.location = location
        self.key_location = key_location

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._fields() == other._fields()  # type: ignore[attr-defined]

    def _fields(self) -> tuple:
        return (self.location,)


class Scalar(Node):
    __slots__ = ("text", "tag")

    def __init__(self, location: Location, key_location: Location | None, text: str, tag: str):
        super().__init__(location, key_location)
        self.text = text
        self.tag = tag

    @property
    def kind(self) -> str:  # type: ignore[override]
        return "nothing" if self.is_null else "text"

    @property
    def is_null(self) -> bool:
        return self.tag == NULL_TAG

    def _fields(self) -> tuple:
        return (self.location, self.text, self.tag)


class Sequence(Node):
    __slots__ = ("items",)
    kind = "a list"

    def __init__(self, location: Location, key_location: Location | None = None, items: tuple[Node, ...] = ()):
        super().__init__(location, key_location)
        self.items = items

    def _fields(self) -> tuple:
        return (self.location, self.items)


class Mapping(Node):
    __slots__ = ("entries",)
    kind = "a mapping"

    def __init__(self, location: Location, key_location: Location | None = None,
                 entries: dict[str, Node] | None = None):
        super().__init__(location, key_location)
        self.entries = entries if entries is not None else {}

    def _fields(self) -> tuple:
        return (self.location, self.entries)


@dataclass(frozen=True)
class ParsedFile:
    path: Path
    display: str  # the path as shown in diagnostics
    root: Node | None  # None when the file is empty or could not be parsed
    diagnostics: tuple[Diagnostic, ...]


def read_file(path: Path, display: str, folder: Path | None = None) -> bytes | Diagnostic:
    """A file's bytes, or the diagnostic that says why they cannot be had.

    With ``folder``, a link that leads outside it is refused (see reading.py).
    """
    start = Location(display)
    outside = link_problem(path, folder) if folder is not None else None
    if outside is not None:
        return diagnostic("E002", start, f"{outside}; deckbuilder reads only the files inside the cards folder "
                                         "(copy the file in instead)")
    try:
        return read_regular_file(path, MAX_FILE_BYTES)
    except UnsafeFile as exc:
        return diagnostic("E002", start, f"file {exc}")
    except OSError as exc:
        return diagnostic("E002", start, f"cannot read file: {exc.strerror or exc}")


def parse_bytes(data: bytes, display: str) -> tuple[Node | None, list[Diagnostic]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [diagnostic("E002", _byte_location(display, data, exc.start), "file is not valid UTF-8 text")]
    return parse_text(text, display)


def parse_file(path: Path, display: str, folder: Path | None = None) -> ParsedFile:
    """Read and parse one YAML file; every problem becomes a diagnostic."""
    data = read_file(path, display, folder)
    if isinstance(data, Diagnostic):
        return ParsedFile(path, display, None, (data,))
    root, problems = parse_bytes(data, display)
    return ParsedFile(path, display, root, tuple(problems))


# Characters YAML 1.1 (libyaml) reads as line breaks though YAML 1.2 and every editor read them as text:
# "id: a\u2029" would silently load as "a". Written as escapes in double quotes they are kept.
_HIDDEN_BREAKS = ("\u2028", "\u2029", "\x85")


def hidden_break(text: str) -> int:
    """The offset of the first line break YAML hides (_HIDDEN_BREAKS), or -1."""
    return min((found for found in (text.find(c) for c in _HIDDEN_BREAKS) if found != -1), default=-1)


def has_hidden_break(text: str) -> bool:
    return hidden_break(text) != -1


def parse_text(text: str, display: str) -> tuple[Node | None, list[Diagnostic]]:
    too_big = too_big_to_compose(text, display)
    if too_big is not None:
        return None, [too_big]
    hidden = hidden_break(text)
    if hidden != -1:
        return None, [diagnostic("E001", _offset_location(display, text, hidden), (
            f"character U+{ord(text[hidden]):04X} is a line break to YAML, so the text around it would silently "
            f"change; remove it (or write it as \\u{ord(text[hidden]):04x} inside double quotes)"))]
    loader = Loader(text)
    try:
        graph = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        # A limit of ours broken before the error is the verdict (see SAFE_NESTING).
        return None, [scan_for_limits(text, display) or _syntax_error(display, exc)]
    except RecursionError:  # the pure-Python composer recurses once per level, past Python's own limit
        return None, [scan_for_limits(text, display) or diagnostic(
            "E004", Location(display), f"nesting is deeper than {MAX_DEPTH} levels")]
    except yaml.reader.ReaderError as exc:  # a character YAML forbids; it has an offset, not a mark
        return None, [diagnostic(
            "E001", _offset_location(display, text, _character_offset(text, exc.position)),
            f"YAML syntax: character U+{exc.character:04X} is not allowed (control characters cannot appear in YAML)")]
    except yaml.YAMLError as exc:
        return None, [diagnostic("E001", Location(display), f"YAML: {exc}")]
    finally:
        loader.dispose()
    if graph is None:
        return None, []
    converter = _Converter(display)
    try:
        return converter.convert(graph, depth=0), converter.problems
    except _Abort as abort:
        return None, [*converter.problems, abort.diagnostic]


def too_big_to_compose(text: str, display: str) -> Diagnostic | None:
    """Refuse, before libyaml builds its graph, a file nested too deep or holding too many values.

    Composing such a file could crash (deep nesting) or take gigabytes (a
    64 MB ``[a,a,a,...]`` is 32 million values) before our own limits apply.
    Cheap upper bounds clear almost every file; the rest are scanned one
    parse event at a time, in constant memory.
    """
    flow_opens = text.count("[") + text.count("{")
    # Every value but the first two follows one of these characters, or is the
    # implicit null of a flow-mapping key (so at most twice as many values).
    indicators = flow_opens + sum(text.count(c) for c in ",-:?\n")
    if 2 * indicators + 2 <= MAX_NODES_PER_FILE and flow_opens <= SAFE_NESTING:
        # flow_opens + 2 * (the longest block prefix) + 2 <= SAFE_NESTING, i.e. no line starts with a
        # longer run of indicators than ``allowed``: one search for such a run (listing every line's
        # prefix, as _BLOCK_PREFIX does, was a sixth of parsing a card file).
        allowed = (SAFE_NESTING - flow_opens - 2) // 2
        if allowed >= 0 and not _starts_longer_block_prefix(text, allowed + 1):
            return None
    return scan_for_limits(text, display)


def _starts_longer_block_prefix(text: str, length: int) -> bool:
    """Whether a line starts with a run of at least ``length`` block indicators (see _BLOCK_PREFIX)."""
    first, after_break = _longer_block_prefix(length)
    return first.match(text) is not None or after_break.search(text) is not None


@functools.lru_cache(maxsize=64)
def _longer_block_prefix(length: int) -> tuple[re.Pattern, re.Pattern]:
    # The run at the very start, and one after any line break: searching for the break character is
    # quick, where a look-behind (or a ``^``) at every position of the file was not.
    run = f"[ ?:-]{{{length},}}"
    return re.compile(run), re.compile(f"[\n\r\x85\u2028\u2029]{run}")


def scan_for_limits(text: str, display: str) -> Diagnostic | None:
    """The first of our limits (nesting, values) the file breaks, read one parse event at a time."""
    try:
        return _scan_events(text, display, Loader)
    except _ScanFailed as failed:
        # The scan stopped on an error of the library's own. PyYAML 6.0.4's C
        # scanner reads up to 1,024 characters ahead and refuses a deep file
        # before its parser reaches our limit; the pure-Python scanner has no
        # such limit and gives the same events and positions, so the verdict
        # (and its wording) is ours under every release. It only needs to read
        # as far as the C scanner got: past that the parse proper reports the
        # error, with the same words as any other syntax error.
        try:
            return _scan_events(text[:failed.offset + 2048], display, PureLoader)
        except _ScanFailed:
            return None


class _ScanFailed(Exception):
    def __init__(self, offset: int):
        super().__init__(offset)
        self.offset = offset


def _scan_events(text: str, display: str, loader_class: type) -> Diagnostic | None:
    """The first limit a file breaks, or None; _ScanFailed on a YAML error."""
    depth = values = 0
    loader = loader_class(text)
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                values += 1
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                values += 1
                depth += 1
                if depth > MAX_DEPTH:
                    return diagnostic("E004", _mark_location(display, event.start_mark),
                                      f"nesting is deeper than {MAX_DEPTH} levels")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            if values > MAX_NODES_PER_FILE:
                return diagnostic("E004", _mark_location(display, event.start_mark),
                                  f"the file holds more than {MAX_NODES_PER_FILE:,} values; split it into "
                                  "several files")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        raise _ScanFailed(getattr(mark, "index", None) or len(text)) from None
    finally:
        loader.dispose()
    return None


def _byte_location(display: str, data: bytes, offset: int) -> Location:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Location(display, data.count(b"\n", 0, offset) + 1, column)


def _character_offset(text: str, offset: int) -> int:
    """libyaml's reader counts bytes of UTF-8, Python's characters: the character at byte ``offset``."""
    if not USING_LIBYAML or text.isascii():
        return offset
    return len(text.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))


def _offset_location(display: str, text: str, offset: int) -> Location:
    line_start = text.rfind("\n", 0, offset) + 1
    return Location(display, text.count("\n", 0, offset) + 1, offset - line_start + 1)


# A value this short and without a space is a name (a topic, scope, source id, tag) more often than text:
# held once, not once per card (millions at 50,000 cards; the parse share's results also pickle smaller).
_SHARED_WORD_CHARS = 40

# Location(file, line, column) without the keyword handling of a NamedTuple's __new__: the same tuple.
_new_location = functools.partial(tuple.__new__, Location)


def _mark_location(display: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(display)
    return Location(display, mark.line + 1, mark.column + 1)


def _syntax_error(display: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "syntax error"
    if exc.context and exc.context_mark is not None and exc.problem_mark is not None:
        ctx = _mark_location(display, exc.context_mark)
        problem = f"{problem} ({exc.context} at line {ctx.line})"
    return diagnostic("E001", _mark_location(display, mark), f"YAML syntax: {problem}")


class _Abort(Exception):
    def __init__(self, problem: Diagnostic):
        super().__init__(problem.message)
        self.diagnostic = problem


class _Converter:
    """Turns libyaml's node graph into our positioned tree."""

    def __init__(self, display: str):
        self.display = display
        self.problems: list[Diagnostic] = []
        self.budget = MAX_NODES_PER_FILE
        self.repeat_budget = MAX_REPEATED_NODES
        # Nodes on the current path: an alias back to one of them is a cycle.
        self.active: set[int] = set()
        # Collections converted once already: meeting one again means an alias repeats it.
        self.seen: set[int] = set()
        self.repeating = 0  # how many repeated collections the current path is inside

    def loc(self, node: yaml.Node) -> Location:
        mark = node.start_mark  # (libyaml always gives one) made directly: a million per 50,000 cards
        return _new_location((self.display, mark.line + 1, mark.column + 1))

    def convert(self, node: yaml.Node, depth: int, key_location: Location | None = None) -> Node:
        mark = node.start_mark
        location = _new_location((self.display, mark.line + 1, mark.column + 1))
        self.budget -= 1
        if self.budget < 0:
            raise _Abort(diagnostic(
                "E004", location, f"document expands to more than {MAX_NODES_PER_FILE:,} values"))
        if self.repeating:
            self.repeat_budget -= 1
            if self.repeat_budget < 0:
                raise _Abort(diagnostic(
                    "E004", location,
                    f"aliases repeat more than {MAX_REPEATED_NODES:,} values (an alias bomb?); write the "
                    "values out, or repeat less"))
        if isinstance(node, yaml.ScalarNode):
            if len(node.value) > MAX_TEXT_CHARS:
                raise _Abort(diagnostic(
                    "E004", location,
                    f"a value of {len(node.value):,} characters; the limit is {MAX_TEXT_CHARS:,}"))
            value = node.value
            if len(value) <= _SHARED_WORD_CHARS and " " not in value:
                value = intern(value)  # topics, scopes, source ids, tags: the same few words on every card
            return Scalar(location, key_location, value, intern(node.tag))
        # ``depth`` counts the collections around this one: it would be level depth + 1,
        # the same count the event scan keeps.
        if depth >= MAX_DEPTH:
            raise _Abort(diagnostic("E004", location, f"nesting is deeper than {MAX_DEPTH} levels"))
        if id(node) in self.active:
            raise _Abort(diagnostic("E004", location, "an alias refers to a value that contains it"))
        repeated = id(node) in self.seen
        self.seen.add(id(node))
        self.active.add(id(node))
        self.repeating += repeated
        try:
            if isinstance(node, yaml.SequenceNode):
                items = tuple(self.convert(item, depth + 1) for item in node.value)
                return Sequence(location, key_location, items)
            return self.mapping(node, depth, location, key_location)
        finally:
            self.active.discard(id(node))
            self.repeating -= repeated

    def mapping(self, node: yaml.MappingNode, depth: int, location: Location,
                key_location: Location | None) -> Mapping:
        entries: dict[str, Node] = {}
        display = self.display
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            where = _new_location((display, mark.line + 1, mark.column + 1))
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == NULL_TAG:
                self.problems.append(diagnostic("E004", where, "a mapping key must be plain text"))
                continue
            key = intern(key_node.value)  # "front", "back", ...: one string each, not one per card
            if key in entries:
                first = entries[key].key_location
                self.problems.append(diagnostic(
                    "E003", where, f"duplicate key '{key}' (first at line {first.line if first else '?'})"))
                continue
            entries[key] = self.convert(value_node, depth + 1, key_location=where)
        return Mapping(location, key_location, entries)
