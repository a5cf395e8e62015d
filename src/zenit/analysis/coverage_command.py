"""`zenit coverage SCENARIO`: every coverage view as PNG, then a summary table or JSON object."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from zenit.analysis.coverage import (DEFAULT_SWERLING, LIKELY_PD, CoverageMap, FirstDetection,
                                     coverage_map, first_detection_ranges, free_space_range_m,
                                     radar_sites, threat_axis_azimuth_rad, vertical_diagram)
from zenit.analysis.coverage_plots import plot_coverage_map, plot_vertical_diagram
from zenit.analysis.options import quantity_option
from zenit.analysis.output import emit_summary, json_number
from zenit.analysis.plotting import file_stem
from zenit.errors import UnitError, UserError
from zenit.geo import horizon
from zenit.units import parse_quantity

DEFAULT_OUTPUT = Path("zenit-out") / "coverage"


def coverage_summary(scenario, world, rcs_m2: float, altitude_m: float,
                     first: FirstDetection, coverage: CoverageMap,
                     swerling: int = DEFAULT_SWERLING) -> dict:
    """The figures of the summary table and of `--json`, lengths in metres."""
    radars = []
    for site in radar_sites(scenario, world):
        ranges = first.range_m[site.index]
        in_sector = ranges[np.isfinite(ranges)]
        radars.append({
            "name": site.name,
            "type": site.type,
            "east_m": site.east_m,
            "north_m": site.north_m,
            "antenna_height_m": site.antenna_height_m,
            "horizon_range_m": float(horizon.horizon_range(site.ground_m + site.antenna_height_m,
                                                           altitude_m)),
            "free_space_range_m": free_space_range_m(world, site.index, rcs_m2, swerling),
            "instrumented_range_m": float(world.radars.instrumented_range_m[site.index]),
            "first_detection_range_m": {
                "median": json_number(np.median(in_sector)) if in_sector.size else None,
                "min": json_number(np.min(in_sector)) if in_sector.size else None,
                "max": json_number(np.max(in_sector)) if in_sector.size else None,
                "azimuths": int(in_sector.size),
                "by_azimuth": [json_number(value) for value in ranges],
            },
        })
    return {
        "scenario": scenario.name,
        "rcs_m2": rcs_m2,
        "altitude_m": altitude_m,
        "altitude_reference": "above ground",
        "swerling": swerling,
        "likely_pd": LIKELY_PD,
        "azimuth_bin_deg": 360.0 / first.azimuth_rad.size,
        "radars": radars,
        "map": {
            "cells": int(coverage.combined_pd.size),
            "cell_m": float(coverage.east_m[1] - coverage.east_m[0]),
            "likely_fraction": float(np.mean(coverage.combined_pd >= LIKELY_PD)),
            "shadowed_fraction": float(np.mean(coverage.shadowed)),
            "beyond_horizon_fraction": float(np.mean(coverage.beyond_horizon)),
        },
    }


def coverage_command(scenario_path: str, rcs: str, altitude: str, out: str | None,
                     as_json: bool, azimuth: str | None = None,
                     console: Console | None = None) -> int:
    """`zenit coverage`: PNGs of every view, then a summary table or one JSON object; exit 0."""
    from zenit.engine.compile import compile_world
    from zenit.scenario import load_scenario

    rcs_m2 = quantity_option("--rcs", rcs, "area", "'1 m2' or '-10 dBsm'", allow_zero=False,
                             below="must be positive")
    altitude_m = quantity_option("--altitude", altitude, "length", "'15 m' or '10 km'",
                                 below="is below the ground")
    azimuth_rad = None if azimuth is None else _angle(azimuth)
    scenario = load_scenario(scenario_path)
    world = compile_world(scenario)
    if world.radars.count == 0:
        raise UserError(f"{scenario_path}: the scenario has no radars to draw coverage for "
                        f"(fix: add a battalion or regiment with radars under `defence`)")
    sites = radar_sites(scenario, world)
    coverage = coverage_map(scenario, world, rcs_m2, altitude_m)
    first = first_detection_ranges(scenario, world, rcs_m2, altitude_m)
    map_path, vertical_path = _output_paths(out)
    files = [plot_coverage_map(coverage, sites, world, scenario.ground, rcs_m2, altitude_m,
                               DEFAULT_SWERLING, map_path)]
    for site in sites:
        direction = azimuth_rad if azimuth_rad is not None else threat_axis_azimuth_rad(
            scenario, world, site)
        diagram = vertical_diagram(scenario, world, site, rcs_m2, direction)
        files.append(plot_vertical_diagram(diagram, rcs_m2, DEFAULT_SWERLING,
                                           vertical_path(site.name)))
    summary = coverage_summary(scenario, world, rcs_m2, altitude_m, first, coverage)
    summary["files"] = [str(path) for path in files]
    return emit_summary(summary, as_json, _print_summary, console)


def _print_summary(summary: dict, console: Console) -> None:
    table = Table(title=f"{summary['scenario']}: {summary['rcs_m2']:g} m² at "
                        f"{summary['altitude_m']:g} m above ground, single-look Pd >= "
                        f"{summary['likely_pd']:g}")
    table.add_column("radar", no_wrap=True)
    for heading in ("antenna m", "horizon km", "free space km",
                    "first detection km\nmedian / min / max"):
        table.add_column(heading, justify="right")
    for radar in summary["radars"]:
        first = radar["first_detection_range_m"]
        table.add_row(radar["name"], f"{radar['antenna_height_m']:.0f}",
                      _kilometres(radar["horizon_range_m"]),
                      _kilometres(radar["free_space_range_m"]),
                      " / ".join(_kilometres(first[key]) for key in ("median", "min", "max")))
    console.print(table)
    shares = summary["map"]
    console.print(f"terrain shadow: {100.0 * shares['shadowed_fraction']:.1f} % of the map; "
                  f"beyond the horizon: {100.0 * shares['beyond_horizon_fraction']:.1f} %")
    for path in summary["files"]:
        console.print(f"wrote {path}")


def _output_paths(out: str | None):
    """The map's path and a function giving each radar's vertical-diagram path.

    `out` is a folder, or a .png file for the map with the diagrams written beside it.
    """
    target = Path(out) if out else DEFAULT_OUTPUT
    if target.suffix.lower() == ".png":
        folder, stem = target.parent, target.stem
        return target, lambda name: folder / f"{stem}-vertical-{file_stem(name)}.png"
    return target / "coverage-map.png", lambda name: target / f"vertical-{file_stem(name)}.png"


def _angle(text: str) -> float:
    try:
        return float(parse_quantity(text, "angle")) % (2.0 * math.pi)
    except UnitError as error:
        raise UserError(f"--azimuth {text!r}: {error} "
                        f"(fix: give a bearing clockwise from north such as '270 deg')") from None


def _kilometres(value_m) -> str:
    return "-" if value_m is None else f"{value_m / 1000.0:.1f}"
