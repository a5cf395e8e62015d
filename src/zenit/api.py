"""The Python front door: run a scenario's replications and get figures and tables back.

    >>> import zenit
    >>> result = zenit.run(zenit.load_scenario("scenarios/point-defence.yaml"), replications=100, seed=1)
    >>> result.summary()["leaked"]["mean"]   # threats that got through, per replication

`run` cuts the replications into chunks, hands them to an executor (in this process, local
processes, or a Dask cluster), optionally keeps every finished chunk in the results store (so
an interrupted run resumes), and summarises the merged tables.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from zenit.analysis.summary import summarise
from zenit.engine.work import EngineWork, compiled_world
from zenit.montecarlo.chunking import default_chunk_size, plan_chunks
from zenit.montecarlo.executors import make_executor
from zenit.montecarlo.runner import run_chunks
from zenit.run_arguments import checked_run_arguments
from zenit.store import ResultsStore, merge_outcomes

TABLES = ("outcomes", "shots", "events")


@dataclass
class RunResult:
    """A finished run: its summary, and its tables as pandas (Arrow under `.tables`)."""

    scenario_name: str
    seed: int
    replications: int
    run_id: str | None
    tables: dict[str, pa.Table]
    missile_types: list[str]
    battalions: list[str]
    threats_total: int
    timings: dict = field(default_factory=dict)
    _summary: dict | None = None

    @property
    def outcomes(self) -> pd.DataFrame:
        """One row per (replication, threat): fate, time_s, killed_by, ..."""
        return self.tables["outcomes"].to_pandas()

    @property
    def shots(self) -> pd.DataFrame:
        """One row per interceptor fired."""
        return self.tables["shots"].to_pandas()

    @property
    def events(self) -> pd.DataFrame:
        """The event log of the recorded replications."""
        return self.tables["events"].to_pandas()

    def summary(self) -> dict:
        if self._summary is None:
            self._summary = summarise(
                self.outcomes, self.shots, range(self.replications), run_id=self.run_id,
                scenario=self.scenario_name, seed=self.seed, threats_total=self.threats_total,
                missile_types=self.missile_types, battalions=self.battalions)
        return self._summary


def run(scenario, replications: int | None = None, seed: int | None = None, *,
        executor: str = "inprocess", workers: int | None = None, scheduler: str | None = None,
        chunk_size: int | None = None, store: str | Path | ResultsStore | None = None,
        run_id: str | None = None, record=None, progress=None) -> RunResult:
    """Run `replications` replications of a loaded scenario under `seed`.

    Defaults come from the scenario's `simulation` section. With `store` the run is kept
    (and `run_id` resumes one that was interrupted); `progress(done, total)` reports
    replications as chunks finish.
    """
    settings = scenario.simulation
    replications, seed, workers, chunk_size, record = checked_run_arguments(
        settings.replications if replications is None else replications,
        settings.seed if seed is None else seed, workers, chunk_size, record)
    if record is None:  # the scenario's own list, for however many replications this run has
        record = tuple(entry for entry in settings.record if entry < replications)
    text = scenario.source_text or scenario.to_yaml()
    work = EngineWork(text, scenario.source_path or f"{scenario.name}.yaml", seed, record)
    world = compiled_world(work.scenario_text, work.scenario_file)
    if chunk_size is None:
        parallel = 1 if executor == "inprocess" else (workers or os.cpu_count() or 1)
        chunk_size = default_chunk_size(max(world.threats.count, 1), replications, parallel)
    results_store = _open_store(store)
    started = time.perf_counter()
    # The executor is made (and a scheduler reached) before anything is stored, so a bad
    # --executor or an unreachable cluster leaves no run behind.
    pool = make_executor(executor, workers=workers, scheduler=scheduler)
    if results_store is not None and run_id is None:
        run_id = results_store.create_run(
            scenario.name, text, scenario.source_hash, seed, replications, chunk_size,
            executor, options={"record": list(record), "workers": workers, "scheduler": scheduler})
    elif results_store is not None:
        recorded = results_store.get_run(run_id)
        replications, chunk_size, seed = (int(recorded["replications"]), int(recorded["chunk_size"]),
                                          int(recorded["seed"]))
        work = EngineWork(recorded["scenario_text"], work.scenario_file, seed, record)
    with pool:
        collected: dict[int, dict] = {}
        if results_store is None:
            _run_in_memory(work, replications, chunk_size, pool, progress, collected)
        else:
            run_chunks(work, replications, chunk_size, pool, results_store, run_id, progress,
                       collect=False)
    elapsed = time.perf_counter() - started
    if results_store is None:
        tables = {name: _merge(collected, name) for name in TABLES}
    else:
        tables = {name: results_store.table(run_id, name) for name in TABLES}
        tables = {name: table if table is not None else _empty(name) for name, table in tables.items()}
    result = RunResult(scenario.name, seed, replications, run_id, tables, list(world.missiles.names),
                       list(world.battalions.names), world.threats.count,
                       {"wall_s": elapsed, "replications_per_s": replications / max(elapsed, 1e-9),
                        "executor": executor, "workers": workers, "chunk_size": chunk_size})
    if results_store is not None:
        results_store.finish_run(run_id, "complete", result.timings, result.summary())
    return result


def _run_in_memory(work, replications, chunk_size, pool, progress, collected):
    done = 0

    def on_result(chunk, tables):
        nonlocal done
        collected[chunk.index] = tables
        done += chunk.replications
        if progress is not None:
            progress(done, replications)

    pool.map(work, plan_chunks(replications, chunk_size), on_result)


def _merge(collected, name):
    merged = merge_outcomes(collected[index][name] for index in sorted(collected))
    return merged if merged is not None else _empty(name)


def _empty(name):
    from zenit.engine.outcome import EVENT_SCHEMA, OUTCOME_SCHEMA, SHOT_SCHEMA

    return {"outcomes": OUTCOME_SCHEMA, "shots": SHOT_SCHEMA, "events": EVENT_SCHEMA}[name].empty_table()


def _open_store(store):
    if store is None or isinstance(store, ResultsStore):
        return store
    return ResultsStore(store)
