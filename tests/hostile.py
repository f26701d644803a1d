"""A corpus of hostile inputs, and a runner that feeds each one to `check` and `build`.

Each case starts from a small valid project (tests/data/base plus valid.yaml)
and damages it. The runner is run in a child process (see
test_hostile_inputs.py) with a memory cap and a time limit per case, so that a
crash, a hang or a runaway allocation fails the test instead of the machine;
it prints one JSON line per case.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import socket
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

DATA = Path(__file__).parent / "data"

VALID_CARD = """- id: {id}
  front: What cell shape is typical of {id}?
  back: Spindle
  topics: [histology]
  sources: [src-a]
"""


@dataclass(frozen=True)
class Case:
    category: str
    name: str
    damage: Callable[[Path], None]  # given the cards folder
    exit_code: int = 1  # 0 where the input is valid after all (a BOM, an empty file)
    codes: tuple[str, ...] = ()  # codes that must be among the diagnostics


CASES: list[Case] = []


def case(category: str, name: str, exit_code: int = 1, codes: tuple[str, ...] = ()):
    def register(damage: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES.append(Case(category, name, damage, exit_code, codes))
        return damage
    return register


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())


def card_file(cards: Path, data: bytes | str, name: str = "hostile.yaml") -> None:
    write(cards / name, data)


def sparse(path: Path, size: int) -> None:
    """A file of ``size`` bytes that takes no disk space (its bytes are zeros)."""
    with path.open("wb") as handle:
        handle.truncate(size)


def billion_laughs(levels: int = 9) -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        previous, name = chr(96 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]")
    return "\n".join(lines) + "\n"


# --- invalid UTF-8 -------------------------------------------------------------------------------------
for _name, _data, _where in [
    ("stray 0xff byte", b"- id: a\n  front: Spindle \xff cells\n", "cards"),
    ("truncated multi-byte character at the end", VALID_CARD.format(id="a").encode() + b"  extra: \xe2\x82", "cards"),
    ("Latin-1 text", "- id: a\n  front: Café?\n  back: Oui\n".encode("latin-1"), "cards"),
    ("UTF-16 with its byte-order mark", VALID_CARD.format(id="a").encode("utf-16"), "cards"),
    ("overlong encoding of '/'", b"- id: a\n  front: a\xc0\xafb\n", "cards"),
    ("surrogate half encoded in UTF-8", b"- id: a\n  front: a\xed\xa0\x80b\n", "cards"),
    ("deck.yaml in Latin-1", None, "deck.yaml"),
    ("sources.yaml with a stray byte", None, "sources.yaml"),
]:
    def _damage(cards: Path, data=_data, where=_where) -> None:
        if where == "cards":
            card_file(cards, data)
        else:
            target = cards / where
            target.write_bytes(target.read_bytes().replace(b"Test", b"T\xe9st").replace(b"Source A", b"Source \xfe"))
    case("invalid UTF-8", _name, codes=("E002",))(_damage)


@case("invalid UTF-8", "deck.lock with a stray byte", codes=("E002",))
def _(cards: Path) -> None:
    write(cards / "deck.lock", b'{"format": 2, "note": "\xff"}')


# --- byte-order marks ----------------------------------------------------------------------------------
@case("byte-order marks", "UTF-8 BOM before valid cards", exit_code=0)
def _(cards: Path) -> None:
    card_file(cards, b"\xef\xbb\xbf" + VALID_CARD.format(id="bom").encode())


@case("byte-order marks", "UTF-8 BOM before deck.yaml and sources.yaml", exit_code=0)
def _(cards: Path) -> None:
    for name in ("deck.yaml", "sources.yaml"):
        write(cards / name, b"\xef\xbb\xbf" + (cards / name).read_bytes())


@case("byte-order marks", "two BOMs (YAML drops the second)", exit_code=0)
def _(cards: Path) -> None:
    card_file(cards, b"\xef\xbb\xbf\xef\xbb\xbf" + VALID_CARD.format(id="bom").encode())


@case("byte-order marks", "BOM in the middle of the file", codes=("E001",))
def _(cards: Path) -> None:
    card_file(cards, VALID_CARD.format(id="a").encode() + b"\xef\xbb\xbf" + VALID_CARD.format(id="b").encode())


@case("byte-order marks", "UTF-32 BOM and text", codes=("E002",))
def _(cards: Path) -> None:
    card_file(cards, VALID_CARD.format(id="a").encode("utf-32"))


# --- tabs ------------------------------------------------------------------------------------------------
@case("tabs", "tab-indented fields", codes=("E001",))
def _(cards: Path) -> None:
    card_file(cards, "- id: a\n\tfront: Q?\n\tback: A\n")


@case("tabs", "tab-indented list item", codes=("E001",))
def _(cards: Path) -> None:
    card_file(cards, VALID_CARD.format(id="a") + "\t- id: b\n")


@case("tabs", "tabs inside a value are text", exit_code=0)
def _(cards: Path) -> None:
    card_file(cards, VALID_CARD.format(id="tabs").replace("Spindle", "'Spindle\tcells'"))


@case("tabs", "tab-indented deck.yaml", codes=("E001",))
def _(cards: Path) -> None:
    write(cards / "deck.yaml", (cards / "deck.yaml").read_text().replace("  histology: Histology",
                                                                        "\thistology: Histology"))


# --- empty files -----------------------------------------------------------------------------------------
for _name, _data in [("empty card file", ""), ("card file of blank lines", "\n\n   \n"),
                     ("card file of comments", "# nothing yet\n# still nothing\n"),
                     ("card file holding only '---'", "---\n")]:
    case("empty files", _name, exit_code=0)(lambda cards, data=_data: card_file(cards, data))

for _name in ("deck.yaml", "sources.yaml", "deck.lock"):
    case("empty files", f"empty {_name}")(lambda cards, name=_name: write(cards / name, b""))


# --- not a list of mappings ------------------------------------------------------------------------------
for _name, _data in [
    ("card file is a mapping", "id: a\nfront: Q?\nback: A\n"),
    ("card file is one word", "hello\n"),
    ("card file is a number", "42\n"),
    ("cards are words", "- one\n- two\n"),
    ("cards are lists", "- [a, b]\n- []\n"),
    ("a card is null", VALID_CARD.format(id="a") + "- ~\n"),
    ("a mapping key is a list", "- ? [id]\n  : a\n"),
    ("a mapping key is null", "- ~: a\n  id: b\n"),
]:
    case("not a list of mappings", _name, codes=("E004",))(lambda cards, data=_data: card_file(cards, data))

case("not a list of mappings", "a card is an empty mapping", codes=("E101",))(
    lambda cards: card_file(cards, VALID_CARD.format(id="a") + "- {}\n"))

for _name, _file, _data in [
    ("deck.yaml is a list", "deck.yaml", "- name: Test\n"),
    ("deck.yaml is a word", "deck.yaml", "deck\n"),
    ("sources.yaml is a mapping", "sources.yaml", "src-a: Source A\n"),
    ("a source is a word", "sources.yaml", "- src-a\n"),
]:
    case("not a list of mappings", _name, codes=("E004",))(
        lambda cards, file=_file, data=_data: write(cards / file, data))


# --- several documents -----------------------------------------------------------------------------------
for _name, _data in [
    ("two card documents", "---\n" + VALID_CARD.format(id="a") + "---\n" + VALID_CARD.format(id="b")),
    ("a document after the end marker", VALID_CARD.format(id="a") + "...\n--- junk\n"),
    ("three empty documents", "---\n---\n---\n"),
]:
    case("several documents", _name, codes=("E001",))(lambda cards, data=_data: card_file(cards, data))


@case("several documents", "deck.yaml with two documents", codes=("E001",))
def _(cards: Path) -> None:
    write(cards / "deck.yaml", (cards / "deck.yaml").read_text() + "---\nname: Other\n")


# --- deep nesting ------------------------------------------------------------------------------------------
for _name, _data in [
    ("100,000 nested flow lists", "[" * 100_000 + "]" * 100_000),
    ("100,000 nested flow mappings", "{a: " * 100_000 + "}" * 100_000),
    ("100,000 nested block lists on one line", "- " * 100_000 + "x\n"),
    ("1,000 levels of indented mappings", "".join(" " * i + f"k{i}:\n" for i in range(1000)) + " " * 1000 + "v\n"),
    ("a field nested 70 deep", "- id: a\n  front: " + "[" * 70 + "]" * 70 + "\n"),
    ("unclosed nesting", "[" * 50_000),
]:
    case("deep nesting", _name, codes=("E004",))(
        lambda cards, data=_data: card_file(cards, data))


@case("deep nesting", "deck.lock of nested JSON", codes=("E006",))
def _(cards: Path) -> None:
    write(cards / "deck.lock", '{"cards": ' + "[" * 100_000 + "]" * 100_000 + "}")


@case("deep nesting", "deck.lock of nested YAML (the old format)", codes=("E006",))
def _(cards: Path) -> None:
    write(cards / "deck.lock", "[" * 100_000 + "]" * 100_000)


@case("deep nesting", "deck.yaml nested 100,000 deep", codes=("E004",))
def _(cards: Path) -> None:
    write(cards / "deck.yaml", "name: " + "[" * 100_000 + "]" * 100_000 + "\n")


# --- alias bombs ---------------------------------------------------------------------------------------------
case("alias bombs", "a billion laughs in a card file", codes=("E004",))(
    lambda cards: card_file(cards, billion_laughs()))
case("alias bombs", "a billion laughs in deck.yaml", codes=("E004",))(
    lambda cards: write(cards / "deck.yaml", (cards / "deck.yaml").read_text() + billion_laughs()))
case("alias bombs", "a billion laughs in sources.yaml", codes=("E004",))(
    lambda cards: write(cards / "sources.yaml", "- &s " + billion_laughs().replace("\n", "\n  ")))
case("alias bombs", "a billion laughs in the old YAML deck.lock", codes=("E006",))(
    lambda cards: write(cards / "deck.lock", billion_laughs()))
case("alias bombs", "one card repeated 200,000 times by alias", codes=("E004",))(
    lambda cards: card_file(cards, "- &c\n  " + VALID_CARD.format(id="a")[2:] + "- *c\n" * 200_000))
case("alias bombs", "an alias inside itself", codes=("E004",))(
    lambda cards: card_file(cards, "- &a [*a]\n"))
case("alias bombs", "an alias never defined", codes=("E001",))(
    lambda cards: card_file(cards, "- id: a\n  front: *nowhere\n"))
case("alias bombs", "a merge key repeating another card", codes=("E101",))(
    lambda cards: card_file(cards, "- &base\n  id: a\n  front: Q?\n  back: A\n  topics: [histology]\n"
                                   "  sources: [src-a]\n- <<: *base\n  id: b\n"))


# --- huge files and fields ---------------------------------------------------------------------------------
case("huge files and fields", "a 65 MB card file", codes=("E002",))(
    lambda cards: sparse(cards / "huge.yaml", 65 * 1024 * 1024))
case("huge files and fields", "a 65 MB deck.yaml", codes=("E002",))(
    lambda cards: sparse(cards / "deck.yaml", 65 * 1024 * 1024))
case("huge files and fields", "a deck.lock past its 256 MiB limit", codes=("E002",))(
    lambda cards: sparse(cards / "deck.lock", 256 * 1024 * 1024 + 1))
case("huge files and fields", "a 101 MB media file", codes=("E002",))(
    lambda cards: (cards / "media").mkdir() or sparse(cards / "media" / "scan.png", 101 * 1024 * 1024))
case("huge files and fields", "a field of 5 million characters", codes=("E004",))(
    lambda cards: card_file(cards, VALID_CARD.format(id="a").replace("Spindle", "x" * 5_000_000)))
case("huge files and fields", "a key of a million characters (YAML allows 1,024)", codes=("E001",))(
    lambda cards: card_file(cards, "- id: a\n  " + "k" * 1_000_000 + ": v\n"))
case("huge files and fields", "three million tiny values", codes=("E004",))(
    lambda cards: card_file(cards, "- [" + "a," * 3_000_000 + "]\n"))
case("huge files and fields", "a 30 MB line of one word", codes=("E004",))(
    lambda cards: card_file(cards, "- id: " + "a" * 30_000_000 + "\n"))
case("huge files and fields", "an id of 10,000 characters", codes=("E202",))(
    lambda cards: card_file(cards, VALID_CARD.format(id="a" * 10_000)))


# --- control characters and NUL bytes ------------------------------------------------------------------------
for _name, _data, _code in [
    ("NUL byte in a value", b"- id: a\n  front: Q\x00?\n", "E001"),
    ("NUL byte at the start", b"\x00" + VALID_CARD.format(id="a").encode(), "E001"),
    ("bell character", b"- id: a\n  front: Q\x07?\n", "E001"),
    ("escape sequence (terminal colours)", b"- id: a\n  front: \x1b[31mQ?\n", "E001"),
    ("C1 control character", "- id: a\n  front: Q\u0091?\n".encode(), "E001"),
    ("NUL written as a YAML escape", b'- id: a\n  front: "Q\\0?"\n  back: A\n  topics: [histology]\n'
                                     b"  sources: [src-a]\n", "E105"),
    ("escape character written as a YAML escape", b'- id: a\n  front: "\\e[2JQ?"\n  back: A\n'
                                                  b"  topics: [histology]\n  sources: [src-a]\n", "E105"),
    ("escape character in a key", b'- id: a\n  "\\e[2Jfront": Q?\n', "E101"),
    ("a card file whose name holds a newline and an escape", None, "E001"),
    ("NUL in deck.yaml", None, "E001"),
]:
    def _damage(cards: Path, data=_data, name=_name) -> None:
        if data is None and "name" in name:
            card_file(cards, "- [unclosed\n", name="bad\n\x1b[2Jname.yaml")
        elif data is None:
            write(cards / "deck.yaml", (cards / "deck.yaml").read_bytes().replace(b"Test Deck", b"Test\x00Deck"))
        else:
            card_file(cards, data)
    case("control characters and NUL", _name, codes=(_code,))(_damage)


# --- wrong types -----------------------------------------------------------------------------------------------
_CARD_FIELD_VALUES = {
    "front": ["[a, b]", "{a: b}", "~", "''"],
    "topics": ["histology", "{histology: 1}", "[[histology]]", "~"],
    "sources": ["5", "{src-a: x}", "[[src-a]]", "[{id: [src-a]}]"],
    "type": ["7", "[basic]", "quiz"],
    "scope": ["[general]", "{a: b}"],
    "fact": ["[x]", "{a: b}"],
    "id": ["[a]", "{a: b}", "~"],
    "tags": ["tag", "{a: b}", "[[a]]"],
}
for _field, _values in _CARD_FIELD_VALUES.items():
    for _value in _values:
        def _damage(cards: Path, field=_field, value=_value) -> None:
            lines = [line for line in VALID_CARD.format(id="a").splitlines() if not line.strip().startswith(field)]
            card_file(cards, "\n".join(lines) + f"\n  {field}: {value}\n")
        case("wrong types", f"card {_field}: {_value}")(_damage)

for _key, _value in [("name", "[a]"), ("version", "{a: b}"), ("namespace", "[x]"), ("topics", "[a, b]"),
                     ("topics", "histology"), ("required_topics", "{a: b}"), ("scopes", "[a]"), ("checks", "5"),
                     ("checks", "{W502: sometimes}"), ("decks", "x"), ("decks", "[[x]]"), ("split_by_topic", "maybe"),
                     ("description", "{a: b}")]:
    def _damage(cards: Path, key=_key, value=_value) -> None:
        lines = (cards / "deck.yaml").read_text().splitlines()
        kept, skipping = [], False
        for line in lines:  # drop the key and its indented block
            if line.startswith(f"{key}:"):
                skipping = True
                continue
            if skipping and line.startswith(" "):
                continue
            skipping = False
            kept.append(line)
        write(cards / "deck.yaml", "\n".join(kept) + f"\n{key}: {value}\n")
    case("wrong types", f"deck.yaml {_key}: {_value}")(_damage)

def _sources(**first_source: str) -> str:
    """sources.yaml with src-a's fields replaced by ``first_source`` (as YAML text)."""
    fields = {"id": "src-a", "title": "Source A", **first_source}
    first = "\n  ".join(f"{key}: {value}" for key, value in fields.items())
    return f"- {first}\n- id: src-b\n  title: Source B\n"


for _key, _value in [("date", "[2020]"), ("url", "{a: b}"), ("title", "~"), ("id", "[src-a]"), ("file", "[x]"),
                     ("sha256", "{a: b}"), ("publisher", "[a, b]")]:
    case("wrong types", f"sources.yaml {_key}: {_value}")(
        lambda cards, key=_key, value=_value: write(cards / "sources.yaml", _sources(**{key: value})))


@case("wrong types", "deck.lock that is a JSON list", codes=("E006",))
def _(cards: Path) -> None:
    write(cards / "deck.lock", "[1, 2, 3]\n")


@case("wrong types", "deck.lock with wrongly typed fields", codes=("E006",))
def _(cards: Path) -> None:
    write(cards / "deck.lock", '{"format": "two", "cards": 5, "retired": "x"}\n')


# --- duplicate keys -----------------------------------------------------------------------------------------------
case("duplicate keys", "a card field twice", codes=("E003",))(
    lambda cards: card_file(cards, VALID_CARD.format(id="a") + "  back: Round\n"))
case("duplicate keys", "a deck.yaml key twice", codes=("E003",))(
    lambda cards: write(cards / "deck.yaml", (cards / "deck.yaml").read_text() + "name: Other\n"))
case("duplicate keys", "a source field twice", codes=("E003",))(
    lambda cards: write(cards / "sources.yaml", (cards / "sources.yaml").read_text() + "  title: Again\n"))
case("duplicate keys", "a key twice in a flow mapping", codes=("E003",))(
    lambda cards: card_file(cards, "- {id: a, id: b, front: Q?, back: A, topics: [histology], sources: [src-a]}\n"))
case("duplicate keys", "the same key spelt with quotes", codes=("E003",))(
    lambda cards: card_file(cards, VALID_CARD.format(id="a") + '  "back": Round\n'))
case("duplicate keys", "a card id used twice across files", codes=("E201",))(
    lambda cards: card_file(cards, VALID_CARD.format(id="valid-basic")))


# --- links, special and unreadable files --------------------------------------------------------------------------
def _link(path: Path, target: str | Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


case("links and unreadable files", "card file linked to /etc/passwd", codes=("E002",))(
    lambda cards: _link(cards / "passwd.yaml", "/etc/passwd"))
case("links and unreadable files", "deck.yaml linked outside the folder", codes=("E002",))(
    lambda cards: [(cards / "deck.yaml").rename(cards.parent / "elsewhere.yaml"),
                   _link(cards / "deck.yaml", cards.parent / "elsewhere.yaml")] and None)
case("links and unreadable files", "two card files linked to each other", codes=("E002",))(
    lambda cards: _link(cards / "a.yaml", "b.yaml") or _link(cards / "b.yaml", "a.yaml"))
case("links and unreadable files", "a dangling link", codes=("E002",))(
    lambda cards: _link(cards / "gone.yaml", "nowhere.yaml"))
case("links and unreadable files", "a folder linked to its parent (a loop)", codes=("E002",))(
    lambda cards: _link(cards / "sub" / "loop", ".."))
case("links and unreadable files", "a folder linked outside", codes=("E002",))(
    lambda cards: _link(cards / "etc", "/etc"))
case("links and unreadable files", "media file linked to /etc/passwd", codes=("E002",))(
    lambda cards: _link(cards / "media" / "photo.png", "/etc/passwd"))
case("links and unreadable files", "a named pipe called hostile.yaml", codes=("E002",))(
    lambda cards: os.mkfifo(cards / "hostile.yaml"))
case("links and unreadable files", "deck.yaml is a named pipe", codes=("E002",))(
    lambda cards: (cards / "deck.yaml").unlink() or os.mkfifo(cards / "deck.yaml"))
case("links and unreadable files", "deck.lock is a named pipe", codes=("E002",))(
    lambda cards: os.mkfifo(cards / "deck.lock"))
case("links and unreadable files", "a media file that is a named pipe", codes=("E002",))(
    lambda cards: (cards / "media").mkdir() or os.mkfifo(cards / "media" / "sound.mp3"))
case("links and unreadable files", "a folder called hostile.yaml", codes=("E002",))(
    lambda cards: (cards / "hostile.yaml").mkdir())
case("links and unreadable files", "deck.lock is a folder", codes=("E002",))(
    lambda cards: (cards / "deck.lock").mkdir())
case("links and unreadable files", "sources.yaml is a folder", codes=("E002",))(
    lambda cards: (cards / "sources.yaml").unlink() or (cards / "sources.yaml").mkdir())


def _socket_file(path: Path) -> None:
    """A file that cannot be opened by anyone, even root (chmod 000 does not stop root)."""
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


case("links and unreadable files", "a card file no one can open (a socket)", codes=("E002",))(
    lambda cards: _socket_file(cards / "hostile.yaml"))
case("links and unreadable files", "a parse-cache entry that is a named pipe", exit_code=0)(
    lambda cards: (cards / ".cache").mkdir() or [os.mkfifo(cards / ".cache" / f"{'0' * 63}{i}.json")
                                                 for i in range(3)] and None)


# --- missing folders and files ----------------------------------------------------------------------------------
case("missing folders and files", "the cards folder does not exist", codes=("E005",))(
    lambda cards: shutil.rmtree(cards))
case("missing folders and files", "deck.yaml missing", codes=("E005",))(
    lambda cards: (cards / "deck.yaml").unlink())
case("missing folders and files", "sources.yaml missing", codes=("E005",))(
    lambda cards: (cards / "sources.yaml").unlink())
case("missing folders and files", "the cards folder is a file", exit_code=2)(
    lambda cards: shutil.rmtree(cards) or cards.write_text("cards\n"))
case("missing folders and files", "media is a file", exit_code=0)(
    lambda cards: (cards / "media").write_text("not a folder\n"))


# --- HTML filter evasion ------------------------------------------------------------------------------------
# Schemes hidden as the published filter-evasion techniques hide them; every one is javascript: (or a remote
# load) to a browser or once Anki's importer has deleted the control characters.
CONTROL_REFERENCES = [f"&#{n};" for n in [*range(1, 9), 11, 12, *range(14, 32), 127, 0x81, 0x8D, 0x8F, 0x90, 0x9D]]


def _html_card(field: str, value: str) -> str:
    front = value if field == "front" else "Which stain?"
    back = value if field == "back" else "Smooth muscle actin"
    return (f"- id: evasion\n  front: {json.dumps(front)}\n  back: {json.dumps(back)}\n  topics: [histology]\n"
            "  sources: [src-a]\n")


for _reference in CONTROL_REFERENCES:
    case("HTML filter evasion", f"javascript: split by {_reference}", codes=("E901", "E909"))(
        lambda cards, ref=_reference: card_file(cards, _html_card("front", f'<a href="java{ref}script:alert(1)">x</a>')))

for _name, _html in [
    ("scheme in decimal references", "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)"),
    ("scheme in padded references without semicolons", "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099"
                                                       "&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)"),
    ("scheme in hex references", "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)"),
    ("colon as a named reference", "javascript&colon;alert(1)"),
    ("tab as a named reference", "java&Tab;script:alert(1)"),
    ("newline as a named reference", "java&NewLine;script:alert(1)"),
    ("raw tab in the scheme", "java\tscript:alert(1)"),
    ("leading space and control", "&#x20;&#1;javascript:alert(1)"),
    ("mixed case", "JaVaScRiPt:alert(1)"),
    ("vbscript", "vbscript:msgbox(1)"),
    ("data URL", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    ("percent-encoded control in the scheme", "java%0Cscript:alert(1)"),
]:
    case("HTML filter evasion", f"<a href>: {_name}", codes=("E901",))(
        lambda cards, h=_html: card_file(cards, _html_card("back", f'<a href="{h}">x</a>')))

for _name, _value, _code in [
    ("U+001F in an attribute", '<abbr title="a&#31;b">SMA</abbr>', "E909"),
    ("U+001F in text", "Smooth&#x1f;muscle", "E909"),
    ("remote image behind references", '<img src="&#x2F;&#x2F;evil.example/p.png">', "E901"),
    ("remote image behind a control", '<img src="&#12;//evil.example/p.png">', "E901"),
    ("Markdown link with a control reference", "[x](java&#12;script:alert(1))", "E909"),
    # markdown-it decodes the reference, refuses the link and shows the text: a safe deck, no error.
    ("Markdown link with a reference", "[x](&#106;avascript:alert(1))", None),
]:
    case("HTML filter evasion", _name, exit_code=1 if _code else 0, codes=(_code,) if _code else ())(
        lambda cards, v=_value: card_file(cards, _html_card("back", v)))


# --- tampered deck.lock ------------------------------------------------------------------------------------
LOCK_TIME = 1_790_000_000


def _tamper(edit: Callable[[dict], None] | None = None, text_edit: Callable[[str], str] | None = None):
    """Build the valid project once (outside cards/ and output/), then edit the lock it wrote."""
    def damage(cards: Path) -> None:
        from builder import pipeline

        pipeline.build(cards, cards.parent / "prebuilt", now=LOCK_TIME)
        shutil.rmtree(cards.parent / "prebuilt")
        lock = cards / "deck.lock"
        if edit is not None:
            data = json.loads(lock.read_text())
            edit(data)
            from builder.lock.lockfile import Lock  # noqa: F401  (the layout stays the one dump_lock writes)
            lock.write_text(json.dumps(data, indent=1))
        if text_edit is not None:
            lock.write_text(text_edit(lock.read_text()))
    return damage


def _retire(data: dict, card_id: str, **changes) -> None:
    entry = dict(data["cards"]["valid-basic"], retired="2026-09-21T14:13:20Z", retired_in="1.0.0",
                 question="Which retired question?")
    entry.update(changes)
    data["retired"][card_id] = entry


def _guid(card_id: str) -> str:
    from builder.lock.identity import note_guid

    return note_guid("testdeck", card_id)


for _name, _edit, _code in [
    ("a GUID changed by hand", lambda d: d["cards"]["valid-basic"].update(guid="hand-edited"), "E208"),
    ("a GUID emptied", lambda d: d["cards"]["valid-basic"].update(guid=""), "E208"),
    ("two cards with one GUID", lambda d: d["cards"]["valid-cloze"].update(guid=d["cards"]["valid-basic"]["guid"]),
     "E208"),
    ("a retired entry with a live card's GUID", lambda d: _retire(d, "old-card"), "E208"),
    ("a purged id with a live card's GUID", lambda d: d["purged"].update({"valid-basic-old": _guid("valid-basic")}),
     "E208"),
    ("a modification time in the future", lambda d: d["cards"]["valid-basic"].update(changed="2099-01-01T00:00:00Z"),
     "E208"),
    ("a creation time in the future", lambda d: d.update(created="2099-01-01T00:00:00Z"), "E208"),
    ("a history date in the future", lambda d: d["history"][0].update(date="2099-01-01T00:00:00Z"), "E208"),
    ("a retired id that is not a slug", lambda d: _retire(d, "Old Card <b>", guid=_guid("Old Card <b>")), "E208"),
    ("a retired entry of an unknown note type",
     lambda d: _retire(d, "old-occlusion", guid=_guid("old-occlusion"), notetype="image-occlusion"), "E006"),
    ("a retired entry that is not a mapping", lambda d: d["retired"].update({"old": [1, 2]}), "E006"),
    ("a GUID that is a number", lambda d: d["cards"]["valid-basic"].update(guid=12345), "E006"),
    # `deckbuilder import` records the GUIDs it keeps as adopted; only a recorded adoption carries one.
    ("a GUID adopted for another id", lambda d: (d["cards"]["valid-basic"].update(guid="Ab3$x!9qZ0"),
                                                 d.update(adopted={"valid-cloze": "Ab3$x!9qZ0"})), "E208"),
    ("an adopted GUID with a space", lambda d: (d["cards"]["valid-basic"].update(guid="a b"),
                                                d.update(adopted={"valid-basic": "a b"})), "E208"),
    ("one GUID adopted by two ids", lambda d: d.update(adopted={"valid-basic": "Ab3$x!9qZ0",
                                                                "valid-cloze": "Ab3$x!9qZ0"}), "E208"),
    ("an adopted record that is not a mapping", lambda d: d.update(adopted=["x"]), "E006"),
]:
    case("tampered deck.lock", _name, codes=(_code,))(_tamper(_edit))

case("tampered deck.lock", "two entries for one id (a merge that kept both)", codes=("E006",))(_tamper(
    text_edit=lambda text: text.replace('\n  "cards": {\n', '\n  "cards": {\n  "valid-basic": {},\n', 1)))
case("tampered deck.lock", "a tombstone question carrying a script", exit_code=0)(_tamper(
    lambda d: _retire(d, "old-script", guid=_guid("old-script"), question='Old? <script>alert(1)</script>'
                      '<img src="x.png" onerror="alert(1)"><a href="java&#12;script:alert(1)">x</a>&#31;')))


@case("tampered deck.lock", "deck.lock linked from outside the cards folder", codes=("E002",))
def _(cards: Path) -> None:
    _tamper()(cards)
    (cards / "deck.lock").rename(cards.parent / "elsewhere.lock")
    (cards / "deck.lock").symlink_to(cards.parent / "elsewhere.lock")


# --- values the students' files interpolate ------------------------------------------------------------------
for _key, _value, _exit in [("name", '"Test <img src=x onerror=alert(1)> [d](javascript:alert(1))"', 0),
                            ("version", '"1.0 <script>alert(1)</script> `x"', 0),
                            ("name", '"Deck\\n# heading\\n- item <b onclick=alert(1)>"', 1),
                            ("name", '"Deck \u202e gnp.exe"', 0)]:
    case("interpolated metadata", f"deck {_key}: {_value}", exit_code=_exit, codes=("E105",) if _exit else ())(
        lambda cards, key=_key, value=_value: write(cards / "deck.yaml", "\n".join(
            line if not line.startswith(f"{key}:") else f"{key}: {value}"
            for line in (cards / "deck.yaml").read_text().splitlines()) + "\n"))

for _name, _old, _new in [
    ("topic title", "histology: Histology", 'histology: "Histology <iframe src=//evil.example>"'),
    ("scope title", "general: In general", 'general: "In general ![x](//evil.example/p.png) <svg onload=alert(1)>"'),
]:
    case("interpolated metadata", _name, exit_code=0)(
        lambda cards, old=_old, new=_new: write(cards / "deck.yaml", (cards / "deck.yaml").read_text().replace(old, new)))

case("interpolated metadata", "source title", exit_code=0)(
    lambda cards: write(cards / "sources.yaml", _sources(title='"Source A <img src=x onerror=alert(1)> [s](javascript:alert(2))"')))
case("interpolated metadata", "a cited section", exit_code=0)(
    lambda cards: card_file(cards, VALID_CARD.format(id="sectioned").replace(
        "sources: [src-a]", 'sources:\n    - id: src-a\n      section: "Safety <img src=x onerror=alert(1)>"')))
case("interpolated metadata", "a question showing markup as code (the changelog)", exit_code=0)(
    lambda cards: card_file(cards, VALID_CARD.format(id="code-shown").replace(
        "What cell shape is typical of code-shown?", '"What does `<img src=x onerror=alert(1)>` do?"')))


# --- silent damage ------------------------------------------------------------------------------------------
for _name, _front, _code in [
    ("a front that is an HTML comment", "'<!-- todo -->'", "E406"),
    ("a front that is an unclosed iframe", "'<iframe src=\"x.html\">Which?'", "E406"),
    ("a front that is a bare dash", "'-'", "E406"),
    ("a cloze answer that ends in a brace", None, "E404"),
]:
    def _damage(cards: Path, front=_front) -> None:
        if front is None:
            card_file(cards, "- id: brace\n  type: cloze\n  text: 'The empty set is {{c1::{0}}}.'\n"
                             "  topics: [histology]\n  sources: [src-a]\n")
        else:
            card_file(cards, VALID_CARD.format(id="blank").replace("What cell shape is typical of blank?", front))
    case("silent damage", _name, codes=(_code,))(_damage)

case("silent damage", "tags that differ only in case", codes=("E910",))(
    lambda cards: card_file(cards, VALID_CARD.format(id="a") + "  tags: [High-Yield]\n" + VALID_CARD.format(id="b")
                            + "  tags: [high-yield]\n"))
for _character in ("\u2029", "\u2028", "\x85"):
    case("silent damage", f"an id ending in U+{ord(_character):04X}", codes=("E001",))(
        lambda cards, c=_character: card_file(cards, VALID_CARD.format(id="hidden" + c)))
case("silent damage", "a forbidden character after multibyte text", codes=("E001",))(
    lambda cards: card_file(cards, "- id: cafe\n  front: \"Café — μ 🧪 \x07?\"\n"))
case("silent damage", "bidi controls in an id", codes=("E202",))(
    lambda cards: card_file(cards, VALID_CARD.format(id='"admin\u202e-gnp.exe\u2066"')))


# --- bounded cost ---------------------------------------------------------------------------------------------
def _long_text(seed: int, chars: int, markup: bool = False) -> str:
    import random

    rng = random.Random(seed)
    parts, size = [], 0
    while size < chars:
        word = f"w{rng.randint(0, 20000)}x"
        if markup and rng.random() < 0.02:
            word += " **b** <sub>2</sub> [x](https://example.org) &amp;"
        parts.append(word)
        size += len(word) + 1
    return " ".join(parts)[:chars]


def _long_cards(count: int, chars: int, markup: bool) -> str:
    return "".join(
        f"- id: long-{i}\n  front: {json.dumps('What is ' + _long_text(3 * i, chars, markup) + '?')}\n"
        f"  back: {json.dumps(_long_text(3 * i + 1, chars, markup))}\n"
        f"  extra: {json.dumps(_long_text(3 * i + 2, chars, markup))}\n  topics: [histology]\n  sources: [src-a]\n"
        for i in range(count))


# Before: partial matching of answer and extra took minutes per card at the field-length limit.
case("bounded cost", "five cards with every field at 99,000 characters", exit_code=0)(
    lambda cards: card_file(cards, _long_cards(5, 99_000, markup=False)))
# Before: every question resembling every other meant 200 million near-duplicate pairs, hours of search.
case("bounded cost", "20,000 questions that all resemble each other (3 MB)", exit_code=0)(
    lambda cards: card_file(cards, "".join(
        f"- id: alike-{i}\n  front: What is the typical cell shape of leiomyosarcoma variant v{i}?\n"
        f"  back: Spindle {i}\n  topics: [histology]\n  sources: [src-a]\n" for i in range(20_000))))
case("bounded cost", "twenty cards of 99,000-character fields with markup (6 MB)", exit_code=0)(
    lambda cards: card_file(cards, _long_cards(20, 99_000, markup=True)))


# --- the runner ------------------------------------------------------------------------------------------------------
MEMORY_LIMIT = 2 * 1024 ** 3  # address space per runner: a runaway allocation fails, the machine does not
SECONDS_PER_CASE = 60


def make_project(root: Path) -> Path:
    cards = root / "cards"
    cards.mkdir(parents=True)
    shutil.copy(DATA / "base" / "deck.yaml", cards / "deck.yaml")
    shutil.copy(DATA / "base" / "sources.yaml", cards / "sources.yaml")
    shutil.copy(DATA / "cards" / "valid.yaml", cards / "valid.yaml")
    return cards


_ACTIVE_TAGS = ("script", "iframe", "frame", "svg", "math", "object", "embed", "form", "input", "style", "link",
                "meta", "base", "video", "audio")
_FIELD_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def active_markup(html_text: str, images_allowed: bool = True) -> list[str]:
    """Tags and attributes in HTML that act or load, judged as a browser and Anki's importer see them."""
    from html.parser import HTMLParser

    found = []

    class Scan(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in _ACTIVE_TAGS or (tag == "img" and not images_allowed):
                found.append(f"<{tag}>")
            for name, value in attrs:
                seen = re.sub(r"[\x00-\x20\x7f-\x9f]", "", value or "").lower()
                scheme = seen.split("/")[0].split("?")[0].split("#")[0]
                if name.startswith("on") or (name in ("href", "src", "action", "formaction") and (
                        seen.startswith(("//", "\\\\")) or (":" in scheme and not scheme.startswith(
                            ("http:", "https:", "mailto:"))))):
                    found.append(f"{name}={value!r}")

    Scan(convert_charrefs=True).feed(_FIELD_CONTROLS.sub("", html_text))
    return found


def without_our_page_chrome(page: str) -> str:
    """A study sheet less what we write around the cards: our head (charset, inline stylesheet) and the
    self-test checkbox, exactly. Nothing that came from a card is removed."""
    from builder.publish.exports import SELF_TEST_CONTROL

    text, heads = re.subn(r"<head>.*?</head>", "", page, count=1, flags=re.DOTALL)
    assert heads == 1 and page.count(SELF_TEST_CONTROL) == 1
    return text.replace(SELF_TEST_CONTROL, "", 1)


def unsafe_outputs(output: Path) -> list[str]:
    """What in a build's outputs could act, load or break a student's Anki: nothing, for an intact safe deck."""
    import sqlite3
    import tempfile
    import zipfile

    from markdown_it import MarkdownIt

    problems = []
    for path in sorted(output.iterdir()):
        if path.suffix == ".md":
            for renderer in (MarkdownIt("commonmark", {"html": True}),
                             MarkdownIt("gfm-like", {"html": True, "linkify": False})):
                problems += [f"{path.name}: {m}" for m in active_markup(renderer.render(path.read_text()), False)]
        elif path.suffix in (".html", ".tsv"):
            text = path.read_text()
            if path.suffix == ".html":
                text = without_our_page_chrome(text)
            else:  # the fields are HTML (#html:true); the deck column is a name, which Anki shows as text
                import csv

                csv.field_size_limit(1 << 30)

                rows = csv.reader((line for line in text.splitlines(keepends=True) if not line.startswith("#")),
                                  delimiter="\t")
                text = "\n".join(cell for row in rows for cell in row[3:5])
            problems += [f"{path.name}: {m}" for m in active_markup(text)]
            problems += [f"{path.name}: control character" for _ in _FIELD_CONTROLS.findall(text)]
        elif path.suffix == ".apkg":
            with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(path) as package:
                package.extract("collection.anki2", scratch)
                db = sqlite3.connect(Path(scratch) / "collection.anki2")
                models = json.loads(db.execute("select models from col").fetchone()[0])
                for mid, fields in db.execute("select mid, flds from notes"):
                    if len(fields.split("\x1f")) != len(models[str(mid)]["flds"]):
                        problems.append(f"{path.name}: a note with the wrong number of fields")
                    for field in fields.split("\x1f"):
                        problems += [f"{path.name}: {m}" for m in active_markup(field)]
                        problems += [f"{path.name}: control character" for _ in _FIELD_CONTROLS.findall(field)]
                db.close()
    return problems


class _TooSlow(Exception):
    pass


def _on_alarm(_signum, _frame):
    raise _TooSlow()


def run_case(number: int, root: Path) -> dict:
    """Damage a fresh project, then run `check --format json` and `build`; what they did, as data."""
    from click.testing import CliRunner

    from builder.cli import main

    found = CASES[number]
    project = root / f"case-{number}"
    cards = make_project(project)
    found.damage(cards)
    os.chdir(project)
    outcome = {"number": number, "category": found.category, "name": found.name}
    signal.alarm(SECONDS_PER_CASE)
    try:
        for command in (["check", "--format", "json"], ["build"]):
            result = CliRunner().invoke(main, command)
            problem = None
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                problem = "".join(traceback.format_exception(*result.exc_info))
            outcome[command[0]] = {"exit": result.exit_code, "output": result.output, "crash": problem}
    except _TooSlow:
        outcome["hang"] = True
    finally:
        signal.alarm(0)
        os.chdir(root)
    outcome["output_folder"] = (project / "output").exists()
    if outcome.get("build", {}).get("exit") == 0 and outcome["output_folder"]:
        outcome["unsafe_outputs"] = unsafe_outputs(project / "output")
    return outcome


def main() -> None:
    """Run every case (or those numbered in argv) and print one JSON line each."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    signal.signal(signal.SIGALRM, _on_alarm)
    root = Path(sys.argv[1])
    numbers = [int(n) for n in sys.argv[2:]] or range(len(CASES))
    for number in numbers:
        print(json.dumps({"starting": number}), flush=True)  # names the case if this process dies
        print(json.dumps(run_case(number, root)), flush=True)


if __name__ == "__main__":
    main()
