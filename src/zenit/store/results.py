"""The results store: a catalogue of runs and, per run, its outcome chunks and artifacts.

Layout under the store's directory (./zenit-results/ by default):

    catalog.duckdb                          one row per run (see `zenit.store.catalog`)
    runs/<run id>/scenario.yaml             the scenario text as it was run
    runs/<run id>/outcomes/chunk-000012.parquet   one file per finished chunk
    runs/<run id>/artifacts/<name>          reports, plots, event logs

Each chunk file is written atomically and at most once, so a run stopped at any moment can be
resumed from the chunks on disk without losing or repeating a replication.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path, PurePosixPath

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as parquet

from zenit.errors import UserError, ZenitError, did_you_mean
from zenit.store.atomic import write_atomic, write_bytes_atomic
from zenit.store.catalog import RUN_STATUSES, Catalog, to_json, utc_now
from zenit.store.merging import merge_outcomes
from zenit.store.query import run_query

DEFAULT_STORE_PATH = Path("zenit-results")
CATALOG_FILE = "catalog.duckdb"
CHUNK_FILE = re.compile(r"^chunk-(\d{6,})\.parquet$")
RUN_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}$")
TABLE_NAME = re.compile(r"^[a-z_]+$")
OUTCOMES = "outcomes"


def current_code_version() -> str:
    """The installed Zenit version, recorded with each run so results can be traced."""
    try:
        from zenit import __version__
    except ImportError:
        return "unknown"
    return str(__version__)


def _check_status(status: str) -> str:
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r}; expected one of {RUN_STATUSES}")
    return status


class ResultsStore:
    """Runs, their outcomes and artifacts under one directory; the parent process writes."""

    def __init__(self, path: str | Path = DEFAULT_STORE_PATH):
        self.root = Path(path)
        self.catalog = Catalog(self.root / CATALOG_FILE)
        self._known: set[str] = set()

    def __repr__(self) -> str:
        return f"ResultsStore({str(self.root)!r})"

    def create_run(self, scenario_name: str, scenario_text: str, scenario_hash: str,
                   seed: int, replications: int, chunk_size: int, executor: str,
                   code_version: str | None = None, options: dict | None = None) -> str:
        """Record a new run as "running" and return its id ("20261125-134501-a1b2c3")."""
        record = {
            "created_at": utc_now(),
            "status": "running",
            "scenario_name": str(scenario_name),
            "scenario_hash": str(scenario_hash),
            "seed": int(seed),
            "replications": int(replications),
            "chunk_size": int(chunk_size),
            "executor": str(executor),
            "code_version": code_version or current_code_version(),
            "options": to_json(options or {}),
            "scenario_text": str(scenario_text),
        }
        while True:
            run_id = f"{record['created_at']:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
            if self.catalog.insert({"run_id": run_id, **record}):
                break
        self._known.add(run_id)
        write_bytes_atomic(self._run_path(run_id) / "scenario.yaml",
                           record["scenario_text"].encode("utf-8"))
        return run_id

    def run_ids(self) -> list[str]:
        return self.catalog.run_ids()

    def _require(self, run_id: str) -> str:
        """The run id if the catalogue knows it, else a UserError naming the nearest ids."""
        run_id = str(run_id)
        if run_id in self._known:
            return run_id
        if RUN_ID.match(run_id) and self.catalog.record(run_id) is not None:
            self._known.add(run_id)
            return run_id
        message = f"unknown run '{run_id}'; runs are listed by `zenit runs list`"
        hint = did_you_mean(run_id, self.catalog.run_ids())
        raise UserError(message + (f" ({hint})" if hint else ""))

    def _run_path(self, run_id: str) -> Path:
        return self.root / "runs" / run_id

    def run_dir(self, run_id: str) -> Path:
        """The directory holding one run's files."""
        return self._run_path(self._require(run_id))

    def _outcomes_dir(self, run_id: str) -> Path:
        return self._table_dir(run_id, OUTCOMES)

    def _table_dir(self, run_id: str, name: str) -> Path:
        if not TABLE_NAME.match(name):
            raise ValueError(f"table name {name!r} must be lower-case letters and underscores")
        return self.run_dir(run_id) / name

    def write_chunk(self, run_id: str, chunk_index: int, table: pa.Table,
                    name: str = OUTCOMES) -> Path:
        """Store one chunk's table, atomically.

        A chunk is complete once its outcome table is stored, and that can happen only once.
        Other tables of a chunk (shots, events) are written before its outcomes, so a chunk
        cut short may leave them behind: they are replaced when the chunk is computed again,
        with the same content, since a replication's result does not depend on its chunk.
        """
        chunk_index = int(chunk_index)
        if chunk_index < 0:
            raise ValueError(f"chunk index must be >= 0, got {chunk_index}")
        destination = self._table_dir(run_id, name) / f"chunk-{chunk_index:06d}.parquet"
        if name == OUTCOMES and destination.exists():
            raise ZenitError(f"chunk {chunk_index} of run '{run_id}' is stored already")
        return write_atomic(destination, lambda file: parquet.write_table(table, file))

    def table(self, run_id: str, name: str) -> pa.Table | None:
        """One of a run's tables (outcomes, shots, events) over its completed chunks, merged."""
        if name == OUTCOMES:
            return self.outcomes_table(run_id)
        directory = self._table_dir(run_id, name)
        complete = self.completed_chunks(run_id)
        return merge_outcomes(
            parquet.read_table(directory / f"chunk-{index:06d}.parquet") for index in sorted(complete)
            if (directory / f"chunk-{index:06d}.parquet").exists())

    def _chunk_files(self, run_id: str) -> dict[int, Path]:
        directory = self._outcomes_dir(run_id)
        if not directory.is_dir():
            return {}
        files = {}
        for path in directory.iterdir():
            match = CHUNK_FILE.match(path.name)
            if match:
                files[int(match.group(1))] = path
        return files

    def completed_chunks(self, run_id: str) -> set[int]:
        """Indices of the chunks stored for a run."""
        return set(self._chunk_files(run_id))

    def outcomes_table(self, run_id: str) -> pa.Table | None:
        """All of a run's chunks as one Arrow table ordered by replication (and threat);
        None before any chunk is stored."""
        files = self._chunk_files(run_id)
        return merge_outcomes(parquet.read_table(files[index]) for index in sorted(files))

    def outcomes(self, run_id: str) -> pd.DataFrame:
        """All of a run's chunks, ordered by replication (and threat)."""
        table = self.outcomes_table(run_id)
        return pd.DataFrame() if table is None else table.to_pandas()

    def mark_status(self, run_id: str, status: str) -> None:
        """Set a run's status: "running", "interrupted", "failed" or "complete"."""
        self.catalog.update(self._require(run_id), {"status": _check_status(status)})

    def finish_run(self, run_id: str, status: str, timings: dict, summary: dict) -> None:
        """Close a run with its final status, wall-clock timings and summary."""
        self.catalog.update(self._require(run_id), {
            "status": _check_status(status),
            "finished_at": utc_now(),
            "timings": to_json(timings),
            "summary": to_json(summary),
        })

    def list_runs(self) -> pd.DataFrame:
        """One row per run, oldest first, without the bulky scenario text and JSON."""
        return self.catalog.listing()

    def get_run(self, run_id: str) -> dict:
        """Everything recorded about a run: scenario text, options, timings, summary, and
        the chunks and artifacts on disk."""
        record = self.catalog.record(self._require(run_id))
        record["path"] = str(self._run_path(run_id))
        record["completed_chunks"] = len(self.completed_chunks(run_id))
        record["artifacts"] = self.artifacts(run_id)
        return record

    def write_artifact(self, run_id: str, name: str, content: bytes | str) -> Path:
        """Store a report, plot or event log under the run's artifacts/, atomically."""
        relative = PurePosixPath(str(name).replace("\\", "/"))
        if (not relative.parts or relative.is_absolute() or ".." in relative.parts
                or any(part.startswith(".") for part in relative.parts)):
            raise UserError(
                f"artifact name {name!r} must be a relative path inside the run "
                "(no '..', no leading '/' or '.')"
            )
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        return write_bytes_atomic(self.run_dir(run_id) / "artifacts" / relative, data)

    def artifacts(self, run_id: str) -> list[str]:
        directory = self.run_dir(run_id) / "artifacts"
        if not directory.is_dir():
            return []
        return sorted(
            path.relative_to(directory).as_posix()
            for path in directory.rglob("*")
            if path.is_file() and not path.name.startswith(".")
        )

    def query(self, sql: str) -> pd.DataFrame:
        """Run one read-only SELECT over the views `runs` (the catalogue) and `outcomes`,
        `shots`, `events` (every run's chunks, with a `run_id` column); see `zenit.store.query`.
        The catalogue is copied first, so a long query never holds its lock."""
        return run_query(self.root, self.catalog.everything(), sql)
