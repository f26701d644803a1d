"""Run one function on the second core while this process goes on with other work.

The child is forked, so it starts with this process's data (a 50,000-card
set is shared copy-on-write, not pickled); only its small result comes
back, through a pipe. Where forking is unavailable or unsafe (another thread
is running, as under ``watch``), the function simply runs inline: the
result is the same, only later.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import threading
import traceback
from typing import Any, Callable


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1 and (os.cpu_count() or 1) > 1


class Pending:
    """A result computed elsewhere (or inline): ``result()`` waits for it, or raises what computing it raised."""

    def result(self) -> Any:
        raise NotImplementedError


class Background(Pending):
    def __init__(self, function: Callable[..., Any], *args: Any, parallel: bool = True):
        self._pid = 0
        if parallel and can_fork():
            read_end, write_end = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            # The child's garbage collector leaves this process's objects alone (gc.freeze: the permanent
            # generation): collecting them there would write to every page that holds one, copying the
            # shared pages (CPU and memory the child never needed: the young of a 50,000-card deck took
            # a tenth of a second per collection). This process takes them back (gc.unfreeze) at once.
            parent = os.getpid()
            gc.freeze()
            try:
                pid = os.fork()
            finally:
                if os.getpid() == parent:
                    gc.unfreeze()
            if pid == 0:  # the child: compute, send, leave without running the parent's exit handlers
                os.close(read_end)
                try:
                    payload = pickle.dumps(("ok", function(*args)))
                except BaseException as error:  # noqa: BLE001 - reported to the parent, whatever it was
                    try:  # the exception itself, so the parent handles it as if it had run here
                        payload = pickle.dumps(("raise", error))
                    except Exception:  # noqa: BLE001
                        payload = pickle.dumps(("error", traceback.format_exc()))
                with os.fdopen(write_end, "wb") as out:
                    out.write(payload)
                os._exit(0)
            os.close(write_end)
            self._pid, self._read_end = pid, read_end
        else:
            self._value = function(*args)

    def result(self) -> Any:
        """The function's return value (waits for the child); its exception's report if it failed. Asked
        again (a Batch's parts share one), the same value or the same failure."""
        if self._pid:
            with os.fdopen(self._read_end, "rb") as incoming:
                payload = incoming.read()
            os.waitpid(self._pid, 0)
            self._pid = 0
            if not payload:
                self._outcome = ("failed", "a background process ended without a result")
            else:
                try:
                    self._outcome = pickle.loads(payload)  # our own child's bytes, never outside data
                except Exception:  # noqa: BLE001 - an exception that pickles but does not unpickle
                    self._outcome = ("error", traceback.format_exc())
        elif not hasattr(self, "_outcome"):
            self._outcome = ("ok", self._value)
        status, value = self._outcome
        if status == "raise":
            raise value
        if status == "failed":  # the message says it all
            raise RuntimeError(value)
        if status == "error":
            raise RuntimeError(f"a background process failed:\n{value}")
        return value


class Batch:
    """Several functions run one after the other in ONE background process, each result handed out on its own.

    For work that would otherwise take a process each while both cores are busy already (a build plans on
    one while the rules run on the other): a forked child pays for every page of the parent it touches
    (copy-on-write: the near-duplicate search and W811 each touched 200-280 MB of a 50,000-card build), and
    two such children also compute the same words of every question twice. ``add`` every call, then
    ``start``; each call's exception is kept for its own ``result``, so one failing does not hide another's
    result."""

    def __init__(self) -> None:
        self._calls: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
        self._running: Background | None = None  # the child, sending each call's outcome pickled
        self._inline: list[tuple[str, Any]] | None = None  # the outcomes, where it could not fork

    def add(self, function: Callable[..., Any], *args: Any) -> Pending:
        if self._running is not None or self._inline is not None:
            raise RuntimeError("the batch is running already")
        self._calls.append((function, args))
        return _BatchPart(self, len(self._calls) - 1)

    def start(self) -> None:
        if self._running is not None or self._inline is not None or not self._calls:
            return
        if can_fork():
            self._running = Background(_run_each, self._calls)
        else:  # (pickled only to cross a pipe)
            self._inline = [_outcome_of(function, args) for function, args in self._calls]

    def _outcome(self, index: int) -> Any:
        if self._inline is not None:
            status, value = self._inline[index]
        elif self._running is None:
            raise RuntimeError("the batch was not started")
        else:
            blob = self._running.result()[index]  # the batch's own failure, for every part alike
            try:
                status, value = pickle.loads(blob)
            except Exception:  # noqa: BLE001
                raise RuntimeError(
                    f"a background call's outcome could not be read:\n{traceback.format_exc()}") from None
        if status == "raise":
            raise value
        if status == "error":
            raise RuntimeError(f"a background call failed:\n{value}")
        return value


class _BatchPart(Pending):
    def __init__(self, batch: Batch, index: int):
        self._batch, self._index = batch, index

    def result(self) -> Any:
        return self._batch._outcome(self._index)


def _outcome_of(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
    try:
        return "ok", function(*args)
    except Exception as error:  # noqa: BLE001 - handed to the caller of that part's result()
        return "raise", error


def _run_each(calls: list[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[bytes]:
    outcomes: list[bytes] = []  # each pickled on its own: one that does not pickle spoils no other
    for function, args in calls:
        outcome = _outcome_of(function, args)
        try:
            outcomes.append(pickle.dumps(outcome))
        except Exception:  # noqa: BLE001
            outcomes.append(pickle.dumps(("error", traceback.format_exc())))
    return outcomes
