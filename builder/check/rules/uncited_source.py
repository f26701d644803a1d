"""W503: a source that no card cites.

Either cards that should cite it do not, or it no longer belongs in
sources.yaml (the deck description lists only cited sources).
"""

from __future__ import annotations

from typing import Iterator

from .context import CheckContext, Finding
from .deck_index import deck_index

CODE = "W503"

FAILING = """\
# sources.yaml lists 'old-textbook', and no card has it under 'sources'
"""
PASSING = """\
# every source in sources.yaml is cited by at least one card
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    cited = deck_index(ctx.card_set).cited
    for source in ctx.card_set.sources:
        if source.id not in cited:
            yield Finding(source.where("id"), f"no card cites source '{source.id}'", source.id)
