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


def _one_line(value: str) -> str:
    value = TEXT_CONTROLS.sub("", value)
    value = BIDI.sub(lambda found: f"U+{ord(found.group()):04X}", value)
    return " ".join(value.split())  # a line break could start a block (a list, a heading, raw HTML)


def text(value: object) -> str:
    """``value`` as Markdown that renders to exactly that text, on one line."""
    value = _one_line(str(value))
    value = _HTML.sub(lambda found: _ENTITIES[found.group()], value)
    return _ACTIVE.sub(r"\\\1", value)


def code(value: object) -> str:
    """``value`` as an inline code span (nothing inside one is interpreted), whatever backticks it holds."""
    value = _one_line(str(value))
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or not value.strip() else ""
    return f"{fence}{pad}{value}{pad}{fence}"
