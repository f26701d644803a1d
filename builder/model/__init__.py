"""The plain data every stage passes on: the card set (cards/deck/sources, each with its
file:line), diagnostics, the table of codes, the errors that stop a command, and each rule's options.
Imports only builder.text.

This module is the stage's interface: what the stages above it use (docs/architecture.md).
"""

from .cards import (
    Acceptance, AdoptedNotetype, Adoption, BASIC_FIELDS, CLOZE_FIELDS, Card, CardSet, CardType, CheckConfig, DeckDefinition, DeckSpec, Placement, Source, SourceRef,
    TEXT_FIELDS, main_deck,
)
from .codes import CODES, diagnostic
from .diagnostics import Counted, Diagnostic, Location, Severity, count_errors, sorted_diagnostics
from .errors import DeckbuilderError
from .rule_options import RULE_OPTIONS

__all__ = [
    "Acceptance", "AdoptedNotetype", "Adoption", "BASIC_FIELDS", "CLOZE_FIELDS", "CODES", "Card", "CardSet", "CardType", "CheckConfig", "Counted", "DeckDefinition", "DeckSpec",
    "DeckbuilderError", "Diagnostic", "Location", "Placement", "RULE_OPTIONS", "Severity", "Source", "SourceRef",
    "TEXT_FIELDS", "count_errors", "diagnostic", "main_deck", "sorted_diagnostics",
]
