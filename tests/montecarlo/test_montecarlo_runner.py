"""The runner: stores each chunk as it arrives, resumes a stopped run to the same result."""

from __future__ import annotations

import pytest

from montecarlo_toy import FlakyWork, StoppingWork, ToyWork, identical
from zenit.errors import UserError, ZenitError
from zenit.montecarlo import (
    Chunk,
    ChunkFailedError,
    InProcessExecutor,
    LocalProcessExecutor,
    run_chunks,
)
from zenit.store import ResultsStore, merge_outcomes

REPLICATIONS = 95
CHUNK_SIZE = 10


@pytest.fixture
def store(tmp_path):
    return ResultsStore(tmp_path / "results")


def _new_run(store, replications=REPLICATIONS, chunk_size=CHUNK_SIZE):
    return store.create_run("toy", "name: toy\n", "hash", 11, replications, chunk_size,
                            "inprocess", options={})


def _uninterrupted():
    return merge_outcomes([ToyWork()(Chunk(0, 0, REPLICATIONS))])


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_stopped_run_resumes_to_the_uninterrupted_result(store, error):
    run_id = _new_run(store)
    expected_error = ChunkFailedError if error is RuntimeError else KeyboardInterrupt
    with pytest.raises(expected_error):
        run_chunks(StoppingWork(stop_at=4, error=error), REPLICATIONS, CHUNK_SIZE,
                   InProcessExecutor(retries=0), store=store, run_id=run_id)
    assert store.completed_chunks(run_id) == {0, 1, 2, 3}
    status = "failed" if error is RuntimeError else "interrupted"
    assert store.get_run(run_id)["status"] == status

    resumed_chunks = []
    merged = run_chunks(ToyWork(), REPLICATIONS, CHUNK_SIZE, InProcessExecutor(),
                        store=store, run_id=run_id,
                        progress=lambda done, total: resumed_chunks.append(done))
    assert resumed_chunks[0] == 40
    assert resumed_chunks[-1] == REPLICATIONS
    assert len(resumed_chunks) == 1 + 6
    assert identical(merged, _uninterrupted())
    assert store.completed_chunks(run_id) == set(range(10))
    assert store.get_run(run_id)["status"] == "running"
    stored = store.outcomes(run_id)
    assert not stored.duplicated(["replication", "threat"]).any()
    assert len(stored) == REPLICATIONS * 3


def test_resuming_a_finished_run_computes_nothing(store):
    run_id = _new_run(store)
    run_chunks(ToyWork(), REPLICATIONS, CHUNK_SIZE, InProcessExecutor(), store, run_id)

    def must_not_run(chunk):
        raise AssertionError(f"chunk {chunk.index} ran again")

    merged = run_chunks(must_not_run, REPLICATIONS, CHUNK_SIZE, InProcessExecutor(), store,
                        run_id)
    assert identical(merged, _uninterrupted())


def test_process_workers_with_flaky_chunks_store_each_chunk_once(store, tmp_path):
    run_id = _new_run(store)
    with LocalProcessExecutor(workers=2) as executor:
        merged = run_chunks(FlakyWork(str(tmp_path)), REPLICATIONS, CHUNK_SIZE, executor,
                            store, run_id)
    assert identical(merged, _uninterrupted())
    files = sorted(path.name for path in (store.run_dir(run_id) / "outcomes").iterdir())
    assert files == [f"chunk-{index:06d}.parquet" for index in range(10)]


def test_without_a_store_the_merge_is_in_memory_and_progress_counts_replications():
    seen = []
    merged = run_chunks(ToyWork(), 25, 10, InProcessExecutor(),
                        progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 25), (10, 25), (20, 25), (25, 25)]
    assert identical(merged, merge_outcomes([ToyWork()(Chunk(0, 0, 25))]))
    assert run_chunks(ToyWork(), 25, 10, InProcessExecutor(), collect=False) is None


def test_resuming_with_another_chunk_size_is_refused(store):
    run_id = _new_run(store)
    with pytest.raises(UserError, match="chunks of 10, not 95 in chunks of 7"):
        run_chunks(ToyWork(), REPLICATIONS, 7, InProcessExecutor(), store, run_id)


def test_a_store_needs_a_run_id():
    with pytest.raises(ValueError, match="both a store and a run id"):
        run_chunks(ToyWork(), 5, 5, InProcessExecutor(), store=ResultsStore("unused"))


def test_rows_outside_their_chunk_are_an_error():
    def wrong_rows(chunk):
        return ToyWork()(Chunk(chunk.index, chunk.start + 1, chunk.stop + 1))

    with pytest.raises(ZenitError, match="returned replications 1 to 5, outside its range 0 to 4"):
        run_chunks(wrong_rows, 10, 5, InProcessExecutor())
