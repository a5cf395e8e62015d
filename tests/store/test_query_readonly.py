"""`ResultsStore.query` is read-only: one SELECT over the store's views, nothing else.

Every hostile query is refused with a UserError and leaves the store as it was: the catalogue
keeps its rows, the catalogue file its bytes, and no file appears anywhere.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from zenit.errors import UserError
from zenit.store import ResultsStore

ROOT = Path(__file__).parents[2]


@pytest.fixture
def store(tmp_path):
    store = ResultsStore(tmp_path / "results")
    for name in ("alpha", "bravo"):
        run_id = store.create_run(name, "name: toy\n", "sha256:abc", 7, 4, 2, "serial")
        store.write_chunk(run_id, 0, pa.table({
            "replication": np.arange(4), "threat_type": ["cruise", "ballistic"] * 2,
            "fate": ["leaked", "killed", "killed", "killed"]}))
    return store


@pytest.fixture
def outside(tmp_path):
    """A readable file outside the store."""
    path = tmp_path / "secret.csv"
    path.write_text("name,value\nsecret,42\n")
    return path


def _fingerprint(store):
    """What must not change: the catalogue's rows and every file under the store."""
    files = {path.relative_to(store.root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
             for path in sorted(store.root.rglob("*")) if path.is_file()}
    return store.list_runs().to_dict("records"), files


def _refused(store, sql, match="runs query takes one SELECT statement|the query failed"):
    before = _fingerprint(store)
    with pytest.raises(UserError, match=match):
        store.query(sql)
    assert _fingerprint(store) == before
    return before


def test_normal_queries_still_work(store):
    frame = store.query("SELECT threat_type, avg(CAST(fate = 'leaked' AS DOUBLE)) AS leaked "
                        "FROM outcomes GROUP BY 1 ORDER BY 1")
    assert list(frame["threat_type"]) == ["ballistic", "cruise"]
    assert list(frame["leaked"]) == [0.0, 0.5]
    joined = store.query("WITH o AS (SELECT * FROM outcomes) SELECT r.scenario_name, count(*) AS n "
                         "FROM o JOIN runs r USING (run_id) GROUP BY 1 ORDER BY 1")
    assert joined.to_dict("list") == {"scenario_name": ["alpha", "bravo"], "n": [4, 4]}
    assert store.query("SELECT count(*) AS n FROM shots")["n"][0] == 0
    assert store.query("VALUES (1)").shape == (1, 1)


@pytest.mark.parametrize("reader", ["read_csv", "read_text", "read_parquet", "read_blob"])
def test_files_outside_the_store_cannot_be_read(store, outside, reader):
    _refused(store, f"SELECT * FROM {reader}('{outside.as_posix()}')", "Permission Error")
    _refused(store, f"SELECT * FROM {reader}('/etc/passwd')", "Permission Error")
    runs = (store.root / "runs").resolve().as_posix()
    _refused(store, f"SELECT * FROM {reader}('{runs}/../../{outside.name}')", "Permission Error")


def test_copy_to_a_file_is_refused_and_writes_nothing(store, tmp_path):
    for target in (tmp_path / "copied.csv", store.root / "runs" / "copied.csv"):
        _refused(store, f"COPY (SELECT * FROM runs) TO '{target.as_posix()}'", "of type COPY")
        assert not target.exists()


def test_the_catalogue_cannot_be_attached_and_dropped(store):
    catalogue = (store.root / "catalog.duckdb").as_posix()
    before = _refused(store, f"ATTACH '{catalogue}' AS c", "of type ATTACH")
    _refused(store, f"ATTACH '{catalogue}' AS c; DROP TABLE c.runs", "got 2 statements")
    assert len(before[0]) == 2


def test_more_than_one_statement_is_refused(store):
    _refused(store, "SELECT 1; SELECT 2", "got 2 statements")
    _refused(store, "SELECT ';'; DELETE FROM runs_catalog", "got 2 statements")
    _refused(store, "", "got 0 statements")


@pytest.mark.parametrize("sql", [
    "CREATE TABLE t AS SELECT * FROM outcomes",
    "INSERT INTO runs_catalog SELECT * FROM runs_catalog",
    "DELETE FROM runs_catalog",
    "DROP VIEW runs",
    "EXPLAIN SELECT 1",
    "PRAGMA database_list",
])
def test_statements_other_than_select_are_refused(store, sql):
    _refused(store, sql, "runs query takes one SELECT statement over the views runs, outcomes")


@pytest.mark.parametrize("sql", ["INSTALL httpfs", "LOAD httpfs", "FORCE INSTALL json"])
def test_extensions_cannot_be_installed_or_loaded(store, sql):
    _refused(store, sql, "runs query takes one SELECT statement")


def test_extensions_are_not_autoloaded_by_a_select(store):
    _refused(store, "SELECT * FROM read_csv('https://example.com/x.csv')", "Permission Error")


def test_external_access_cannot_be_turned_back_on(store, outside):
    _refused(store, "SET enable_external_access = true", "of type SET")
    _refused(store, f"SET enable_external_access = true; SELECT * FROM read_csv('{outside}')",
             "got 2 statements")
    # Even a connection that skipped the statement check could not: the configuration is locked.
    assert store.query("SELECT current_setting('lock_configuration') AS locked")["locked"][0]


def test_a_refused_query_exits_2_without_a_traceback(store):
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-m", "zenit.cli", "runs", "query", "--store", str(store.root),
         "COPY (SELECT 1) TO 'stolen.csv'"],
        capture_output=True, text=True, env=environment, timeout=120, cwd=store.root)
    assert done.returncode == 2, done.stderr
    assert "runs query takes one SELECT statement" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (store.root / "stolen.csv").exists()
