"""The `zenit` command.

Each command is a thin shell over a library function. A `UserError` anywhere below is
printed as its message, with exit code 2 and no traceback; anything else is a bug and keeps
its traceback.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from zenit.errors import UserError, did_you_mean
from zenit.montecarlo.executors import EXECUTOR_KINDS

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Zenit: simulate layered surface-to-air missile defence from public data.")
runs_app = typer.Typer(no_args_is_help=True, help="The results store: list, show, query, report.")
app.add_typer(runs_app, name="runs")
console = Console()
INTERRUPTED_EXIT_CODE = 130  # 128 + SIGINT, as shells report Ctrl-C
QUERY_ROWS_SHOWN = 200
TIMESTAMP_CHARACTERS = 19  # "2026-01-31 12:34:56"
errors = Console(stderr=True)


def main() -> None:
    try:
        app()
    except UserError as error:
        errors.print(f"[bold red]error:[/] {error}", highlight=False, markup=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        errors.print("interrupted")
        sys.exit(INTERRUPTED_EXIT_CODE)


@app.command()
def run(
    scenario: str = typer.Argument(..., help="scenario YAML file"),
    replications: Optional[int] = typer.Option(None, "--replications", "-n", min=1,
                                               help="Monte Carlo replications (default: the scenario's)"),
    seed: Optional[int] = typer.Option(None, "--seed", min=0, help="random seed (default: the scenario's)"),
    as_json: bool = typer.Option(False, "--json", help="print the summary as one JSON object"),
    store: str = typer.Option("zenit-results", "--store", help="results store directory"),
    out: Optional[str] = typer.Option(None, "--out", help="directory for tables and the report"),
    report: bool = typer.Option(False, "--report", help="write an HTML report of the run"),
    resume: Optional[str] = typer.Option(None, "--resume", help="finish an interrupted run by its id"),
    executor: str = typer.Option("process", "--executor", help="process | inprocess | dask"),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="local worker processes"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address"),
    chunk_size: Optional[int] = typer.Option(None, "--chunk-size", min=1, help="replications per chunk"),
) -> None:
    """Run a scenario's replications, store them, and print the summary with 95% CIs."""
    import zenit
    from zenit.analysis.tables import summary_table
    from zenit.store import ResultsStore

    loaded = zenit.load_scenario(scenario)
    results = ResultsStore(store)
    if resume is not None:
        results.get_run(resume)  # unknown ids fail here, before any work
    if scheduler is not None:
        executor = "dask"
    if executor not in EXECUTOR_KINDS:
        raise UserError(f"--executor {executor!r} is not one of {', '.join(EXECUTOR_KINDS)} "
                        f"(fix: {did_you_mean(executor, EXECUTOR_KINDS) or 'choose one of them'})")
    total = replications or loaded.simulation.replications
    with _progress(not as_json, total, loaded.name) as advance:
        result = zenit.run(loaded, replications, seed, executor=executor, workers=workers,
                           scheduler=scheduler, chunk_size=chunk_size, store=results,
                           run_id=resume, progress=advance)
    summary = result.summary()
    if out is not None:
        _write_tables(result, Path(out))
    if report:
        from zenit.analysis.report import write_report

        path = Path(out or ".") / f"zenit-report-{result.run_id}.html"
        summary["report"] = str(write_report(result, results, path))
    if as_json:
        print(json.dumps(_json_ready(summary)))
        return
    console.print(summary_table(summary, result.timings))
    if "report" in summary:
        console.print(f"report: {summary['report']}")


@app.command()
def validate(scenario: str = typer.Argument(..., help="scenario YAML file")) -> None:
    """Check a scenario and print every problem with its place."""
    from zenit.scenario import check_scenario
    from zenit.scenario.cli import validate_command

    if not check_scenario(scenario) and _check_flyable(scenario):
        raise typer.Exit(2)
    raise typer.Exit(validate_command(scenario, console))


def _check_flyable(path: str) -> int:
    """Routes are flown once to check them: a turn that does not fit is found here, not mid-run."""
    from zenit.engine.compile import threat_trajectories
    from zenit.scenario import load_scenario

    try:
        threat_trajectories(load_scenario(path))
    except UserError as error:
        errors.print(f"{path}: threats: {error}", highlight=False, markup=False)
        return error.exit_code
    return 0


@app.command()
def catalog(name: Optional[str] = typer.Argument(None, help="an entry, e.g. 48N6E2")) -> None:
    """The public-data catalogue; with a NAME, each figure of that entry and its source."""
    from zenit.catalog import load_catalog
    from zenit.catalog.render import entry_renderable, index_table

    entries = load_catalog()
    console.print(index_table(entries) if name is None else entry_renderable(entries.get(name)))


@app.command()
def coverage(
    scenario: str = typer.Argument(..., help="scenario YAML file"),
    rcs: str = typer.Option("1 m2", "--rcs", help="target radar cross-section, e.g. 0.1m2 or -10dBsm"),
    altitude: str = typer.Option("100 m", "--altitude", help="target height above the ground"),
    out: Optional[str] = typer.Option(None, "--out", help="directory for the PNG diagrams"),
    azimuth: Optional[str] = typer.Option(None, "--azimuth", help="bearing of the vertical diagrams"),
    as_json: bool = typer.Option(False, "--json", help="print the figures as JSON"),
) -> None:
    """Detection coverage: a map over terrain and range-height diagrams per radar."""
    from zenit.analysis.coverage_command import coverage_command

    raise typer.Exit(coverage_command(scenario, rcs, altitude, out, as_json, azimuth))


@app.command()
def envelope(
    scenario: str = typer.Argument(..., help="scenario YAML file"),
    missile: str = typer.Option(..., "--missile", help="missile type, e.g. 48N6E2"),
    altitude: str = typer.Option("10 km", "--altitude", help="target altitude"),
    out: Optional[str] = typer.Option(None, "--out", help="directory for the PNG"),
    target_speed: Optional[str] = typer.Option(None, "--target-speed", help="approaching target speed"),
    as_json: bool = typer.Option(False, "--json", help="print the figures as JSON"),
) -> None:
    """Engagement envelope of a missile type from the scenario's battalion."""
    from zenit.analysis.envelope import envelope_command

    raise typer.Exit(envelope_command(scenario, missile, altitude, out, as_json, target_speed))


@app.command()
def sweep(
    sweep_file: str = typer.Argument(..., help="sweep YAML file"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address"),
    out: Optional[str] = typer.Option(None, "--out", help="directory for the result table and plots"),
    executor: str = typer.Option("process", "--executor", help="process | inprocess | dask"),
    workers: Optional[int] = typer.Option(None, "--workers", min=1),
    replications: Optional[int] = typer.Option(None, "--replications", "-n", min=1),
) -> None:
    """Parameter sweeps: every grid point a stored run, a result table and plots."""
    import zenit
    from zenit.analysis.sweep_command import sweep_command

    raise typer.Exit(sweep_command(sweep_file, scheduler, out, executor, workers, replications,
                                   run_scenario=zenit.run))


@runs_app.command("list")
def runs_list(store: str = typer.Option("zenit-results", "--store"),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """Every stored run, oldest first."""
    from zenit.store import ResultsStore

    listing = ResultsStore(store).list_runs()
    if as_json:
        print(listing.to_json(orient="records", date_format="iso"))
        return
    table = Table(title=f"runs in {store}")
    wanted = ("run_id", "status", "scenario_name", "replications", "seed", "executor", "created_at")
    columns = [column for column in wanted if column in listing.columns]
    for column in columns:
        table.add_column(str(column), no_wrap=column == "run_id")
    for _, row in listing.iterrows():
        table.add_row(*[str(row[column])[:TIMESTAMP_CHARACTERS] if column == "created_at"
                        else str(row[column]) for column in columns])
    console.print(table)


@runs_app.command("show")
def runs_show(run_id: str, store: str = typer.Option("zenit-results", "--store"),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """A stored run's record and summary."""
    from zenit.analysis.tables import summary_table
    from zenit.store import ResultsStore

    record = ResultsStore(store).get_run(run_id)
    summary = record.get("summary")
    summary = json.loads(summary) if isinstance(summary, str) else summary
    if as_json:
        print(json.dumps(_json_ready({key: value for key, value in record.items()
                                      if key != "scenario_text"} | {"summary": summary}),
                         default=str))
        return
    console.print(f"run {run_id}: {record.get('scenario_name')} — {record.get('status')}, "
                  f"{record.get('replications')} replications, seed {record.get('seed')}")
    if summary:
        console.print(summary_table(summary, {}))


@runs_app.command("query")
def runs_query(sql: str, store: str = typer.Option("zenit-results", "--store"),
               as_json: bool = typer.Option(False, "--json")) -> None:
    """SQL over the views runs, outcomes, shots and events."""
    from zenit.store import ResultsStore

    frame = ResultsStore(store).query(sql)
    if as_json:
        print(frame.to_json(orient="records"))
        return
    table = Table()
    for column in frame.columns:
        table.add_column(str(column))
    for row in frame.head(QUERY_ROWS_SHOWN).itertuples(index=False):
        table.add_row(*[str(value) for value in row])
    console.print(table)
    if len(frame) > QUERY_ROWS_SHOWN:
        console.print(f"... {len(frame) - QUERY_ROWS_SHOWN} more rows (use --json for all)")


@runs_app.command("report")
def runs_report(run_id: str, store: str = typer.Option("zenit-results", "--store"),
                out: Optional[str] = typer.Option(None, "--out")) -> None:
    """Write the HTML report of a stored run."""
    from zenit.analysis.report import report_command

    raise typer.Exit(report_command(run_id, store, out))


def _progress(enabled: bool, total: int, name: str):
    from contextlib import contextmanager

    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    @contextmanager
    def context():
        if not enabled:
            yield None
            return
        columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn())
        with Progress(*columns, console=errors, transient=False) as progress:
            task = progress.add_task(name, total=total, rate="")

            def advance(done: int, _total: int) -> None:
                elapsed = progress.tasks[0].elapsed or 0.0
                rate = f"{done / elapsed:,.0f} rep/s" if elapsed > 0 and done else ""
                progress.update(task, completed=done, rate=rate)

            yield advance

    return context()


def _write_tables(result, directory: Path) -> None:
    import pyarrow.parquet as parquet

    directory.mkdir(parents=True, exist_ok=True)
    for name, table in result.tables.items():
        parquet.write_table(table, directory / f"{name}.parquet")
    (directory / "summary.json").write_text(json.dumps(_json_ready(result.summary()), indent=2))


def _json_ready(value):
    """NaN and infinities become null so the output is strict JSON."""
    if isinstance(value, dict):
        return {str(key): _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return _json_ready(value.item())
    return value


if __name__ == "__main__":
    main()
