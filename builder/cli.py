"""The ``deckbuilder`` command: a thin layer over builder.pipeline.

Exit status: 0 success, 1 content errors or a failed build, 2 usage errors.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__

CARDS_OPTION = click.option(
    "--cards", "cards_dir", type=click.Path(path_type=Path, file_okay=False), default="cards",
    show_default=True, help="Folder holding deck.yaml, sources.yaml and the card files.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="deckbuilder")
def main() -> None:
    """Check curated question/answer YAML and compile it into Anki decks."""


def _report(result) -> None:
    from .report import format_diagnostic, summary

    for diagnostic in result.diagnostics:
        click.echo(format_diagnostic(diagnostic))
    click.echo(summary(result.error_count, result.warning_count, result.card_count, len(result.files)))


@main.command()
@CARDS_OPTION
@click.option(
    "--sources", "sources_dir", type=click.Path(path_type=Path, exists=True, file_okay=False), default=None,
    help="Folder of source texts (the 'file' of each source in sources.yaml): verify their sha256 and "
         "warn about figures on cards that their cited sources do not contain.",
)
@click.pass_context
def check(ctx: click.Context, cards_dir: Path, sources_dir: Path | None) -> None:
    """Report every problem in the cards, like a compiler."""
    from . import pipeline

    result = pipeline.check(cards_dir, sources_dir)
    _report(result)
    ctx.exit(1 if result.error_count else 0)


@main.command()
@CARDS_OPTION
@click.option(
    "--output", "output_dir", type=click.Path(path_type=Path, file_okay=False), default="output",
    show_default=True, help="Folder the .apkg is written to.",
)
@click.pass_context
def build(ctx: click.Context, cards_dir: Path, output_dir: Path) -> None:
    """Check the cards, then write the Anki package (nothing is written if a check fails)."""
    from . import pipeline
    from .loader import display_path

    result = pipeline.build(cards_dir, output_dir)
    _report(result.check)
    if result.package is None:
        click.echo("Build stopped: fix the errors above; nothing was written.", err=True)
        ctx.exit(1)
    click.echo(
        f"Wrote {display_path(result.package)} ({result.note_count} notes, {result.card_count} cards)."
    )
