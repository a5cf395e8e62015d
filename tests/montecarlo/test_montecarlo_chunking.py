"""Chunk plans cover every replication exactly once, in order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zenit.montecarlo import Chunk, default_chunk_size, plan_chunks
from zenit.montecarlo.chunking import CHUNK_BUDGET_ROWS, MAXIMUM_CHUNK_SIZE, MINIMUM_CHUNK_SIZE


@given(replications=st.integers(1, 5000), chunk_size=st.integers(1, 700))
def test_plan_covers_every_replication_once_in_order(replications, chunk_size):
    chunks = plan_chunks(replications, chunk_size)
    covered = [replication for chunk in chunks for replication in range(chunk.start, chunk.stop)]
    assert covered == list(range(replications))
    assert [chunk.index for chunk in chunks] == list(range(len(chunks)))
    assert all(len(chunk) == chunk_size for chunk in chunks[:-1])
    assert 1 <= len(chunks[-1]) <= chunk_size
    assert len(chunks) == -(-replications // chunk_size)


def test_plan_of_ten_in_fours():
    assert plan_chunks(10, 4) == [Chunk(0, 0, 4), Chunk(1, 4, 8), Chunk(2, 8, 10)]


@pytest.mark.parametrize("replications, chunk_size", [(0, 5), (10, 0), (-1, 3)])
def test_plan_rejects_empty_runs_and_chunks(replications, chunk_size):
    with pytest.raises(ValueError):
        plan_chunks(replications, chunk_size)


def test_chunk_rejects_an_empty_range():
    with pytest.raises(ValueError, match="start < stop"):
        Chunk(0, 5, 5)


@pytest.mark.parametrize("threats, expected", [
    (1, MAXIMUM_CHUNK_SIZE),
    (50, CHUNK_BUDGET_ROWS // 50),
    (80, 312),
    (100, 250),  # regiment-vs-raid: the size benchmarks/README.md measured best
    (400, MINIMUM_CHUNK_SIZE),
    (100_000, MINIMUM_CHUNK_SIZE),
    (0, MAXIMUM_CHUNK_SIZE),
])
def test_default_chunk_size_keeps_rows_within_budget(threats, expected):
    assert default_chunk_size(threats) == expected


@given(threats=st.integers(1, 10**6), replications=st.integers(1, 10**6))
def test_default_chunk_size_is_bounded_and_never_exceeds_the_run(threats, replications):
    size = default_chunk_size(threats, replications)
    assert 1 <= size <= min(MAXIMUM_CHUNK_SIZE, replications)
    assert size >= min(MINIMUM_CHUNK_SIZE, replications)
    assert default_chunk_size(threats + 1, replications) <= size
