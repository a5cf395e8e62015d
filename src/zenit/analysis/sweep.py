"""Parameter sweeps: one scenario run over a grid of changes, one result row per grid point.

The sweep file and its checks are `zenit.analysis.sweep_file`; applying a grid point to the
scenario is `zenit.analysis.grid_points`; the `zenit sweep` command is
`zenit.analysis.sweep_command`. Here the points are run. Every point runs under the same seed:
common random numbers make the differences between points sharper than independent seeds
would. Each point is a run in the results store; the result table (CSV and Parquet) and the
plots go to the output directory.

Runs are made by the function the caller hands in (`zenit.run`), so the analysis layer does
not depend on the front door that itself summarises runs with it.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from zenit.analysis.grid_points import runnable_scenario, table_cell
from zenit.analysis.sweep_file import FIGURES, Sweep
from zenit.scenario import Scenario
from zenit.store import DEFAULT_STORE_PATH, ResultsStore, write_bytes_atomic

# `zenit.run`: (scenario, replications, seed, **options) -> a RunResult (run_id, summary())
RunScenario = Callable[..., Any]


@dataclass
class SweepProgress:
    """Hooks a display can follow: a point starts, replications of the current point finish."""

    point_started: Callable[[int, int, dict, Scenario], None] = (
        lambda index, total, point, scenario: None)
    replications_done: Callable[[int, int], None] = lambda done, total: None
    point_finished: Callable[[int, dict], None] = lambda index, row: None


@dataclass
class SweepOutcome:
    """A finished sweep: the result table and the files written."""

    table: pd.DataFrame
    directory: Path
    files: dict[str, Path] = field(default_factory=dict)


def run_sweep(sweep: Sweep, run_scenario: RunScenario, *,
              store: str | Path | ResultsStore | None = None, out: str | Path | None = None,
              executor: str = "inprocess", workers: int | None = None,
              scheduler: str | None = None, replications: int | None = None,
              progress: SweepProgress | None = None) -> SweepOutcome:
    """Run every grid point with `run_scenario` (`zenit.run`), store each as a run, write the
    table and plots to `out`.

    Every point's scenario is built and checked before the first runs, so a bad point stops
    the sweep before any time is spent.
    """
    progress = progress or SweepProgress()
    results_store = store if isinstance(store, ResultsStore) else ResultsStore(
        DEFAULT_STORE_PATH if store is None else store)
    points = sweep.points()
    scenarios = [runnable_scenario(sweep, point) for point in points]
    count = replications or sweep.replications
    rows = []
    for index, (point, scenario) in enumerate(zip(points, scenarios)):
        progress.point_started(index, len(points), point, scenario)
        result = run_scenario(scenario, count, sweep.seed, executor=executor, workers=workers,
                              scheduler=scheduler, store=results_store,
                              progress=progress.replications_done)
        results_store.write_artifact(result.run_id, "sweep_point.json", json.dumps(
            {"sweep": str(sweep.path.resolve()), "point": index, "parameters": point}, indent=2))
        row = result_row(index, point, result.summary())
        rows.append(row)
        progress.point_finished(index, row)
    table = pd.DataFrame(rows)
    directory = Path(out) if out is not None else default_output(sweep, results_store)
    files = write_outputs(sweep, table, directory)
    return SweepOutcome(table=table, directory=directory, files=files)


def default_output(sweep: Sweep, store: ResultsStore) -> Path:
    """<store>/sweeps/<sweep name>-<UTC time>: a new folder per sweep, never overwritten."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return store.root / "sweeps" / f"{sweep.path.stem}-{stamp}"


def result_row(index: int, point: dict, summary: dict) -> dict:
    """One table row: the point's parameters, then every figure's mean and 95% CI bounds."""
    row: dict[str, Any] = {"point": index}
    row.update({name: table_cell(value) for name, value in point.items()})
    row.update({"run_id": summary["run_id"], "scenario": summary["scenario"],
                "replications": summary["replications"], "seed": summary["seed"],
                "threats_total": summary["threats_total"]})
    for figure in FIGURES:
        row.update(_figure_columns(figure, summary[figure]))
    for missile, figure in summary["missiles_fired"].get("by_type", {}).items():
        row.update(_figure_columns(f"missiles_fired[{missile}]", figure))
    return row


def _figure_columns(name: str, figure: dict) -> dict:
    low, high = figure.get("ci95") or (None, None)
    return {f"{name}_mean": _number(figure.get("mean")), f"{name}_ci95_low": _number(low),
            f"{name}_ci95_high": _number(high)}


def _number(value) -> float:
    return math.nan if value is None else float(value)


def write_outputs(sweep: Sweep, table: pd.DataFrame, directory: Path) -> dict[str, Path]:
    """results.csv, results.parquet, the sweep file as run, and one PNG per plot."""
    from zenit.analysis.figures import png_bytes, sweep_figure

    directory.mkdir(parents=True, exist_ok=True)
    files = {"csv": write_bytes_atomic(directory / "results.csv",
                                       table.to_csv(index=False).encode("utf-8")),
             "parquet": directory / "results.parquet"}
    parquet_table = table.copy()
    for column in parquet_table.columns:
        if parquet_table[column].dtype == object:
            parquet_table[column] = parquet_table[column].map(
                lambda value: value if value is None or isinstance(value, str) else str(value))
    temporary = directory / ".results.parquet.partial"
    parquet_table.to_parquet(temporary, index=False)
    temporary.replace(files["parquet"])
    files["sweep"] = write_bytes_atomic(directory / "sweep.yaml", sweep.path.read_bytes())
    parameters = [name for name in sweep.axes]
    for plot in sweep.plots:
        figure = sweep_figure(table, plot, parameters)
        files[plot] = write_bytes_atomic(directory / f"{_file_name(plot)}.png", png_bytes(figure))
    return files


def _file_name(plot: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", plot).strip("_")
