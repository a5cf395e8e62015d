"""Running all chunks of a Monte Carlo run, storing each as it arrives, resuming a stopped run.

The store is the record of progress: a chunk whose file exists is done, whatever happened to
the process that wrote it. Resuming therefore only needs the run id: the chunks on disk are
skipped, the rest are computed, and the merged outcome is the same table an uninterrupted run
gives.
"""

from __future__ import annotations

from typing import Callable

import pyarrow as pa
import pyarrow.compute as compute

from zenit.errors import UserError, ZenitError
from zenit.montecarlo.chunking import Chunk, plan_chunks
from zenit.montecarlo.executors import Executor, Work
from zenit.store.merging import merge_outcomes

Progress = Callable[[int, int], None]
OUTCOMES = "outcomes"


def run_chunks(work: Work, replications: int, chunk_size: int, executor: Executor,
               store=None, run_id: str | None = None, progress: Progress | None = None,
               collect: bool = True) -> pa.Table | None:
    """Compute `replications` replications in chunks and return the merged outcome table.

    With a `store` and `run_id`, chunks already stored are skipped and each new chunk is
    stored as soon as it arrives; the run is marked "interrupted" on Ctrl-C and "failed" on
    an error (its finished chunks stay for a resume). `progress(done, total)` is called with
    replication counts. With `collect=False` nothing is merged and None is returned.
    """
    if (store is None) != (run_id is None):
        raise ValueError("give both a store and a run id, or neither")
    chunks = plan_chunks(replications, chunk_size)
    finished: set[int] = set()
    if store is not None:
        _check_plan(store, run_id, replications, chunk_size)
        finished = store.completed_chunks(run_id) & {chunk.index for chunk in chunks}
        store.mark_status(run_id, "running")
    in_memory: dict[int, dict[str, pa.Table]] = {}
    done = sum(chunk.replications for chunk in chunks if chunk.index in finished)
    if progress is not None:
        progress(done, replications)

    def on_result(chunk: Chunk, result) -> None:
        nonlocal done
        tables = _as_tables(result)
        for table in tables.values():
            _check_rows(chunk, table)
        if store is not None:
            # Outcomes last: a chunk counts as done once they are stored.
            for name, table in sorted(tables.items(), key=lambda item: item[0] == OUTCOMES):
                store.write_chunk(run_id, chunk.index, table, name)
        elif collect:
            in_memory[chunk.index] = tables
        done += chunk.replications
        if progress is not None:
            progress(done, replications)

    pending = [chunk for chunk in chunks if chunk.index not in finished]
    try:
        executor.map(work, pending, on_result)
    except KeyboardInterrupt:
        if store is not None:
            store.mark_status(run_id, "interrupted")
        raise
    except BaseException:
        if store is not None:
            store.mark_status(run_id, "failed")
        raise
    if not collect:
        return None
    if store is not None:
        return store.outcomes_table(run_id)
    return merge_outcomes(in_memory[index][OUTCOMES] for index in sorted(in_memory))


def _as_tables(result) -> dict[str, pa.Table]:
    """A work function returns one outcome table, or a dict of named tables with 'outcomes'."""
    if isinstance(result, pa.Table):
        return {OUTCOMES: result}
    if OUTCOMES not in result:
        raise ZenitError(f"the work function returned tables {sorted(result)} without 'outcomes'")
    return dict(result)


def _check_plan(store, run_id: str, replications: int, chunk_size: int) -> None:
    """A resumed run must be cut into the same chunks, or chunk indices would mean other
    replications."""
    record = store.get_run(run_id)
    if (record["replications"], record["chunk_size"]) != (replications, chunk_size):
        raise UserError(
            f"run '{run_id}' was started with {record['replications']} replications in chunks "
            f"of {record['chunk_size']}, not {replications} in chunks of {chunk_size} "
            "(fix: resume it with the same replications and chunk size)"
        )


def _check_rows(chunk: Chunk, table: pa.Table) -> None:
    """A work function must return rows of its own chunk's replications only."""
    if "replication" not in table.column_names:
        raise ZenitError(f"chunk {chunk.index}: the work function returned no 'replication' "
                         f"column (columns: {table.column_names})")
    if table.num_rows == 0:
        return
    extremes = compute.min_max(table["replication"])
    low, high = extremes["min"].as_py(), extremes["max"].as_py()
    if low < chunk.start or high >= chunk.stop:
        raise ZenitError(
            f"chunk {chunk.index}: the work function returned replications {low} to {high}, "
            f"outside its range {chunk.start} to {chunk.stop - 1}"
        )
