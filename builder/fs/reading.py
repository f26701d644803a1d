"""Reading the files a deck is made of, without trusting what they are.

A cards folder may come from anyone (a contributor's pull request): a "card
file" can be a named pipe that blocks a read forever, a device, or a link to
a private file elsewhere on the machine (``media/photo.jpg`` linked to
``~/.ssh/id_rsa`` would be shipped inside the deck). Everything read goes
through here: regular files only, of bounded size, and inside their folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class UnsafeFile(Exception):
    """A file that must not be read; the message says why, in words for the maintainer."""


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Raises OSError when it cannot be opened, UnsafeFile when it is not a
    regular file or is too large. The check is made on the opened file, so it
    cannot be swapped for a pipe between the check and the read; the
    non-blocking open keeps a pipe with no writer from hanging us.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        problem = status_problem(os.fstat(fd), limit)
        if problem is not None:
            raise UnsafeFile(problem)
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew while we read
        raise UnsafeFile(f"is more than {limit:,} bytes; the limit is {limit:,}")
    return data


def status_problem(status: os.stat_result, limit: int) -> str | None:
    """Why a file with this status must not be read: not a regular file, or too large."""
    if not stat.S_ISREG(status.st_mode):
        return f"is {_kind(status.st_mode)}, not a regular file"
    if status.st_size > limit:
        return f"is {status.st_size:,} bytes; the limit is {limit:,}"
    return None


def reason(exc: OSError | UnsafeFile) -> str:
    """Why reading failed, in words: the system's for an OSError, ours for an UnsafeFile."""
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def link_problem(path: Path, folder: Path) -> str | None:
    """Why ``path`` (a link, or inside one) must not be followed from ``folder``: it loops, or leads out."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return f"leads outside {folder.name}/"
    except (OSError, RuntimeError):  # RuntimeError before Python 3.13
        return "is a link that loops back on itself"
    return None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working folder when inside it.

    Only the folders are resolved, never the file itself: a link is named as the
    link (``cards/x.yaml``), not as what it points to, and a link loop is no error.
    """
    try:
        folder = Path(os.path.realpath(path.parent))
        return str((folder / path.name).relative_to(Path(os.path.realpath(Path.cwd()))))
    except (ValueError, OSError):
        return str(path)
