"""The file system, trusted by nobody: reading the files a deck is made of without following
links out of it, and writing outputs atomically (never a half-written file), one writer at a time.

This module is the stage's interface: what the stages above it use (docs/architecture.md).
"""

from .files import (
    Content, StagedFiles, missing_folders, one_writer, remove_stale_temps, removed_unless_committed, stage, target_of,
    write_atomically,
)
from .reading import UnsafeFile, display_path, link_problem, read_regular_file, reason, status_problem

__all__ = [
    "Content", "StagedFiles", "UnsafeFile", "display_path", "link_problem", "missing_folders", "one_writer",
    "read_regular_file", "reason", "remove_stale_temps", "removed_unless_committed", "stage", "status_problem",
    "target_of", "write_atomically",
]
