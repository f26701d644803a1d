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


class Background:
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
        """The function's return value (waits for the child); its exception's report if it failed."""
        if not self._pid:
            return self._value
        with os.fdopen(self._read_end, "rb") as incoming:
            payload = incoming.read()
        os.waitpid(self._pid, 0)
        self._pid = 0
        if not payload:
            raise RuntimeError("a background process ended without a result")
        status, self._value = pickle.loads(payload)  # our own child's bytes, never outside data
        if status == "raise":
            raise self._value
        if status == "error":
            raise RuntimeError(f"a background process failed:\n{self._value}")
        return self._value
