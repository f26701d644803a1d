"""The pipeline as plain functions: load, check, plan, write.

The CLI calls exactly one of these per command and renders the result.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from .load import (
    Background, Batch, MEDIA_DIR, Pending, Token, can_fork, display_path, if_taken, load_card_set, media_files,
    write_deferred,
)
from .check import CheckContext, run_checks, start_slow_searches
from .model import Counted, DeckbuilderError, Diagnostic, Location, count_errors, diagnostic, sorted_diagnostics
from .fs import (
    Content, StagedFiles, missing_folders, one_writer, remove_stale_temps, removed_unless_committed, stage,
    target_of,
)
from .lock import (
    FORMAT as LOCK_FORMAT, LOCK_FILE, Lock, LockSummary, LockTooLarge, checked_size, dump_lock, lock_writer,
    built_summary, keep_built, read_lock_view, release_kept,
)
from .model import CardSet

if TYPE_CHECKING:
    from .load import ParseCache
    from .publish import BuiltDeck
    from .check import RecheckMemo
    from .compile import Changes, DeckSelection, Plan

CHANGELOG_FILE = "CHANGELOG.md"
MEDIA_OUTPUT_DIR = "media"  # beside the exports: the pictures the study sheets and the .tsv show
MANIFEST_FILE = "manifest.json"
STUDENT_README_FILE = "README.md"


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
    # What earlier builds shipped: the Lock, or (a one-off check) its summary, which a plan reads in full.
    lock: Lock | LockSummary | None = None
    lock_path: Path | None = None
    # Where a one-off check keeps the lock's summary: a build keeps the summary of the lock it writes there.
    summary_cache: ParseCache | None = field(default=None, compare=False, repr=False)
    # check(plan_at=...): (the time, accept_notetype_change, the Plan) made while the rules ran; None if not.
    speculative: tuple[int, bool, Plan] | None = field(default=None, compare=False, repr=False)


# From this many cards, a build's check runs its rules on the second core while this one plans.
PLAN_MEANWHILE_MIN_CARDS = 2000


def check(cards_dir: Path, sources_dir: Path | None = None, cache: ParseCache | None = None,
          memo: RecheckMemo | None = None, plan_at: int | None = None,
          accept_notetype_change: bool = False) -> CheckResult:
    """Load and check the cards; with ``sources_dir``, also ground their figures in the source texts.

    ``cache`` (default: cards/.cache on disk) lets unchanged card files skip parsing; ``memo`` (watch)
    lets a re-check redo only what the changed files affect. ``plan_at`` (a check a build follows, with the
    build's time): on a large deck the rules run in a forked child while this process reads the whole
    lock and plans the build at that time, which ``build_checked`` then uses if the rules find no error
    (a plan is pure: nothing is written until then). ``check`` waits for the rules; a build calls
    ``check_for_build``, which does not, and commits nothing the finished check refuses. With
    ``plan_at``, this process's cache writes are also held for the build (load/deferred.py), which makes
    them on its other core; ``build_checked`` writes whatever it did not hand over.
    """
    from .load import disk_cache

    if plan_at is not None and memo is None:
        started = check_for_build(cards_dir, plan_at, accept_notetype_change, cache, sources_dir)
        if isinstance(started, RunningCheck):
            try:
                return started.result()
            except Exception:  # (as check_for_build's own)
                write_deferred(started.so_far.summary_cache.take_deferred())
                raise
        return started
    cache = cache if cache is not None else disk_cache(cards_dir)
    finished = _check(cards_dir, sources_dir, cache, memo, plan_at, accept_notetype_change)
    assert isinstance(finished, CheckResult)  # (only a check that plans returns one still running)
    return finished


@dataclass(frozen=True)
class RunningCheck:
    """A build's check whose rules still run in a forked child: what this process found and planned meanwhile
    (``so_far``: the loader's and the lock's findings, and the plan, ``speculative``), and the rules' findings
    to come. A build writes its files meanwhile, staged, and commits them only if ``result()`` allows it."""
    so_far: CheckResult
    rules: Pending

    def result(self) -> CheckResult:
        """The whole check, as ``check`` returns it (waits for the rules; the same result if asked again)."""
        found = self.rules.result()
        return replace(self.so_far, diagnostics=tuple(sorted_diagnostics([*self.so_far.diagnostics, *found])))


def check_for_build(cards_dir: Path, now: int, accept_notetype_change: bool = False,
                    cache: ParseCache | None = None, sources_dir: Path | None = None) -> CheckResult | RunningCheck:
    """``check(cards_dir, plan_at=now)``, except that on a large deck it returns as soon as the plan is made,
    the rules still running (a RunningCheck): the build writes while they finish (build_checked).

    The cache writes this process would make are held for the build, which makes them on its other core;
    ``build_checked`` writes whatever it did not hand over."""
    from .load import disk_cache

    cache = cache if cache is not None else disk_cache(cards_dir)
    cache.defer_writes()
    try:
        return _check(cards_dir, sources_dir, cache, None, now, accept_notetype_change)
    except Exception:  # a rule's bug, say: what was parsed stays parsed (not after an interruption)
        write_deferred(cache.take_deferred())
        raise


def _check(cards_dir: Path, sources_dir: Path | None, cache: ParseCache, memo: RecheckMemo | None,
           plan_at: int | None, accept_notetype_change: bool) -> CheckResult | RunningCheck:
    loaded = load_card_set(cards_dir, cache)
    plan_meanwhile = (plan_at is not None and memo is None and sources_dir is None and loaded.card_set is not None
                      and len(loaded.card_set.cards) >= PLAN_MEANWHILE_MIN_CARDS and can_fork())
    if loaded.card_set is not None and not plan_meanwhile:  # (else the rules' child starts them)
        start_slow_searches(loaded.card_set, memo)  # on the second core, while this one reads the lock
    diagnostics = list(loaded.diagnostics)
    lock_path = cards_dir / LOCK_FILE
    lock_display = display_path(lock_path)
    # Against the real clock: a pinned SOURCE_DATE_EPOCH is the build's business (checked there).
    now = int(time.time())
    if memo is not None:  # watch builds after every check: it keeps the full lock, decoded once per change
        from .lock import verify_lock

        lock, problems = memo.read_lock(lock_path, lock_display)
        diagnostics.extend(problems)
        if lock is not None:
            diagnostics.extend(verify_lock(lock, lock_display, now))
    else:  # read and verified in full once per distinct lock; after that, from its summary in cards/.cache
        lock, problems = read_lock_view(lock_path, lock_display, now, cache.folder, cache.secret)
        diagnostics.extend(problems)
    if loaded.card_set is not None:
        source_texts = None
        if sources_dir is not None:
            from .check import load_source_texts

            source_texts, problems = load_source_texts(loaded.card_set, sources_dir)
            diagnostics.extend(problems)
        media = frozenset(media_files(cards_dir))
        context = CheckContext(loaded.card_set, source_texts, lock, media, display_path(cards_dir / MEDIA_DIR),
                               memo=memo)
        if plan_meanwhile:
            assert plan_at is not None
            # Forked before any search starts: they start in the child, in one process (this core plans).
            held = cache.hand_over_deferred()  # (this process's share of the parse: the child writes it)
            try:
                rules = Background(_rules_and_held_writes, context, held)
            except OSError:  # no fork after all (out of memory, say): not lost with it
                write_deferred(held)
                raise
            so_far = CheckResult(loaded.card_set, tuple(diagnostics), loaded.files, loaded.card_count, lock,
                                 lock_path)
            speculative = _plan_meanwhile(so_far, plan_at, accept_notetype_change)
            if speculative is not None:  # the build writes while the rules finish
                lock, planned = speculative
                return RunningCheck(CheckResult(
                    loaded.card_set, tuple(sorted_diagnostics(diagnostics)), loaded.files, loaded.card_count, lock,
                    lock_path, summary_cache=cache, speculative=(plan_at, accept_notetype_change, planned)), rules)
            diagnostics.extend(rules.result())
        else:
            diagnostics.extend(run_checks(context))
    return CheckResult(
        loaded.card_set, tuple(sorted_diagnostics(diagnostics)), loaded.files, loaded.card_count, lock, lock_path,
        summary_cache=cache if memo is None else None,
    )


def _rules_and_held_writes(context: CheckContext, held: list) -> list[Diagnostic]:
    """The rules, in the child a build forks for them; then the cache writes this process held back so far
    (its share of the parsed files), which would otherwise wait for the package's child: after the rules
    or a rule's bug, not after an interruption, which should end the run."""
    try:
        found = run_checks(context, parallel=False)
    except Exception:
        write_deferred(held)
        raise
    write_deferred(held)
    return found


def _plan_meanwhile(so_far: CheckResult, now: int, accept_notetype_change: bool) -> tuple[Lock, Plan] | None:
    """The full lock and the plan a build at ``now`` would make, computed while the rules run elsewhere; None
    when the build must find out for itself: an error already, a lock problem, or a plan that fails (a deck
    the rules will refuse need not compile; if they do not refuse it, build_checked plans again and meets
    the same failure there, so nothing is hidden)."""
    if so_far.error_count:
        return None
    try:
        with_lock, problems = _with_full_lock(so_far, now)
        if problems or isinstance(with_lock.lock, LockSummary):
            return None
        return with_lock.lock, plan(with_lock, now, accept_notetype_change)
    except Exception:  # noqa: BLE001 - see above: the unspeculative path raises it again
        return None


@dataclass(frozen=True)
class BuildResult(Counted):
    check: CheckResult
    diagnostics: tuple[Diagnostic, ...]  # the check's, plus any that stopped the build
    built: tuple[BuiltDeck, ...] = ()  # the main deck first; empty when errors stopped the build
    changes: Changes | None = None  # None when errors stopped the build before planning
    lock_written: bool = False
    plan: Plan | None = None  # what was (or, for diff, would be) shipped and recorded

    # The main deck's figures, for callers that build one deck.
    @property
    def package(self) -> Path | None:
        return self.built[0].package if self.built else None

    @property
    def note_count(self) -> int:
        return self.built[0].note_count if self.built else 0

    @property
    def card_count(self) -> int:
        return self.built[0].card_count if self.built else 0

    @property
    def tombstone_count(self) -> int:
        return self.built[0].tombstone_count if self.built else 0


def package_path(output_dir: Path, card_set: CardSet) -> Path:
    return output_dir / f"{card_set.deck.namespace}.apkg"


def _with_full_lock(checked: CheckResult, now: int) -> tuple[CheckResult, list[Diagnostic]]:
    """``checked`` with the full Lock a plan needs, and what verifying it against ``now`` finds that the check
    did not already report."""
    from .lock import full_lock, verify_lock

    lock = checked.lock
    if lock is None:
        return checked, []
    assert checked.lock_path is not None
    display = display_path(checked.lock_path)
    if isinstance(lock, LockSummary):
        full, problems = full_lock(lock, checked.lock_path, display, now)
        if full is None and not problems:
            problems = [diagnostic("E002", Location(display), "cannot read deck.lock: it was removed after the "
                                                              "check read it; build again")]
        checked = replace(checked, lock=full)
    else:
        problems = verify_lock(lock, display, now)
    return checked, [d for d in problems if d not in checked.diagnostics]


def plan(checked: CheckResult, now: int, accept_notetype_change: bool = False) -> Plan:
    """What a build would ship and record, without writing anything (``checked.lock`` a full Lock)."""
    from .compile import compile_notes, note_type_specs, reconcile
    from .text import publish

    card_set = checked.card_set
    assert card_set is not None and checked.lock_path is not None and not isinstance(checked.lock, LockSummary)
    # Media are content: a file's bytes name it, so a changed file changes every note that shows it.
    contents, media = publish(compile_notes(card_set), media_files(checked.lock_path.parent))
    from .compile import adopted_specs

    specs = {**note_type_specs(card_set.deck.namespace), **adopted_specs(card_set.deck.adopted)}
    planned = reconcile(
        card_set, contents, checked.lock, specs, now,
        lock_location=Location(display_path(checked.lock_path)), accept_notetype_change=accept_notetype_change,
    )
    return replace(planned, media=media, adoption=card_set.deck.adopted)


def _stage_package(planned: Plan, selection: DeckSelection, description: str, target: Path,
                   media: dict[str, Path]) -> tuple[Path, Path]:
    """The package's target and the temporary file it was staged in (for StagedFiles.adopt)."""
    from .compile import build_decks, stage_package

    return target, stage_package(build_decks(planned, selection, description), planned.lock.created, target, media)


def _used_media(selection: DeckSelection, planned: Plan) -> dict[str, Path]:
    """The media files a deck's notes refer to, by published name (the checks made sure they exist).

    A tombstone may still name an older version of a file: students have that one already.
    """
    from .text import media_references

    if not planned.media:  # nothing to look for (and 50,000 notes' fields to look through)
        return {}
    used = {name for placed in selection.notes for field in placed.note.content.fields
            for name in media_references(field)}
    return {name: planned.media[name] for name in sorted(used) if name in planned.media}


@dataclass(frozen=True)
class PreviewResult:
    check: CheckResult
    page: Path | None  # None when deck.yaml or sources.yaml could not be read
    note_count: int = 0
    card_count: int = 0


def preview(cards_dir: Path, folder: Path, sources_dir: Path | None = None, build: int = 0,
            checked: CheckResult | None = None) -> PreviewResult:
    """Write the preview gallery of every card, with the diagnostics of each (errors do not stop it)."""
    from .compile import compile_notes
    from .text import media_references
    from .publish import faces, write_preview

    checked = checked if checked is not None else check(cards_dir, sources_dir)
    if checked.card_set is None:
        return PreviewResult(checked, None)
    # A citation of an unknown source (E303, shown with the card) cannot be rendered: the card is
    # previewed without it rather than not at all.
    card_set = checked.card_set
    known = card_set.sources_by_id
    if any(ref.id not in known for card in card_set.cards for ref in card.sources):
        card_set = replace(card_set, cards=tuple(
            replace(card, sources=tuple(ref for ref in card.sources if ref.id in known)) for card in card_set.cards))
    notes = compile_notes(card_set)
    available = media_files(cards_dir)
    used = {name for note in notes for field in note.fields for name in media_references(field)}
    page = write_preview(folder, card_set, notes, checked.diagnostics,
                         {name: available[name] for name in sorted(used) if name in available}, build)
    return PreviewResult(checked, page, len(notes), sum(len(faces(note)) for note in notes))


def diff(cards_dir: Path, now: int | None = None, cache: ParseCache | None = None) -> BuildResult:
    """The changes a build would make, computed but not written."""
    checked = check(cards_dir, cache=cache)
    if checked.error_count or checked.card_set is None:
        return BuildResult(checked, checked.diagnostics)
    checked, problems = _with_full_lock(checked, int(time.time()))  # the clock the check read
    if problems:
        return BuildResult(checked, tuple(sorted_diagnostics([*checked.diagnostics, *problems])))
    planned = plan(checked, build_time() if now is None else now, accept_notetype_change=True)
    return BuildResult(checked, checked.diagnostics, changes=planned.changes, plan=planned)


def build(
    cards_dir: Path,
    output_dir: Path,
    *,
    now: int | None = None,
    locked: bool = False,
    accept_notetype_change: bool = False,
    strict: bool = False,
    cache: ParseCache | None = None,
) -> BuildResult:
    """Check, plan against the lock, then write the deck, the lock and the changelog.

    Nothing is written if any check fails (with ``strict``, if any warning
    remains). With ``locked`` (for CI), the lock must already describe the
    cards exactly, and it is never rewritten.
    """
    now = build_time() if now is None else now
    checked = check_for_build(cards_dir, now, accept_notetype_change, cache)
    return build_checked(checked, cards_dir, output_dir, now=now, locked=locked,
                         accept_notetype_change=accept_notetype_change, strict=strict)


# Told (what is starting, steps done, steps in all) as a build goes: the CLI draws a progress bar.
Progress = Callable[[str, int, int], None]


def _no_progress(_label: str, _done: int, _total: int) -> None:
    pass


def build_checked(
    checked: CheckResult | RunningCheck,
    cards_dir: Path,
    output_dir: Path,
    *,
    now: int | None = None,
    locked: bool = False,
    accept_notetype_change: bool = False,
    strict: bool = False,
    memo: RecheckMemo | None = None,
    progress: Progress = _no_progress,
) -> BuildResult:
    """``build`` for cards already checked (watch reports the check before it builds), or being checked (a
    RunningCheck: the files are written meanwhile, and committed only if the finished check allows it)."""
    # The cache writes the check held back that the package's child did not make (a build that stopped
    # before it, or failed to write) are made here; not after an interruption, which should end the run.
    so_far = checked.so_far if isinstance(checked, RunningCheck) else checked
    held = so_far.summary_cache.take_deferred if so_far.summary_cache is not None else list
    try:
        built = _build_checked(checked, cards_dir, output_dir, now=now, locked=locked,
                               accept_notetype_change=accept_notetype_change, strict=strict, memo=memo,
                               progress=progress, take_cache_writes=held)
    except Exception:
        write_deferred(held())
        raise
    write_deferred(held())
    return built


def _refused(checked: CheckResult, strict: bool) -> bool:
    return bool(checked.error_count or checked.card_set is None or (strict and checked.warning_count))


def _build_checked(checked: CheckResult | RunningCheck, cards_dir: Path, output_dir: Path, *, now: int | None,
                   locked: bool, accept_notetype_change: bool, strict: bool, memo: RecheckMemo | None,
                   progress: Progress, take_cache_writes: Callable[[], list]) -> BuildResult:
    # ``finished(checked)``: with every finding of the check; for a RunningCheck, asked once the files are
    # staged, before any is committed (or wherever the build stops before that).
    if isinstance(checked, RunningCheck):
        running, checked = checked, checked.so_far

        def finished(current: CheckResult) -> CheckResult:
            return replace(current, diagnostics=running.result().diagnostics)
    else:
        def finished(current: CheckResult) -> CheckResult:
            return current
    if _refused(checked, strict):
        checked = finished(checked)
        return BuildResult(checked, checked.diagnostics)
    card_set = checked.card_set
    progress("Planning", 0, build_steps(card_set))
    now = build_time() if now is None else now
    if checked.speculative is not None and checked.speculative[:2] == (now, accept_notetype_change):
        planned = checked.speculative[2]  # made at this time while the rules ran (check's plan_at)
    else:
        # The check read the real clock; this build's may be pinned earlier (SOURCE_DATE_EPOCH).
        checked, problems = _with_full_lock(checked, now)
        if problems:
            checked = finished(checked)
            if _refused(checked, strict):  # (as if the rules' errors had stopped it first)
                return BuildResult(checked, checked.diagnostics)
            return BuildResult(checked, tuple(sorted_diagnostics([*checked.diagnostics, *problems])))
        planned = plan(checked, now, accept_notetype_change)
    problems = list(planned.problems)
    # An older lock format is rewritten too, with the same content.
    previous = checked.lock
    lock_changed = previous is None or planned.lock != previous or previous.read_format != LOCK_FORMAT
    if locked and lock_changed:
        where = Location(display_path(checked.lock_path))
        problems.append(diagnostic("E207", where, (
            "deck.lock does not match the cards (it is missing, or cards were added, edited or removed since it "
            "was written): run `deckbuilder build` and commit cards/deck.lock")))
    elif locked and planned.release.unreleased:  # what CI would publish carries no version of its own
        problems.append(diagnostic("W210", card_set.deck.where("version"), (
            f"deck.lock holds changes made after version {planned.release.base} was released, so this build "
            f"ships them as {planned.release.label}: set a new `version` in deck.yaml, run `deckbuilder build` "
            "and commit cards/deck.lock")))
    if count_errors(problems) or (strict and len(problems) > count_errors(problems)):
        checked = finished(checked)
        if _refused(checked, strict):
            return BuildResult(checked, checked.diagnostics)
        return BuildResult(checked, tuple(sorted_diagnostics([*checked.diagnostics, *problems])),
                           changes=planned.changes)

    made = missing_folders(output_dir / MEDIA_OUTPUT_DIR)  # removed again if the build commits nothing
    refused = False
    cache_writes: Pending | None = None  # made on the other core while this one commits (_write_outputs)
    stopping = False  # an exception is leaving this function (see finally)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        with one_writer(cards_dir, output_dir), removed_unless_committed(made) as committed, \
                StagedFiles() as files:
            written = b""
            summary = None  # of the lock written, for the next check (kept once the lock is in place)

            def stage_lock() -> None:  # staged while the first package is written on the other core
                nonlocal written, summary
                try:
                    if not lock_changed:
                        return
                    if memo is not None:  # watch keeps the bytes, to know the lock it reads next is this one
                        written = checked_size(dump_lock(planned.lock).encode())
                        files.write(checked.lock_path, written)
                    else:  # never a lock the reader would refuse (LockTooLarge): every later run would stop
                        digest = hashlib.sha256()  # of the bytes as written
                        files.write(checked.lock_path, lock_writer(planned.lock, digest))
                        cache = checked.summary_cache
                        if cache is not None:
                            assert previous is None or isinstance(previous, Lock)  # (_with_full_lock read it)
                            summary = built_summary(
                                cache.folder, cache.secret, display_path(checked.lock_path), digest.hexdigest(),
                                planned.lock, previous, (card_set.deck.namespace, planned.changes.added))
                finally:
                    release_kept(planned.lock, previous)  # nothing after this asks for the lock's entries

            built, cache_writes = _write_outputs(planned, card_set, cards_dir, output_dir, files, progress,
                                                 stage_lock, take_cache_writes)
            checked = finished(checked)
            refused = _refused(checked, strict)
            if not refused:
                # The lock last: while it is the old one, the next build rewrites every output.
                targets = files.targets()
                committed[0] = True
                files.commit(last=[checked.lock_path])
                _remove_stale_temps(targets)
                _remove_old_media(output_dir / MEDIA_OUTPUT_DIR, set(planned.media))
        if refused:  # the staged files are gone, and so are the folders made for them
            return BuildResult(checked, checked.diagnostics)
        if lock_changed and memo is not None:
            memo.wrote_lock(written, replace(planned.lock, read_format=LOCK_FORMAT))
        keep_built(summary)  # the lock is in place: the next check reads no lock in full
    except Exception as failure:  # nothing was committed (or the lock was not yet in place): see below
        # The files were written while the rules ran: a deck they refuse is reported as such, whatever
        # stopped the writing (a full disk, a folder busy, a tag genanki refuses that a rule reports). (The
        # staged files and the folders made for them are gone; a rule's own bug raises here.)
        stopping = True
        checked = finished(checked)
        if _refused(checked, strict):
            stopping = False
            return BuildResult(checked, checked.diagnostics)
        if isinstance(failure, LockTooLarge):  # nothing was written: the staged files are gone
            stopping = False
            problem = diagnostic("E209", Location(display_path(checked.lock_path)), str(failure))
            return BuildResult(checked, tuple(sorted_diagnostics([*checked.diagnostics, *problems, problem])),
                               changes=planned.changes)
        if isinstance(failure, OSError):
            raise cannot_write(failure, output_dir) from failure
        raise
    except BaseException:  # Ctrl-C, say
        stopping = True
        raise
    finally:
        if cache_writes is not None:
            if not stopping:
                cache_writes.result()  # (a failure other than a read-only folder is a bug: said, not hidden)
            else:  # the build is stopping for its own reason: its child has ended, or does now
                with contextlib.suppress(BaseException):
                    cache_writes.result()
    diagnostics = tuple(sorted_diagnostics([*checked.diagnostics, *problems]))
    progress("Done", build_steps(card_set), build_steps(card_set))
    return BuildResult(checked, diagnostics, tuple(built), planned.changes, lock_changed, planned)


# What to do about the usual reasons a write fails.
_WRITE_HINTS = {
    errno.ENOSPC: "free some disk space, then build again",
    errno.EDQUOT: "free some of your disk quota, then build again",
    errno.EROFS: "build into a writable folder with --output",
    errno.EACCES: "make the folder writable, or build into another with --output",
    errno.EPERM: "make the folder writable, or build into another with --output",
}


def cannot_write(exc: OSError, output_dir: Path | None) -> DeckbuilderError:
    """One line: which file (as the user knows it, not our temporary name), why, and what to do.

    ``output_dir`` is where --output would help; a failed write elsewhere (deck.lock, a card file)
    asks for that folder to be made writable."""
    path = target_of(Path(exc.filename)) if exc.filename else (output_dir or Path("."))
    hint = _WRITE_HINTS.get(exc.errno)
    elsewhere = output_dir is None or output_dir.resolve() not in path.resolve().parents
    if elsewhere and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        hint = f"make {display_path(path.parent)} writable"
    reason = f"{exc.strerror or exc}" + (f"; {hint}" if hint else "")
    return DeckbuilderError(f"cannot write {display_path(path)}: {reason}")


def _remove_old_media(folder: Path, current: set[str]) -> None:
    """Pictures an earlier build copied for the sheets that no card shows any more (a replaced file's old name)."""
    if not folder.is_dir() or folder.is_symlink():
        return
    for path in folder.iterdir():
        if path.name not in current and path.is_file() and not path.is_symlink() and not path.name.startswith("."):
            path.unlink(missing_ok=True)


def _adopt_all(files: StagedFiles, staged: list[Pending]) -> None:
    """Adopt the file each part staged (a (target, temporary file) pair, or None: a job this process took),
    emptying ``staged``; then raise the first part's failure, once every other file is adopted (so that none
    is left behind)."""
    failure: BaseException | None = None
    while staged:
        try:
            done = staged.pop(0).result()
            if done is not None:
                files.adopt(*done)
        except BaseException as error:  # noqa: BLE001 - raised below, after the rest
            failure = failure or error
    if failure is not None:
        raise failure


def _stage(target: Path, make: Callable[[], Content]) -> tuple[Path, Path]:
    """``make()`` staged for ``target``: (the target, the temporary file), for StagedFiles.adopt."""
    return target, stage(target, make())


def _changelog(lock: Lock, deck_name: str, release: str) -> Iterator[str]:
    from .publish import changelog_chunks

    return changelog_chunks(lock, deck_name, release)


def _published_names(planned: Plan) -> dict[str, str]:
    """Author's media name -> published name, for exports rendered from the YAML (the Markdown sheet)."""
    return {path.name: published for published, path in planned.media.items()}


def _copier(source: Path) -> Callable:
    def copy(out) -> None:
        import shutil

        with source.open("rb") as data:
            shutil.copyfileobj(data, out, 1 << 20)
    return copy


def build_steps(card_set: CardSet) -> int:
    """Planning, one step per deck, then the changelog, manifest and lock."""
    return 1 + 1 + len(card_set.deck.decks) + 1


def _remove_stale_temps(targets: list[Path]) -> None:
    """Temporary files a killed build left beside these targets (we hold the folders, so none is live)."""
    by_folder: dict[Path, set[str]] = {}
    for target in targets:
        by_folder.setdefault(target.parent, set()).add(target.name)
    for folder, names in by_folder.items():
        remove_stale_temps(folder, names)


def _write_outputs(planned: Plan, card_set: CardSet, cards_dir: Path, output_dir: Path, files: StagedFiles,
                   progress: Progress = _no_progress, meanwhile: Callable[[], None] = lambda: None,
                   cache_writes: Callable[[], list] = list) -> tuple[list[BuiltDeck], Pending | None]:
    """Stage the changelog, every deck's .apkg, .tsv and study sheets, then the manifest and student README.

    The packages and the changelog are staged on the other core, the packages one at a time, while this
    process writes the rest; so are ``cache_writes()`` (load's deferred writes, taken only then: a build
    that fails before leaves them to build_checked), after the last package and the changelog: returned
    still running (or None), for the caller to wait for once the build is committed.
    Once the first package is under way, ``meanwhile`` (the build stages the lock there) runs: it is the
    last to need what reading the lock kept (lock.release_kept), which is let go before the exports are
    rendered, the largest of a build's peaks of memory."""
    from .publish import plain_text_export, study_sheet_html, study_sheet_markdown, summary
    from .compile import card_count, deck_description, retired_tag, select
    from .publish import BuiltDeck, checksums, manifest, student_readme
    from .model import main_deck

    deck = card_set.deck
    contents = {note.content.card_id: note.content for note in planned.notes}
    published = _published_names(planned)
    sheet_media = {name: f"{MEDIA_OUTPUT_DIR}/{name}" for name in planned.media}
    release = planned.release.label
    news = summary(planned.entry, retired_tag(deck.namespace))
    copied: set[str] = set()
    built = []
    changelog = output_dir / CHANGELOG_FILE
    # One package at a time on the second core, the sheets meanwhile here: each part a (target, temporary
    # file) to adopt. With the last package, its child stages the changelog (10 MB of lines at 50,000 cards:
    # made here, they raised this process's peak of memory by a tenth). The .tsv is staged by whichever
    # process comes to it first (load.Token): this one after its sheets, or the package's child after the
    # package (a first build's sheets take longer than its package; a rebuild's, less). Then the child
    # makes the cache writes, which hold up no file: the caller waits for them once the build is committed.
    writing: list[Pending] = []
    cached: Pending | None = None
    either: list[tuple[Token, Path, Callable[[], Content]]] = []  # the jobs either process may take
    steps = build_steps(card_set)
    definitions = (main_deck(deck), *deck.decks)
    try:
        for number, definition in enumerate(definitions, start=1):
            selection = select(planned, definition, deck.namespace, deck.topics)
            progress(f"Writing {selection.file_stem}", number, steps)
            cited = {s for placed in selection.notes if not placed.note.retired
                     for s in placed.note.content.placement.sources}
            package = output_dir / f"{selection.file_stem}.apkg"
            _adopt_all(files, writing)  # the previous deck's
            media = _used_media(selection, planned)
            batch = Batch()
            writing = [batch.add(_stage_package, planned, selection,
                                 deck_description(card_set, definition.description, cited, release, news),
                                 package, media)]
            if number == len(definitions):
                writing.append(batch.add(_stage, changelog, functools.partial(_changelog, planned.lock, deck.name,
                                                                              release)))
            tsv = output_dir / f"{selection.file_stem}.tsv"
            either = [(Token(), tsv, functools.partial(plain_text_export, selection, deck.adopted))]
            writing.extend(batch.add(if_taken, token, _stage, target, make) for token, target, make in either)
            held: list = []
            if number == len(definitions):
                held = cache_writes()
                if held:
                    cached = batch.add(write_deferred, held)
            try:
                batch.start()
            except OSError:  # no fork after all (out of memory, say): the cache writes are not lost with it
                write_deferred(held)
                raise
            held.clear()  # the child has its copy (or they were written inline): this process lets them go
            if number == 1:  # the lock first: what reading it kept can then go
                meanwhile()
            sheets = {
                output_dir / f"{selection.file_stem}.html": study_sheet_html(
                    card_set, selection, contents, release, sheet_media),
                output_dir / f"{selection.file_stem}.md": study_sheet_markdown(
                    card_set, selection, {source: f"{MEDIA_OUTPUT_DIR}/{name}" for source, name in published.items()},
                    release),
            }
            # The sheets and the .tsv show pictures from output/media/, under the names the .apkg uses.
            for name, source in media.items():
                if name not in copied:
                    copied.add(name)
                    files.write(output_dir / MEDIA_OUTPUT_DIR / name, _copier(source))
            for path, chunks in sheets.items():
                files.write(path, chunks)
            for token, target, make in reversed(either):
                if token.take():
                    files.write(target, make())
            either = []
            built.append(BuiltDeck(
                selection, package, (tsv, *sheets), len(selection.notes),
                sum(card_count(placed.note.content) for placed in selection.notes),
                sum(1 for placed in selection.notes if placed.note.retired),
                sum(card_count(placed.note.content) for placed in selection.notes if placed.note.retired),
            ))
        progress("Writing the changelog and the manifest", steps - 1, steps)
        _adopt_all(files, writing)
        published = [path for b in built for path in (b.package, *b.exports)] + [changelog]
        # The pictures too: a student checking the files checks every one of them.
        digests = checksums({**{path.name: files.staged(path) for path in published},
                             **{f"{MEDIA_OUTPUT_DIR}/{name}": files.staged(output_dir / MEDIA_OUTPUT_DIR / name)
                                for name in sorted(copied)}})
        files.write(output_dir / MANIFEST_FILE, manifest(card_set, built, digests, planned.release).encode())
        files.write(output_dir / STUDENT_README_FILE, student_readme(card_set, built, digests, release).encode())
    except BaseException:
        # Every file the other core staged is taken too, so that it is deleted with the others; and its
        # child has ended before this build reports why it stopped.
        for token, _, _ in either:
            token.take()  # (not to be done now)
        with contextlib.suppress(BaseException):
            _adopt_all(files, writing)
        if cached is not None:
            with contextlib.suppress(Exception):
                cached.result()
        raise
    return built, cached
