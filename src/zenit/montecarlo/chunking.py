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
CHUNK_BUDGET_ROWS = 200_000
"""Rows (replication x threat) one chunk may hold: the engine's batched state for that many
rows stays in the tens of megabytes per worker, and a chunk's Parquet file stays small."""


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

    Large enough that per-chunk overhead (process hand-off, one Parquet file) is negligible,
    small enough that a chunk's rows stay within `CHUNK_BUDGET_ROWS`; never larger than the
    run itself. With `workers`, small enough that every worker gets a chunk. Larger chunks are
    cheaper per replication (each engine step has a fixed cost), so no smaller than that.
    """
    threats = max(int(threats), 1)
    size = CHUNK_BUDGET_ROWS // threats
    size = max(MINIMUM_CHUNK_SIZE, min(MAXIMUM_CHUNK_SIZE, size))
    if replications is not None:
        if workers is not None and workers > 1:
            size = min(size, -(-int(replications) // int(workers)))
        size = max(1, min(size, int(replications)))
    return size
