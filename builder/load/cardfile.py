"""One card file's bytes parsed into cards: the unit the parse cache keeps.

Split from loader.py so that the cache (which loader uses) depends only on the
model and on parsing, never on the loader.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import Card, CardType, Diagnostic, diagnostic
from .cardfields import card_of
from .schema import CARD_FIELDS, CARD_TYPE, INVALID, other_type_hints, read_fields, read_value
from .fastcards import fast_cards
from .yamlsource import Mapping, ParsedFile, Scalar, Sequence, parse_bytes


@dataclass(frozen=True)
class CardFile:
    """What one card file yields: its cards and its problems. The unit the parse cache keeps."""

    display: str
    cards: tuple[Card, ...]
    complete: bool  # every card in it could be loaded
    diagnostics: tuple[Diagnostic, ...]


def load_card_file(data: bytes, display: str) -> CardFile:
    """Parse one card file's bytes into cards (a pure function of the bytes and the displayed path).

    A file with nothing to report is read the quick way (fastcards.py); any other, the careful way."""
    cards = fast_cards(data, display)
    if cards is not None:
        return CardFile(display, cards, True, ())
    return careful_card_file(data, display)


def careful_card_file(data: bytes, display: str) -> CardFile:
    """``load_card_file`` the careful way: every value positioned, every problem a diagnostic."""
    root, problems = parse_bytes(data, display)
    parsed = ParsedFile(Path(display), display, root, tuple(problems))
    cards, complete = _cards_in(parsed, problems)
    return CardFile(display, tuple(cards), complete, tuple(problems))


def _cards_in(parsed: ParsedFile, problems: list[Diagnostic]) -> tuple[list[Card], bool]:
    """The cards of one file, and whether every card in it could be loaded."""
    root = parsed.root
    if root is None or isinstance(root, Scalar) and root.is_null:
        return [], not parsed.diagnostics  # an empty file (or document) is fine; an unparsable one is not
    if not isinstance(root, Sequence):
        problems.append(diagnostic(
            "E004", root.location, "a card file must be a list of cards, each starting with '- id: ...'"))
        return [], False
    cards = []
    for item in root.items:
        if not isinstance(item, Mapping):
            problems.append(diagnostic("E004", item.location, f"a card must be a mapping of fields, not {item.kind}"))
            continue
        card = _card(item, problems)
        if card is not None:
            cards.append(card)
    return cards, len(cards) == len(root.items)


def _card(node: Mapping, problems: list[Diagnostic]) -> Card | None:
    card_type = CardType.BASIC
    if "type" in node.entries:
        value = read_value(CARD_TYPE, node.entries["type"], problems)
        if value is INVALID:
            return None
        card_type = CardType(value)
    fields = read_fields(node, CARD_FIELDS[card_type], "card", problems, other_type_hints(card_type))
    if not fields.complete:
        return None
    return card_of(card_type, fields.values, node.location, fields.positions)
