import os

import pytest

from builder.load import background
from builder.load.background import Background


def square_and_pid(n):
    return n * n, os.getpid()


def test_forked_and_inline_runs_give_the_same_result(monkeypatch):
    monkeypatch.setattr(background.threading, "active_count", lambda: 1)
    forked = Background(square_and_pid, 7)
    value, pid = forked.result()
    assert value == 49 and (pid != os.getpid() or not background.can_fork())
    inline = Background(square_and_pid, 7, parallel=False)
    assert inline.result() == (49, os.getpid())


def fail():
    raise ValueError("broken on purpose")


def test_a_failure_in_the_child_is_raised_as_itself(monkeypatch):
    monkeypatch.setattr(background.threading, "active_count", lambda: 1)
    job = Background(fail)
    with pytest.raises(ValueError, match="broken on purpose"):
        job.result()


def test_a_full_disk_while_writing_a_package_is_a_one_line_error(make_cards, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from builder import compile as package  # the compile stage's interface, which the pipeline calls
    from builder.cli import main

    make_cards("valid.yaml")
    monkeypatch.setattr(background.threading, "active_count", lambda: 1)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "output" / "testdeck.apkg"))

    monkeypatch.setattr(package, "stage_package", full_disk)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: cannot write output/testdeck.apkg: No space left on device; free some disk space, then build again")


def test_no_fork_while_other_threads_run(monkeypatch):
    monkeypatch.setattr(background.threading, "active_count", lambda: 2)
    assert Background(square_and_pid, 3).result() == (9, os.getpid())


def test_a_batch_runs_its_calls_in_one_child_and_hands_each_result_out(monkeypatch):
    from builder.load import Batch

    monkeypatch.setattr(background.threading, "active_count", lambda: 1)
    batch = Batch()
    first, second, broken = batch.add(square_and_pid, 3), batch.add(square_and_pid, 4), batch.add(fail)
    after = batch.add(square_and_pid, 5)
    batch.start()
    (nine, pid), (sixteen, same_pid) = first.result(), second.result()
    assert (nine, sixteen) == (9, 16) and pid == same_pid
    assert pid != os.getpid() or not background.can_fork()
    with pytest.raises(ValueError, match="broken on purpose"):  # its own failure, and only its own
        broken.result()
    assert after.result()[0] == 25 and first.result()[0] == 9  # asked again: the same


def test_a_batch_runs_inline_where_it_cannot_fork(monkeypatch):
    from builder.load import Batch

    monkeypatch.setattr(background.threading, "active_count", lambda: 2)
    batch = Batch()
    part = batch.add(square_and_pid, 6)
    with pytest.raises(RuntimeError, match="not started"):
        part.result()
    batch.start()
    assert part.result() == (36, os.getpid())
    with pytest.raises(RuntimeError, match="running already"):
        batch.add(square_and_pid, 1)


def take_and_pid(token):
    return token.take(), os.getpid()


def test_a_token_is_taken_by_exactly_one_process(monkeypatch):
    """load.Token: the parent and several forked children race for it; one wins, whichever it is."""
    monkeypatch.setattr(background.threading, "active_count", lambda: 1)
    for parent_first in (True, False):
        token = background.Token()
        if parent_first:
            mine = token.take()
            results = [child.result() for child in [Background(take_and_pid, token) for _ in range(3)]]
        else:
            children = [Background(take_and_pid, token) for _ in range(3)]
            results = [child.result() for child in children]  # (each has ended: the token went to one)
            mine = token.take()
        assert [mine, *(taken for taken, _ in results)].count(True) == 1
        assert mine == parent_first
        assert token.take() is False  # asked again: never twice


def test_a_job_either_side_may_do_is_done_by_whoever_takes_its_token(monkeypatch):
    monkeypatch.setattr(background.threading, "active_count", lambda: 2)  # inline: the first to ask takes it
    token = background.Token()
    assert background.if_taken(token, square_and_pid, 3) == (9, os.getpid())
    assert background.if_taken(token, square_and_pid, 3) is None
    assert token.take() is False
