"""Detection coverage of a scenario's radars against one target: where, and from how far.

Three views of the same single-look detection probability, each answering a planner's question
(drawn by `zenit.analysis.coverage_plots`, summarised by `zenit coverage`,
`zenit.analysis.coverage_command`):

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


import numpy as np

from zenit.engine.sensing import detection_curve
from zenit.geo import horizon
from zenit.geo.frames import altitude as frame_altitude, cartesian_to_local, local_to_cartesian
from zenit.geo.visibility import line_of_sight
from zenit.sensors.detection import required_snr_db
from zenit.sensors.radar_equation import range_from_loop_gain_m, snr_from_loop_gain_db
from zenit.sensors.scan import in_azimuth_sector, in_elevation_coverage

LIKELY_PD = 0.5  # "detection becomes likely": the catalogue's calibration criterion too
DEFAULT_SWERLING = 1  # aircraft and cruise missiles: many scatterers, scan-to-scan (Skolnik)
MAP_CELLS = 241  # per side of the horizontal map
AZIMUTH_BINS = 360
RADIAL_STEP_M = 250.0
VERTICAL_RANGE_CELLS = 400
VERTICAL_ALTITUDE_CELLS = 300
VERTICAL_CEILING_M = 30_000.0  # top of the S-400's altitude band; higher radars are cut here
DEFAULT_AZIMUTH_DEG = 270.0  # toward the west when a scenario has no threats to face
SNR_RANGE_FLOOR_M = 1.0  # the radar equation is not evaluated closer than this



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
    snr_db = snr_from_loop_gain_db(radars.loop_gain_db[radar], rcs_m2,
                                   np.maximum(range_m, SNR_RANGE_FLOOR_M))
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


__all__ = ["CoverageMap", "FirstDetection", "Looks", "RadarSite", "VerticalDiagram",
           "coverage_map", "first_detection_ranges", "free_space_range_m", "radar_looks",
           "radar_sites", "smooth_horizon_altitude_m", "threat_axis_azimuth_rad",
           "vertical_diagram"]
