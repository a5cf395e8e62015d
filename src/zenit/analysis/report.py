"""The run report: one self-contained HTML file per run.

Everything is inside the file (figures as base64 PNG, styles inline, no scripts, no links
out), so it can be mailed, archived next to the results or opened on a machine with no
network. It holds the summary figures with their 95% CIs, the plots, the scenario text as
it was run and the run's metadata (seed, replications, code version, timings), which is
what someone needs to check or reproduce a result.
"""

from __future__ import annotations

import base64
import html
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from zenit.analysis import figures
from zenit.analysis.summary import summarise
from zenit.errors import UserError
from zenit.store import DEFAULT_STORE_PATH, ResultsStore, current_code_version, write_bytes_atomic

REPORT_ARTIFACT = "report.html"
TABLES = ("outcomes", "shots", "events")
SUMMARY_ROWS = (  # summary key, label, digits
    ("leaked", "Leakers per replication", 2),
    ("killed", "Kills per replication", 2),
    ("missiles_fired", "Missiles fired per replication", 2),
    ("p_asset_hit", "P(a defended asset is hit)", 3),
    ("first_detection_s", "First detection (s)", 1),
    ("first_launch_s", "First launch (s)", 1),
)
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.7em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f3f3f3; }
tr.part td:first-child { padding-left: 2em; color: #555; }
figure { margin: 1em 0 2em; } figure img { max-width: 100%; }
figcaption { color: #555; font-size: 0.9em; }
pre { background: #f7f7f7; border: 1px solid #ddd; padding: 1em; overflow-x: auto;
      font-size: 0.85em; }
.note { color: #555; }
"""


@dataclass
class RunData:
    """What a report needs of a run, from a RunResult or from the results store."""

    summary: dict
    outcomes: pd.DataFrame
    shots: pd.DataFrame
    events: pd.DataFrame
    record: dict  # run metadata: run_id, seed, replications, code_version, timings, ...
    scenario_text: str | None


def write_report(result_or_run_id, store: str | Path | ResultsStore | None = None,
                 path: str | Path | None = None, *, scenario_text: str | None = None) -> Path:
    """Write the HTML report of a run and return its path.

    `result_or_run_id` is a `RunResult` or a stored run's id. Without `path` the report is
    stored as the run's `report.html` artifact (a RunResult must then have been stored).
    `scenario_text` is for a RunResult that was not stored, whose text only the caller knows.
    """
    results_store = _open_store(store, required=isinstance(result_or_run_id, str) or path is None)
    data = run_data(result_or_run_id, results_store, scenario_text)
    document = render_report(data)
    if path is not None:
        return write_bytes_atomic(Path(path), document.encode("utf-8"))
    run_id = data.record.get("run_id")
    if results_store is None or not run_id:
        raise UserError("this run was not stored, so the report needs a path to be written to")
    return results_store.write_artifact(run_id, REPORT_ARTIFACT, document)


def report_command(run_id: str, store: str | None = None, out: str | None = None,
                   console=None) -> int:
    """`zenit runs report RUN_ID`: write the report (to OUT or the run's artifacts); exit 0 or 2."""
    from rich.console import Console
    from rich.markup import escape

    console = console or Console(highlight=False, soft_wrap=True)
    try:
        written = write_report(run_id, store if store is not None else DEFAULT_STORE_PATH, out)
    except UserError as error:
        console.print(f"[red]error:[/red] {escape(str(error))}")
        return 2
    console.print(f"report: {escape(str(written))}")
    return 0


def _open_store(store, required: bool) -> ResultsStore | None:
    if isinstance(store, ResultsStore):
        return store
    if store is None and not required:
        return None
    return ResultsStore(DEFAULT_STORE_PATH if store is None else store)


# -- gathering the run -------------------------------------------------------------------------


def run_data(result_or_run_id, store: ResultsStore | None, scenario_text: str | None = None
             ) -> RunData:
    """A run's summary, tables and metadata, from a RunResult or from the store."""
    if isinstance(result_or_run_id, str):
        return _stored_run(result_or_run_id, store)
    result = result_or_run_id
    record = {"run_id": result.run_id, "scenario_name": result.scenario_name,
              "seed": result.seed, "replications": result.replications,
              "code_version": current_code_version(), "timings": dict(result.timings)}
    if store is not None and result.run_id:
        stored = store.get_run(result.run_id)
        record = {**stored, "timings": stored.get("timings") or record["timings"]}
        scenario_text = scenario_text or stored.get("scenario_text")
    return RunData(summary=result.summary(), outcomes=result.outcomes, shots=result.shots,
                   events=result.events, record=record, scenario_text=scenario_text)


def _stored_run(run_id: str, store: ResultsStore) -> RunData:
    record = store.get_run(run_id)
    tables = {}
    for name in TABLES:
        table = store.table(run_id, name)
        tables[name] = table.to_pandas() if table is not None else _empty_frame(name)
    summary = record.get("summary")
    if not summary:
        if tables["outcomes"].empty:
            raise UserError(f"run '{run_id}' has no finished replications to report on "
                            f"(status: {record.get('status')}); resume it with "
                            f"`zenit run --resume {run_id}`")
        summary = _partial_summary(record, tables)
    return RunData(summary=summary, outcomes=tables["outcomes"], shots=tables["shots"],
                   events=tables["events"], record=record,
                   scenario_text=record.get("scenario_text"))


def _partial_summary(record: dict, tables: dict[str, pd.DataFrame]) -> dict:
    """The summary of an unfinished run over the replications it completed."""
    outcomes, shots = tables["outcomes"], tables["shots"]
    replications = np.sort(outcomes["replication"].unique())
    return summarise(outcomes, shots, replications, run_id=record["run_id"],
                     scenario=record["scenario_name"], seed=record["seed"],
                     threats_total=int(outcomes["threat"].nunique()),
                     missile_types=sorted(shots["missile_type"].unique()) if len(shots) else [],
                     battalions=sorted(shots["battalion"].unique()) if len(shots) else [])


def _empty_frame(name: str) -> pd.DataFrame:
    from zenit.engine.outcome import EVENT_SCHEMA, OUTCOME_SCHEMA, SHOT_SCHEMA

    schema = {"outcomes": OUTCOME_SCHEMA, "shots": SHOT_SCHEMA, "events": EVENT_SCHEMA}[name]
    return schema.empty_table().to_pandas()


# -- rendering ---------------------------------------------------------------------------------


def render_report(data: RunData) -> str:
    """The report as one HTML document."""
    summary = data.summary
    title = f"Zenit run report: {summary['scenario']}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_text(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_text(title)}</h1>",
        f'<p class="note">run {_text(summary.get("run_id") or "not stored")} &middot; '
        f'{summary["replications"]} replications &middot; seed {summary["seed"]} &middot; '
        f'{summary["threats_total"]} threats</p>',
        "<h2>Summary</h2>",
        summary_table(summary),
        "<h2>Figures</h2>",
        *_figure_sections(data),
        "<h2>Run</h2>",
        metadata_table(data.record, summary),
        "<h2>Scenario</h2>",
        _scenario_section(data.scenario_text),
        "</body></html>",
    ]
    return "\n".join(parts)


def _text(value) -> str:
    return html.escape(str(value), quote=True)


def _number(value, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "&mdash;"
    return f"{float(value):.{digits}f}"


def _figure_row(label: str, figure: dict, digits: int, css: str = "") -> str:
    low, high = figure.get("ci95") or (None, None)
    extra = f' class="{css}"' if css else ""
    return (f"<tr{extra}><td>{_text(label)}</td><td>{_number(figure.get('mean'), digits)}</td>"
            f"<td>{_number(low, digits)}</td><td>{_number(high, digits)}</td></tr>")


def summary_table(summary: dict) -> str:
    """Each summary figure with its 95% CI; missiles by type and battalion, fates by threat type."""
    rows = []
    for key, label, digits in SUMMARY_ROWS:
        rows.append(_figure_row(label, summary[key], digits))
        if key == "missiles_fired":
            for part in ("by_type", "by_battalion"):
                for name, figure in summary[key].get(part, {}).items():
                    rows.append(_figure_row(name, figure, digits, css="part"))
    for threat_type, figures_of_type in summary.get("by_threat_type", {}).items():
        for fate in ("killed", "leaked"):
            label = f"{threat_type} ({figures_of_type['count']}): {fate}"
            rows.append(_figure_row(label, figures_of_type[fate], 2, css="part"))
    head = ("<thead><tr><th>figure</th><th>mean</th><th>95% CI low</th>"
            "<th>95% CI high</th></tr></thead>")
    return f"<table>{head}<tbody>{''.join(rows)}</tbody></table>"


def _image(figure, caption: str) -> str:
    encoded = base64.b64encode(figures.png_bytes(figure)).decode("ascii")
    return (f'<figure><img alt="{_text(caption)}" src="data:image/png;base64,{encoded}">'
            f"<figcaption>{_text(caption)}</figcaption></figure>")


def recorded_replication(events: pd.DataFrame) -> int | None:
    """The replication the timeline shows: the first one with a recorded event log."""
    if events.empty:
        return None
    return int(events["replication"].min())


def _figure_sections(data: RunData) -> list[str]:
    summary = data.summary
    replications = _replications(data)
    shown = recorded_replication(data.events)
    timeline_caption = (f"Engagement timeline of recorded replication {shown}: one row per "
                        "threat; launches are coloured by the firing battalion."
                        if shown is not None else
                        "Engagement timeline: no replication of this run was recorded "
                        "(the scenario's simulation.record chooses them).")
    return [
        _image(figures.leakers_figure(data.outcomes, replications, summary),
               "Threats leaked per replication, with the mean and its 95% CI."),
        _image(figures.missiles_by_type_figure(summary),
               "Missiles fired per replication by missile type (bars: 95% CI)."),
        _image(figures.threat_types_figure(summary),
               "Kills and leaks per replication by threat type (bars: 95% CI)."),
        _image(figures.timeline_figure(data.events, data.outcomes, shown), timeline_caption),
    ]


def _replications(data: RunData):
    """The run's replication numbers: all of them, including those where nothing happened."""
    if "replications" in data.record and data.record.get("status", "complete") == "complete":
        return range(int(data.record["replications"]))
    return np.sort(data.outcomes["replication"].unique())


def metadata_table(record: dict, summary: dict) -> str:
    """Run id, scenario, seed, replications, code version, dates and timings."""
    timings = record.get("timings") or {}
    rows = [
        ("run id", record.get("run_id") or "not stored"),
        ("scenario", record.get("scenario_name", summary["scenario"])),
        ("scenario hash", record.get("scenario_hash")),
        ("seed", summary["seed"]),
        ("replications", summary["replications"]),
        ("threats", summary["threats_total"]),
        ("status", record.get("status")),
        ("code version", record.get("code_version")),
        ("created (UTC)", record.get("created_at")),
        ("finished (UTC)", record.get("finished_at")),
        ("executor", record.get("executor") or timings.get("executor")),
        ("chunk size", record.get("chunk_size") or timings.get("chunk_size")),
        ("wall time (s)", _rounded(timings.get("wall_s"), 2)),
        ("replications per second", _rounded(timings.get("replications_per_s"), 2)),
    ]
    body = "".join(f"<tr><td>{_text(name)}</td><td>{_text(value)}</td></tr>"
                   for name, value in rows if value is not None)
    return f"<table><tbody>{body}</tbody></table>"


def _rounded(value, digits: int):
    return None if value is None else round(float(value), digits)


def _scenario_section(text: str | None) -> str:
    if not text:
        return ('<p class="note">The scenario text was not kept with this result; store the '
                "run (<code>store=</code>) or pass <code>scenario_text=</code>.</p>")
    return f"<pre>{_text(text)}</pre>"
