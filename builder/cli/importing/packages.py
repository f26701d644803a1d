"""Read an Anki package (.apkg, .colpkg) or a plain-text export into plain data, trusting none of it.

Layouts (read in Anki's rslib ``import_export/package`` and in the files Anki writes):

* legacy packages: ``collection.anki21`` (or ``collection.anki2``), SQLite schema 11, note types as
  JSON in ``col.models``; ``media`` is JSON ``{"0": "name.jpg"}``, each file stored under its number;
* modern packages (Anki >= 2.1.50's default; ``meta`` says version 3): ``collection.anki21b`` is
  zstd-compressed SQLite, schema 18, note types in the ``notetypes``/``fields``/``templates`` tables
  with protobuf configs; ``media`` is a zstd-compressed protobuf list, each file zstd-compressed too;
  a dummy ``collection.anki2`` asks old clients to update.

The ``notes`` table is the same in both: guid, mid, mod, tags, flds joined by U+001F.

A package is a file someone sent: sizes are bounded before anything is decompressed, and again while
it is (a declared size can lie), the SQLite file is opened read-only with its schema untrusted, and
every failure ends in one :class:`ImportFailed` naming the file.
"""

from __future__ import annotations

import io
import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ...model import DeckbuilderError
from ...fs import UnsafeFile, read_regular_file, reason
from . import protobuf

MAX_PACKAGE_BYTES = 2 << 30  # the file itself
MAX_COLLECTION_BYTES = 1 << 30  # the SQLite collection, decompressed
MAX_MEDIA_BYTES = 100 << 20  # one media file, as the cards folder allows (README "Safety")
MAX_TOTAL_BYTES = 4 << 30  # everything decompressed
MAX_MEMBERS = 200_000
MAX_NOTES = 1_000_000
MAX_FIELD_CHARS = 100_000  # one value in a card file (yamlsource's limit)


class ImportFailed(DeckbuilderError):
    """The file cannot be imported: one line naming it, what is wrong and what to do (E011)."""

    def __init__(self, display: str, message: str):
        from ...model import diagnostic
        from ...model import Location

        self.diagnostic = diagnostic("E011", Location(display), message)
        super().__init__(f"{display}: E011 {message}")


@dataclass(frozen=True)
class Notetype:
    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]  # (name, question format, answer format)
    css: str
    mtime: int


@dataclass(frozen=True)
class Note:
    id: int
    guid: str
    notetype_id: int
    mtime: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]
    deck: str = ""  # the deck of its first card


@dataclass
class Package:
    """What a package holds that an import keeps."""

    notetypes: dict[int, Notetype]
    notes: list[Note]
    media: dict[str, bytes] = field(default_factory=dict)  # name as the package gives it -> bytes
    kind: str = "legacy"  # "legacy", "modern", "text"


class _Budget:
    """Bytes decompressed so far: a package may not expand past MAX_TOTAL_BYTES in all."""

    def __init__(self, display: str):
        self.display = display
        self.used = 0

    def take(self, amount: int) -> None:
        self.used += amount
        if self.used > MAX_TOTAL_BYTES:
            raise ImportFailed(self.display, f"expands to more than {MAX_TOTAL_BYTES:,} bytes (a zip bomb?); "
                                             "nothing was imported")


def read_package(path: Path, display: str) -> Package:
    try:
        with path.open("rb") as probe:
            head = probe.read(4)
    except OSError as exc:
        raise ImportFailed(display, f"cannot be read: {reason(exc)}") from None
    if head != b"PK\x03\x04":
        raise ImportFailed(display, "is not an Anki package (.apkg or .colpkg are zip files, and this is not "
                                    "one); for a plain-text export, give a .txt or .tsv file")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFailed(display, f"is a damaged zip file ({exc}); export the deck from Anki again") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ImportFailed(display, f"holds {len(infos):,} files; the limit is {MAX_MEMBERS:,}")
        members = {info.filename: info for info in infos}
        budget = _Budget(display)
        meta = _member(archive, members, "meta", 1 << 10, budget, display) if "meta" in members else b""
        version = protobuf.number(_message(meta, display, "meta"), 1) if meta else 0
        if version >= 3 or ("collection.anki21b" in members and version == 0):
            if "collection.anki21b" not in members:
                raise ImportFailed(display, "says it is a modern package but holds no collection.anki21b")
            data = _unzstd(_member(archive, members, "collection.anki21b", MAX_COLLECTION_BYTES, budget, display),
                           MAX_COLLECTION_BYTES, budget, display, "collection.anki21b")
            package = _read_collection(data, display, modern=True)
            package.kind = "modern"
            names = _modern_media(archive, members, budget, display)
            compressed = True
        else:
            name = next((n for n in ("collection.anki21", "collection.anki2") if n in members), None)
            if name is None:
                raise ImportFailed(display, "holds no Anki collection (collection.anki2, .anki21 or .anki21b): "
                                            "is it an Anki package?")
            data = _member(archive, members, name, MAX_COLLECTION_BYTES, budget, display)
            package = _read_collection(data, display, modern=False)
            names = _legacy_media(archive, members, budget, display)
            compressed = False
        wanted = _referenced(package)
        for member_name, media_name in names.items():
            if media_name not in wanted:
                continue  # only files some imported note shows are read
            if member_name not in members:
                raise ImportFailed(display, f"lists media file {media_name!r} but does not hold it")
            data = _member(archive, members, member_name, MAX_MEDIA_BYTES, budget, display)
            if compressed:
                data = _unzstd(data, MAX_MEDIA_BYTES, budget, display, f"media file {media_name!r}")
            package.media[media_name] = data
    return package


def _referenced(package: Package) -> set[str]:
    from ...text import media_references

    return {name for note in package.notes for value in note.fields for name in media_references(value)}


def _member(archive: zipfile.ZipFile, members: dict, name: str, limit: int, budget: _Budget, display: str) -> bytes:
    info = members[name]
    if info.file_size > limit:
        raise ImportFailed(display, f"holds {name!r} of {info.file_size:,} bytes; the limit is {limit:,}")
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise ImportFailed(display, f"cannot read {name!r} from the zip ({exc}); export the deck again") from None
    if len(data) > limit:  # the declared size lied
        raise ImportFailed(display, f"holds {name!r} of more than {limit:,} bytes (its size was misdeclared)")
    budget.take(len(data))
    return data


def _unzstd(data: bytes, limit: int, budget: _Budget, display: str, what: str) -> bytes:
    import zstandard

    out = io.BytesIO()
    try:
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)) as reader:
            while True:
                chunk = reader.read(1 << 20)
                if not chunk:
                    break
                out.write(chunk)
                if out.tell() > limit:
                    raise ImportFailed(display, f"{what} expands to more than {limit:,} bytes (a zip bomb?)")
    except zstandard.ZstdError as exc:
        raise ImportFailed(display, f"{what} is not valid zstd data ({exc}); export the deck again") from None
    budget.take(out.tell())
    return out.getvalue()


def _message(data: bytes, display: str, what: str) -> dict:
    try:
        return protobuf.message_fields(data)
    except protobuf.ProtobufError as exc:
        raise ImportFailed(display, f"{what} is damaged ({exc}); export the deck again") from None


def _legacy_media(archive, members, budget, display) -> dict[str, str]:
    """Zip member -> media name, from the JSON map."""
    if "media" not in members:
        return {}
    raw = _member(archive, members, "media", 64 << 20, budget, display)
    try:
        names = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ImportFailed(display, "its media list is not valid JSON; export the deck again") from None
    if not isinstance(names, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in names.items()):
        raise ImportFailed(display, "its media list is not a map of numbers to file names")
    return dict(names)


def _modern_media(archive, members, budget, display) -> dict[str, str]:
    """Zip member -> media name, from the protobuf list (MediaEntries: repeated MediaEntry entries = 1)."""
    if "media" not in members:
        return {}
    raw = _unzstd(_member(archive, members, "media", 64 << 20, budget, display), 64 << 20, budget, display,
                  "the media list")
    names = {}
    for index, entry in enumerate(_message(raw, display, "the media list").get(1, [])):
        if not isinstance(entry, bytes):
            raise ImportFailed(display, "the media list is damaged")
        fields = _message(entry, display, "a media entry")
        try:
            name = protobuf.text(fields, 1)
        except UnicodeDecodeError:
            raise ImportFailed(display, "a media name is not UTF-8") from None
        legacy = [v for v in fields.get(255, []) if isinstance(v, int)]
        names[str(legacy[-1] if legacy else index)] = name
    return names


# ---------------------------------------------------------------- the collection


def _read_collection(data: bytes, display: str, modern: bool) -> Package:
    if not data.startswith(b"SQLite format 3\x00"):
        raise ImportFailed(display, "its collection is not an SQLite database; export the deck again")
    with tempfile.TemporaryDirectory(prefix="deckbuilder-import-") as folder:
        database = Path(folder) / "collection.sqlite"
        database.write_bytes(data)
        try:
            connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise ImportFailed(display, f"its collection cannot be opened ({exc})") from None
        try:
            # A hostile schema could hide functions in views or triggers: judge it untrusted.
            connection.execute("PRAGMA trusted_schema = OFF")
            # Anki's schema 18 orders names with its own case-insensitive collation.
            connection.create_collation("unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold()))
            check = connection.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise ImportFailed(display, f"its collection database is damaged ({check[0] if check else '?'}); "
                                            "export the deck again")
            notetypes = _modern_notetypes(connection, display) if modern else _legacy_notetypes(connection, display)
            notes = _notes(connection, display)
        except sqlite3.Error as exc:
            raise ImportFailed(display, f"its collection database cannot be read ({exc}); export the deck "
                                        "again") from None
        except (TypeError, ValueError, OverflowError) as exc:  # a column holding another kind of value
            raise ImportFailed(display, f"its collection holds a value of the wrong kind ({exc}); export the "
                                        "deck again") from None
        finally:
            connection.close()
    return Package(notetypes, notes)


def _legacy_notetypes(connection: sqlite3.Connection, display: str) -> dict[int, Notetype]:
    row = connection.execute("SELECT models FROM col").fetchone()
    try:
        models = json.loads(row[0]) if row and row[0] else {}
    except (TypeError, ValueError, RecursionError):
        raise ImportFailed(display, "its note types (col.models) are not valid JSON") from None
    if not isinstance(models, dict):
        raise ImportFailed(display, "its note types (col.models) are not a mapping")
    notetypes = {}
    try:
        for model in models.values():
            notetypes[int(model["id"])] = Notetype(
                int(model["id"]), str(model["name"]), int(model.get("type", 0)) == 1,
                tuple(str(f["name"]) for f in sorted(model["flds"], key=lambda f: int(f["ord"]))),
                tuple((str(t["name"]), str(t["qfmt"]), str(t["afmt"]))
                      for t in sorted(model["tmpls"], key=lambda t: int(t["ord"]))),
                str(model.get("css", "")), int(model.get("mod", 0)))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ImportFailed(display, "a note type in col.models lacks its id, name, fields or templates") from None
    return notetypes


def _modern_notetypes(connection: sqlite3.Connection, display: str) -> dict[int, Notetype]:
    fields: dict[int, list[tuple[int, str]]] = {}
    for ntid, ordinal, name in connection.execute("SELECT ntid, ord, name FROM fields"):
        fields.setdefault(int(ntid), []).append((int(ordinal), str(name)))
    templates: dict[int, list[tuple[int, tuple[str, str, str]]]] = {}
    for ntid, ordinal, name, config in connection.execute("SELECT ntid, ord, name, config FROM templates"):
        message = _message(bytes(config or b""), display, "a card template")
        try:  # CardTemplateConfig: q_format = 1, a_format = 2
            formats = (str(name), protobuf.text(message, 1), protobuf.text(message, 2))
        except UnicodeDecodeError:
            raise ImportFailed(display, "a card template is not UTF-8") from None
        templates.setdefault(int(ntid), []).append((int(ordinal), formats))
    notetypes = {}
    for ntid, name, mtime, config in connection.execute("SELECT id, name, mtime_secs, config FROM notetypes"):
        message = _message(bytes(config or b""), display, f"note type {name!r}")
        try:  # NotetypeConfig: kind = 1 (0 normal, 1 cloze), css = 3
            css = protobuf.text(message, 3)
        except UnicodeDecodeError:
            raise ImportFailed(display, f"note type {name!r} has CSS that is not UTF-8") from None
        ntid = int(ntid)
        notetypes[ntid] = Notetype(
            ntid, str(name), protobuf.number(message, 1) == 1,
            tuple(n for _, n in sorted(fields.get(ntid, []))), tuple(t for _, t in sorted(templates.get(ntid, []))),
            css, int(mtime or 0))
    return notetypes


def _notes(connection: sqlite3.Connection, display: str) -> list[Note]:
    count = connection.execute("SELECT count(*) FROM notes").fetchone()[0]
    if count > MAX_NOTES:
        raise ImportFailed(display, f"holds {count:,} notes; the limit is {MAX_NOTES:,}")
    decks = _deck_names(connection)
    first_deck: dict[int, int] = {}
    for nid, did in connection.execute("SELECT nid, did FROM cards ORDER BY nid, ord"):
        first_deck.setdefault(nid, did)
    notes = []
    for nid, guid, mid, mod, tags, flds in connection.execute(
            "SELECT id, guid, mid, mod, tags, flds FROM notes ORDER BY id"):
        if not isinstance(flds, str) or not isinstance(guid, str):
            raise ImportFailed(display, f"note {nid} is damaged (its fields or GUID are not text)")
        if len(flds) > MAX_FIELD_CHARS * 20:
            raise ImportFailed(display, f"note {nid} holds {len(flds):,} characters; export a smaller deck")
        notes.append(Note(int(nid), guid, int(mid), int(mod), tuple(str(tags or "").split()),
                          tuple(flds.split("\x1f")), decks.get(first_deck.get(nid), "")))
    return notes


def _deck_names(connection: sqlite3.Connection) -> dict[int, str]:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "decks" in tables:  # schema 18: one row per deck, names with U+001F between levels
        return {int(i): str(n).replace("\x1f", "::") for i, n in connection.execute("SELECT id, name FROM decks")}
    row = connection.execute("SELECT decks FROM col").fetchone()
    try:
        decks = json.loads(row[0]) if row and row[0] else {}
        return {int(d["id"]): str(d["name"]) for d in decks.values()}
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError):
        return {}


# ---------------------------------------------------------------- plain-text export


def read_text_export(path: Path, display: str) -> Package:
    """Anki's "Notes in Plain Text" with "Include unique identifier": header lines, then one note a line.

    It carries no note type definitions, ids or modification times: only names, GUIDs, fields and tags.
    """
    import csv

    try:
        raw = read_regular_file(path, MAX_COLLECTION_BYTES)
    except (OSError, UnsafeFile) as exc:
        raise ImportFailed(display, f"cannot be read: {reason(exc)}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(display, "is not UTF-8 text (Anki writes its text exports as UTF-8)") from None
    lines = text.splitlines(keepends=True)
    header: dict[str, str] = {}
    while lines and lines[0].startswith("#") and ":" in lines[0]:
        key, _, value = lines.pop(0)[1:].rstrip("\r\n").partition(":")
        header[key.strip().lower()] = value.strip()
    separators = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
    separator = separators.get(header.get("separator", "tab").lower(), header.get("separator", "\t")[:1] or "\t")

    def column(name: str) -> int | None:
        value = header.get(f"{name} column")
        if value is None:
            return None
        if not value.isdigit() or not 1 <= int(value) <= 10_000:
            raise ImportFailed(display, f"its '#{name} column' header is not a column number: {value!r}")
        return int(value) - 1

    guid_col, type_col, deck_col, tags_col = column("guid"), column("notetype"), column("deck"), column("tags")
    if guid_col is None:
        raise ImportFailed(display, "has no '#guid column:' header: export it from Anki with \"Include unique "
                                    "identifier\" checked, or the notes cannot be matched to students' notes")
    if type_col is None:
        raise ImportFailed(display, "has no '#notetype column:' header: export it with \"Include note type name\"")
    html = header.get("html", "false").lower() == "true"
    special = {c for c in (guid_col, type_col, deck_col, tags_col) if c is not None}
    rows = csv.reader(io.StringIO("".join(lines)), delimiter=separator, quotechar='"', doublequote=True, strict=True)
    notetypes: dict[str, Notetype] = {}
    notes = []
    try:
        for number, row in enumerate(rows, start=len(header) + 1):
            if not row:
                continue
            if len(notes) >= MAX_NOTES:
                raise ImportFailed(display, f"holds more than {MAX_NOTES:,} notes")
            if max(special) >= len(row):
                raise ImportFailed(display, f"line {number} has {len(row)} columns, fewer than its headers name")
            values = [value if html else _escape(value) for i, value in enumerate(row) if i not in special]
            name = row[type_col]
            if name not in notetypes:
                # Field names are not in the file: Anki's stock names for the shape, the rest numbered.
                notetypes[name] = Notetype(-(len(notetypes) + 1), name, False, (), (), "", 0)
            notes.append(Note(-number, row[guid_col], notetypes[name].id, 0,
                              tuple(row[tags_col].split()) if tags_col is not None else (), tuple(values),
                              row[deck_col] if deck_col is not None else ""))
    except csv.Error as exc:
        raise ImportFailed(display, f"is not a valid text export ({exc})") from None
    package = Package({nt.id: nt for nt in notetypes.values()}, notes, kind="text")
    # A text export carries no media: the files are taken from beside it (or its collection.media folder).
    for name in sorted(_referenced(package)):
        if "/" in name or "\\" in name or name.startswith("."):
            continue
        for folder in (path.parent / "collection.media", path.parent):
            candidate = folder / name
            if candidate.is_file() and not candidate.is_symlink():
                try:
                    package.media[name] = read_regular_file(candidate, MAX_MEDIA_BYTES)
                except (OSError, UnsafeFile):
                    continue
                break
    return package


def _escape(value: str) -> str:
    import html

    return html.escape(value, quote=False)

