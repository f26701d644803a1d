"""Render diagnostics: for people (a compiler-style line each), for programs (JSON),
and for GitHub Actions (workflow annotations)."""

from __future__ import annotations

import json
import re

import click

from ..model import CODES, Diagnostic, Severity
from ..text import counted

JSON_FORMAT_VERSION = 1
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


def _code_label(diagnostic: Diagnostic) -> str:
    """The code, plus the level when deck.yaml re-levelled it (W801[error])."""
    if diagnostic.severity is CODES[diagnostic.code].severity:
        return diagnostic.code
    return f"{diagnostic.code}[{diagnostic.severity.value}]"


# Control characters in a message (a file name or a key can hold any) are shown, not sent to the terminal;
# so are bidirectional controls, which would reorder the rest of the line ("Trojan source").
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


MAX_SHOWN_CHARS = 600  # of one message on a terminal (JSON keeps it whole)


def printable(text: str) -> str:
    """Control characters escaped; a message that would fill the screen (a 10,000-character id) cut short."""
    if len(text) > MAX_SHOWN_CHARS:
        text = f"{text[:MAX_SHOWN_CHARS]}… ({len(text) - MAX_SHOWN_CHARS:,} more characters)"
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)


def format_diagnostic(diagnostic: Diagnostic, colour: bool = False) -> str:
    code = _code_label(diagnostic)
    location, message = printable(str(diagnostic.location)), printable(diagnostic.message)
    if colour:
        location = click.style(location, bold=True)
        code = click.style(code, fg=_COLOURS[diagnostic.severity], bold=True)
    return f"{location}: {code} {message}"


def summary(error_count: int, warning_count: int, card_count: int, file_count: int) -> str:
    scope = f"{counted(card_count, 'card')} in {counted(file_count, 'file')}"
    if not error_count and not warning_count:
        return f"No problems ({scope})."
    return f"{counted(error_count, 'error')}, {counted(warning_count, 'warning')} ({scope})."


# Bidirectional controls, written in JSON as \u escapes: the same string to a program, inert on a terminal.
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def as_json(diagnostics: tuple[Diagnostic, ...], error_count: int, warning_count: int, card_count: int,
            file_count: int) -> str:
    """A stable, machine-readable report (its shape changes only with JSON_FORMAT_VERSION)."""
    text = _json_report(diagnostics, error_count, warning_count, card_count, file_count)
    return _BIDI.sub(lambda found: f"\\u{ord(found.group()):04x}", text) if _BIDI.search(text) else text


def _json_report(diagnostics: tuple[Diagnostic, ...], error_count: int, warning_count: int, card_count: int,
                 file_count: int) -> str:
    return json.dumps({
        "version": JSON_FORMAT_VERSION,
        "summary": {"errors": error_count, "warnings": warning_count, "cards": card_count, "files": file_count},
        "diagnostics": [
            {
                "code": d.code, "name": CODES[d.code].name, "severity": d.severity.value,
                "file": d.location.file, "line": d.location.line, "column": d.location.column,
                "message": d.message, "subject": d.subject,
            }
            for d in diagnostics
        ],
    }, indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command: shows the problem on the line in the pull request."""
    loc = diagnostic.location
    title = f"{diagnostic.code} {CODES[diagnostic.code].name}"
    properties = (f"file={_escape_property(loc.file)},line={loc.line},col={loc.column},"
                  f"title={_escape_property(title)}")
    return f"::{diagnostic.severity.value} {properties}::{_escape_data(printable(diagnostic.message))}"


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
        lines.append(f"Added {counted(len(changes.added), 'card')}: {_ids(changes.added)}")
    changed = list(changes.changed.items())
    for card_id, fields in changed[:LISTED_IDS]:
        lines.append(f"Changed {card_id}: {', '.join(fields)}")
    if len(changed) > LISTED_IDS:
        lines.append(f"Changed {len(changed) - LISTED_IDS} more cards (see CHANGELOG.md)")
    if changes.renamed:
        lines.append(f"Renamed: {_ids(f'{old} -> {new}' for new, old in changes.renamed.items())}")
    if changes.retired:
        lines.append(f"Retired {counted(len(changes.retired), 'card')} (shipped as tombstones): "
                     f"{_ids(changes.retired)}")
    if changes.restored:
        lines.append(f"Restored {counted(len(changes.restored), 'card')}: {_ids(changes.restored)}")
    if changes.notetypes:
        lines.append(f"Note type style changed: {', '.join(changes.notetypes)}")
    return lines


def waiting_summary(changes) -> list[str]:
    """Unretired cards whose YAML has not come back: still shipped as tombstones."""
    if not changes.waiting:
        return []
    return [f"Still retired, waiting for their YAML (same id) after `unretire`: {_ids(changes.waiting)}"]


def release_summary(plan, built: bool = True) -> list[str]:
    """What the build did (or, not ``built``, would do) to the record of versions."""
    from ..lock import to_iso

    release = plan.release
    if release.releasing:
        verb = "Released" if built else "The next build releases"
        return [f"{verb} version {release.version}: CHANGELOG.md records it, and that record will not change."]
    when = to_iso(release.released_on)[:10] if release.released_on is not None else "earlier"
    lines = []
    if release.base != release.version:
        lines.append(f"deck.yaml names version {release.version}, released before {release.base}: versions "
                     f"never go back, so this build ships as {release.label}.")
    if not release.unreleased:
        return lines
    if not plan.changes:  # nothing new in this build, but changes wait (a purge, or earlier builds)
        return lines + [f"Unreleased changes since version {release.base} ship as {release.label} "
                        "(see CHANGELOG.md). Set a new `version` in deck.yaml to release them."]
    verb = "are" if built else "would be"
    return lines + [f"Version {release.version} was already released ({when}), so these changes {verb} recorded "
                    f"as unreleased and ship as {release.label}. Set a new `version` in deck.yaml to release them."]
