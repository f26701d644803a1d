"""Render diagnostics for people: one line each, like a compiler, then a summary."""

from __future__ import annotations

from .diagnostics import Diagnostic


def format_diagnostic(diagnostic: Diagnostic) -> str:
    return f"{diagnostic.location}: {diagnostic.code} {diagnostic.message}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(error_count: int, warning_count: int, card_count: int, file_count: int) -> str:
    scope = f"{_plural(card_count, 'card')} in {_plural(file_count, 'file')}"
    if not error_count and not warning_count:
        return f"No problems ({scope})."
    return f"{_plural(error_count, 'error')}, {_plural(warning_count, 'warning')} ({scope})."
