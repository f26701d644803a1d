"""The pipeline as plain functions: load, check, plan, write.

The CLI calls exactly one of these per command and renders the result.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .checks import CheckContext, run_checks
from .codes import diagnostic
from .diagnostics import Counted, Diagnostic, Location, count_errors, sorted_diagnostics
from .errors import DeckbuilderError
from .loader import MEDIA_DIR, display_path, load_card_set, media_files
from .lockfile import LOCK_FILE, Lock, read_lock
from .model import CardSet

if TYPE_CHECKING:
    from .reconcile import Changes, Plan

CHANGELOG_FILE = "CHANGELOG.md"


def build_time() -> int:
    """Now, in whole seconds; SOURCE_DATE_EPOCH pins it (reproducible-builds.org)."""
    pinned = os.environ.get("SOURCE_DATE_EPOCH")
    if pinned:
        try:
            return int(pinned)
        except ValueError:
            raise DeckbuilderError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {pinned!r}") from None
    return int(time.time())


@dataclass(frozen=True)
class CheckResult(Counted):
    card_set: CardSet | None  # None when deck.yaml or sources.yaml is unusable
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...] = ()
    card_count: int = 0
    lock: Lock | None = None  # what earlier builds shipped
    lock_path: Path | None = None


def check(cards_dir: Path, sources_dir: Path | None = None) -> CheckResult:
    """Load and check the cards; with ``sources_dir``, also ground their figures in the source texts."""
    loaded = load_card_set(cards_dir)
    diagnostics = list(loaded.diagnostics)
    lock_path = cards_dir / LOCK_FILE
    lock, problems = read_lock(lock_path, display_path(lock_path))
    diagnostics.extend(problems)
    if loaded.card_set is not None:
        source_texts = None
        if sources_dir is not None:
            from .grounding import load_source_texts

            source_texts, problems = load_source_texts(loaded.card_set, sources_dir)
            diagnostics.extend(problems)
        media = frozenset(media_files(cards_dir))
        diagnostics.extend(run_checks(CheckContext(
            loaded.card_set, source_texts, lock, media, display_path(cards_dir / MEDIA_DIR))))
    return CheckResult(
        loaded.card_set, tuple(sorted_diagnostics(diagnostics)), loaded.files, loaded.card_count, lock, lock_path
    )


@dataclass(frozen=True)
class BuildResult(Counted):
    check: CheckResult
    diagnostics: tuple[Diagnostic, ...]  # the check's, plus any that stopped the build
    package: Path | None = None  # None when errors stopped the build
    note_count: int = 0
    card_count: int = 0
    tombstone_count: int = 0  # retired notes shipped so students see the notice
    changes: Changes | None = None  # None when errors stopped the build before planning
    lock_written: bool = False


def package_path(output_dir: Path, card_set: CardSet) -> Path:
    return output_dir / f"{card_set.deck.namespace}.apkg"


def plan(checked: CheckResult, now: int, accept_notetype_change: bool = False) -> Plan:
    """What a build would ship and record, without writing anything."""
    from .compile import compile_notes
    from .notetypes import note_type_specs
    from .reconcile import reconcile

    card_set = checked.card_set
    assert card_set is not None and checked.lock_path is not None
    return reconcile(
        card_set, compile_notes(card_set), checked.lock, note_type_specs(card_set.deck.namespace), now,
        lock_location=Location(display_path(checked.lock_path)), accept_notetype_change=accept_notetype_change,
    )


def _used_media(planned: Plan, cards_dir: Path) -> dict[str, Path]:
    """The media files the shipped notes refer to (the checks made sure they exist)."""
    from .htmlscan import media_references

    available = media_files(cards_dir)
    used = {name for note in planned.notes for field in note.content.fields for name in media_references(field)}
    return {name: available[name] for name in sorted(used) if name in available}


def diff(cards_dir: Path, now: int | None = None) -> BuildResult:
    """The changes a build would make, computed but not written."""
    checked = check(cards_dir)
    if checked.error_count or checked.card_set is None:
        return BuildResult(checked, checked.diagnostics)
    planned = plan(checked, build_time() if now is None else now, accept_notetype_change=True)
    return BuildResult(checked, checked.diagnostics, changes=planned.changes)


def build(
    cards_dir: Path,
    output_dir: Path,
    *,
    now: int | None = None,
    locked: bool = False,
    accept_notetype_change: bool = False,
    strict: bool = False,
) -> BuildResult:
    """Check, plan against the lock, then write the deck, the lock and the changelog.

    Nothing is written if any check fails (with ``strict``, if any warning
    remains). With ``locked`` (for CI), the lock must already describe the
    cards exactly, and it is never rewritten.
    """
    checked = check(cards_dir)
    if checked.error_count or checked.card_set is None or (strict and checked.warning_count):
        return BuildResult(checked, checked.diagnostics)
    card_set = checked.card_set
    planned = plan(checked, build_time() if now is None else now, accept_notetype_change)
    problems = list(planned.problems)
    lock_changed = planned.lock != checked.lock
    if locked and lock_changed:
        where = Location(display_path(checked.lock_path))
        problems.append(diagnostic("E207", where, (
            "deck.lock does not match the cards (it is missing, or cards were added, edited or removed since it "
            "was written): run `deckbuilder build` and commit cards/deck.lock")))
    diagnostics = tuple(sorted_diagnostics([*checked.diagnostics, *problems]))
    if count_errors(problems):
        return BuildResult(checked, diagnostics, changes=planned.changes)

    from .changelog import render_changelog
    from .compile import deck_description
    from .files import write_atomically
    from .lockfile import write_lock
    from .package import build_deck, write_package

    deck = build_deck(planned, card_set.deck.name, deck_description(card_set))
    target = package_path(output_dir, card_set)
    changelog = output_dir / CHANGELOG_FILE
    try:
        write_package(deck, planned.lock.created, target, _used_media(planned, cards_dir))
        if lock_changed:
            write_lock(planned.lock, checked.lock_path)
        write_atomically(changelog, render_changelog(planned.lock, card_set.deck.name).encode())
    except OSError as exc:
        raise DeckbuilderError(f"cannot write {display_path(Path(exc.filename or target))}: "
                               f"{exc.strerror or exc}") from exc
    return BuildResult(
        checked, diagnostics, target, len(deck.notes), sum(len(note.cards) for note in deck.notes),
        sum(1 for note in planned.notes if note.retired), planned.changes, lock_changed,
    )
