"""The program's front door: check the Python and the installed packages, then run the CLI.

Without this, an old Python stops on syntax it does not know and a missing
package ends in an ImportError traceback from deep inside a command. Keep
this module importable by any Python 3 (no newer syntax), and cheap: it looks
the packages up without importing them.
"""

import importlib.util
import os
import sys

MINIMUM_PYTHON = (3, 11)
# Import name -> the distribution to install (as pyproject.toml lists them).
REQUIRED_PACKAGES = {
    "click": "click",
    "yaml": "pyyaml",
    "genanki": "genanki",
    "markdown_it": "markdown-it-py",
    "nh3": "nh3",
    "watchfiles": "watchfiles",
    "rapidfuzz": "rapidfuzz",
    "zstandard": "zstandard",
}
SETUP_HINT = "run `python3 -m venv .venv && .venv/bin/pip install -e .` in the repository (README, \"Set up\")"


def environment_problem():
    """One line saying what is wrong with this Python environment, or None."""
    if sys.version_info[:2] < MINIMUM_PYTHON:
        found = ".".join(str(part) for part in sys.version_info[:3])
        return ("deckbuilder needs Python {}.{} or newer; this is Python {} ({}). Install a newer Python, "
                "then {}".format(MINIMUM_PYTHON[0], MINIMUM_PYTHON[1], found, sys.executable, SETUP_HINT))
    missing = [package for module, package in REQUIRED_PACKAGES.items() if not _importable(module)]
    if missing:
        return "deckbuilder cannot start: {} {} not installed in {} ; {}".format(
            ", ".join(missing), "is" if len(missing) == 1 else "are", sys.prefix, SETUP_HINT)
    return None


def _importable(module):
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a broken install, or a module blocked in sys.modules
        return False


def main(prog_name="deckbuilder"):
    problem = environment_problem()
    if problem is not None:
        sys.stderr.write("Error: " + problem + "\n")
        sys.exit(1)
    from . import cli

    cli.kept_until_exit = []
    try:
        cli.main(prog_name=prog_name)  # (click ends with SystemExit, with the command's exit status)
        status = 0
    except SystemExit as end:
        status = end.code
    leave(status)


def leave(status):
    """End the process now, with ``status`` as SystemExit would give it: every file the command wrote is
    closed and in place (its own ``with`` blocks), so what is left is the interpreter freeing every object
    one by one, a fifth of a second after a 50,000-card build, which the operating system does at once."""
    if status is None:
        status = 0
    elif not isinstance(status, int):  # SystemExit("message"): printed, status 1
        sys.stderr.write("{}\n".format(status))
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (`deckbuilder check | head`): nothing to add
            pass
    os._exit(status)
