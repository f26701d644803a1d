"""Writing output files so that a crash, a kill or a full disk never leaves a broken one.

Every file is first written in full beside its target under a temporary name
(``.deck.apkg.k2j4x8qz.tmp``), synced to disk, and only then renamed over
the target: a reader sees the old file or the new one, never half of one. A
build stages all of its files this way and renames them in one quick pass at
the end, deck.lock last, so a build that dies early changes nothing and one
that dies during the renames leaves every file whole and the old lock, which
makes the next build write everything again.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from ..model import DeckbuilderError

Content = bytes | Iterable[str] | Callable[[BinaryIO], None]

TEMP_SUFFIX = ".tmp"
# mkstemp's names: ".<target name>.<8 random characters>.tmp".
_TEMP_NAME = re.compile(r"^\.(.+)\.[a-z0-9_]{8}\.tmp$")


def target_of(path: Path) -> Path:
    """The file a temporary file was staged for (``path`` itself if it is not one of ours)."""
    staged = _TEMP_NAME.match(path.name)
    return path.with_name(staged.group(1)) if staged else path


def stage(target: Path, data: Content) -> Path:
    """Write ``data`` in full to a new temporary file beside ``target``; return its path.

    ``data`` is the bytes, text chunks to encode as UTF-8 (so a large export
    never sits in memory whole), or a function that writes to the open file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(data, bytes):
                out.write(data)
            elif callable(data):
                data(out)
            else:
                # Chunks gathered into blocks of about a megabyte: an export of 50,000 rows is 50,000 chunks.
                block: list[str] = []
                size = 0
                for chunk in data:
                    block.append(chunk)
                    size += len(chunk)
                    if size >= 1 << 20:
                        out.write("".join(block).encode())
                        block, size = [], 0
                if block:
                    out.write("".join(block).encode())
        # mkstemp creates the file private (0600); decks are meant to be shared.
        os.chmod(temp, 0o666 & ~_umask())
    except OSError as exc:
        temp.unlink(missing_ok=True)
        if exc.filename is None:  # a failed write names no file; say which one, as the user knows it
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


class StagedFiles:
    """Files staged beside their targets, renamed into place together by ``commit``.

    Used as a context manager: whatever was staged but not committed when the
    block ends (an error, Ctrl-C) is deleted, and the targets are untouched.
    Staging is thread-safe (a package is written on another thread or process
    while the exports are written here).
    """

    def __init__(self) -> None:
        self._staged: dict[Path, Path] = {}  # target -> its temporary file, in the order staged
        self._guard = threading.Lock()

    def write(self, target: Path, data: Content) -> Path:
        return self.adopt(target, stage(target, data))

    def adopt(self, target: Path, temp: Path) -> Path:
        """Take charge of a file another process staged for ``target``."""
        with self._guard:
            previous = self._staged.pop(target, None)
            self._staged[target] = temp
        if previous is not None:
            previous.unlink(missing_ok=True)
        return temp

    def targets(self) -> list[Path]:
        return list(self._staged)

    def staged(self, target: Path) -> Path:
        """Where ``target``'s new content is until the commit (to read it back, e.g. for checksums)."""
        return self._staged[target]

    def commit(self, last: Iterable[Path] = (), durable: bool = True) -> None:
        """Rename every staged file over its target, the ``last`` ones after all others.

        ``durable``: first make sure the new bytes are on disk, so that even a power cut
        leaves the old files or the new ones (a cache, rebuilt when damaged, need not wait).
        """
        final = [target for target in last if target in self._staged]
        order = [target for target in self._staged if target not in final] + final
        if durable:
            os.sync()  # one for all the files: an fsync per file cost more than the rest of a build
        with self._guard:
            for target in order:
                os.replace(self._staged[target], target)
                del self._staged[target]
        if durable:
            for folder in {target.parent for target in order}:
                _sync_folder(folder)

    def discard(self) -> None:
        with self._guard:
            temps, self._staged = list(self._staged.values()), {}
        for temp in temps:
            temp.unlink(missing_ok=True)

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.discard()


def write_atomically(target: Path, data: Content, durable: bool = True) -> None:
    """Replace one file: readers see the old content or the new, never a part."""
    with StagedFiles() as files:
        files.write(target, data)
        files.commit(durable=durable)


def missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its parents that do not exist yet, innermost first."""
    missing = []
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    return missing


@contextlib.contextmanager
def removed_unless_committed(folders: list[Path]) -> Iterator[list[bool]]:
    """Entered inside one_writer, left after StagedFiles: unless the build set ``committed[0]`` (before its
    renames), the folders it made are removed, now empty, while it still holds them (a build that finds them
    busy never enters this, and removes nothing another build holds)."""
    committed = [False]
    try:
        yield committed
    finally:
        if not committed[0]:
            remove_empty(folders)


def remove_empty(folders: list[Path]) -> None:
    """Remove each folder (innermost first, as missing_folders lists them) that is empty, up to the first
    that is not: what a build made and left empty (one that was never made is passed over)."""
    for folder in folders:
        try:
            folder.rmdir()
        except FileNotFoundError:
            continue
        except OSError:
            return


def remove_stale_temps(folder: Path, names: Iterable[str] | None = None) -> list[Path]:
    """Delete temporary files a killed run left in ``folder`` (only those staged for ``names``, if given)."""
    wanted = None if names is None else tuple(f".{name}." for name in names)
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if not _TEMP_NAME.match(entry.name) or not entry.is_file(follow_symlinks=False):
                continue
            if wanted is not None and not entry.name.startswith(wanted):
                continue
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


class FolderBusy(DeckbuilderError):
    """Another deckbuilder process is writing in the folder."""

    def __init__(self, folder: Path):
        from .reading import display_path

        super().__init__(f"another deckbuilder is writing in {display_path(folder)} (a `deckbuilder watch` or "
                         "build?); wait for it to finish, then try again")


@contextlib.contextmanager
def one_writer(*folders: Path) -> Iterator[None]:
    """Hold an advisory lock on each folder, so that two commands never write the same files at once.

    Builds, renames, purges and unretires read deck.lock, change it and write it
    back; two at once would lose one's change. The lock is the kernel's (flock
    on the folder itself): it ends with the process, however the process ends,
    so a killed build never leaves a stale lock behind. Raises FolderBusy at once
    rather than wait: the user learns why nothing happens.
    """
    with contextlib.ExitStack() as held:
        for folder in sorted({folder.resolve() for folder in folders}):
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            held.callback(os.close, fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise FolderBusy(folder) from None
                raise
        yield


def _sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (a power cut after a build keeps the new names)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot sync a folder; the renames themselves are still atomic
    finally:
        os.close(fd)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
