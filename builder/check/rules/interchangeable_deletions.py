"""W808: a cloze whose deletions are interchangeable items of one list.

"Mimics include {{c1::melanoma}}, {{c2::squamous cell carcinoma}} and
{{c3::basal cell carcinoma}}": each card shows the other items and hides one,
and nothing in the sentence says which blank is which, so any blank accepts
another's answer. The student learns the order of a list, not the list.
Deletions are items of one list when only commas, "and", "or" and articles
stand between them. Hide the whole list as one deletion (``{{c1::...}}`` on
every item), or make one card per item with a cue that singles it out
(option ``min_items``: how many separately numbered items make a list).
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from ...text import parse
from ...model import Card, CardType, RULE_OPTIONS
from .context import CheckContext, Finding

CODE = "W808"
OPTIONS = RULE_OPTIONS[CODE]

FAILING = """\
- id: differential-malignant-mimics
  type: cloze
  text: >-
    Malignant mimics of cutaneous LMS: {{c1::amelanotic melanoma}},
    {{c2::squamous cell carcinoma}} and {{c3::basal cell carcinoma}}.
"""
PASSING = """\
- id: differential-malignant-mimics
  type: cloze
  text: >-
    Malignant mimics of cutaneous LMS: {{c1::amelanotic melanoma}},
    {{c1::squamous cell carcinoma}} and {{c1::basal cell carcinoma}}.
"""

# What may stand between two items of one list.
_LIST_GAP = re.compile(r"^(?:[\s,;/]|\b(?:and|or|the|a|an|and/or)\b)*$", re.IGNORECASE)


def runs(text: str) -> list[list]:
    """The deletions of ``text`` grouped into lists: consecutive deletions with only separators between."""
    deletions = sorted(parse(text)[0], key=lambda d: d.offset)
    groups: list[list] = []
    previous_end = None
    for deletion in deletions:
        if previous_end is not None and _LIST_GAP.match(text[previous_end:deletion.offset]):
            groups[-1].append(deletion)
        else:
            groups.append([deletion])
        previous_end = text.find("}}", deletion.offset) + 2
    return groups


def check_cards(ctx: CheckContext, cards: Iterable[Card]) -> Iterator[Finding]:
    minimum = ctx.options["min_items"]
    for card in cards:
        if card.type is not CardType.CLOZE or len(parse(card.text)[0]) < max(minimum, 2):
            continue  # a list is some of the card's deletions, and two numbers need two deletions
        for group in runs(card.text):
            numbers = sorted({d.number for d in group})
            if len(group) >= minimum and len(numbers) >= 2:
                items = ", ".join(f"'{d.answer}'" for d in group)
                yield Finding(card.where("text"), (
                    f"cloze card '{card.id}': {', '.join(f'c{n}' for n in numbers)} are items of one list ({items}); "
                    "any blank accepts another's answer: hide the list as one deletion, or give each item a cue"),
                    card.id)
                break
