"""E401: a cloze card without a {{cN::...}} deletion.

genanki writes such a note with no cards at all, and Anki will not create
one on import: the card would silently never reach a student.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..diagnostics import Location
from ..model import CardType
from .context import CheckContext

CODE = "E401"
# The pattern genanki uses to find deletions: N >= 1 and a non-empty answer.
DELETION = re.compile(r"\{\{c([1-9]\d*)::.+?\}\}", re.DOTALL)


def check(ctx: CheckContext) -> Iterator[tuple[Location, str]]:
    card_set = ctx.card_set
    for card in card_set.cards:
        if card.type is CardType.CLOZE and not DELETION.search(card.text):
            yield card.where("text"), f"cloze card '{card.id}' has no deletion such as {{{{c1::answer}}}}"
