"""A field's HTML as one line of plain text: how lists of cards name a card.

Used by the changelog and by the build's plan (which keeps each changed
card's texts in deck.lock), so it sits below both.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^>]+>")
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::([^}]*))?\}\}")
TEXT_LIMIT = 200  # of a question or answer kept in a version's record


def counted(number: int, noun: str) -> str:
    """'1 card', '3 cards': a count with its noun, for every sentence that reports one."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def plain(fragment: str, limit: int = 90, cloze: bool = False) -> str:
    """A field's HTML as one line of plain text, shortened for a list.

    A cloze deletion becomes its blank (``[hint]`` or ``[…]``), never its answer; with
    ``cloze``, the ``{{c1::...}}`` markup is kept (for a record that shows it behind a spoiler).
    """
    text = _TAG.sub(" ", fragment) if "<" in fragment else fragment
    text = " ".join((html.unescape(text) if "&" in text else text).split())
    if "{{" in text and not cloze:
        text = _CLOZE.sub(lambda m: f"[{m.group(2) or '…'}]", text)
    return text if len(text) <= limit else shorten(text, limit)


_OPEN_DELETION = re.compile(r"\{\{c\d+::(?:(?!\}\}).)*$", re.DOTALL)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with "…", never inside cloze markup: a cut deletion
    ("{{c2::histioc…") would show markup, and part of an answer, where a reader expects a blank."""
    kept = without_open_deletion(text[: limit - 1])
    return kept.rstrip() + "…"


def without_open_deletion(text: str) -> str:
    """``text`` without a trailing deletion that was cut before its closing braces (records written
    before ``shorten`` kept them, and a version's record never changes)."""
    return _OPEN_DELETION.sub("", text)
