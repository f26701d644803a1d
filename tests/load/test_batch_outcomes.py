"""load.Batch hands each call's outcome out on its own, whatever the other calls did (an outcome that does not
pickle or unpickle, a child that dies, an exception that is not an Exception)."""

import os
import sys

import pytest

from builder.load import Batch, background


def square(n):
    return n * n


class TwoArgError(Exception):
    """An ordinary exception class whose __init__ takes two arguments: it pickles, but does not unpickle."""

    def __init__(self, code, detail):
        super().__init__(f"{code}: {detail}")


def raise_two_arg():
    raise TwoArgError("E1", "broken on purpose")


def unpicklable_result():
    return lambda: None


def die():
    sys.stdout.flush()
    os._exit(3)  # the child ends without a result (as when the OOM killer takes it)


@pytest.fixture
def forking(monkeypatch):
    monkeypatch.setattr(background.threading, "active_count", lambda: 1)
    if not background.can_fork():
        pytest.skip("cannot fork here")


@pytest.mark.parametrize("bad", [raise_two_arg, unpicklable_result])
def test_one_calls_odd_outcome_does_not_take_the_others_result(forking, bad):
    """Before load.Batch each search had its own Background: a failure of one never touched the other."""
    batch = Batch()
    before, broken, after = batch.add(square, 3), batch.add(bad), batch.add(square, 4)
    batch.start()
    with pytest.raises(Exception):
        broken.result()
    assert before.result() == 9
    assert after.result() == 16


def test_every_part_of_a_batch_whose_child_died_says_so(forking):
    """Asked in turn (W403's search, then W811's; a package, then the changelog), each part must raise the
    batch's own error, not an AttributeError/TypeError from Background.result being called twice."""
    batch = Batch()
    first, second = batch.add(die), batch.add(square, 2)
    batch.start()
    for part in (first, second):
        with pytest.raises(RuntimeError, match="ended without a result"):
            part.result()


def raise_system_exit():
    raise SystemExit(2)


def test_a_base_exception_in_one_call_is_raised_for_every_part_alike(forking):
    batch = Batch()
    first, second = batch.add(raise_system_exit), batch.add(square, 2)
    batch.start()
    with pytest.raises(SystemExit):
        first.result()
    with pytest.raises(SystemExit):
        second.result()


def wait_for(flag):
    """Wait (up to 20 s) until the parent has made ``flag``: it can only have if it got the part before."""
    import time

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if os.path.exists(flag):
            return "signalled"
        time.sleep(0.01)
    return "never signalled"


def test_a_part_is_handed_out_while_the_later_parts_still_run(forking, tmp_path):
    """A build adopts its package and changelog, and commits, while the same child still writes the cache."""
    flag = tmp_path / "got the first part"
    batch = Batch()
    first, second = batch.add(square, 3), batch.add(wait_for, str(flag))
    batch.start()
    assert first.result() == 9
    flag.touch()
    assert second.result() == "signalled"


def die_after_a_part():
    sys.stdout.flush()
    os._exit(3)


def test_a_child_that_dies_keeps_the_parts_it_sent(forking):
    batch = Batch()
    first, second, third = batch.add(square, 3), batch.add(die_after_a_part), batch.add(square, 4)
    batch.start()
    assert first.result() == 9
    for part in (second, third):
        with pytest.raises(RuntimeError, match="ended without a result"):
            part.result()


@pytest.mark.parametrize("can_fork", [True, False])
def test_a_base_exception_ends_the_batch_but_not_the_parts_before_it(monkeypatch, can_fork):
    monkeypatch.setattr(background.threading, "active_count", lambda: 1 if can_fork else 2)
    batch = Batch()
    before, stopping, after = batch.add(square, 3), batch.add(raise_system_exit), batch.add(square, 4)
    batch.start()
    assert before.result() == 9
    for part in (stopping, after):
        with pytest.raises(SystemExit):
            part.result()
