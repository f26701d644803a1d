"""Errors that stop a command (as opposed to diagnostics about content).

They subclass click.ClickException, as mkdocs does, so the CLI shows a
one-line message and exits 1 without any try/except of its own.
"""

from __future__ import annotations

import click


class DeckbuilderError(click.ClickException):
    exit_code = 1
