"""Parameter sweeps: one scenario run over a grid of changes, one result row per grid point.

A sweep file names a scenario, the replications and seed, and the grid:

    scenario: ../scenarios/regiment-vs-raid.yaml   # relative to the sweep file
    replications: 200
    seed: 1
    parameters:
      raid_scale: [0.25, 0.5, 1.0, 1.5, 2.0]
      rcs_scale: [1.0]
    plots: [saturation]

Each point changes the scenario's YAML document (not the resolved scenario), dumps it and
loads it again with `load_text`, so every point passes the same checks as a hand-written
file. Every point runs under the same seed: common random numbers make the differences
between points sharper than independent seeds would. Each point is a run in the results
store; the result table (CSV and Parquet) and the plots go to the output directory.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any, Callable, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from zenit.catalog import load_catalog
from zenit.errors import CatalogError, Problem, UserError, did_you_mean
from zenit.scenario import Regiment, Scenario, load_text
from zenit.scenario.loader import Document, FieldPath, read_document, render_path
from zenit.store import DEFAULT_STORE_PATH, ResultsStore, write_bytes_atomic
from zenit.units import parse_quantity

PARAMETERS = ("raid_scale", "rcs_scale", "jammer_erp_scale", "salvo", "policy", "loadout", "set")
FIGURES = ("leaked", "killed", "p_asset_hit", "missiles_fired", "first_detection_s",
           "first_launch_s")
SATURATION_PLOT = "saturation"
POLICIES = ("shoot-look-shoot", "shoot-shoot-look", "salvo")  # the scenario's doctrine.policy
SET_PATH = re.compile(r"([^.\[\]]+)|\[(\d+)\]")

Positive = Annotated[float, Field(gt=0)]


class SweepError(UserError):
    """Every problem of a sweep file (or of a grid point's scenario), each with its place."""

    def __init__(self, problems: list[Problem], heading: str | None = None):
        self.problems = list(problems)
        count = len(self.problems)
        head = heading or f"{count} problem{'s' if count != 1 else ''} found"
        super().__init__("\n".join([head] + ["  " + problem.render() for problem in problems]))


# -- the sweep file -----------------------------------------------------------------------------


class _Strict(BaseModel):
    """Unknown keys are refused, so a misspelt parameter cannot be silently ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class GridSpec(_Strict):
    """The swept parameters; every combination of their values is one grid point."""

    raid_scale: list[Positive] | None = Field(
        None, min_length=1, description="Multiplies every threat group's count (rounded, >= 1).")
    rcs_scale: list[Positive] | None = Field(
        None, min_length=1, description="Multiplies every threat group's RCS.")
    jammer_erp_scale: list[Positive] | None = Field(
        None, min_length=1, description="Multiplies every jammer's effective radiated power.")
    salvo: list[Annotated[int, Field(ge=1, le=8)]] | None = Field(
        None, min_length=1, description="Missiles per engagement.")
    policy: list[Literal[POLICIES]] | None = Field(
        None, min_length=1, description="Fire doctrine.")
    loadout: list[str | list[str]] | None = Field(
        None, min_length=1, description="A loadout name from `loadouts`, or a list of missile "
                                        "names, put in every launcher.")
    assignments: dict[str, list[Any]] | None = Field(
        None, alias="set", description="Dotted paths into the scenario document and their values.")


class SweepSpec(_Strict):
    """A sweep file as written."""

    scenario: str = Field(description="The scenario file, relative to the sweep file.")
    replications: int | None = Field(None, ge=1, description="Per point; left out, the scenario's.")
    seed: int | None = Field(None, ge=0, description="The same for every point; left out, the "
                                                     "scenario's.")
    parameters: GridSpec | None = Field(None, description="The grid.")
    loadouts: dict[str, list[str]] = Field({}, description="Named loadouts for `loadout`.")
    raid_growth: Literal["denser", "wider"] = Field(
        "denser", description="How raid_scale grows a group: 'denser' keeps its frontage and "
                              "launch window (members closer together), 'wider' keeps the "
                              "spacing (the group spreads wider and lasts longer).")
    plots: list[str] | None = Field(None, description="Plots to draw; left out, one per axis.")


@dataclass
class Sweep:
    """A checked sweep: the scenario as loaded, and the grid's axes in file order."""

    path: Path
    scenario_path: Path
    scenario: Scenario
    document: dict  # the scenario file as plain YAML data
    replications: int | None
    seed: int | None
    axes: dict[str, list]  # parameter (or set path) -> values
    loadouts: dict[str, list[str]]
    plots: list[str]
    raid_growth: str = "denser"

    def points(self) -> list[dict]:
        """Every combination of the axes' values, the last axis varying fastest."""
        names = list(self.axes)
        return [dict(zip(names, values)) for values in itertools.product(*self.axes.values())]


def read_sweep(path: str | Path) -> Sweep:
    """The sweep file at `path`, checked; a SweepError lists every problem with its place."""
    file = str(path)
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SweepError([Problem("no such sweep file", file=file,
                                  hint="check the path; bundled sweeps are in sweeps/")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SweepError([Problem(f"cannot read the sweep file: {error}", file=file)]) from None
    document = read_document(text, file)
    if document.problems:
        raise SweepError(document.problems)
    if not isinstance(document.data, dict):
        raise SweepError([Problem("a sweep file is a mapping (scenario, replications, seed, "
                                  "parameters)", file=file, line=1, column=1,
                                  hint="start from sweeps/saturation.yaml")])
    try:
        spec = SweepSpec.model_validate(document.data)
    except ValidationError as error:
        problems = [_problem(item, document) for item in error.errors()]
        raise SweepError(sorted(problems, key=lambda problem: (problem.line or 0,
                                                               problem.column or 0))) from None
    return _checked(spec, path, document)


def _checked(spec: SweepSpec, path: Path, document: Document) -> Sweep:
    """Checks that need the scenario: it loads, set paths exist, loadouts and plots are known."""
    scenario_path = (path.parent / spec.scenario).resolve()
    scenario = _base_scenario(scenario_path, spec.scenario, document)
    scenario_document = yaml.safe_load(scenario.source_text)
    axes = _axes(spec)
    problems = []
    if not axes:
        problems.append(_at(document, ("parameters",), "the grid is empty",
                            "give at least one parameter with values, e.g. raid_scale: [0.5, 1.0] "
                            "(parameters: " + ", ".join(PARAMETERS) + ")", key=True))
    for name in axes:
        if name in PARAMETERS:
            continue
        problem = _set_path_problem(scenario_document, name, document)
        if problem is not None:
            problems.append(problem)
    if "jammer_erp_scale" in axes and not scenario.jammers:
        problems.append(_at(document, ("parameters", "jammer_erp_scale"),
                            f"scenario {spec.scenario} has no jammers to scale",
                            "remove jammer_erp_scale or add a jammer to the scenario", key=True))
    for index, value in enumerate(axes.get("loadout", [])):
        if isinstance(value, str) and value not in spec.loadouts:
            hint = did_you_mean(value, spec.loadouts) or (
                "define it under loadouts: {" + value + ": [48N6E2, 48N6E2, 48N6E2, 9M96E2]}")
            problems.append(_at(document, ("parameters", "loadout", index),
                                f"unknown loadout {value!r}", hint))
    plots = spec.plots if spec.plots is not None else default_plots(axes)
    known = plot_names(axes)
    for index, name in enumerate(spec.plots or []):
        if name not in known:
            problems.append(_at(document, ("plots", index), f"unknown plot {name!r}",
                                did_you_mean(name, known) or _plots_hint(axes)))
    if problems:
        raise SweepError(sorted(problems, key=lambda problem: (problem.line or 0,
                                                               problem.column or 0)))
    return Sweep(path=path, scenario_path=scenario_path, scenario=scenario,
                 document=scenario_document, replications=spec.replications, seed=spec.seed,
                 axes=axes, loadouts=dict(spec.loadouts), plots=list(plots),
                 raid_growth=spec.raid_growth)


def _base_scenario(scenario_path: Path, written: str, document: Document) -> Scenario:
    if not scenario_path.is_file():
        raise SweepError([_at(document, ("scenario",), f"no such scenario file {written!r} "
                              f"(looked for {scenario_path})",
                              f"the path is relative to the sweep file's folder "
                              f"({Path(document.file).parent.resolve()})")])
    scenario, problems = load_text(scenario_path.read_text(encoding="utf-8"), str(scenario_path))
    if problems:
        heading = f"{document.file}: the sweep's scenario {written!r} does not load"
        raise SweepError(problems, heading=heading)
    return scenario


def _axes(spec: SweepSpec) -> dict[str, list]:
    """Parameter -> values in file order; each `set` path is an axis of its own."""
    if spec.parameters is None:
        return {}
    written = spec.parameters.model_dump(by_alias=True, exclude_none=True)
    axes: dict[str, list] = {}
    for name in PARAMETERS:
        if name == "set":
            axes.update({set_path: list(values)
                         for set_path, values in written.get("set", {}).items()})
        elif name in written:
            axes[name] = list(written[name])
    return axes


def plot_names(axes: dict[str, list]) -> list[str]:
    """Every plot a grid can draw: the saturation curve, and each figure against each axis."""
    names = [SATURATION_PLOT] if "raid_scale" in axes else []
    return names + [f"{figure}_vs_{axis}" for axis in axes for figure in FIGURES]


def default_plots(axes: dict[str, list]) -> list[str]:
    """The saturation curve when the raid grows, and leakers against every other varied axis."""
    plots = [SATURATION_PLOT] if len(axes.get("raid_scale", [])) > 1 else []
    return plots + [f"leaked_vs_{axis}" for axis, values in axes.items()
                    if axis != "raid_scale" and len(values) > 1]


def _plots_hint(axes: dict[str, list]) -> str:
    saturation = f"'{SATURATION_PLOT}' (needs raid_scale) or " if "raid_scale" not in axes else \
        f"'{SATURATION_PLOT}' or "
    return (saturation + "'<figure>_vs_<parameter>' with a figure among " + ", ".join(FIGURES)
            + " and a swept parameter among " + ", ".join(axes))


def _problem(error: dict, document: Document) -> Problem:
    """One pydantic error as a Problem at the place it was written."""
    path: FieldPath = tuple(part for part in error["loc"] if isinstance(part, (str, int))
                            and part not in ("str", "list[str]"))
    field_name = next((part for part in reversed(path) if isinstance(part, str)), "")
    kind = error["type"]
    if kind == "extra_forbidden":
        parent = path[:-1]
        model = GridSpec if parent == ("parameters",) else SweepSpec
        names = list(PARAMETERS) if model is GridSpec else list(SweepSpec.model_fields)
        what = "parameter" if model is GridSpec else "field"
        hint = did_you_mean(str(field_name), names) or f"valid {what}s: " + ", ".join(names)
        return _at(document, path, f"unknown {what} {field_name!r}", hint, key=True)
    if kind == "missing":
        return _at(document, path, f"'{field_name}' is missing",
                   f"add '{field_name}:' (the scenario file, relative to the sweep file)")
    if kind == "too_short":
        return _at(document, path, f"'{field_name}' has no values",
                   "give at least one value, e.g. [1.0]")
    if kind == "literal_error":
        choices = list(POLICIES)
        return _at(document, path, f"{error['input']!r} is not a valid {field_name}",
                   did_you_mean(str(error["input"]), choices) or "choose one of: "
                   + ", ".join(choices))
    return _at(document, path, f"{error['msg']} (given {error.get('input')!r})", None)


def _at(document: Document, path: FieldPath, message: str, hint: str | None,
        key: bool = False) -> Problem:
    line, column = document.marks.of(path, key=key)
    return Problem(message, file=document.file, line=line, column=column,
                   path=render_path(path) or None, hint=hint)


# -- dotted paths into the scenario document --------------------------------------------------


def parse_set_path(text: str) -> list[str | int]:
    """"threats[0].count" -> ["threats", 0, "count"]; a ValueError when it cannot be read."""
    parts: list[str | int] = []
    position = 0
    for match in SET_PATH.finditer(text):
        between = text[position:match.start()]
        if between not in ("", ".") or (between == "." and not parts):
            raise ValueError(f"cannot read {text!r} near {between!r}")
        name, index = match.groups()
        parts.append(int(index) if index is not None else name.strip())
        position = match.end()
    if not parts or position != len(text) or isinstance(parts[0], int):
        raise ValueError(f"cannot read {text!r}")
    return parts


def _set_path_problem(scenario_document: dict, set_path: str, document: Document) -> Problem | None:
    place = ("parameters", "set", set_path)
    try:
        parts = parse_set_path(set_path)
    except ValueError as error:
        return _at(document, place, str(error), 'write a dotted path such as "threats[0].count"',
                   key=True)
    node: Any = scenario_document
    for depth, part in enumerate(parts[:-1]):
        node = _child(node, part)
        if node is None:
            written = render_path(tuple(parts[:depth + 1]))
            return _at(document, place, f"the scenario has no {written!r}",
                       _path_hint(_parent(scenario_document, parts[:depth]), part), key=True)
    last = parts[-1]
    if isinstance(last, int) and not (isinstance(node, list) and last < len(node)):
        return _at(document, place, f"the scenario has no {set_path!r}",
                   _path_hint(node, last), key=True)
    if isinstance(last, str) and not isinstance(node, dict):
        return _at(document, place, f"{render_path(tuple(parts[:-1]))!r} is not a mapping",
                   "end the path at a mapping's key", key=True)
    return None


def _child(node: Any, part: str | int) -> Any:
    if isinstance(part, int):
        return node[part] if isinstance(node, list) and 0 <= part < len(node) else None
    return node.get(part) if isinstance(node, dict) else None


def _parent(document: dict, parts: list) -> Any:
    node: Any = document
    for part in parts:
        node = _child(node, part)
    return node


def _path_hint(node: Any, part: str | int) -> str:
    if isinstance(node, list):
        return f"indices run from 0 to {len(node) - 1}" if node else "that list is empty"
    if isinstance(node, dict):
        return did_you_mean(str(part), [str(key) for key in node]) or (
            "keys there: " + ", ".join(str(key) for key in node))
    return "check the path against the scenario file"


def assign(document: dict, set_path: str, value: Any) -> None:
    """Set the value at a dotted path of a plain YAML document, in place."""
    parts = parse_set_path(set_path)
    parent = _parent(document, parts[:-1])
    parent[parts[-1]] = copy.deepcopy(value)


# -- applying a grid point --------------------------------------------------------------------


def scaled_count(count: int, scale: float) -> int:
    """A group's count times the scale, rounded half up, and never below one threat."""
    return max(1, math.floor(count * scale + 0.5))


def _scale_raid(group: dict, scale: float, growth: str) -> None:
    """Scale a written threat group's count; when denser, shrink its spacing so its first and
    last members launch and fly where they did (wide groups at sharp turns stay flyable)."""
    count = int(group.get("count", 1))
    scaled = scaled_count(count, scale)
    group["count"] = scaled
    spacing = group.get("spacing")
    if growth != "denser" or not isinstance(spacing, dict) or count < 2 or scaled < 2:
        return
    ratio = (count - 1) / (scaled - 1)
    for key, kind in (("time", "time"), ("lateral", "length")):
        if key in spacing:
            spacing[key] = parse_quantity(spacing[key], kind) * ratio  # SI: seconds, metres


def point_document(sweep: Sweep, point: dict) -> dict:
    """The scenario document with one grid point applied: `set` paths first, then the rest."""
    document = copy.deepcopy(sweep.document)
    for name, value in point.items():
        if name not in PARAMETERS:
            assign(document, name, value)
    base = sweep.scenario
    if any(name in point for name in ("rcs_scale", "jammer_erp_scale")) and any(
            name not in PARAMETERS for name in point):
        base = _loaded(document, sweep, point)
    for group, written in zip(base.threats, document["threats"]):
        if "raid_scale" in point:
            _scale_raid(written, point["raid_scale"], sweep.raid_growth)
        if "rcs_scale" in point:
            overrides = dict(written.get("overrides") or {})
            overrides["rcs"] = float(group.entry.value("rcs")) * point["rcs_scale"]
            written["overrides"] = overrides
    if "jammer_erp_scale" in point:
        for jammer, written in zip(base.jammers, document["jammers"]):
            written["erp"] = jammer.erp_w * point["jammer_erp_scale"]
    doctrine = document.setdefault("doctrine", {})
    if "salvo" in point:
        doctrine["salvo"] = point["salvo"]
    if "policy" in point:
        doctrine["policy"] = point["policy"]
    if "loadout" in point:
        _apply_loadout(document, base, sweep.loadouts.get(point["loadout"], point["loadout"])
                       if isinstance(point["loadout"], str) else point["loadout"])
    return document


def _apply_loadout(document: dict, scenario: Scenario, loadout: list[str]) -> None:
    """Put `loadout` in every launcher of every battalion.

    Launchers left out (the catalogue make-up) are written out first, from the loaded
    scenario, so they get the loadout too; a regiment whose battalions are left out is
    written out whole. Spare rounds of missiles the new loadout no longer carries are dropped:
    there is no tube to reload them into.
    """
    written_out = yaml.safe_load(scenario.to_yaml())["defence"]
    carried = {_canonical(name) for name in loadout}
    models = {battalion.name: battalion for battalion in scenario.battalions()}
    for index, unit in enumerate(document["defence"]):
        resolved = scenario.defence[index]
        if isinstance(resolved, Regiment) and not unit.get("battalions"):
            unit.clear()
            unit.update(written_out[index])
        battalions = unit["battalions"] if isinstance(resolved, Regiment) else [unit]
        for battalion in battalions:
            if not battalion.get("launchers"):
                battalion["launchers"] = [
                    {"name": launcher.name, "type": launcher.type, "count": launcher.count}
                    for launcher in models[battalion["name"]].launchers]
            for launcher in battalion["launchers"]:
                launcher["loadout"] = list(loadout)
            if battalion.get("reloads"):
                battalion["reloads"] = {name: rounds
                                        for name, rounds in battalion["reloads"].items()
                                        if _canonical(name) in carried}


def _canonical(missile: str) -> str:
    """The catalogue's own name for a missile, so aliases and case compare equal."""
    try:
        return load_catalog().get(missile).name
    except CatalogError:
        return missile


def _loaded(document: dict, sweep: Sweep, point: dict) -> Scenario:
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    scenario, problems = load_text(text, str(sweep.scenario_path))
    if problems:
        # Lines and columns would point into the generated text, not the user's file.
        unplaced = [replace(problem, line=None, column=None) for problem in problems]
        raise SweepError(unplaced, heading=f"{sweep.path}: point {point_label(point)}: the "
                                           "changed scenario does not load")
    return scenario


def point_scenario(sweep: Sweep, point: dict) -> Scenario:
    """The scenario of one grid point, checked like any scenario file."""
    return _loaded(point_document(sweep, point), sweep, point)


def runnable_scenario(sweep: Sweep, point: dict) -> Scenario:
    """A point's scenario, also compiled for the engine, whose checks (flyable routes, ...)
    go beyond the scenario file's; a failure names the point."""
    from zenit.engine.compile import compile_world

    scenario = point_scenario(sweep, point)
    try:
        compile_world(scenario)
    except UserError as error:
        raise UserError(f"{sweep.path}: point {point_label(point)}: {error}") from error
    return scenario


def point_label(point: dict) -> str:
    """"raid_scale=0.5, policy=salvo": how a point is named in messages and plots."""
    return ", ".join(f"{name}={_cell(value)}" for name, value in point.items())


def _cell(value: Any) -> Any:
    """A parameter value as a table cell: lists and mappings as compact text."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "+".join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, sort_keys=True)
    return value


# -- running -----------------------------------------------------------------------------------


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


def run_sweep(sweep: Sweep, *, store: str | Path | ResultsStore | None = None,
              out: str | Path | None = None, executor: str = "inprocess",
              workers: int | None = None, scheduler: str | None = None,
              replications: int | None = None, progress: SweepProgress | None = None
              ) -> SweepOutcome:
    """Run every grid point, store each as a run, write the table and plots to `out`.

    Every point's scenario is built and checked before the first runs, so a bad point stops
    the sweep before any time is spent.
    """
    from zenit.api import run

    progress = progress or SweepProgress()
    results_store = store if isinstance(store, ResultsStore) else ResultsStore(
        DEFAULT_STORE_PATH if store is None else store)
    points = sweep.points()
    scenarios = [runnable_scenario(sweep, point) for point in points]
    count = replications or sweep.replications
    rows = []
    for index, (point, scenario) in enumerate(zip(points, scenarios)):
        progress.point_started(index, len(points), point, scenario)
        result = run(scenario, count, sweep.seed, executor=executor, workers=workers,
                     scheduler=scheduler, store=results_store, progress=progress.replications_done)
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
    row.update({name: _cell(value) for name, value in point.items()})
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


# -- the command -------------------------------------------------------------------------------


def sweep_command(sweep_path: str, scheduler: str | None = None, out: str | None = None,
                  executor: str = "inprocess", workers: int | None = None,
                  replications: int | None = None, store: str | None = None,
                  console=None) -> int:
    """`zenit sweep SWEEP`: run the grid with progress bars, print the table; exit 0 or 2."""
    from rich.console import Console
    from rich.markup import escape

    console = console or Console(highlight=False, soft_wrap=True)
    if scheduler is not None and executor == "inprocess":
        executor = "dask"
    try:
        sweep = read_sweep(sweep_path)
        outcome = _run_with_display(sweep, console, store=store, out=out, executor=executor,
                                    workers=workers, scheduler=scheduler,
                                    replications=replications)
    except UserError as error:
        console.print(f"[red]error:[/red] {escape(str(error))}")
        return 2
    console.print(_result_table(outcome.table, list(sweep.axes)))
    for name, path in outcome.files.items():
        console.print(f"{escape(name)}: {escape(str(path))}")
    return 0


def _run_with_display(sweep: Sweep, console, **options) -> SweepOutcome:
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

        return run_sweep(sweep, progress=SweepProgress(point_started, replications_done,
                                                       point_finished), **options)


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
