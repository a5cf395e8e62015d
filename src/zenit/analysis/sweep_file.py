"""The sweep file: its fields, its grid's axes and plots, every problem placed where it was written.

A sweep file names a scenario, the replications and seed, and the grid:

    scenario: ../scenarios/regiment-vs-raid.yaml   # relative to the sweep file
    replications: 200
    seed: 1
    parameters:
      raid_scale: [0.25, 0.5, 1.0, 1.5, 2.0]
      rcs_scale: [1.0]
    plots: [saturation]

`read_sweep` checks it whole: the fields, the scenario it names (which must load), every
`set` path against that scenario, the loadouts and the plots.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from zenit.analysis.set_paths import set_path_problem
from zenit.errors import Problem, UserError, did_you_mean
from zenit.scenario import Scenario, load_text
from zenit.scenario.loader import Document, FieldPath, read_document
from zenit.scenario.schema import MAX_SALVO, POLICIES

PARAMETERS = ("raid_scale", "rcs_scale", "jammer_erp_scale", "salvo", "policy", "loadout", "set")
FIGURES = ("leaked", "killed", "p_asset_hit", "missiles_fired", "first_detection_s",
           "first_launch_s")
SATURATION_PLOT = "saturation"

Positive = Annotated[float, Field(gt=0)]

class SweepError(UserError):
    """Every problem of a sweep file (or of a grid point's scenario), each with its place."""

    def __init__(self, problems: list[Problem], heading: str | None = None):
        self.problems = list(problems)
        count = len(self.problems)
        head = heading or f"{count} problem{'s' if count != 1 else ''} found"
        super().__init__("\n".join([head] + ["  " + problem.render() for problem in problems]))


# -- the file -----------------------------------------------------------------------------


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
    salvo: list[Annotated[int, Field(ge=1, le=MAX_SALVO)]] | None = Field(
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
        problems.append(document.problem_at(
            ("parameters",), "the grid is empty",
            "give at least one parameter with values, e.g. raid_scale: [0.5, 1.0] "
            "(parameters: " + ", ".join(PARAMETERS) + ")", key=True))
    for name in axes:
        if name in PARAMETERS:
            continue
        problem = set_path_problem(scenario_document, name, document)
        if problem is not None:
            problems.append(problem)
    if "jammer_erp_scale" in axes and not scenario.jammers:
        problems.append(document.problem_at(
            ("parameters", "jammer_erp_scale"), f"scenario {spec.scenario} has no jammers to scale",
            "remove jammer_erp_scale or add a jammer to the scenario", key=True))
    for index, value in enumerate(axes.get("loadout", [])):
        if isinstance(value, str) and value not in spec.loadouts:
            hint = did_you_mean(value, spec.loadouts) or (
                "define it under loadouts: {" + value + ": [48N6E2, 48N6E2, 48N6E2, 9M96E2]}")
            problems.append(document.problem_at(("parameters", "loadout", index),
                                                f"unknown loadout {value!r}", hint))
    plots = spec.plots if spec.plots is not None else default_plots(axes)
    known = plot_names(axes)
    for index, name in enumerate(spec.plots or []):
        if name not in known:
            problems.append(document.problem_at(("plots", index), f"unknown plot {name!r}",
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
        raise SweepError([document.problem_at(
            ("scenario",), f"no such scenario file {written!r} (looked for {scenario_path})",
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
        return document.problem_at(path, f"unknown {what} {field_name!r}", hint, key=True)
    if kind == "missing":
        return document.problem_at(path, f"'{field_name}' is missing",
                                   f"add '{field_name}:' (the scenario file, relative to the "
                                   "sweep file)")
    if kind == "too_short":
        return document.problem_at(path, f"'{field_name}' has no values",
                                   "give at least one value, e.g. [1.0]")
    if kind == "literal_error":
        choices = list(POLICIES)
        return document.problem_at(path, f"{error['input']!r} is not a valid {field_name}",
                                   did_you_mean(str(error["input"]), choices)
                                   or "choose one of: " + ", ".join(choices))
    return document.problem_at(path, f"{error['msg']} (given {error.get('input')!r})", None)
