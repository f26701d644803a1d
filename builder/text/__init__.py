"""The bottom layer: card text as strings. Cloze parsing, Markdown to safe HTML, what HTML holds
(scripts, media), Markdown escaping, content-derived media names, HTML as one line of plain text.
Imports nothing of builder.

This module is the stage's interface: what the stages above it use (docs/architecture.md).
"""

from .cloze import parse, replace_deletions
from .htmlscan import media_references, scan
from .markup import TEXT_CONTROLS, is_plain, render, sanitise, to_html, unbalanced_math
from .medianames import author_name, publish, rename_references
from .plaintext import TEXT_LIMIT, counted, plain, without_open_deletion

__all__ = [
    "TEXT_CONTROLS",
    "TEXT_LIMIT", "author_name", "counted", "is_plain", "media_references", "parse", "plain", "replace_deletions", "publish", "rename_references",
    "render", "sanitise", "scan", "to_html", "unbalanced_math", "without_open_deletion",
]
