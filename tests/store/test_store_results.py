"""The results store: runs catalogue, chunk files, artifacts, SQL over everything."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as parquet
import pytest

from zenit.errors import UserError, ZenitError
from zenit.store import ResultsStore, current_code_version

SCENARIO = "name: toy raid\nthreats: 2\n"


def _table(start, stop, threats=2, extra=None):
    replication = np.repeat(np.arange(start, stop), threats)
    threat = np.tile(np.arange(threats), stop - start)
    columns = {"replication": replication, "threat": threat,
               "killed": (replication + threat) % 3 == 0}
    columns.update(extra or {})
    return pa.table(columns)


@pytest.fixture
def store(tmp_path):
    return ResultsStore(tmp_path / "results")


def _new_run(store, name="toy raid", seed=7, options=None):
    return store.create_run(name, SCENARIO, "sha256:abc", seed, 40, 10, "process:2",
                            options=options if options is not None else {"dt": 0.1})


def test_create_and_get_a_run(store):
    run_id = _new_run(store, options={"dt": 0.1, "layers": ["long", "short"]})
    assert len(run_id) == 22 and run_id[8] == "-" and run_id[15] == "-"
    record = store.get_run(run_id)
    assert record["run_id"] == run_id
    assert record["status"] == "running"
    assert record["scenario_text"] == SCENARIO
    assert record["options"] == {"dt": 0.1, "layers": ["long", "short"]}
    assert (record["seed"], record["replications"], record["chunk_size"]) == (7, 40, 10)
    assert record["code_version"] == current_code_version() != ""
    assert record["summary"] is None and record["finished_at"] is None
    assert record["created_at"].endswith("Z")
    assert (store.run_dir(run_id) / "scenario.yaml").read_text() == SCENARIO
    assert record["completed_chunks"] == 0


def test_run_ids_are_unique(store):
    ids = {_new_run(store) for _ in range(20)}
    assert len(ids) == 20
    assert list(store.list_runs()["run_id"]) == sorted(ids, key=store.run_ids().index)


def test_seed_keeps_all_64_bits(store):
    run_id = _new_run(store, seed=2**64 - 1)
    assert store.get_run(run_id)["seed"] == 2**64 - 1


def test_finish_and_mark_status(store):
    run_id = _new_run(store)
    store.mark_status(run_id, "interrupted")
    assert store.get_run(run_id)["status"] == "interrupted"
    store.finish_run(run_id, "complete", {"wall_s": 12.5},
                     {"leakers": {"mean": 0.25, "ci95": [0.2, float("nan")]},
                      "count": np.int64(3)})
    record = store.get_run(run_id)
    assert record["status"] == "complete"
    assert record["timings"] == {"wall_s": 12.5}
    assert record["summary"] == {"leakers": {"mean": 0.25, "ci95": [0.2, None]}, "count": 3}
    assert record["finished_at"] >= record["created_at"]
    with pytest.raises(ValueError, match="unknown run status"):
        store.mark_status(run_id, "done")


def test_unknown_run_suggests_the_nearest_id(store):
    run_id = _new_run(store)
    typo = run_id[:-1] + ("0" if run_id[-1] != "0" else "1")
    with pytest.raises(UserError) as caught:
        store.get_run(typo)
    message = str(caught.value)
    assert message.startswith(f"unknown run '{typo}'; runs are listed by `zenit runs list`")
    assert f"did you mean '{run_id}'" in message
    with pytest.raises(UserError, match="unknown run '../etc'"):
        store.write_chunk("../etc", 0, _table(0, 1))


def test_chunks_are_listed_merged_in_order_and_never_written_twice(store):
    run_id = _new_run(store)
    for index in (2, 0, 1):
        store.write_chunk(run_id, index, _table(10 * index, 10 * index + 10))
    assert store.completed_chunks(run_id) == {0, 1, 2}
    frame = store.outcomes(run_id)
    assert list(frame["replication"]) == list(np.repeat(np.arange(30), 2))
    assert list(frame["threat"][:4]) == [0, 1, 0, 1]
    with pytest.raises(ZenitError, match="chunk 1 of run .* is stored already"):
        store.write_chunk(run_id, 1, _table(10, 20))
    assert len(store.outcomes(run_id)) == 60
    stored = store.run_dir(run_id) / "outcomes" / "chunk-000002.parquet"
    assert parquet.read_table(stored).equals(_table(20, 30))


def test_outcomes_of_a_run_without_chunks_is_empty(store):
    run_id = _new_run(store)
    assert store.outcomes(run_id).empty
    assert store.completed_chunks(run_id) == set()


def test_a_crash_while_writing_leaves_no_chunk_and_no_partial_file(store, monkeypatch):
    run_id = _new_run(store)
    store.write_chunk(run_id, 0, _table(0, 10))

    def crash(source, destination):
        raise OSError("disk vanished")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk vanished"):
        store.write_chunk(run_id, 1, _table(10, 20))
    monkeypatch.undo()
    outcomes_dir = store.run_dir(run_id) / "outcomes"
    assert sorted(path.name for path in outcomes_dir.iterdir()) == ["chunk-000000.parquet"]
    assert store.completed_chunks(run_id) == {0}
    store.write_chunk(run_id, 1, _table(10, 20))
    assert store.completed_chunks(run_id) == {0, 1}


def test_a_leftover_temporary_file_is_ignored(store):
    run_id = _new_run(store)
    store.write_chunk(run_id, 0, _table(0, 10))
    outcomes_dir = store.run_dir(run_id) / "outcomes"
    (outcomes_dir / ".partial-chunk-000001.parquet.999-deadbeef").write_bytes(b"PAR1trunc")
    assert store.completed_chunks(run_id) == {0}
    assert len(store.outcomes(run_id)) == 20
    assert len(store.query("SELECT * FROM outcomes")) == 20


def test_artifacts_are_written_atomically_inside_the_run(store, monkeypatch):
    run_id = _new_run(store)
    report = store.write_artifact(run_id, "report.html", "<h1>raid</h1>")
    plot = store.write_artifact(run_id, "plots/leakers.png", b"\x89PNG")
    assert report.read_text() == "<h1>raid</h1>" and plot.read_bytes() == b"\x89PNG"
    assert plot.parent.parent == store.run_dir(run_id) / "artifacts"
    assert store.get_run(run_id)["artifacts"] == ["plots/leakers.png", "report.html"]
    for bad in ("../escape.txt", "/etc/passwd", ".hidden", ""):
        with pytest.raises(UserError, match="relative path inside the run"):
            store.write_artifact(run_id, bad, "x")
    monkeypatch.setattr(os, "replace", lambda source, destination: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        store.write_artifact(run_id, "report.html", "<h1>half</h1>")
    monkeypatch.undo()
    assert report.read_text() == "<h1>raid</h1>"
    assert sorted(path.name for path in report.parent.iterdir()) == ["plots", "report.html"]


def test_list_runs(store):
    assert store.list_runs().empty
    first, second = _new_run(store, "alpha"), _new_run(store, "bravo")
    store.finish_run(first, "complete", {}, {})
    runs = store.list_runs()
    assert list(runs["run_id"]) == [first, second]
    assert list(runs["scenario_name"]) == ["alpha", "bravo"]
    assert list(runs["status"]) == ["complete", "running"]
    assert "scenario_text" not in runs.columns


def test_query_joins_runs_and_outcomes_of_every_run(store):
    assert store.query("SELECT count(*) AS rows FROM outcomes")["rows"][0] == 0
    first, second = _new_run(store, "alpha"), _new_run(store, "bravo")
    store.write_chunk(first, 0, _table(0, 10))
    store.write_chunk(first, 1, _table(10, 20))
    store.write_chunk(second, 0, _table(0, 5, extra={"missiles": np.full(10, 2)}))
    frame = store.query(
        "SELECT r.scenario_name, count(*) AS rows, sum(o.killed::INT) AS kills, "
        "max(o.missiles) AS most_missiles "
        "FROM outcomes o JOIN runs r USING (run_id) GROUP BY 1 ORDER BY 1"
    )
    expected_kills = [int(_table(0, 20)["killed"].to_numpy().sum()),
                      int(_table(0, 5)["killed"].to_numpy().sum())]
    assert list(frame["scenario_name"]) == ["alpha", "bravo"]
    assert list(frame["rows"]) == [40, 10]
    assert list(frame["kills"]) == expected_kills
    assert pd.isna(frame["most_missiles"][0]) and frame["most_missiles"][1] == 2
    with pytest.raises(UserError, match="the query failed"):
        store.query("SELECT nothing FROM nowhere")


def test_a_reader_in_another_process_and_the_writer_share_the_catalogue(store):
    """DuckDB allows one writing process or many readers: brief connections let both work."""
    _new_run(store)
    reader = textwrap.dedent(f"""
        from zenit.store import ResultsStore
        store = ResultsStore({str(store.root)!r})
        counts = [len(store.list_runs()) for _ in range(60)]
        assert counts == sorted(counts) and counts[0] >= 1, counts
        print(counts[-1])
    """)
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    process = subprocess.Popen([sys.executable, "-c", reader], env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    written = 1
    while process.poll() is None and written < 200:
        run_id = _new_run(store)
        store.mark_status(run_id, "complete")
        written += 1
    output, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert 1 <= int(output) <= written
    assert len(store.list_runs()) == written
