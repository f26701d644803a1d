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
from typing import Any, BinaryIO, Callable


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1 and (os.cpu_count() or 1) > 1


class Pending:
    """A result computed elsewhere (or inline): ``result()`` waits for it, or raises what computing it raised."""

    def result(self) -> Any:
        raise NotImplementedError


def _fork(work: Callable[[BinaryIO], None]) -> tuple[int, BinaryIO]:
    """A forked child that runs ``work`` on the write end of a pipe, then ends: (its pid, the read end)."""
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
            with os.fdopen(write_end, "wb") as out:
                work(out)
        finally:
            os._exit(0)
    os.close(write_end)
    return pid, os.fdopen(read_end, "rb")


def _pickled(outcome: tuple[str, Any]) -> bytes:
    try:
        return pickle.dumps(outcome)
    except Exception:  # noqa: BLE001 - a value (or exception) that does not pickle: its report instead
        return pickle.dumps(("error", traceback.format_exc()))


def _unpickled(payload: bytes) -> tuple[str, Any]:
    try:
        return pickle.loads(payload)  # our own child's bytes, never outside data
    except Exception:  # noqa: BLE001 - an exception that pickles but does not unpickle
        return ("error", traceback.format_exc())


class Background(Pending):
    def __init__(self, function: Callable[..., Any], *args: Any, parallel: bool = True):
        self._pid = 0
        if parallel and can_fork():
            def work(out: BinaryIO) -> None:
                try:
                    outcome = ("ok", function(*args))
                except BaseException as error:  # noqa: BLE001 - reported to the parent, whatever it was
                    outcome = ("raise", error)  # the exception itself, so the parent handles it as if here
                out.write(_pickled(outcome))

            self._pid, self._incoming = _fork(work)
        else:
            self._value = function(*args)

    def result(self) -> Any:
        """The function's return value (waits for the child); its exception's report if it failed. Asked
        again, the same value or the same failure."""
        if self._pid:
            with self._incoming:
                payload = self._incoming.read()
            os.waitpid(self._pid, 0)
            self._pid = 0
            self._outcome = _unpickled(payload) if payload else _ENDED
        elif not hasattr(self, "_outcome"):
            self._outcome = ("ok", self._value)
        return _value_of(self._outcome, "a background process failed")


# What a part whose child ended before sending it gets (the OOM killer, os._exit in a call).
_ENDED = ("failed", "a background process ended without a result")


def _value_of(outcome: tuple[str, Any], failed: str) -> Any:
    status, value = outcome
    if status in ("raise", "stop"):
        raise value
    if status == "failed":  # the message says it all
        raise RuntimeError(value)
    if status == "error":
        raise RuntimeError(f"{failed}:\n{value}")
    return value


class Batch:
    """Several functions run one after the other in ONE background process, each result handed out on its own.

    For work that would otherwise take a process each while both cores are busy already (a build plans on
    one while the rules run on the other): a forked child pays for every page of the parent it touches
    (copy-on-write: the near-duplicate search and W811 each touched 200-280 MB of a 50,000-card build), and
    two such children also compute the same words of every question twice. ``add`` every call, then
    ``start``. Each call's outcome is sent as soon as it is made, so that its ``result`` need not wait for the
    calls after it (a build commits its package while the same child still writes the cache); each call's
    exception is kept for its own ``result``, so one failing does not hide another's result."""

    def __init__(self) -> None:
        self._calls: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
        self._running: _Outcomes | None = None  # the child, sending each call's outcome as it is made
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
            self._running = _Outcomes(self._calls)
        else:  # (pickled only to cross a pipe)
            self._inline = []
            for function, args in self._calls:
                try:
                    self._inline.append(_outcome_of(function, args))
                except BaseException as stop:  # noqa: BLE001 - as in a child: this call and the rest raise it
                    self._inline.extend([("stop", stop)] * (len(self._calls) - len(self._inline)))
                    break

    def _outcome(self, index: int) -> Any:
        if self._inline is not None:
            outcome = self._inline[index]
        elif self._running is None:
            raise RuntimeError("the batch was not started")
        else:
            outcome = self._running.outcome(index)
        return _value_of(outcome, "a background call failed")


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


_LENGTH = 8  # bytes before each outcome sent: its length


class _Outcomes:
    """A Batch's child, and the outcomes it has sent so far (each pickled on its own: one that does not
    pickle spoils no other). A call that raises what is not an Exception (SystemExit, say) ends the batch: it
    is that part's outcome, and every later part's."""

    def __init__(self, calls: list[tuple[Callable[..., Any], tuple[Any, ...]]]):
        def work(out: BinaryIO) -> None:
            for function, args in calls:
                try:
                    outcome = _outcome_of(function, args)
                except BaseException as stop:  # noqa: BLE001
                    outcome = ("stop", stop)
                blob = _pickled(outcome)
                out.write(len(blob).to_bytes(_LENGTH, "big") + blob)
                out.flush()
                if outcome[0] == "stop":
                    return

        self._count = len(calls)
        self._received: list[tuple[str, Any]] = []
        self._pid, self._incoming = _fork(work)

    def outcome(self, index: int) -> tuple[str, Any]:
        """The ``index``-th call's outcome (read from the child as far as that one; the same if asked again)."""
        while len(self._received) <= index and self._pid:
            header = self._incoming.read(_LENGTH)
            blob = self._incoming.read(int.from_bytes(header, "big")) if len(header) == _LENGTH else b""
            if not blob:  # the child ended early
                self._end()
                break
            self._received.append(_unpickled(blob))
            if self._received[-1][0] == "stop":
                self._received.extend([self._received[-1]] * (self._count - len(self._received)))
            if len(self._received) == self._count:
                self._end()
        return self._received[index] if index < len(self._received) else _ENDED

    def _end(self) -> None:
        self._incoming.close()
        os.waitpid(self._pid, 0)
        self._pid = 0


class Token:
    """One token that this process and its forked children race for: whoever takes it first does a job that
    either could do (a build's .tsv: on whichever core is free first), and the job is done once.

    The token is the one byte of a pipe made before the fork: reading a byte is atomic, so exactly one
    reader gets it (the others read the end of the pipe). Where nothing forks, the first to ask takes it."""

    def __init__(self) -> None:
        read_end, write_end = os.pipe()
        os.write(write_end, b"t")
        os.close(write_end)
        self._fd: int | None = read_end

    def take(self) -> bool:
        """True for the first to ask, in any process; False for every other (and after ``close``)."""
        if self._fd is None:
            return False
        taken = os.read(self._fd, 1) == b"t"
        self.close()
        return taken

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def if_taken(token: Token, function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)`` if this process takes ``token``, else None (the other side did the job)."""
    return function(*args) if token.take() else None
