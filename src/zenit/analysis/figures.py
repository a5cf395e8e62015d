"""Static figures of runs and sweeps, drawn on matplotlib's Agg canvas.

Each function returns a `matplotlib.figure.Figure` with its own Agg canvas rather than going
through pyplot: no display is needed, no global figure state is kept between calls, and
figures can be drawn from worker threads. `png_bytes` turns one into PNG bytes for a file or
for embedding in the HTML report.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

FIGURE_LABELS = {
    "leaked": "leakers per replication",
    "killed": "kills per replication",
    "p_asset_hit": "P(an asset is hit)",
    "missiles_fired": "missiles fired per replication",
    "first_detection_s": "first detection (s)",
    "first_launch_s": "first launch (s)",
}
EVENT_STYLES = {  # event -> (marker, colour, legend label)
    "detection": ("o", "#4c72b0", "detection"),
    "launch": ("^", None, "launch, by battalion"),
    "kill": ("X", "#2ca02c", "intercept"),
    "miss": ("x", "#ff7f0e", "miss"),
    "spent": ("x", "#8c564b", "spent"),
    "aborted": ("x", "#7f7f7f", "aborted"),
    "leak": ("s", "#d62728", "leak"),
}
TIMELINE_ROWS_MAX = 120  # threats shown in one timeline before it stops being readable


def new_figure(width: float = 7.5, height: float = 4.0) -> Figure:
    """A figure on its own Agg canvas."""
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _interval(figure: dict) -> tuple[float, float, float]:
    """(mean, low, high) of a summary figure, NaN where it could not be estimated."""
    low, high = figure.get("ci95") or (None, None)
    return tuple(math.nan if value is None else float(value)
                 for value in (figure.get("mean"), low, high))


def _error_bars(means, lows, highs) -> np.ndarray:
    means, lows, highs = (np.asarray(values, dtype=float) for values in (means, lows, highs))
    lows = np.where(np.isnan(lows), means, lows)
    highs = np.where(np.isnan(highs), means, highs)
    return np.vstack([np.maximum(means - lows, 0), np.maximum(highs - means, 0)])


def _empty_note(axes, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes, color="#555555")
    axes.set_xticks([])
    axes.set_yticks([])


# -- one run -----------------------------------------------------------------------------------


def leakers_figure(outcomes: pd.DataFrame, replications, summary: dict) -> Figure:
    """How many threats leaked in each replication: a histogram, with the mean and its CI."""
    index = pd.Index(np.asarray(list(replications), dtype=np.int64), name="replication")
    leaked = outcomes.loc[outcomes["fate"] == "leaked"].groupby("replication").size()
    counts = leaked.reindex(index, fill_value=0).to_numpy()
    figure = new_figure()
    axes = figure.add_subplot()
    if counts.size == 0:
        _empty_note(axes, "no replications")
        return figure
    edges = np.arange(-0.5, counts.max() + 1.5, 1.0)
    axes.hist(counts, bins=edges, color="#d62728", alpha=0.75, edgecolor="white")
    mean, low, high = _interval(summary["leaked"])
    if not math.isnan(mean):
        axes.axvline(mean, color="black", linewidth=1.2, label=f"mean {mean:.2f}")
    if not (math.isnan(low) or math.isnan(high)):
        axes.axvspan(low, high, color="black", alpha=0.12, label=f"95% CI [{low:.2f}, {high:.2f}]")
    axes.set_xlabel("threats leaked in a replication")
    axes.set_ylabel("replications")
    axes.set_title(f"Leakers per replication ({counts.size} replications)")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(loc="best")
    return figure


def missiles_by_type_figure(summary: dict) -> Figure:
    """Missiles fired per replication, by missile type, with 95% CIs."""
    by_type = summary["missiles_fired"].get("by_type", {})
    figure = new_figure()
    axes = figure.add_subplot()
    if not by_type:
        _empty_note(axes, "no missile types")
        return figure
    names = list(by_type)
    means, lows, highs = zip(*(_interval(by_type[name]) for name in names))
    positions = np.arange(len(names))
    axes.bar(positions, np.nan_to_num(means), yerr=_error_bars(means, lows, highs), capsize=4,
             color="#4c72b0")
    axes.set_xticks(positions, names)
    axes.set_ylabel("missiles fired per replication")
    total, low, high = _interval(summary["missiles_fired"])
    axes.set_title(f"Missiles fired by type (all types: {total:.2f} per replication)")
    return figure


def threat_types_figure(summary: dict) -> Figure:
    """Kills and leaks per replication for each threat type, with 95% CIs."""
    by_type = summary.get("by_threat_type", {})
    figure = new_figure(height=max(3.0, 0.55 * len(by_type) + 1.5))
    axes = figure.add_subplot()
    if not by_type:
        _empty_note(axes, "no threats")
        return figure
    names = list(by_type)
    positions = np.arange(len(names))
    height = 0.38
    for offset, fate, colour in ((-height / 2, "killed", "#2ca02c"),
                                 (height / 2, "leaked", "#d62728")):
        means, lows, highs = zip(*(_interval(by_type[name][fate]) for name in names))
        axes.barh(positions + offset, np.nan_to_num(means), height=height,
                  xerr=_error_bars(means, lows, highs), capsize=3, color=colour, label=fate)
    axes.set_yticks(positions, [f"{name} ({by_type[name]['count']})" for name in names])
    axes.invert_yaxis()
    axes.set_xlabel("threats per replication")
    axes.set_title("Kills and leaks by threat type (threats of the type in brackets)")
    axes.legend(loc="lower right")
    return figure


def battalion_of(detail: str) -> str | None:
    """The battalion in an event's detail ("48N6E2 from 1st battalion"), if it names one."""
    _, found, battalion = str(detail).rpartition(" from ")
    return battalion if found else None


def timeline_figure(events: pd.DataFrame, outcomes: pd.DataFrame, replication: int | None
                    ) -> Figure:
    """One replication's engagement: a row per threat with its detections, launches (coloured
    by battalion), intercepts, misses and leak, over simulated time."""
    chosen = (events.loc[events["replication"] == replication] if replication is not None
              else events.iloc[:0])
    threats = chosen.groupby("threat")["time_s"].min().sort_values()
    shown = threats.index[:TIMELINE_ROWS_MAX]
    figure = new_figure(width=9.0, height=min(22.0, max(3.0, 0.2 * len(shown) + 1.8)))
    axes = figure.add_subplot()
    if chosen.empty:
        _empty_note(axes, "no recorded replication with events")
        return figure
    names = _threat_names(outcomes, replication)
    row_of = {threat: row for row, threat in enumerate(shown)}
    chosen = chosen.loc[chosen["threat"].isin(row_of)]
    spans = chosen.groupby("threat")["time_s"].agg(["min", "max"])
    for threat, span in spans.iterrows():
        axes.hlines(row_of[threat], span["min"], span["max"], color="#cccccc", linewidth=1.0,
                    zorder=1)
    battalions = sorted({name for name in map(battalion_of, chosen.loc[
        chosen["event"] == "launch", "detail"]) if name})
    palette = _battalion_colours(battalions)
    for event, (marker, colour, label) in EVENT_STYLES.items():
        rows = chosen.loc[chosen["event"] == event]
        if event == "launch":
            by_battalion = rows.groupby(rows["detail"].map(battalion_of).fillna("unknown"))
            for battalion, launches in by_battalion:
                axes.scatter(launches["time_s"], launches["threat"].map(row_of), marker=marker,
                             c=palette.get(battalion, "#555555"), s=36, zorder=3,
                             label=f"launch, {battalion}")
        elif not rows.empty:
            axes.scatter(rows["time_s"], rows["threat"].map(row_of), marker=marker, c=colour,
                         s=36, label=label, zorder=3, linewidths=1.2)
    axes.set_yticks(range(len(shown)), [names.get(threat, f"threat {threat}") for threat in shown],
                    fontsize=7 if len(shown) > 30 else 9)
    axes.invert_yaxis()
    axes.set_xlabel("simulated time (s)")
    more = f", first {len(shown)} of {len(threats)} threats" if len(threats) > len(shown) else ""
    axes.set_title(f"Engagement timeline, replication {replication}{more}")
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    axes.grid(axis="x", alpha=0.3)
    return figure


def _threat_names(outcomes: pd.DataFrame, replication: int) -> dict[int, str]:
    rows = outcomes.loc[outcomes["replication"] == replication, ["threat", "threat_name"]]
    return dict(zip(rows["threat"].astype(int), rows["threat_name"].astype(str)))


def _battalion_colours(battalions: list[str]) -> dict[str, str]:
    colours = ["#1f77b4", "#9467bd", "#17becf", "#e377c2", "#bcbd22", "#8c564b", "#ff7f0e"]
    return {name: colours[index % len(colours)] for index, name in enumerate(battalions)}


# -- sweeps ------------------------------------------------------------------------------------


def sweep_figure(table: pd.DataFrame, plot: str, parameters: list[str]) -> Figure:
    """One of a sweep's plots: "saturation", or "<figure>_vs_<parameter>"."""
    if plot == "saturation":
        return saturation_figure(table, parameters)
    figure_name, _, axis = plot.partition("_vs_")
    return parameter_figure(table, figure_name, axis, parameters)


def _series(table: pd.DataFrame, axis: str, parameters: list[str]):
    """(label, rows) for each combination of the other parameters that vary in the table."""
    others = [name for name in parameters if name != axis and name in table
              and table[name].astype(str).nunique() > 1]
    if not others:
        yield "", table
        return
    for values, rows in table.groupby(others, sort=False):
        values = values if isinstance(values, tuple) else (values,)
        yield ", ".join(f"{name}={value}" for name, value in zip(others, values)), rows


def _band(axes, x, rows: pd.DataFrame, figure_name: str, label: str) -> None:
    means = rows[f"{figure_name}_mean"].to_numpy(float)
    lows = rows[f"{figure_name}_ci95_low"].to_numpy(float)
    highs = rows[f"{figure_name}_ci95_high"].to_numpy(float)
    line = axes.plot(x, means, marker="o", label=label or None)[0]
    axes.fill_between(x, np.where(np.isnan(lows), means, lows),
                      np.where(np.isnan(highs), means, highs), color=line.get_color(),
                      alpha=0.2, linewidth=0)


def saturation_figure(table: pd.DataFrame, parameters: list[str]) -> Figure:
    """Leakers and P(asset hit) against the actual number of threats, with 95% CI bands."""
    figure = new_figure(width=10.0, height=4.2)
    panels = figure.subplots(1, 2)
    for axes, figure_name in zip(panels, ("leaked", "p_asset_hit")):
        for label, rows in _series(table, "raid_scale", parameters):
            rows = rows.sort_values("threats_total")
            _band(axes, rows["threats_total"].to_numpy(float), rows, figure_name, label)
        axes.set_xlabel("threats in the raid")
        axes.set_ylabel(FIGURE_LABELS[figure_name])
        axes.grid(alpha=0.3)
        if axes.get_legend_handles_labels()[0]:
            axes.legend(fontsize=8)
    panels[1].set_ylim(-0.02, 1.02)
    figure.suptitle("Saturation: leakers and P(asset hit) as the raid grows (95% CI bands)")
    return figure


def parameter_figure(table: pd.DataFrame, figure_name: str, axis: str,
                     parameters: list[str]) -> Figure:
    """One summary figure against one swept parameter (the threat count for raid_scale)."""
    figure = new_figure()
    axes = figure.add_subplot()
    x_column = "threats_total" if axis == "raid_scale" else axis
    numeric = pd.api.types.is_numeric_dtype(table[x_column])
    categories = list(dict.fromkeys(table[x_column].astype(str)))
    for label, rows in _series(table, axis, parameters):
        if numeric:
            rows = rows.sort_values(x_column)
            _band(axes, rows[x_column].to_numpy(float), rows, figure_name, label)
        else:
            positions = [categories.index(str(value)) for value in rows[x_column]]
            means = rows[f"{figure_name}_mean"].to_numpy(float)
            axes.errorbar(positions, means, yerr=_error_bars(
                means, rows[f"{figure_name}_ci95_low"], rows[f"{figure_name}_ci95_high"]),
                marker="o", capsize=4, linestyle="none", label=label or None)
    if not numeric:
        axes.set_xticks(range(len(categories)), categories, rotation=20, ha="right")
    axes.set_xlabel("threats in the raid" if axis == "raid_scale" else axis)
    axes.set_ylabel(FIGURE_LABELS.get(figure_name, figure_name))
    axes.set_title(f"{FIGURE_LABELS.get(figure_name, figure_name)} against {axis} (95% CI)")
    axes.grid(alpha=0.3)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(fontsize=8)
    return figure
