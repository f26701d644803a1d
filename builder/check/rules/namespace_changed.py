"""E204: deck.yaml's namespace differs from the one deck.lock was built with.

Note-type ids derive from the namespace. With new ids, every student's
existing note would conflict with its update, and edits would stop arriving.
"""

from __future__ import annotations

from typing import Iterator

from .context import CheckContext, Finding

CODE = "E204"
NEEDS = ("lock",)

FAILING = """\
# deck.lock was built with namespace: leiomyosarcoma
namespace: lms
"""
PASSING = """\
namespace: leiomyosarcoma
"""


def check(ctx: CheckContext) -> Iterator[Finding]:
    deck = ctx.card_set.deck
    if ctx.lock is not None and ctx.lock.namespace != deck.namespace:
        yield Finding(deck.where("namespace"), (
            f"namespace is '{deck.namespace}' but the deck was released as '{ctx.lock.namespace}'; "
            "changing it would stop every update reaching students. Restore it "
            f"(namespace: {ctx.lock.namespace})"))
