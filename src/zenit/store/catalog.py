"""The catalogue of runs: one DuckDB file, opened briefly for each read or write.

DuckDB lets one process write a database file, or several read it, but not both at once. The
parent process of a run is the only writer; `zenit runs list` in another terminal is a
reader. So every access opens a connection, does one transaction and closes it, and an access
that finds the file locked by another process waits a little and tries again. Each write is
one transaction: a crash leaves the catalogue as it was before the write, never half-written.
"""

from __future__ import annotations

import json
import math
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import duckdb
import numpy as np
import pandas as pd

from zenit.errors import ZenitError

LOCK_TIMEOUT_SECONDS = 30.0
LOCK_FIRST_PAUSE_S = 0.01  # waits for a locked catalogue double from this
LOCK_LONGEST_PAUSE_S = 0.2
RUN_STATUSES = ("running", "interrupted", "failed", "complete")
JSON_COLUMNS = ("options", "timings", "summary")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL,
    scenario_name VARCHAR NOT NULL,
    scenario_hash VARCHAR NOT NULL,
    seed UBIGINT NOT NULL,
    replications BIGINT NOT NULL,
    chunk_size BIGINT NOT NULL,
    executor VARCHAR NOT NULL,
    code_version VARCHAR NOT NULL,
    options VARCHAR NOT NULL,
    timings VARCHAR,
    summary VARCHAR,
    scenario_text VARCHAR NOT NULL
)
"""

LISTED_COLUMNS = (
    "run_id", "created_at", "finished_at", "status", "scenario_name", "scenario_hash", "seed",
    "replications", "chunk_size", "executor", "code_version",
)

_process_lock = threading.RLock()
"""DuckDB refuses two differently configured connections to one file in one process."""


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_json(value: Any) -> str:
    """Strict JSON (NaN and infinities become null; NumPy scalars and arrays become plain)."""
    return json.dumps(_plain(value), allow_nan=False, sort_keys=True)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (datetime, Path)):
        return str(value)
    return value


class Catalog:
    """The `runs` table of one results directory."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @contextmanager
    def _connect(self, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        with _process_lock:
            connection = self._open_waiting(read_only)
            try:
                yield connection
            finally:
                connection.close()

    def _open_waiting(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        pause = LOCK_FIRST_PAUSE_S
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only)
            except duckdb.IOException as error:
                if "lock" not in str(error).lower() or time.monotonic() > deadline:
                    raise ZenitError(
                        f"cannot open the run catalogue {self.path}: {error}"
                    ) from error
                time.sleep(pause)
                pause = min(pause * 2, LOCK_LONGEST_PAUSE_S)

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write connection with the schema in place; commits on success, else rolls back."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect(read_only=False) as connection:
            connection.execute("BEGIN TRANSACTION")
            try:
                connection.execute(_SCHEMA)
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def read(self, sql: str, parameters: list | None = None) -> pd.DataFrame:
        """Rows of a read-only query; an empty frame when the catalogue does not exist yet."""
        if not self.path.exists():
            return pd.DataFrame(columns=list(LISTED_COLUMNS))
        with self._connect(read_only=True) as connection:
            tables = connection.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'runs'"
            ).fetchone()[0]
            if not tables:
                return pd.DataFrame(columns=list(LISTED_COLUMNS))
            return connection.execute(sql, parameters or []).df()

    def insert(self, record: dict) -> bool:
        """Add a run; False when its id is taken already."""
        columns = list(record)
        placeholders = ", ".join("?" for _ in columns)
        with self.transaction() as connection:
            taken = connection.execute(
                "SELECT count(*) FROM runs WHERE run_id = ?", [record["run_id"]]
            ).fetchone()[0]
            if taken:
                return False
            connection.execute(
                f"INSERT INTO runs ({', '.join(columns)}) VALUES ({placeholders})",
                [record[column] for column in columns],
            )
        return True

    def update(self, run_id: str, changes: dict) -> None:
        assignments = ", ".join(f"{column} = ?" for column in changes)
        with self.transaction() as connection:
            connection.execute(
                f"UPDATE runs SET {assignments} WHERE run_id = ?",
                [*changes.values(), run_id],
            )

    def run_ids(self) -> list[str]:
        return list(self.read("SELECT run_id FROM runs ORDER BY created_at, run_id")["run_id"])

    def listing(self) -> pd.DataFrame:
        columns = ", ".join(LISTED_COLUMNS)
        return self.read(f"SELECT {columns} FROM runs ORDER BY created_at, run_id")

    def everything(self) -> pd.DataFrame:
        return self.read("SELECT * FROM runs ORDER BY created_at, run_id")

    def record(self, run_id: str) -> dict | None:
        """One run as a dict with its JSON columns decoded, or None if unknown."""
        rows = self.read("SELECT * FROM runs WHERE run_id = ?", [run_id])
        if rows.empty:
            return None
        record = rows.iloc[0].to_dict()
        for column in JSON_COLUMNS:
            text = record.get(column)
            record[column] = json.loads(text) if isinstance(text, str) else None
        for column in ("created_at", "finished_at"):
            stamp = record.get(column)
            record[column] = None if pd.isna(stamp) else pd.Timestamp(stamp).isoformat() + "Z"
        for column in ("seed", "replications", "chunk_size"):
            record[column] = int(record[column])
        return record
