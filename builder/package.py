"""Write a compiled deck to an .apkg without ever leaving a broken file.

genanki writes straight to the target path, so a crash mid-write would leave
a truncated deck where the last good one was. We write to a temporary file
in the same folder and rename it into place: a rename within one filesystem
is atomic, so readers see either the old deck or the new one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import genanki

from .compile import CompiledDeck


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_package(compiled: CompiledDeck, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        genanki.Package(compiled.deck).write_to_file(str(temp))
        # mkstemp creates the file private (0600); a deck is meant to be shared.
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
