"""The main job end to end: executors, chunking, resume and the store agree exactly.

DESIGN principle 2: a replication's result is a pure function of (seed, replication), so the
merged outcome of a run must not depend on the executor, the worker count, the chunk size or
on being interrupted and resumed.
"""

import pyarrow as pa
import pytest

import zenit
from zenit.store import ResultsStore

REPLICATIONS = 12


@pytest.fixture(scope="module")
def scenario():
    return zenit.load_scenario("scenarios/point-defence.yaml")


@pytest.fixture(scope="module")
def reference(scenario):
    return zenit.run(scenario, replications=REPLICATIONS, seed=3, executor="inprocess",
                     chunk_size=REPLICATIONS)


def _same(first, second):
    for name in ("outcomes", "shots"):
        assert first.tables[name].equals(second.tables[name]), name


@pytest.mark.parametrize("executor, workers, chunk_size", [
    ("inprocess", None, 5),
    ("process", 2, 4),
    ("dask", 2, 7),
])
def test_every_executor_and_chunking_gives_the_same_run(scenario, reference, executor, workers,
                                                         chunk_size):
    result = zenit.run(scenario, replications=REPLICATIONS, seed=3, executor=executor,
                       workers=workers, chunk_size=chunk_size)
    _same(result, reference)
    assert result.summary() == reference.summary()


def test_an_interrupted_run_resumes_to_the_uninterrupted_result(scenario, reference, tmp_path):
    store = ResultsStore(tmp_path)
    calls = []

    def interrupt_after_first_chunk(done, total):
        calls.append(done)
        if done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        zenit.run(scenario, replications=REPLICATIONS, seed=3, executor="inprocess",
                  chunk_size=4, store=store, progress=interrupt_after_first_chunk)
    run_id = store.list_runs()["run_id"].iloc[-1]
    assert store.get_run(run_id)["status"] == "interrupted"
    assert store.completed_chunks(run_id) == {0}

    resumed = zenit.run(scenario, executor="inprocess", store=store, run_id=run_id)
    _same(resumed, reference)
    outcomes = store.outcomes(run_id)
    assert len(outcomes) == REPLICATIONS * 8  # no duplicate rows: 8 threats a replication
    assert not outcomes.duplicated(["replication", "threat"]).any()
    assert store.get_run(run_id)["status"] == "complete"


def test_the_store_keeps_every_table_and_sql_reads_them(scenario, tmp_path):
    result = zenit.run(scenario, replications=6, seed=3, executor="inprocess", chunk_size=3,
                       store=tmp_path)
    store = ResultsStore(tmp_path)
    shots = store.query(f"SELECT count(*) AS n FROM shots WHERE run_id = '{result.run_id}'")
    assert int(shots["n"].iloc[0]) == len(result.shots)
    killed = store.query("SELECT count(*) AS n FROM outcomes WHERE fate = 'killed'")
    assert int(killed["n"].iloc[0]) == int((result.outcomes["fate"] == "killed").sum())
    assert isinstance(store.table(result.run_id, "events"), pa.Table)
