"""Parsing cloze text: the deletions it holds, and what is wrong with its syntax.

Anki's deletions look like ``{{c1::answer}}`` or ``{{c1::answer::hint}}``;
each number becomes one card. A regular expression finds well-formed
deletions but cannot say what is wrong with a malformed one, so this is a
small scanner over ``{{`` and ``}}``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable

_OPEN = re.compile(r"\{\{c(\d+)::")


@dataclass(frozen=True)
class Deletion:
    number: int
    answer: str
    hint: str | None
    offset: int  # where "{{c" starts in the text


@dataclass(frozen=True)
class ClozeProblem:
    offset: int
    message: str


@functools.lru_cache(maxsize=65536)  # several checks parse the same card's text
def parse(text: str) -> tuple[tuple[Deletion, ...], tuple[ClozeProblem, ...]]:
    deletions: list[Deletion] = []
    problems: list[ClozeProblem] = []
    # Open deletions: [offset of "{{", number, offset of content, holds a nested deletion]
    open_at: list[list] = []
    position = 0
    while True:
        start = text.find("{{", position)
        end = text.find("}}", position)
        if start == -1 and end == -1:
            break
        if start != -1 and (end == -1 or start < end):
            opening = _OPEN.match(text, start)
            if opening is None:
                problems.append(ClozeProblem(start, "'{{' that does not start a deletion like {{c1::answer}}"))
                closing = text.find("}}", start + 2)
                position = start + 2 if closing == -1 else closing + 2  # one report per malformed block
                continue
            if open_at:
                problems.append(ClozeProblem(start, "a deletion inside another deletion (nesting is not supported)"))
                open_at[-1][3] = True
            open_at.append([start, int(opening.group(1)), opening.end(), False])
            position = opening.end()
        else:
            if not open_at:
                problems.append(ClozeProblem(end, "'}}' without an opening {{cN::"))
            else:
                begin, number, content_start, nested = open_at.pop()
                answer, _, hint = text[content_start:end].partition("::")
                if number == 0:
                    problems.append(ClozeProblem(begin, "{{c0::...}} is not a deletion: numbers start at c1"))
                elif not answer.strip():
                    problems.append(ClozeProblem(begin, f"deletion c{number} is empty"))
                elif not open_at and not nested:  # nesting is reported above; neither side counts
                    deletions.append(Deletion(number, answer, hint or None, begin))
                    if text.startswith("}", end + 2):
                        # "{{c1::{0}}}": Anki closes at the first "}}" too, so the answer is "{0" and
                        # its brace shows after the blank.
                        problems.append(ClozeProblem(begin, (
                            f"deletion c{number} is followed by '}}': Anki ends a deletion at the first "
                            "'}}', so its answer would lose the closing brace; put a space before the "
                            "closing '}}' or write the brace as &#125;")))
            position = end + 2
    for begin, number, _, _ in open_at:
        problems.append(ClozeProblem(begin, f"deletion c{number} is never closed with '}}}}'"))
    return tuple(deletions), tuple(sorted(problems, key=lambda p: p.offset))


def replace_deletions(text: str, replacement: Callable[[Deletion], str]) -> str:
    """``text`` with each deletion, markup and all, replaced by ``replacement(deletion)``, in one pass over the
    text as written: each deletion's offset is into that text, so none may be spliced into a changed one."""
    pieces, position = [], 0
    for deletion in sorted(parse(text)[0], key=lambda d: d.offset):
        if deletion.offset < position:  # inside one already replaced (a nested one is E404's business)
            continue
        closing = text.find("}}", deletion.offset)
        pieces += [text[position:deletion.offset], replacement(deletion)]
        position = closing + 2 if closing >= 0 else len(text)
    pieces.append(text[position:])
    return "".join(pieces)
