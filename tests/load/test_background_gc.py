"""A forked Background child leaves its parent's objects out of its garbage collections (gc.freeze)."""

import gc

import pytest

from builder.load.background import Background, can_fork


def _collected_here(marker_id: int) -> tuple[bool, int]:
    """Whether the child's collector tracks the object, and how many objects it holds frozen."""
    return any(id(o) == marker_id for o in gc.get_objects()), gc.get_freeze_count()


@pytest.mark.skipif(not can_fork(), reason="needs fork")
def test_the_child_never_collects_the_parents_objects_and_the_parent_keeps_collecting_them():
    marker = [object()]  # a container: tracked by the collector
    assert gc.get_freeze_count() == 0
    tracked, frozen = Background(_collected_here, id(marker)).result()
    assert not tracked and frozen > 0  # in the child: out of every generation
    assert gc.get_freeze_count() == 0  # here: back in the generations at once
    assert any(o is marker for o in gc.get_objects())


def test_inline_the_function_simply_runs():
    marker = [object()]
    tracked, frozen = Background(_collected_here, id(marker), parallel=False).result()
    assert tracked and frozen == 0
