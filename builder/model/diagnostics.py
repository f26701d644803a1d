"""Diagnostics as data: what every loader step and check produces.

A diagnostic is never printed or raised where it is found; it is collected and
rendered once, by the CLI (see ``report.py``). The code is the stable contract
(tests and users match on it); the message is prose and may be reworded.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Location(NamedTuple):
    """A 1-based position in a file, as editors and compilers show it.

    A NamedTuple rather than a dataclass: the loader makes one for every YAML
    value (millions at 50,000 cards), and tuples are several times cheaper.
    """

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    location: Location
    message: str
    # The card (or source) id the problem is about; `accepted` entries match on it.
    subject: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code)

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message}"


def sorted_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=Diagnostic.sort_key)


def count_errors(diagnostics: list[Diagnostic]) -> int:
    return sum(1 for d in diagnostics if d.is_error)


class Counted:
    """Mixin for results that carry ``diagnostics``: how many are errors, how many warnings."""

    diagnostics: tuple[Diagnostic, ...]

    @property
    def error_count(self) -> int:
        return count_errors(list(self.diagnostics))

    @property
    def warning_count(self) -> int:
        return len(self.diagnostics) - self.error_count
