"""Writing output files so that a crash or a full disk never leaves a broken one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable, Iterable


def write_atomically(target: Path, data: bytes | Iterable[str] | Callable[[BinaryIO], None]) -> None:
    """Write beside the target, then rename: readers see the old file or the new one.

    ``data`` is the bytes, text chunks to encode as UTF-8 (so a large export
    never sits in memory whole), or a function that writes to the open file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(data, bytes):
                out.write(data)
            elif callable(data):
                data(out)
            else:
                for chunk in data:
                    out.write(chunk.encode())
        # mkstemp creates the file private (0600); decks are meant to be shared.
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
