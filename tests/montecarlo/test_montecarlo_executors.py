"""Executors: same results everywhere, retries, lost workers, no double delivery."""

from __future__ import annotations

import pytest
from distributed import LocalCluster

from montecarlo_toy import (AlwaysFailingWork, FlakyWork, PrimedWork, ToyWork, WorkerKillingWork,
                            identical)
from zenit.errors import UserError, ZenitError
from zenit.montecarlo import (
    Chunk,
    ChunkFailedError,
    DaskExecutor,
    InProcessExecutor,
    LocalProcessExecutor,
    make_executor,
    plan_chunks,
    run_chunks,
)
from zenit.store import merge_outcomes

REPLICATIONS = 230


@pytest.fixture(scope="module")
def process_executor():
    with LocalProcessExecutor(workers=2) as executor:
        yield executor


@pytest.fixture(scope="module")
def dask_cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=":0") as cluster:
        yield cluster


@pytest.fixture(scope="module")
def reference():
    """The whole run computed in one piece, in this process, with no executor at all."""
    return merge_outcomes([ToyWork()(Chunk(0, 0, REPLICATIONS))])


def _executor(kind, process_executor, dask_cluster):
    if kind == "inprocess":
        return InProcessExecutor()
    if kind == "process":
        return process_executor
    return DaskExecutor(dask_cluster)


@pytest.mark.parametrize("kind", ["inprocess", "process", "dask"])
@pytest.mark.parametrize("chunk_size", [1, 7, 100])
def test_merged_table_is_identical_for_every_executor_and_chunk_size(
        kind, chunk_size, reference, process_executor, dask_cluster):
    executor = _executor(kind, process_executor, dask_cluster)
    merged = run_chunks(ToyWork(), REPLICATIONS, chunk_size, executor)
    if kind == "dask":
        executor.close()
    assert merged.num_rows == REPLICATIONS * 3
    assert identical(merged, reference)
    assert merged["replication"].to_pylist()[:4] == [0, 0, 0, 1]
    assert merged["threat"].to_pylist()[:4] == [0, 1, 2, 0]


def _collect(executor, work, chunks):
    delivered = []
    executor.map(work, chunks, lambda chunk, table: delivered.append((chunk, table)))
    return delivered


@pytest.mark.parametrize("kind", ["inprocess", "process", "dask"])
def test_flaky_chunks_succeed_on_retry_and_are_delivered_once(
        kind, tmp_path, process_executor, dask_cluster):
    executor = _executor(kind, process_executor, dask_cluster)
    chunks = plan_chunks(40, 7)
    delivered = _collect(executor, FlakyWork(str(tmp_path)), chunks)
    if kind == "dask":
        executor.close()
    indices = [chunk.index for chunk, _ in delivered]
    assert sorted(indices) == list(range(6))
    assert len(set(indices)) == len(indices)
    assert len(list(tmp_path.glob("attempted-*"))) == 6
    for chunk, table in delivered:
        assert identical(table, ToyWork()(chunk))


def test_a_chunk_out_of_retries_stops_the_run_and_is_named():
    executor = InProcessExecutor(retries=2)
    delivered = []
    with pytest.raises(ChunkFailedError) as caught:
        executor.map(AlwaysFailingWork(victim=2), plan_chunks(50, 10),
                     lambda chunk, table: delivered.append(chunk.index))
    message = str(caught.value)
    assert "chunk 2 (replications 20 to 29) failed after 3 attempts" in message
    assert "ValueError: this chunk never works" in message
    assert caught.value.attempts == 3
    assert delivered == [0, 1]


def test_zero_retries_fails_on_the_first_error():
    with pytest.raises(ChunkFailedError, match="after 1 attempt:"):
        InProcessExecutor(retries=0).map(AlwaysFailingWork(victim=0), plan_chunks(5, 5),
                                         lambda chunk, table: None)


def test_a_lost_worker_process_is_replaced_and_its_chunk_retried(tmp_path):
    chunks = plan_chunks(60, 10)
    with LocalProcessExecutor(workers=2, retries=2) as executor:
        delivered = _collect(executor, WorkerKillingWork(str(tmp_path), victim=3), chunks)
        assert (tmp_path / "attempted-3").exists()
        again = _collect(executor, ToyWork(), chunks[:2])
    assert sorted(chunk.index for chunk, _ in delivered) == list(range(6))
    merged = merge_outcomes(table for _, table in delivered)
    assert identical(merged, merge_outcomes([ToyWork()(Chunk(0, 0, 60))]))
    assert len(again) == 2


def test_duplicate_chunks_are_run_and_delivered_once():
    calls = []

    def work(chunk):
        calls.append(chunk.index)
        return ToyWork()(chunk)

    chunks = plan_chunks(30, 10)
    delivered = _collect(InProcessExecutor(), work, chunks + chunks[:2])
    assert calls == [0, 1, 2]
    assert [chunk.index for chunk, _ in delivered] == [0, 1, 2]
    with pytest.raises(ValueError, match="share index 1"):
        _collect(InProcessExecutor(), work, [Chunk(1, 0, 5), Chunk(1, 5, 10)])


@pytest.mark.parametrize("kind", ["inprocess", "process"])
def test_keyboard_interrupt_keeps_delivered_chunks_and_reraises(kind, process_executor):
    executor = InProcessExecutor() if kind == "inprocess" else process_executor
    delivered = []

    def on_result(chunk, table):
        delivered.append(chunk.index)
        if len(delivered) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        executor.map(ToyWork(), plan_chunks(200, 10), on_result)
    assert len(delivered) == 3
    after = _collect(executor, ToyWork(), plan_chunks(20, 10))
    assert [chunk.index for chunk, _ in sorted(after)] == [0, 1]


def test_work_that_cannot_be_pickled_is_refused_before_any_chunk_runs(process_executor):
    with pytest.raises(ZenitError, match="cannot be sent to worker processes"):
        process_executor.map(lambda chunk: None, plan_chunks(5, 5), lambda chunk, table: None)


def test_make_executor_by_name():
    assert isinstance(make_executor("inprocess"), InProcessExecutor)
    process = make_executor("process", workers=3)
    assert isinstance(process, LocalProcessExecutor) and process.workers == 3
    assert process.name == "process:3"
    assert process.start_method in ("forkserver", "spawn")
    dask = make_executor(scheduler="tcp://127.0.0.1:8786")
    assert isinstance(dask, DaskExecutor) and dask.name == "dask:tcp://127.0.0.1:8786"
    with pytest.raises(UserError, match="did you mean 'dask'"):
        make_executor("dusk")


def test_unreachable_dask_scheduler_is_a_user_error():
    executor = DaskExecutor("tcp://127.0.0.1:1", retries=0, connect_timeout_s=0.5)
    with pytest.raises(UserError, match="cannot reach the Dask scheduler"):
        executor.map(ToyWork(), plan_chunks(5, 5), lambda chunk, table: None)


def test_dask_without_a_scheduler_starts_and_stops_its_own_local_cluster(reference):
    executor = make_executor("dask", workers=1)
    merged = run_chunks(ToyWork(), REPLICATIONS, 100, executor)
    client = executor.client
    executor.close()
    assert identical(merged, reference)
    assert executor.client is None
    assert client.status == "closed"
    assert client.cluster.status.name == "closed"


def test_each_worker_runs_the_works_setup_once_as_it_starts():
    chunks = plan_chunks(40, 5)
    with LocalProcessExecutor(workers=2) as executor:
        first = _collect(executor, PrimedWork("first world"), chunks)
        # Workers primed for one work are not reused for another.
        second = _collect(executor, PrimedWork("second world"), chunks)
    for delivered, token in ((first, "first world"), (second, "second world")):
        assert len(delivered) == len(chunks)
        assert all(primed == [token] for _, (primed, _) in delivered)
    assert not ({pid for _, (_, pid) in first} & {pid for _, (_, pid) in second})
