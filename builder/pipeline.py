"""The pipeline as plain functions: load, check, compile, write.

The CLI calls exactly one of these per command and renders the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .checks import CheckContext, run_checks
from .diagnostics import Diagnostic, count_errors, sorted_diagnostics
from .errors import DeckbuilderError
from .loader import display_path, load_card_set
from .model import CardSet


@dataclass(frozen=True)
class CheckResult:
    card_set: CardSet | None  # None when deck.yaml or sources.yaml is unusable
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...] = ()
    card_count: int = 0

    @property
    def error_count(self) -> int:
        return count_errors(list(self.diagnostics))

    @property
    def warning_count(self) -> int:
        return len(self.diagnostics) - self.error_count


@dataclass(frozen=True)
class BuildResult:
    check: CheckResult
    package: Path | None  # None when errors stopped the build
    note_count: int = 0
    card_count: int = 0


def check(cards_dir: Path, sources_dir: Path | None = None) -> CheckResult:
    """Load and check the cards; with ``sources_dir``, also ground their figures in the source texts."""
    loaded = load_card_set(cards_dir)
    diagnostics = list(loaded.diagnostics)
    if loaded.card_set is not None:
        source_texts = None
        if sources_dir is not None:
            from .grounding import load_source_texts

            source_texts, problems = load_source_texts(loaded.card_set, sources_dir)
            diagnostics.extend(problems)
        diagnostics.extend(run_checks(CheckContext(loaded.card_set, source_texts)))
    return CheckResult(
        loaded.card_set, tuple(sorted_diagnostics(diagnostics)), loaded.files, loaded.card_count
    )


def package_path(output_dir: Path, card_set: CardSet) -> Path:
    return output_dir / f"{card_set.deck.namespace}.apkg"


def build(cards_dir: Path, output_dir: Path) -> BuildResult:
    """Check, then compile and write the deck; write nothing if any check fails."""
    checked = check(cards_dir)
    if checked.error_count or checked.card_set is None:
        return BuildResult(checked, None)

    # Imported here: genanki and the renderers are only needed to build.
    from .compile import compile_card_set
    from .package import write_package

    compiled = compile_card_set(checked.card_set)
    target = package_path(output_dir, checked.card_set)
    try:
        write_package(compiled, target)
    except OSError as exc:
        raise DeckbuilderError(f"cannot write {display_path(target)}: {exc.strerror or exc}") from exc
    card_count = sum(len(note.cards) for note in compiled.notes)
    return BuildResult(checked, target, len(compiled.notes), card_count)
