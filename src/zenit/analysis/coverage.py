"""Detection coverage of a scenario's radars against one target: where, and from how far.

Three views of the same single-look detection probability, each answering a planner's question:

- the horizontal map: which places a target at this height is seen over (and which ridges
  hide it), every radar alone and all combined, 1 - prod(1 - Pd);
- the vertical (range-height) diagram of one radar along one azimuth, whose lower edge is the
  4/3-Earth horizon (Skolnik, Introduction to Radar Systems, 3rd ed., sec. 8.2) or the terrain;
- the first-detection range by azimuth: how far out an inbound target is first likely seen.

A look at a target counts as the engine counts it (`zenit.engine.sensing`): inside the radar's
instrumented range, elevation coverage, altitude ceiling and azimuth sector, above the smooth
4/3-Earth horizon and clear of the terrain (`zenit.geo.visibility.line_of_sight`). Its Pd comes
from the calibrated loop gain and the exact detection curve of the radar's Pfa and pulses for
the target's Swerling case. Thermal noise only: clutter and jamming vary along a raid and are
the engine's business, so these figures are the radars' best case.

The target's altitude is above the ground under it (AGL): "a cruise missile at 15 m" follows
the terrain 15 m up. Over a smooth Earth that is the altitude above sea level. The vertical
diagram alone reads altitude above sea level, as range-height charts do.

First-detection range, precisely: along each azimuth from the radar, the ground range r of the
farthest point at which the single-look Pd is at least 0.5 and from which every point inward,
down to the radar's minimum range, is in line of sight. An inbound target first becomes likely
seen there and is not lost again to the horizon or terrain on its way in. It is 0 where no
such point exists, and undefined (NaN, null in JSON) outside a sector radar's sector.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.colors import ListedColormap
from rich.console import Console
from rich.table import Table

from zenit.analysis.plotting import file_stem, new_figure, save_png, shade_terrain
from zenit.engine.sensing import detection_curve
from zenit.analysis.options import quantity_option
from zenit.analysis.output import emit_summary
from zenit.errors import UnitError, UserError
from zenit.geo import horizon
from zenit.geo.frames import altitude as frame_altitude, cartesian_to_local, local_to_cartesian
from zenit.geo.visibility import line_of_sight
from zenit.sensors.detection import required_snr_db
from zenit.sensors.radar_equation import range_from_loop_gain_m, snr_from_loop_gain_db
from zenit.sensors.scan import in_azimuth_sector, in_elevation_coverage
from zenit.units import parse_quantity

LIKELY_PD = 0.5  # "detection becomes likely": the catalogue's calibration criterion too
DEFAULT_SWERLING = 1  # aircraft and cruise missiles: many scatterers, scan-to-scan (Skolnik)
MAP_CELLS = 241  # per side of the horizontal map
AZIMUTH_BINS = 360
RADIAL_STEP_M = 250.0
VERTICAL_RANGE_CELLS = 400
VERTICAL_ALTITUDE_CELLS = 300
VERTICAL_CEILING_M = 30_000.0  # top of the S-400's altitude band; higher radars are cut here
DEFAULT_AZIMUTH_DEG = 270.0  # toward the west when a scenario has no threats to face
DEFAULT_OUTPUT = Path("zenit-out") / "coverage"


@dataclass(frozen=True)
class RadarSite:
    """One radar of the compiled world, with the figures coverage needs about its site."""

    index: int  # row in World.radars
    name: str
    type: str
    position: np.ndarray  # (3,) frame position of the antenna phase centre
    east_m: float
    north_m: float
    ground_m: float  # terrain height under the radar, above sea level
    antenna_height_m: float  # phase centre above that ground


@dataclass(frozen=True)
class Looks:
    """Single-look figures of one radar at many target positions (all of one shape)."""

    pd: np.ndarray  # detection probability of a look that counts, 0 where it cannot
    free_space_pd: np.ndarray  # the same ignoring the horizon and terrain
    above_horizon: np.ndarray  # clear of the smooth 4/3 Earth
    visible: np.ndarray  # line of sight over the 4/3 Earth and terrain


@dataclass(frozen=True)
class CoverageMap:
    """The horizontal map: rows run north, columns east (cell centres in metres)."""

    east_m: np.ndarray  # (columns,)
    north_m: np.ndarray  # (rows,)
    ground_m: np.ndarray  # (rows, columns)
    pd: np.ndarray  # (radars, rows, columns)
    free_space_pd: np.ndarray  # (radars, rows, columns)
    above_horizon: np.ndarray  # (radars, rows, columns)
    combined_pd: np.ndarray  # (rows, columns): 1 - prod(1 - Pd) over radars

    @property
    def shadowed(self) -> np.ndarray:
        """Terrain shadow: some radar would see the cell (Pd >= 0.5 in free space, above its
        smooth horizon), yet no radar is likely to: a ridge is in the way."""
        clear = ((self.free_space_pd >= LIKELY_PD) & self.above_horizon).any(axis=0)
        return clear & (self.combined_pd < LIKELY_PD)

    @property
    def beyond_horizon(self) -> np.ndarray:
        """Cells in some radar's free-space reach but below every such radar's smooth horizon."""
        reachable = self.free_space_pd >= LIKELY_PD
        return reachable.any(axis=0) & ~(reachable & self.above_horizon).any(axis=0)


@dataclass(frozen=True)
class VerticalDiagram:
    """Pd of one radar over (ground range, altitude above sea level) along one azimuth."""

    radar: RadarSite
    azimuth_rad: float
    range_m: np.ndarray  # (ranges,)
    altitude_m: np.ndarray  # (altitudes,)
    pd: np.ndarray  # (altitudes, ranges); NaN under the terrain
    ground_m: np.ndarray  # (ranges,) terrain height along the azimuth


@dataclass(frozen=True)
class FirstDetection:
    """First-detection ground range per radar and azimuth (see the module's definition)."""

    azimuth_rad: np.ndarray  # (bins,) bin centres, clockwise from map north
    range_m: np.ndarray  # (radars, bins); NaN outside a radar's sector


def radar_sites(scenario, world) -> list[RadarSite]:
    """The world's radars with the ground under them and their antenna heights."""
    ground_by_name = {radar.name: radar.position.altitude_m for radar in scenario.radars()}
    sites = []
    for index, name in enumerate(world.radars.names):
        position = np.asarray(world.radars.position[index], dtype=float)
        east_m, north_m = _map_point(position)
        ground_m = ground_by_name.get(name, _ground(scenario.ground, east_m, north_m))
        sites.append(RadarSite(index, name, world.radars.types[index], position, east_m,
                               north_m, float(ground_m),
                               float(frame_altitude(position) - ground_m)))
    return sites


def free_space_range_m(world, radar: int, rcs_m2: float, swerling: int = DEFAULT_SWERLING,
                       pd: float = LIKELY_PD) -> float:
    """Range at which the radar equation alone gives `pd` on one look (no horizon, no ceiling)."""
    radars = world.radars
    needed_snr_db = required_snr_db(pd, float(radars.pfa[radar]), int(radars.pulses[radar]),
                                    swerling)
    return float(range_from_loop_gain_m(radars.loop_gain_db[radar], rcs_m2, needed_snr_db))


def radar_looks(world, radar: int, targets, rcs_m2: float, swerling: int = DEFAULT_SWERLING,
                terrain=None, sight_everywhere: bool = False) -> Looks:
    """Single-look Pd of radar `radar` at frame positions `targets` (..., 3).

    Line of sight is traced only where the radar could otherwise see (within its instrumented
    range and coverage) unless `sight_everywhere`: it is the costly part.
    """
    radars = world.radars
    site = radars.position[radar]
    targets = np.asarray(targets, dtype=float)
    range_m = np.linalg.norm(targets - site, axis=-1)
    covered = ((range_m >= radars.minimum_range_m[radar])
               & (range_m <= radars.instrumented_range_m[radar])
               & in_elevation_coverage(horizon.elevation_angle(site, targets),
                                       radars.minimum_elevation_rad[radar],
                                       radars.maximum_elevation_rad[radar])
               & (frame_altitude(targets) <= radars.maximum_altitude_m[radar])
               & in_azimuth_sector(horizon.azimuth(site, targets),
                                   radars.azimuth_centre_rad[radar],
                                   radars.azimuth_width_rad[radar]))
    snr_db = snr_from_loop_gain_db(radars.loop_gain_db[radar], rcs_m2, np.maximum(range_m, 1.0))
    curve = detection_curve(float(radars.pfa[radar]), int(radars.pulses[radar]), int(swerling))
    free_space_pd = np.where(covered, curve.pd(snr_db), 0.0)
    above_horizon = horizon.above_smooth_horizon(site, targets)
    traced = above_horizon & (True if sight_everywhere else covered)
    visible = np.zeros(covered.shape, dtype=bool)
    if traced.any():
        visible[traced] = line_of_sight(site, targets[traced], terrain)
    return Looks(np.where(visible, free_space_pd, 0.0), free_space_pd, above_horizon, visible)


def coverage_map(scenario, world, rcs_m2: float, altitude_m: float,
                 swerling: int = DEFAULT_SWERLING, cells: int = MAP_CELLS) -> CoverageMap:
    """Pd over a square map around the radars, the target `altitude_m` above the ground."""
    sites = radar_sites(scenario, world)
    reach_m = float(np.max(world.radars.instrumented_range_m))
    east_m = _axis([site.east_m for site in sites], reach_m, cells)
    north_m = _axis([site.north_m for site in sites], reach_m, cells)
    east_grid, north_grid = np.meshgrid(east_m, north_m)
    ground_m = _ground(scenario.ground, east_grid, north_grid)
    targets = local_to_cartesian(east_grid, north_grid, ground_m + altitude_m)
    looks = [radar_looks(world, site.index, targets, rcs_m2, swerling, scenario.ground)
             for site in sites]
    pd = np.stack([look.pd for look in looks])
    free_space_pd = np.stack([look.free_space_pd for look in looks])
    above_horizon = np.stack([look.above_horizon for look in looks])
    combined_pd = 1.0 - np.prod(1.0 - pd, axis=0)
    return CoverageMap(east_m, north_m, ground_m, pd, free_space_pd, above_horizon, combined_pd)


def vertical_diagram(scenario, world, site: RadarSite, rcs_m2: float, azimuth_rad: float,
                     swerling: int = DEFAULT_SWERLING, ceiling_m: float | None = None,
                     range_cells: int = VERTICAL_RANGE_CELLS,
                     altitude_cells: int = VERTICAL_ALTITUDE_CELLS) -> VerticalDiagram:
    """Pd of one radar over (ground range, altitude above sea level) along `azimuth_rad`."""
    radars = world.radars
    if ceiling_m is None:
        ceiling_m = min(float(radars.maximum_altitude_m[site.index]), VERTICAL_CEILING_M)
    range_m = np.linspace(0.0, float(radars.instrumented_range_m[site.index]), range_cells)
    altitude_m = np.linspace(0.0, ceiling_m, altitude_cells)
    east_m = site.east_m + range_m * math.sin(azimuth_rad)
    north_m = site.north_m + range_m * math.cos(azimuth_rad)
    ground_m = np.asarray(_ground(scenario.ground, east_m, north_m), dtype=float)
    targets = local_to_cartesian(east_m[None, :], north_m[None, :], altitude_m[:, None])
    pd = radar_looks(world, site.index, targets, rcs_m2, swerling, scenario.ground).pd
    underground = altitude_m[:, None] < ground_m[None, :]
    return VerticalDiagram(site, float(azimuth_rad), range_m, altitude_m,
                           np.where(underground, np.nan, pd), ground_m)


def first_detection_ranges(scenario, world, rcs_m2: float, altitude_m: float,
                           swerling: int = DEFAULT_SWERLING, bins: int = AZIMUTH_BINS,
                           step_m: float = RADIAL_STEP_M) -> FirstDetection:
    """First-detection ground range of every radar in `bins` azimuths; target AGL."""
    azimuth_rad = (np.arange(bins) + 0.5) * (2.0 * math.pi / bins)
    radars = world.radars
    ranges = []
    for site in radar_sites(scenario, world):
        inner_m = max(float(radars.minimum_range_m[site.index]), step_m)
        radial_m = np.arange(inner_m, float(radars.instrumented_range_m[site.index]) + 0.5 * step_m,
                             step_m)
        east_m = site.east_m + np.sin(azimuth_rad)[:, None] * radial_m[None, :]
        north_m = site.north_m + np.cos(azimuth_rad)[:, None] * radial_m[None, :]
        targets = local_to_cartesian(east_m, north_m,
                                     _ground(scenario.ground, east_m, north_m) + altitude_m)
        looks = radar_looks(world, site.index, targets, rcs_m2, swerling, scenario.ground,
                            sight_everywhere=True)
        found = _farthest_unbroken(looks.pd >= LIKELY_PD, looks.visible, radial_m)
        in_sector = in_azimuth_sector(azimuth_rad, radars.azimuth_centre_rad[site.index],
                                      radars.azimuth_width_rad[site.index])
        ranges.append(np.where(in_sector, found, np.nan))
    return FirstDetection(azimuth_rad, np.array(ranges).reshape(-1, bins))


def _farthest_unbroken(likely, visible, radial_m):
    """Per row: the farthest radial_m where `likely` holds and `visible` holds all the way in."""
    unbroken = np.logical_and.accumulate(visible, axis=-1)
    candidate = likely & unbroken
    last = candidate.shape[-1] - 1 - np.argmax(candidate[..., ::-1], axis=-1)
    return np.where(candidate.any(axis=-1), radial_m[last], 0.0)


def smooth_horizon_altitude_m(antenna_altitude_m: float, ground_range_m):
    """Lowest altitude (above sea level) seen over the smooth 4/3 Earth at a ground range.

    The inverse of `horizon_range`: d = sqrt(2 a h1) + sqrt(2 a h2) solved for h2, a = 4/3 R.
    """
    radius_m = horizon.effective_earth_radius()
    beyond_m = np.maximum(np.asarray(ground_range_m, dtype=float)
                          - math.sqrt(2.0 * radius_m * max(antenna_altitude_m, 0.0)), 0.0)
    return beyond_m**2 / (2.0 * radius_m)


def threat_axis_azimuth_rad(scenario, world, site: RadarSite) -> float:
    """Where the vertical diagram looks by default: the sector centre facing the threats."""
    if scenario.threats:
        return float(world.radars.azimuth_centre_rad[site.index])
    return math.radians(DEFAULT_AZIMUTH_DEG)


def plot_coverage_map(coverage: CoverageMap, sites, world, terrain, rcs_m2: float,
                      altitude_m: float, swerling: int, path) -> Path:
    """PNG: hill shading, combined Pd, terrain shadows, radar sites and range rings."""
    figure = new_figure()
    axes = figure.add_subplot()
    extent_km = _extent_km(coverage.east_m, coverage.north_m)
    if terrain is not None:
        shade_terrain(axes, terrain, extent_km)
    seen = np.ma.masked_less(coverage.combined_pd, 0.01)
    image = axes.imshow(seen, origin="lower", extent=extent_km, cmap="viridis", vmin=0.0,
                        vmax=1.0, alpha=0.7, interpolation="nearest", zorder=1)
    for cells, colour in ((coverage.beyond_horizon, "slategray"), (coverage.shadowed, "red")):
        layer = np.ma.masked_where(~cells, np.ones_like(coverage.combined_pd))
        axes.imshow(layer, origin="lower", extent=extent_km,
                    cmap=ListedColormap([colour]), alpha=0.35, interpolation="nearest", zorder=2)
    if coverage.combined_pd.max() >= LIKELY_PD:
        axes.contour(coverage.east_m / 1000.0, coverage.north_m / 1000.0, coverage.combined_pd,
                     levels=[LIKELY_PD], colors="white", linewidths=0.8, zorder=3)
    angles = np.linspace(0.0, 2.0 * math.pi, 361)
    markers = "^svDpho*"
    for number, site in enumerate(sites):
        for radius_m, style in ((float(world.radars.instrumented_range_m[site.index]), "--"),
                                (free_space_range_m(world, site.index, rcs_m2, swerling), "-")):
            axes.plot((site.east_m + radius_m * np.sin(angles)) / 1000.0,
                      (site.north_m + radius_m * np.cos(angles)) / 1000.0, style,
                      color=f"C{number}", linewidth=0.9, zorder=3)
        axes.plot(site.east_m / 1000.0, site.north_m / 1000.0, markers[number % len(markers)],
                  color=f"C{number}", markeredgecolor="black", markersize=8, zorder=4,
                  label=site.name, linestyle="none")
    axes.legend(loc="upper left", fontsize=8, framealpha=0.8)
    axes.set_xlim(extent_km[:2])
    axes.set_ylim(extent_km[2:])
    axes.set_aspect("equal")
    axes.set_xlabel("east (km)")
    axes.set_ylabel("north (km)")
    axes.set_title(f"Combined single-look Pd, {rcs_m2:g} m² (Swerling {swerling}) at "
                   f"{altitude_m:g} m above ground (white line: Pd 0.5)\nred: terrain shadow, "
                   f"grey: beyond the 4/3-Earth horizon; rings: free-space range (solid), "
                   f"instrumented range (dashed)", fontsize=9)
    figure.colorbar(image, ax=axes, label="Pd", shrink=0.8)
    return save_png(figure, path)


def plot_vertical_diagram(diagram: VerticalDiagram, rcs_m2: float, swerling: int, path) -> Path:
    """PNG: Pd over range and altitude, the terrain and the 4/3-Earth horizon below."""
    figure = new_figure((9.0, 5.5))
    axes = figure.add_subplot()
    range_km = diagram.range_m / 1000.0
    altitude_km = diagram.altitude_m / 1000.0
    seen = np.ma.masked_less(np.nan_to_num(diagram.pd, nan=0.0), 0.01)
    mesh = axes.pcolormesh(range_km, altitude_km, seen, cmap="viridis", vmin=0.0, vmax=1.0,
                           shading="nearest")
    antenna_altitude_m = diagram.radar.ground_m + diagram.radar.antenna_height_m
    if np.nanmax(diagram.pd, initial=0.0) >= LIKELY_PD:
        axes.contour(range_km, altitude_km, np.nan_to_num(diagram.pd, nan=0.0),
                     levels=[LIKELY_PD], colors="white", linewidths=0.8)
    axes.plot(range_km, smooth_horizon_altitude_m(antenna_altitude_m, diagram.range_m) / 1000.0,
              "--", color="black", linewidth=1.0, label="4/3-Earth horizon")
    axes.fill_between(range_km, 0.0, diagram.ground_m / 1000.0, color="saddlebrown", alpha=0.8,
                      label="terrain", step="mid")
    axes.set_xlim(range_km[0], range_km[-1])
    axes.set_ylim(altitude_km[0], altitude_km[-1])
    axes.set_xlabel("ground range (km)")
    axes.set_ylabel("altitude above sea level (km)")
    axes.set_title(f"{diagram.radar.name}: single-look Pd, {rcs_m2:g} m² (Swerling {swerling}), "
                   f"azimuth {math.degrees(diagram.azimuth_rad):.0f}° (white line: Pd 0.5)",
                   fontsize=9)
    axes.legend(loc="upper right", fontsize=8)
    figure.colorbar(mesh, ax=axes, label="Pd")
    return save_png(figure, path)


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
                "median": _number(np.median(in_sector)) if in_sector.size else None,
                "min": _number(np.min(in_sector)) if in_sector.size else None,
                "max": _number(np.max(in_sector)) if in_sector.size else None,
                "azimuths": int(in_sector.size),
                "by_azimuth": [_number(value) for value in ranges],
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

    rcs_m2 = _positive_quantity(rcs, "area", "--rcs", "'1 m2' or '-10 dBsm'")
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


def _positive_quantity(text: str, kind, flag: str, example: str) -> float:
    try:
        value = float(parse_quantity(text, kind))
    except UnitError as error:
        raise UserError(f"{flag} {text!r}: {error} "
                        f"(fix: give a {kind} such as {example})") from None
    if not value > 0.0:
        raise UserError(f"{flag} {text!r} must be positive (fix: give a {kind} such as {example})")
    return value


def _angle(text: str) -> float:
    try:
        return float(parse_quantity(text, "angle")) % (2.0 * math.pi)
    except UnitError as error:
        raise UserError(f"--azimuth {text!r}: {error} "
                        f"(fix: give a bearing clockwise from north such as '270 deg')") from None


def _ground(terrain, east_m, north_m):
    """Terrain height (m) at map points; sea level over a smooth Earth."""
    if terrain is None:
        return np.zeros(np.broadcast(np.asarray(east_m), np.asarray(north_m)).shape)
    return terrain.elevation(east_m, north_m)


def _map_point(position) -> tuple[float, float]:
    east_m, north_m, _ = cartesian_to_local(position)
    return float(east_m), float(north_m)


def _axis(centres_m, reach_m: float, cells: int) -> np.ndarray:
    """Cell centres spanning every radar's reach along one map axis."""
    return np.linspace(min(centres_m) - reach_m, max(centres_m) + reach_m, cells)


def _extent_km(east_m, north_m) -> tuple[float, float, float, float]:
    """imshow extent (km) of cell-centred axes: half a cell beyond the outer centres."""
    half_east, half_north = 0.5 * (east_m[1] - east_m[0]), 0.5 * (north_m[1] - north_m[0])
    return ((east_m[0] - half_east) / 1000.0, (east_m[-1] + half_east) / 1000.0,
            (north_m[0] - half_north) / 1000.0, (north_m[-1] + half_north) / 1000.0)


def _number(value) -> float | None:
    """A float for JSON, None for NaN."""
    value = float(value)
    return value if math.isfinite(value) else None


def _kilometres(value_m) -> str:
    return "-" if value_m is None else f"{value_m / 1000.0:.1f}"


__all__ = ["CoverageMap", "FirstDetection", "Looks", "RadarSite", "VerticalDiagram",
           "coverage_command", "coverage_map", "coverage_summary", "first_detection_ranges",
           "free_space_range_m", "plot_coverage_map", "plot_vertical_diagram", "radar_looks",
           "radar_sites", "smooth_horizon_altitude_m", "threat_axis_azimuth_rad",
           "vertical_diagram"]
