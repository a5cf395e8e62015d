"""Monte Carlo execution: chunks of replications, executors, resume and statistics.

Chunk tables are put back together by `zenit.store.merge_outcomes`, which the store
and in-memory runs share.
"""

from zenit.montecarlo.chunking import Chunk, default_chunk_size, plan_chunks
from zenit.montecarlo.executors import (
    ChunkFailedError,
    DaskExecutor,
    Executor,
    InProcessExecutor,
    LocalProcessExecutor,
    make_executor,
)
from zenit.montecarlo.runner import run_chunks
from zenit.montecarlo.statistics import (
    mean_interval,
    mean_summary,
    proportion_summary,
    wilson_interval,
)

__all__ = [
    "Chunk",
    "ChunkFailedError",
    "DaskExecutor",
    "Executor",
    "InProcessExecutor",
    "LocalProcessExecutor",
    "default_chunk_size",
    "make_executor",
    "mean_interval",
    "mean_summary",
    "plan_chunks",
    "proportion_summary",
    "run_chunks",
    "wilson_interval",
]
