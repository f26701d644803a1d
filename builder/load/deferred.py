"""Cache writes held back so that a build can make them on its other core.

A first build writes about 60 MB of cache entries from its main process (its share of the parsed files,
every note compiled), while the rules and searches keep the other core busy. Held back here, they are
written by the child that writes the last package, where a core is free (pipeline._write_outputs); a
build that stops before that writes them itself. Only the process that deferred them holds them back: a
forked child (the rules, a share of the parse) writes its own at once, or they would be lost with it.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..fs import write_atomically

Write = tuple[Path, Callable[[], bytes]]  # the file, and what makes its bytes (encoding is deferred too)


@dataclass
class DeferredWrites:
    owner: int = field(default_factory=os.getpid)
    writes: list[Write] = field(default_factory=list)
    active: bool = True

    def hold(self, path: Path, make: Callable[[], bytes]) -> bool:
        """Keep the write for later; False (write it now) once taken, or in another process."""
        if not self.active or os.getpid() != self.owner:
            return False
        self.writes.append((path, make))
        return True

    def hand_over(self) -> list[Write]:
        """The writes held so far (for another process to make); later ones are held too."""
        writes, self.writes = self.writes, []
        return writes

    def take(self) -> list[Write]:
        """The writes held so far; from now on every write is made at once."""
        self.active = False
        writes, self.writes = self.writes, []
        return writes


_WHOLE_DISK = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


def write_all(writes: list[Write]) -> None:
    """Make the writes (a cache's: a folder that cannot be written is left alone, as at once; one entry that
    cannot be written, say a folder in its place, costs no other)."""
    made: set[Path] = set()
    refused: set[Path] = set()
    for path, make in writes:
        if path.parent in refused:
            continue
        try:
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
        except OSError:
            refused.add(path.parent)  # a read-only checkout: the next run computes them again
            continue
        try:
            write_atomically(path, make(), durable=False)
        except OSError as error:
            if error.errno in _WHOLE_DISK:
                return
