"""The run summary as a rich table for the terminal."""

from __future__ import annotations

import math

from rich.table import Table

ROWS = (
    ("leaked", "threats leaked", "{:.2f}"),
    ("killed", "threats killed", "{:.2f}"),
    ("p_asset_hit", "P(defended asset hit)", "{:.3f}"),
    ("missiles_fired", "missiles fired", "{:.1f}"),
    ("first_detection_s", "first detection (s)", "{:.1f}"),
    ("first_launch_s", "first launch (s)", "{:.1f}"),
)


def _cells(figure: dict, style: str) -> tuple[str, str]:
    mean = figure.get("mean")
    low, high = figure.get("ci95") or (None, None)
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "—", ""
    interval = "" if low is None or high is None else f"[{style.format(low)}, {style.format(high)}]"
    return style.format(mean), interval


def summary_table(summary: dict, timings: dict) -> Table:
    """Each figure's mean per replication with its 95% confidence interval."""
    title = (f"{summary['scenario']}: {summary['replications']:,} replications, seed "
             f"{summary['seed']}, {summary['threats_total']} threats")
    if timings.get("wall_s"):
        title += f" — {timings['wall_s']:.1f} s ({timings['replications_per_s']:.1f} rep/s)"
    table = Table(title=title, title_justify="left")
    table.add_column("figure")
    table.add_column("mean", justify="right")
    table.add_column("95% CI", justify="right")
    for key, label, style in ROWS:
        table.add_row(label, *_cells(summary[key], style))
    for name, figure in summary["missiles_fired"].get("by_type", {}).items():
        table.add_row(f"  {name} fired", *_cells(figure, "{:.2f}"))
    for name, figure in summary["missiles_fired"].get("by_battalion", {}).items():
        table.add_row(f"  fired by {name}", *_cells(figure, "{:.2f}"))
    for threat_type, figures in summary.get("by_threat_type", {}).items():
        leaked, _ = _cells(figures["leaked"], "{:.2f}")
        killed, _ = _cells(figures["killed"], "{:.2f}")
        table.add_row(f"{threat_type} ×{figures['count']}", f"killed {killed}", f"leaked {leaked}")
    if summary.get("run_id"):
        table.caption = f"run {summary['run_id']}"
    return table
