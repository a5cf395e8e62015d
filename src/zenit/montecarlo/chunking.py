"""Splitting a Monte Carlo run into chunks of consecutive replications.

A chunk is the unit of work, of storage and of resume: each is computed by one worker,
written as one Parquet file, and skipped when a stopped run is resumed. Because random draws
are counter-based (`zenit.engine.streams`), a chunk's rows depend only on its replications,
never on how the run was split.
"""

from __future__ import annotations

from dataclasses import dataclass

MINIMUM_CHUNK_SIZE = 250
MAXIMUM_CHUNK_SIZE = 1000
CHUNK_BUDGET_ROWS = 25_000
"""Rows (replication x threat) one chunk may hold. The engine sweeps its batched state (tracks,
look schedules, threat states: about 1 kB per row) several times a step; at this size that
state stays near the processor's cache, and per replication a chunk of 250 x 100 threats runs
about 10 % faster than one of 1,000 x 100 (benchmarks/README.md). A chunk's Parquet file stays
small too."""


@dataclass(frozen=True, order=True)
class Chunk:
    """Replications [start, stop) of one run, numbered `index` from 0."""

    index: int
    start: int
    stop: int

    def __post_init__(self):
        if self.index < 0 or self.start < 0 or self.stop <= self.start:
            raise ValueError(f"a chunk needs index >= 0 and 0 <= start < stop, got {self}")

    @property
    def replications(self) -> int:
        return self.stop - self.start

    def __len__(self) -> int:
        return self.replications


def plan_chunks(replications: int, chunk_size: int) -> list[Chunk]:
    """Consecutive chunks of `chunk_size` replications (the last one may be shorter)."""
    replications, chunk_size = int(replications), int(chunk_size)
    if replications < 1:
        raise ValueError(f"replications must be at least 1, got {replications}")
    if chunk_size < 1:
        raise ValueError(f"chunk size must be at least 1, got {chunk_size}")
    return [
        Chunk(index, start, min(start + chunk_size, replications))
        for index, start in enumerate(range(0, replications, chunk_size))
    ]


def default_chunk_size(threats: int, replications: int | None = None,
                       workers: int | None = None) -> int:
    """Replications per chunk for a scenario with `threats` threats.

    Large enough that per-chunk overhead (process hand-off, one Parquet file) and each engine
    step's fixed cost are negligible (at least `MINIMUM_CHUNK_SIZE`), small enough that a
    chunk's rows stay within `CHUNK_BUDGET_ROWS`, where the engine's state stays near the
    cache; never larger than the run itself. With `workers`, small enough that every worker
    gets a chunk.
    """
    threats = max(int(threats), 1)
    size = CHUNK_BUDGET_ROWS // threats
    size = max(MINIMUM_CHUNK_SIZE, min(MAXIMUM_CHUNK_SIZE, size))
    if replications is not None:
        if workers is not None and workers > 1:
            size = min(size, -(-int(replications) // int(workers)))
        size = max(1, min(size, int(replications)))
    return size
