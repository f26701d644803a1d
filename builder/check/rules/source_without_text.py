"""W603: a source names no text file, so cards citing it cannot be grounded.

With ``check --sources DIR``, every figure on a card is looked up in the
texts the card cites. A source without a ``file`` (and ``sha256``) in
sources.yaml has no text to look in: its cards' figures go unchecked.
"""

from __future__ import annotations

from typing import Iterator

from .context import CheckContext, Finding

CODE = "W603"
NEEDS = ("sources",)

FAILING = """\
# sources.yaml
- id: textbook
  title: A printed textbook
"""
PASSING = """\
# sources.yaml
- id: textbook
  title: A printed textbook
  file: textbook-chapter-3.txt
  sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.source_texts is None:
        return
    for source in ctx.card_set.sources:
        if not source.file:
            yield Finding(source.where("id"),
                          f"source '{source.id}' names no 'file', so figures citing it cannot be grounded", source.id)
