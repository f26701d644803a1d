"""Plain values written into the Markdown files students receive, escaped so Markdown keeps them text.

A deck name, a source title or a card's question shown in a changelog line can
hold anything YAML (or deck.lock) allows: "<img onerror=...>", "[x](javascript:...)",
"**", a line break that would start a list. Markdown viewers show raw HTML and
follow links, so a value interpolated into ``output/*.md``, ``output/README.md``
or ``output/CHANGELOG.md`` goes through ``text`` (or ``code`` for ids, file
names and tags); a test renders every Markdown output with a CommonMark
renderer and scans the result.
"""

from __future__ import annotations

import re

from .markup import TEXT_CONTROLS

# Everything CommonMark can make active inline or at a line start: emphasis, code, links, images, autolinks,
# tables, strikethrough, headings, character references. Backslash escapes work on any ASCII punctuation.
_ACTIVE = re.compile(r"([\\`*_\[\]!|~#])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_HTML = re.compile(r"[&<>]")
# Bidirectional controls reorder what a reader sees ("Trojan source"); they are shown as code points.
BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# Most values (a card's question, a source's title, an id) come out of ``text`` and ``code`` as they went in:
# those are found with one search and returned as they are, instead of five passes each. A value takes the
# long way if it holds a character that one of the substitutions acts on (controls, bidi controls, and here
# every whitespace character but the space, which split() and join() would change), or spaces that the
# join changes (doubled, or at an edge). tests/text/test_mdtext.py checks this against every character.
_CHANGED = r"\x00-\x1f\x7f-\xa0\u061c\u1680\u2000-\u200a\u200e\u200f\u2028\u2029\u202a-\u202f\u205f\u2066-\u2069\u3000"
_TEXT_CHANGES = re.compile("[" + _CHANGED + r"&<>\\`*_\[\]!|~#" + "]")
_CODE_CHANGES = re.compile("[" + _CHANGED + "`]")


def _unchanged(value: object, changes: re.Pattern) -> bool:
    return (type(value) is str and not changes.search(value) and "  " not in value
            and value[:1] != " " and value[-1:] != " ")


def _one_line(value: str) -> str:
    value = TEXT_CONTROLS.sub("", value)
    value = BIDI.sub(lambda found: f"U+{ord(found.group()):04X}", value)
    return " ".join(value.split())  # a line break could start a block (a list, a heading, raw HTML)


def text(value: object) -> str:
    """``value`` as Markdown that renders to exactly that text, on one line."""
    if _unchanged(value, _TEXT_CHANGES):
        return value  # what _text would return (tests/text/test_mdtext.py)
    return _text(value)


def _text(value: object) -> str:
    value = _one_line(str(value))
    value = _HTML.sub(lambda found: _ENTITIES[found.group()], value)
    return _ACTIVE.sub(r"\\\1", value)


def code(value: object) -> str:
    """``value`` as an inline code span (nothing inside one is interpreted), whatever backticks it holds."""
    if value and _unchanged(value, _CODE_CHANGES):
        return f"`{value}`"  # what _code makes of it: one backtick each side, no padding
    return _code(value)


def _code(value: object) -> str:
    value = _one_line(str(value))
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or not value.strip() else ""
    return f"{fence}{pad}{value}{pad}{fence}"
