"""`zenit sweep SWEEP`: run a sweep's grid with progress bars and print its result table."""

from __future__ import annotations

import math

import pandas as pd

from zenit.analysis.grid_points import point_label
from zenit.analysis.sweep import RunScenario, SweepOutcome, SweepProgress, run_sweep
from zenit.analysis.sweep_file import Sweep, read_sweep
from zenit.errors import UserError


def sweep_command(sweep_path: str, scheduler: str | None = None, out: str | None = None,
                  executor: str = "inprocess", workers: int | None = None,
                  replications: int | None = None, store: str | None = None,
                  console=None, *, run_scenario: RunScenario) -> int:
    """`zenit sweep SWEEP`: run the grid with progress bars, print the table; exit 0 or 2.

    `run_scenario` runs one point (`zenit.run`).
    """
    from rich.console import Console
    from rich.markup import escape

    console = console or Console(highlight=False, soft_wrap=True)
    if scheduler is not None and executor == "inprocess":
        executor = "dask"
    try:
        sweep = read_sweep(sweep_path)
        outcome = _run_with_display(sweep, run_scenario, console, store=store, out=out,
                                    executor=executor, workers=workers, scheduler=scheduler,
                                    replications=replications)
    except UserError as error:
        console.print(f"[red]error:[/red] {escape(str(error))}")
        return error.exit_code
    console.print(_result_table(outcome.table, list(sweep.axes)))
    for name, path in outcome.files.items():
        console.print(f"{escape(name)}: {escape(str(path))}")
    return 0


def _run_with_display(sweep: Sweep, run_scenario: RunScenario, console,
                      **options) -> SweepOutcome:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as display:
        points_bar = display.add_task("grid points", total=len(sweep.points()))
        replications_bar = display.add_task("replications", total=None)

        def point_started(index, total, point, scenario):
            display.update(replications_bar, completed=0, total=None,
                           description=f"{point_label(point)} ({scenario.threat_count()} threats)")

        def replications_done(done, total):
            display.update(replications_bar, completed=done, total=total)

        def point_finished(index, row):
            display.advance(points_bar)

        progress = SweepProgress(point_started, replications_done, point_finished)
        return run_sweep(sweep, run_scenario, progress=progress, **options)


def _result_table(table: pd.DataFrame, parameters: list[str]):
    from rich.table import Table

    shown = Table(title="sweep results (mean [95% CI])")
    for name in parameters:
        shown.add_column(name)
    for heading in ("threats", "leaked", "P(asset hit)", "missiles fired", "run"):
        shown.add_column(heading, justify="right" if heading != "run" else "left")
    for row in table.to_dict("records"):
        shown.add_row(*[str(row[name]) for name in parameters], str(row["threats_total"]),
                      _with_interval(row, "leaked"), _with_interval(row, "p_asset_hit"),
                      _with_interval(row, "missiles_fired"), str(row["run_id"]))
    return shown


def _with_interval(row: dict, figure: str) -> str:
    mean, low, high = (row[f"{figure}_{part}"] for part in ("mean", "ci95_low", "ci95_high"))
    if math.isnan(mean):
        return "-"
    if math.isnan(low) or math.isnan(high):
        return f"{mean:.3g}"
    return f"{mean:.3g} [{low:.3g}, {high:.3g}]"
