"""E910: card tags that differ only in letter case.

Anki compares tags without regard to case and keeps whichever spelling a
collection met first, level by level of a '::' hierarchy: "High-Yield" and
"high-yield" are one tag, and "Exam::step1" and "exam::step2" share the
parent "exam" or "Exam". The deck would not show students what the YAML
says; spell each tag (and each level) one way.
"""

from __future__ import annotations

from typing import Iterator

from .context import CheckContext, Finding

CODE = "E910"

FAILING = """\
- id: margins-dermal
  tags: [High-Yield]
- id: margins-subcutaneous
  tags: [high-yield]
"""
PASSING = """\
- id: margins-dermal
  tags: [high-yield]
- id: margins-subcutaneous
  tags: [high-yield]
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    first: dict[str, tuple[str, str]] = {}  # case-folded level path -> (as first spelt, card id)
    for card in ctx.card_set.cards:
        for index, tag in enumerate(card.tags):
            levels = tag.split("::")
            for depth in range(1, len(levels) + 1):
                spelt = "::".join(levels[:depth])
                seen = first.setdefault(spelt.casefold(), (spelt, card.id))
                if seen[0] != spelt:
                    yield Finding(card.where("tags", index), (
                        f"tag '{tag}' of card '{card.id}' is spelt '{spelt}' where card '{seen[1]}' has "
                        f"'{seen[0]}': Anki ignores case in tags and would keep one spelling"), card.id)
                    break
