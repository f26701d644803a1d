"""The ``deckbuilder`` command: a thin layer over builder.pipeline.

Exit status: 0 success, 1 content errors or a failed build, 2 usage errors.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Callable, Iterator

import click

from .. import __version__

CARDS_OPTION = click.option(
    "--cards", "cards_dir", type=click.Path(path_type=Path, file_okay=False), default="cards",
    show_default=True, help="Folder holding deck.yaml, sources.yaml and the card files.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="deckbuilder")
def main() -> None:
    """Check curated question/answer YAML and compile it into Anki decks."""
    tune_garbage_collector()


# Python collects its youngest objects every 700 allocations and, every few
# of those, walks everything still alive. A deck builds millions of small
# long-lived objects (50,000 cards), so with the defaults the collector spent
# as long as the parser: a 50,000-card cold check took twice as long. Little
# of what we allocate is cyclic garbage, so collecting rarely costs next to no
# memory. The youngest are collected every 400,000 allocations: at 100,000, a
# 50,000-card first build still spent 0.17 s in ten collections of its main
# process (0.07 s in one now; the peak memory of every build the same).
GC_THRESHOLDS = (400_000, 50, 100)


def tune_garbage_collector() -> None:
    import gc

    gc.set_threshold(*GC_THRESHOLDS)


def _report(result, output_format: str = "human") -> None:
    """Print a check or build result's diagnostics and the one-line summary."""
    from .report import as_github, as_json, format_diagnostic, summary

    checked = getattr(result, "check", result)
    counts = (result.error_count, result.warning_count, checked.card_count, len(checked.files))
    if output_format == "json":
        click.echo(as_json(result.diagnostics, *counts))
        return
    for diagnostic in result.diagnostics:
        # Styled always: click.echo drops the colours when stdout is not a terminal.
        click.echo(as_github(diagnostic) if output_format == "github" else format_diagnostic(diagnostic, colour=True))
    if output_format != "github":  # GitHub reads every line of a workflow's output as a possible command
        click.echo(summary(*counts))


# Below these a check or build takes a second or two at most: no progress output.
LONG_CHECK_BYTES = 4_000_000  # of card YAML (about 8,000 cards)
LONG_BUILD_CARDS = 5_000


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _announce_long_check(cards_dir: Path) -> None:
    """On a terminal, say that a large deck is being checked (it takes several seconds at 50,000 cards)."""
    from ..load import card_files

    if not _stderr_is_terminal() or not cards_dir.is_dir():
        return
    files = card_files(cards_dir)
    size = sum(path.stat().st_size for path in files if path.is_file())
    if size >= LONG_CHECK_BYTES:
        click.echo(f"Checking {len(files)} card files ({size / 1e6:.0f} MB)...", err=True)


@contextlib.contextmanager
def _progress_bar(checked) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr for a long build; on a terminal only, never in a log."""
    from ..pipeline import build_steps

    if checked.card_set is None or checked.card_count < LONG_BUILD_CARDS or not _stderr_is_terminal():
        yield lambda _label, _done, _total: None
        return
    with click.progressbar(length=build_steps(checked.card_set), label="Building", file=sys.stderr,
                           show_eta=False, item_show_func=lambda label: label) as bar:
        yield lambda label, done, _total: bar.update(done - bar.pos, label)


STRICT_OPTION = click.option("--strict", is_flag=True, help="Treat warnings as failures (exit status 1).")


@main.command()
@CARDS_OPTION
@click.option(
    "--sources", "sources_dir", type=click.Path(path_type=Path, exists=True, file_okay=False), default=None,
    help="Folder of source texts (the 'file' of each source in sources.yaml): verify their sha256 and "
         "warn about figures on cards that their cited sources do not contain.",
)
@click.option("--format", "output_format", type=click.Choice(["human", "json", "github"]), default="human",
              show_default=True, help="human: one line per problem; json: machine-readable; "
                                      "github: GitHub Actions annotations.")
@STRICT_OPTION
@click.option("--list", "list_codes", is_flag=True, help="List every diagnostic code and exit.")
@click.option("--explain", "explain_code", metavar="CODE",
              help="Explain a diagnostic code or rule name (W805, too-many-deletions), with examples, and exit.")
@click.pass_context
def check(ctx: click.Context, cards_dir: Path, sources_dir: Path | None, output_format: str, strict: bool,
          list_codes: bool, explain_code: str | None) -> None:
    """Report every problem in the cards, like a compiler."""
    if list_codes or explain_code:
        from ..check import explain, list_codes as code_lines

        if explain_code:
            text = explain(explain_code)
            if text is None:
                from ..check import suggest

                close = suggest(explain_code)
                hint = f"did you mean {close}? " if close else ""
                raise click.BadParameter(f"no such code or rule name: {explain_code} ({hint}see --list)",
                                         param_hint="--explain")
            click.echo(text)
        else:
            click.echo("\n".join(code_lines()))
        return
    from .. import pipeline

    _announce_long_check(cards_dir)
    result = pipeline.check(cards_dir, sources_dir)
    _keep_until_exit(result)
    _report(result, output_format)
    ctx.exit(1 if result.error_count or (strict and result.warning_count) else 0)


OUTPUT_OPTION = click.option(
    "--output", "output_dir", type=click.Path(path_type=Path, file_okay=False), default="output",
    show_default=True, help="Folder the .apkg and CHANGELOG.md are written to.",
)


# The real program ends right after its command, leaving the process at once (entry.main): what a command
# computed is kept here until then, so that it is not freed object by object on the way out (a fifth of a
# second after a 50,000-card build), which the operating system does in one go. None when no process end
# follows (a test's CliRunner): nothing is kept there.
kept_until_exit: list | None = None


def _keep_until_exit(*values: object) -> None:
    if kept_until_exit is not None:
        kept_until_exit.extend(values)


def _report_changes(changes, plan=None, built: bool = True) -> None:
    from .report import change_summary, release_summary, waiting_summary

    for line in change_summary(changes) + waiting_summary(changes):
        click.echo(line)
    if plan is not None:
        for line in release_summary(plan, built):
            click.echo(line)


@main.command()
@CARDS_OPTION
@OUTPUT_OPTION
@click.option("--locked", is_flag=True,
              help="Fail instead of updating cards/deck.lock (for CI: the committed lock must be current).")
@click.option("--accept-notetype-change", is_flag=True,
              help="Proceed although a note type's fields or templates changed (see E205).")
@STRICT_OPTION
@click.pass_context
def build(ctx: click.Context, cards_dir: Path, output_dir: Path, locked: bool, accept_notetype_change: bool,
          strict: bool) -> None:
    """Check the cards, then write the Anki package, deck.lock and CHANGELOG.md.

    Nothing is written if a check fails (with --strict, if any warning remains).
    """
    from .. import pipeline
    from ..load import display_path

    _announce_long_check(cards_dir)
    now = pipeline.build_time()
    # On a large deck the rules are still running when this returns: the build writes meanwhile.
    checked = pipeline.check_for_build(cards_dir, now, accept_notetype_change)
    with _progress_bar(checked.so_far if isinstance(checked, pipeline.RunningCheck) else checked) as progress:
        result = pipeline.build_checked(checked, cards_dir, output_dir, now=now, locked=locked,
                                        accept_notetype_change=accept_notetype_change, strict=strict,
                                        progress=progress)
    _keep_until_exit(checked, result)
    _report(result)
    if result.package is None:
        click.echo("Build stopped: fix the errors above; nothing was written.", err=True)
        ctx.exit(1)
    _report_changes(result.changes, result.plan)
    if result.lock_written:
        click.echo(f"Updated {display_path(result.check.lock_path)}: commit it with the cards.")
    for built in result.built:
        retired = f", {built.tombstone_count} of them retired" if built.tombstone_count else ""
        click.echo(f"Wrote {display_path(built.package)} ({built.note_count} notes{retired}, "
                   f"{built.card_count} cards) with .tsv, .html and .md exports.")
    click.echo(f"Wrote {display_path(output_dir / 'manifest.json')} and {display_path(output_dir / 'README.md')} "
               "for students.")


@main.command()
@CARDS_OPTION
@click.pass_context
def diff(ctx: click.Context, cards_dir: Path) -> None:
    """Show what the next build would add, change and retire, and the changelog entry it would record."""
    from .. import pipeline
    from ..publish import unreleased_heading, version_section
    from ..compile import retired_tag
    from ..lock import to_iso

    result = pipeline.diff(cards_dir)
    if result.changes is None:
        _report(result)
        ctx.exit(1)
    _report_changes(result.changes, result.plan, built=False)
    planned = result.plan
    if planned.release.releasing or planned.release.unreleased:
        heading = (f"## Version {planned.release.version} ({to_iso(planned.entry.date)[:10]})"
                   if planned.release.releasing else unreleased_heading(planned.release.label))
        click.echo("")
        click.echo("CHANGELOG.md would say:")
        click.echo("")
        for line in version_section(planned.entry, heading, retired_tag(planned.lock.namespace)):
            click.echo(line)


@main.command()
@CARDS_OPTION
@click.option("--output", "output_dir", type=click.Path(path_type=Path, file_okay=False), default="output",
              show_default=True, help="The gallery goes into OUTPUT/preview/.")
@click.option("--sources", "sources_dir", type=click.Path(path_type=Path, exists=True, file_okay=False),
              default=None, help="Also show the grounding diagnostics (as check --sources).")
def preview(cards_dir: Path, output_dir: Path, sources_dir: Path | None) -> None:
    """Write a gallery of every card as Anki shows it (light, night, phone width), with its diagnostics."""
    from ..load import display_path
    from ..pipeline import preview as write_gallery

    result = write_gallery(cards_dir, output_dir / "preview", sources_dir)
    if result.page is None:
        _report(result.check)
        raise SystemExit(1)
    flagged = len({d.subject for d in result.check.diagnostics if d.subject})
    click.echo(f"Wrote {display_path(result.page)}: {result.note_count} notes, {result.card_count} cards"
               f"{f', {flagged} with diagnostics' if flagged else ''}. Open it in a browser.")


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", help="The deck's name, as students see it (default: from the folder's name).")
@click.option("--namespace", help="Permanent id behind every note (default: from the name).")
def new(folder: Path, name: str | None, namespace: str | None) -> None:
    """Start a deck in FOLDER: deck.yaml, sources.yaml, one card of each type, media/."""
    from ..load import display_path
    from .scaffold import new_deck

    made = new_deck(folder, name, namespace)
    click.echo(f"Wrote a deck in {display_path(made.cards)} (namespace '{made.namespace}': permanent once "
               "students have the deck).")
    click.echo(f"Next: cd {display_path(made.folder)} && deckbuilder check && deckbuilder build")


@main.command()
@click.argument("old")
@click.argument("new")
@CARDS_OPTION
def rename(old: str, new: str, cards_dir: Path) -> None:
    """Change card id OLD to NEW, keeping its GUID so students keep their progress."""
    from .rename import rename_card

    result = rename_card(cards_dir, old, new)
    click.echo(f"Renamed {old} to {new} in {result.file}:{result.line}.")
    if result.lock_updated:
        click.echo("deck.lock keeps its GUID: students keep their reviews. Build, then commit the cards and "
                   "deck.lock.")


@main.command()
@click.argument("card_ids", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Purge every retired card.")
@CARDS_OPTION
@click.pass_context
def purge(ctx: click.Context, card_ids: tuple[str, ...], everything: bool, cards_dir: Path) -> None:
    """Stop shipping tombstones for retired cards (their ids stay reserved forever)."""
    from .retirement import purge as purge_cards

    if not card_ids and not everything:
        raise click.UsageError("name the retired card ids to purge, or use --all")
    purged = purge_cards(cards_dir, list(card_ids), everything)
    click.echo(f"Purged {len(purged)} retired card(s): {', '.join(purged)}" if purged else
               "No retired card to purge (a retirement no released version has shipped yet is kept).")


@main.command()
@click.argument("card_id")
@CARDS_OPTION
def unretire(card_id: str, cards_dir: Path) -> None:
    """Bring back a retired card (restore its YAML too); students get the card back with its reviews."""
    from .retirement import unretire as unretire_card

    unretire_card(cards_dir, card_id)
    click.echo(f"{card_id} is an ordinary card again. Put its YAML back (same id), then build.")


@main.command()
@CARDS_OPTION
@OUTPUT_OPTION
@click.option("--preview", "with_preview", is_flag=True,
              help="Also keep OUTPUT/preview/ current and serve it on http://127.0.0.1:PORT (the page reloads "
                   "itself after each rebuild).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port for --preview (0: any free port).")
def watch(cards_dir: Path, output_dir: Path, with_preview: bool, port: int) -> None:
    """Rebuild whenever a card file is saved; print the problems and what changed. Ctrl-C stops."""
    from .report import format_diagnostic
    from ..watch import watch as watch_cards

    preview_dir = output_dir / "preview" if with_preview else None
    if preview_dir is not None:
        from ..publish import serve

        try:
            server = serve(preview_dir, port)
        except OSError as exc:
            raise click.UsageError(f"cannot serve the preview on port {port}: {exc.strerror}; try --port 0")
        click.echo(f"Preview: http://127.0.0.1:{server.server_address[1]}/ (reloads after each rebuild)")

    def checked(result) -> None:
        _report(result)  # at once: the build that follows can take a while on a large deck

    def built(result) -> None:
        shown = set(result.check.diagnostics)
        for problem in result.diagnostics:
            if problem not in shown:  # the build's own (e.g. about the lock), not the check's again
                click.echo(format_diagnostic(problem, colour=True))
        if result.package is None:
            click.echo("Not rebuilt: fix the errors above (the previous deck is unchanged).")
        else:
            _report_changes(result.changes, result.plan)
        click.echo(f"Watching {cards_dir} for changes (Ctrl-C to stop)...")

    watch_cards(cards_dir, output_dir, built, lambda error: click.echo(f"Error: {error.message}", err=True),
                on_check=checked, preview_dir=preview_dir)


@main.command()
@CARDS_OPTION
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def stats(ctx: click.Context, cards_dir: Path, output_format: str) -> None:
    """Count the cards by topic, scope, source and card type."""
    from .. import pipeline
    from .stats import as_json, as_text, compute

    result = pipeline.check(cards_dir)
    if result.card_set is None:
        _report(result)
        ctx.exit(1)
    figures = compute(result.card_set)
    click.echo(as_json(figures) if output_format == "json" else as_text(figures), nl=False)


@main.command(name="import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--into", "into", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="The new deck's folder (default: named after the deck).")
@click.option("--namespace", help="Permanent id of the new deck (default: from the deck's name).")
def import_(file: Path, into: Path | None, namespace: str | None) -> None:
    """Turn an Anki deck (.apkg, .colpkg, or a text export with GUIDs) into a deck of YAML cards whose
    builds update students' existing notes in place."""
    from .importing import import_deck
    from ..fs import display_path
    from .report import format_diagnostic

    result = import_deck(file, into, namespace=namespace)
    for problem in result.problems:
        click.echo(format_diagnostic(problem, colour=True))
    kept = ", ".join(f"'{name}'" for name in result.adopted) or "none (a text export names no note type ids)"
    click.echo(f"Imported {result.card_count} cards and {result.media_count} media files into "
               f"{display_path(result.cards_dir)} (namespace '{result.namespace}'); note types kept: {kept}.")
    if any(problem.is_error for problem in result.problems):
        click.echo("Fix the errors above, then: deckbuilder build", err=True)
        raise SystemExit(1)
    click.echo(f"Next: cd {display_path(result.folder)} && deckbuilder build")
