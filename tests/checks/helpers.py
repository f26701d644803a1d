"""Run one rule over a small project and list what it reports."""

from __future__ import annotations

from types import ModuleType

from builder.checks import CheckContext, run_checks
from builder.loader import load_card_set

from ..conftest import positions


def rule_positions(rule: ModuleType, cards_dir, source_texts=None) -> list[tuple[str, str, int, int]]:
    result = load_card_set(cards_dir)
    assert result.card_set is not None, result.diagnostics
    return positions(run_checks(CheckContext(result.card_set, source_texts), rules=[rule]))
