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


# Beyond this many ids, a line names the first few and counts the rest.
LISTED_IDS = 8


def _ids(ids) -> str:
    ids = list(ids)
    shown = ", ".join(ids[:LISTED_IDS])
    return shown if len(ids) <= LISTED_IDS else f"{shown} and {len(ids) - LISTED_IDS} more"


def change_summary(changes) -> list[str]:
    """What a build changed, as a few lines for the terminal."""
    if not changes:
        return ["No changes to the deck since the last build."]
    lines = []
    if changes.added:
        lines.append(f"Added {_plural(len(changes.added), 'card')}: {_ids(changes.added)}")
    changed = list(changes.changed.items())
    for card_id, fields in changed[:LISTED_IDS]:
        lines.append(f"Changed {card_id}: {', '.join(fields)}")
    if len(changed) > LISTED_IDS:
        lines.append(f"Changed {len(changed) - LISTED_IDS} more cards (see CHANGELOG.md)")
    if changes.retired:
        lines.append(f"Retired {_plural(len(changes.retired), 'card')} (shipped as tombstones): "
                     f"{_ids(changes.retired)}")
    if changes.notetypes:
        lines.append(f"Note type style changed: {', '.join(changes.notetypes)}")
    return lines
