"""One grid point of a sweep applied to its scenario: the changed document, loaded and checked.

Each point changes the scenario's YAML document (not the resolved scenario), dumps it and
loads it again with `load_text`, so every point passes the same checks as a hand-written
file.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import replace
from typing import Any

import yaml

from zenit.analysis.set_paths import assign
from zenit.analysis.sweep_file import PARAMETERS, Sweep, SweepError
from zenit.catalog import load_catalog
from zenit.errors import CatalogError, UserError
from zenit.scenario import Regiment, Scenario, load_text
from zenit.units import parse_quantity


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
    return ", ".join(f"{name}={table_cell(value)}" for name, value in point.items())


def table_cell(value: Any) -> Any:
    """A parameter value as a table cell: lists and mappings as compact text."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "+".join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, sort_keys=True)
    return value
