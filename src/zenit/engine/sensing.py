"""One radar's looks in one engine step: schedule, geometry, SNR, the detection draw, the plot.

For every flying threat the radar's schedule says whether and when it looks inside the step
(rotating beam or phased-array revisit, placed at its own time); the target's position is
interpolated to that time; the look counts when the target is inside the radar's coverage
and above the horizon and terrain; the detection is a draw against Pd(S / (N + C + J)) on the
counter-based stream; a detection yields a noisy position with its covariance, from the range
and angle accuracies at that SNR.

This is the engine's hottest code: the per-pair work runs in the compiled loops of
`zenit.engine.look_kernels`; what only some looks need (terrain profiles, clutter at low
elevation, jammers' antenna gains) is added here in NumPy on the looks that count.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from zenit.geo.frames import EARTH_RADIUS_M
from zenit.geo.horizon import STANDARD_REFRACTION, map_north
from zenit.geo.visibility import line_of_sight
from zenit.engine import look_kernels
from zenit.sensors import jamming
from zenit.sensors.clutter import EFFECTIVE_EARTH_RADIUS_M
from zenit.sensors.measurement import MONOPULSE_SLOPE
from zenit.sensors.detection import DetectionCurve

# Constant-gamma reflectivity of open land, -15 dB (Billingsley, Low-Angle Radar Land
# Clutter, 2002: rural/low-relief land at low grazing angles lies around -15 to -25 dB).
LAND_CLUTTER_GAMMA_DB = -15.0
CLUTTER_BEAMWIDTHS = 3.0  # above this many elevation beamwidths the ground is in the sidelobes
RANGE_FLOOR_M = 5.0  # bias and residual errors left at high SNR
ANGLE_FLOOR_RAD = 2e-4
EFFECTIVE_RADIUS_M = STANDARD_REFRACTION * EARTH_RADIUS_M


@functools.lru_cache(maxsize=None)
def detection_curve(pfa: float, pulses: int, swerling: int) -> DetectionCurve:
    return DetectionCurve(pfa, pulses, swerling)


@dataclass
class Looks:
    """The looks of one radar in one step that counted, for C (replication, threat) pairs."""

    replication: np.ndarray  # row index into the chunk
    threat: np.ndarray
    time_s: np.ndarray
    detected: np.ndarray
    position: np.ndarray  # (C, 3) measured positions, meaningful where detected
    covariance: np.ndarray  # (C, 3, 3)


@dataclass
class RadarSite:
    """A radar's fixed geometry: antenna position and its local east, north, up."""

    position: np.ndarray
    east: np.ndarray
    north: np.ndarray
    up: np.ndarray
    height_m: float  # antenna above the sphere
    ground_m: float  # ground under the antenna
    horizon_angle: float  # its own angle to the effective-Earth horizon

    @classmethod
    def of(cls, position, ground_m: float) -> "RadarSite":
        position = np.asarray(position, dtype=float)
        up = position / np.linalg.norm(position)
        north = map_north(position)
        north = north - np.dot(north, up) * up
        north /= np.linalg.norm(north)
        height = float(np.linalg.norm(position) - EARTH_RADIUS_M)
        return cls(position, np.cross(north, up), north, up, height, ground_m,
                   float(_horizon_angle(np.asarray(height))))


def _horizon_angle(height_m):
    """Angle at the Earth's centre from a point to its effective-Earth horizon."""
    height_m = np.maximum(height_m, 0.0)
    return np.arctan2(np.sqrt(height_m * (2.0 * EFFECTIVE_RADIUS_M + height_m)), EFFECTIVE_RADIUS_M)


def site_frame(site: RadarSite) -> np.ndarray:
    """(4, 3): antenna position, east, north, up, as the look kernels take them."""
    return np.stack([site.position, site.east, site.north, site.up])


@dataclass
class DetectionTables:
    """A radar's tabulated Pd(SNR) curves for Swerling cases 0-4, stacked for the kernels."""

    tables: np.ndarray  # (5, T)
    slopes: np.ndarray
    lowest_snr_db: float
    step_db: float

    @classmethod
    def of(cls, world, radar: int) -> "DetectionTables":
        radars = world.radars
        curves = {int(case): detection_curve(float(radars.pfa[radar]), int(radars.pulses[radar]),
                                             int(case))
                  for case in np.unique(world.threats.swerling)}
        sample = next(iter(curves.values()))
        tables = np.zeros((5, sample.table.size))
        slopes = np.zeros_like(tables)
        for case, curve in curves.items():
            tables[case], slopes[case] = curve._tables_in(np)
        return cls(tables, slopes, sample.lowest_snr_db, sample.step_db)


def observe(world, radar: int, site: RadarSite, candidates, tables: DetectionTables, jammers,
            keys, replication_ids, step: int) -> Looks | None:
    """Detections and plots of the looks in `candidates` (from `look_kernels.scheduled_looks`).

    `jammers` is None or a `JammerField` for this step; `keys` the Philox keys of the
    "detection" and "measurement" streams. Returns the looks that counted (in coverage and in
    line of sight of the terrain), with their detections and plots.
    """
    rows, threats, dwell, target, slant, direction, height, elevation = candidates
    if world.terrain is not None and rows.size:
        visible = line_of_sight(site.position[None, :], target, world.terrain)
        if not visible.all():
            rows, threats, dwell, target, slant, direction, height, elevation = (
                array[visible] for array in candidates)
    if rows.size == 0:
        return None
    radars = world.radars
    jammers = jammers or JammerField.silent(len(replication_ids))
    measurement = np.array([radars.range_resolution_m[radar], radars.beamwidth_azimuth_rad[radar],
                            radars.beamwidth_elevation_rad[radar], MONOPULSE_SLOPE,
                            RANGE_FLOOR_M, ANGLE_FLOOR_RAD])
    detected, position, covariance = look_kernels.detect_and_plot(
        float(radars.loop_gain_db[radar]), world.threats.rcs_db, world.threats.swerling, rows,
        threats, slant, elevation, clutter_vector(world, radar, site), jammers.direction,
        jammers.peak, jammers.pattern, tables.tables, tables.slopes, tables.lowest_snr_db,
        tables.step_db, keys[0], keys[1], replication_ids, radar * world.threats.count, step,
        measurement, site.up, target, direction)
    return Looks(rows, threats, dwell, detected, position, covariance)


def clutter_vector(world, radar: int, site: RadarSite) -> np.ndarray:
    """The radar's clutter parameters in the order of `look_kernels`' C_* indices."""
    radars = world.radars
    values = np.zeros(13)
    values[look_kernels.C_LOOP_GAIN] = radars.loop_gain_db[radar]
    values[look_kernels.C_ANTENNA_HEIGHT] = max(site.height_m - site.ground_m, 1.0)
    values[look_kernels.C_EFFECTIVE_RADIUS] = EFFECTIVE_EARTH_RADIUS_M
    values[look_kernels.C_GAMMA_DB] = LAND_CLUTTER_GAMMA_DB
    values[look_kernels.C_BEAM_AZ] = radars.beamwidth_azimuth_rad[radar]
    values[look_kernels.C_BEAM_EL] = radars.beamwidth_elevation_rad[radar]
    values[look_kernels.C_RESOLUTION] = radars.range_resolution_m[radar]
    values[look_kernels.C_SIDELOBE_DB] = radars.sidelobe_level_db[radar]
    values[look_kernels.C_IMPROVEMENT_DB] = radars.clutter_improvement_db[radar]
    values[look_kernels.C_LOW_ELEVATION] = CLUTTER_BEAMWIDTHS * radars.beamwidth_elevation_rad[radar]
    # The same in linear terms, for the kernel.
    values[look_kernels.C_GAIN] = 10.0 ** ((radars.loop_gain_db[radar]
                                            - radars.clutter_improvement_db[radar]) / 10.0)
    values[look_kernels.C_GAMMA] = 10.0 ** (LAND_CLUTTER_GAMMA_DB / 10.0)
    values[look_kernels.C_SIDELOBE_TWO_WAY] = 10.0 ** (2.0 * radars.sidelobe_level_db[radar] / 10.0)
    return values


class JammerField:
    """Every jammer as one radar sees it, refreshed each step by `see`.

    Direction and main-lobe J/N are computed once per (replication, jammer) and step; each
    look then adds only the antenna gain toward each jammer, from the angle between the beam
    (pointed at the target) and the jammer (in `look_kernels.detect_and_plot`).
    """

    def __init__(self, world, radar, parameters, frame, replications: int):
        radars, jammers = world.radars, world.jammers
        # Main-lobe J/N at 1 m as a power ratio: the kernel scales it by 1 / R^2.
        self._at_one_metre = 10.0 ** (np.broadcast_to(jamming.jammer_to_noise_db(
            jammers.erp_w, jammers.bandwidth_hz, radars.antenna_gain_db[radar],
            radars.wavelength_m[radar], 1.0, radars.system_temperature_k[radar],
            radars.noise_bandwidth_hz[radar]), (jammers.count,)).astype(float) / 10.0)
        self._parameters, self._frame = parameters, frame
        self.direction = np.zeros((replications, jammers.count, 3))
        self.peak = np.zeros((replications, jammers.count))
        self.pattern = np.array([radars.beamwidth_azimuth_rad[radar],
                                 radars.sidelobe_level_db[radar]])

    def see(self, positions, active) -> "JammerField":
        """Jammers at `positions` (R, J, 3), radiating where `active` (R, J), this step."""
        look_kernels.jammers_in_view(self._parameters, self._frame, positions, active,
                                     self._at_one_metre, self.direction, self.peak)
        return self

    @classmethod
    def silent(cls, replications: int) -> "JammerField":
        """No jammer at all, in the shapes the look kernel takes."""
        field = cls.__new__(cls)
        field.direction = np.zeros((replications, 0, 3))
        field.peak = np.zeros((replications, 0))
        field.pattern = np.array([1.0, 0.0])
        return field
