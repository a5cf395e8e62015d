"""One radar's looks in one engine step: schedule, geometry, SNR, the detection draw, the plot.

The per-pair work runs in the compiled loops of `zenit.engine.look_kernels`, on the radar's
typed state built here once per chunk (`RadarSchedule`, `RadarCoverage`, `Site`, `Receiver`);
the terrain profiles, which only some looks need, are added here on the looks that count.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from zenit.engine import look_kernels
from zenit.geo.horizon import Site
from zenit.geo.visibility import line_of_sight
from zenit.sensors import jamming
from zenit.sensors.clutter import EFFECTIVE_EARTH_RADIUS_M, ClutterParameters
from zenit.sensors.detection import SWERLING_CASES, DetectionCurve, DetectionTables
from zenit.sensors.measurement import MONOPULSE_SLOPE, PlotAccuracy
from zenit.sensors.scan import RadarCoverage, RadarSchedule

# Constant-gamma reflectivity of open land, -15 dB (Billingsley, Low-Angle Radar Land
# Clutter, 2002: rural/low-relief land at low grazing angles lies around -15 to -25 dB).
LAND_CLUTTER_GAMMA_DB = -15.0
CLUTTER_BEAMWIDTHS = 3.0  # above this many elevation beamwidths the ground is in the sidelobes
RANGE_FLOOR_M = 5.0  # bias and residual errors left at high SNR
ANGLE_FLOOR_RAD = 2e-4
LEAST_ANTENNA_HEIGHT_M = 1.0  # above its own ground, for the clutter geometry


@functools.lru_cache(maxsize=None)
def detection_curve(pfa: float, pulses: int, swerling: int) -> DetectionCurve:
    return DetectionCurve(pfa, pulses, swerling)


class Receiver(NamedTuple):
    """What a radar's detections depend on: loop gain, pattern, clutter, Pd tables, accuracy."""

    loop_gain_db: float
    beamwidth_azimuth_rad: float
    sidelobe_level_db: float
    clutter: ClutterParameters
    tables: DetectionTables
    accuracy: PlotAccuracy

    @classmethod
    def of(cls, world, radar: int, site: Site) -> "Receiver":
        radars = world.radars
        accuracy = PlotAccuracy(float(radars.range_resolution_m[radar]),
                                float(radars.beamwidth_azimuth_rad[radar]),
                                float(radars.beamwidth_elevation_rad[radar]), MONOPULSE_SLOPE,
                                RANGE_FLOOR_M, ANGLE_FLOOR_RAD)
        return cls(float(radars.loop_gain_db[radar]), float(radars.beamwidth_azimuth_rad[radar]),
                   float(radars.sidelobe_level_db[radar]), clutter_parameters(world, radar, site),
                   detection_tables(world, radar), accuracy)


def radar_schedule(radars, radar: int, maintenance_s: float) -> RadarSchedule:
    """When the radar looks; confirmed tracks at most every `maintenance_s`."""
    return RadarSchedule(bool(radars.rotating[radar]), float(radars.rotation_period_s[radar]),
                         float(radars.search_frame_s[radar]), float(radars.track_revisit_s[radar]),
                         float(max(radars.track_revisit_s[radar], maintenance_s)))


def radar_coverage(radars, radar: int) -> RadarCoverage:
    """Where the radar looks."""
    return RadarCoverage(*(float(column[radar]) for column in (
        radars.minimum_range_m, radars.instrumented_range_m, radars.minimum_elevation_rad,
        radars.maximum_elevation_rad, radars.maximum_altitude_m, radars.azimuth_centre_rad,
        radars.azimuth_width_rad)))


def detection_tables(world, radar: int) -> DetectionTables:
    """The radar's Pd(SNR) curves for the Swerling cases of the world's threats."""
    radars = world.radars
    curves = {int(case): detection_curve(float(radars.pfa[radar]), int(radars.pulses[radar]),
                                         int(case))
              for case in np.unique(world.threats.swerling)}
    sample = next(iter(curves.values()))
    tables = np.zeros((len(SWERLING_CASES), sample.table.size))
    slopes = np.zeros_like(tables)
    for case, curve in curves.items():
        tables[case], slopes[case] = curve.table, curve.slopes
    return DetectionTables(tables, slopes, sample.lowest_snr_db, sample.step_db)


def clutter_parameters(world, radar: int, site: Site) -> ClutterParameters:
    """The radar's clutter figures, linear."""
    radars = world.radars
    return ClutterParameters(
        float(10.0 ** ((radars.loop_gain_db[radar] - radars.clutter_improvement_db[radar]) / 10.0)),
        float(max(site.height_m - site.ground_m, LEAST_ANTENNA_HEIGHT_M)), EFFECTIVE_EARTH_RADIUS_M,
        float(radars.beamwidth_azimuth_rad[radar]), float(radars.beamwidth_elevation_rad[radar]),
        float(radars.range_resolution_m[radar]), float(10.0 ** (LAND_CLUTTER_GAMMA_DB / 10.0)),
        float(10.0 ** (2.0 * radars.sidelobe_level_db[radar] / 10.0)),
        float(CLUTTER_BEAMWIDTHS * radars.beamwidth_elevation_rad[radar]))


class DrawCoordinates(NamedTuple):
    """Where a step's looks draw on the counter-based streams (`zenit.engine.streams`)."""

    detection_key: np.ndarray  # Philox key words of the "detection" stream
    measurement_key: np.ndarray  # and of the "measurement" stream
    replication_ids: np.ndarray  # each chunk row's replication
    entity_base: int  # a look's entity is entity_base + threat
    step: int


class JammersSeen(NamedTuple):
    """Every jammer as one radar sees it in one step (`look_kernels.jammers_in_view`)."""

    direction: np.ndarray  # (R, J, 3) unit vectors from the radar
    peak: np.ndarray  # (R, J) main-lobe J/N, a power ratio; 0 where silent or hidden


@dataclass
class Looks:
    """The looks of one radar in one step that counted, for C (replication, threat) pairs."""

    replication: np.ndarray  # row index into the chunk
    threat: np.ndarray
    time_s: np.ndarray
    detected: np.ndarray
    position: np.ndarray  # (C, 3) measured positions, meaningful where detected
    covariance: np.ndarray  # (C, 3, 3)


def observe(world, radar: int, site: Site, candidates, receiver: Receiver,
            jammers: JammersSeen, keys, replication_ids, step: int) -> Looks | None:
    """The looks of `candidates` (`look_kernels.scheduled_looks`) in line of sight of the
    terrain, with their detections and plots; `jammers` from `JammerField.see` (None: none),
    `keys` those of the "detection" and "measurement" streams."""
    rows, threats, dwell, target, slant, direction, height, elevation = candidates
    if world.terrain is not None and rows.size:
        visible = line_of_sight(site.position[None, :], target, world.terrain)
        if not visible.all():
            rows, threats, dwell, target, slant, direction, height, elevation = (
                array[visible] for array in candidates)
    if rows.size == 0:
        return None
    if jammers is None:
        jammers = JammerField.silent(len(replication_ids))
    draws = DrawCoordinates(keys[0], keys[1], replication_ids, radar * world.threats.count, step)
    detected, position, covariance = look_kernels.detect_and_plot(
        receiver, world.threats.rcs_db, world.threats.swerling, rows, threats, slant, elevation,
        target, direction, jammers, draws, site.up)
    return Looks(rows, threats, dwell, detected, position, covariance)


class JammerField:
    """Every jammer as one radar sees it, refreshed each step by `see`: direction and main-lobe
    J/N once per (replication, jammer) and step, to which each look adds its antenna gain."""

    def __init__(self, world, radar: int, site: Site, replications: int):
        radars, jammers = world.radars, world.jammers
        # Main-lobe J/N at 1 m as a power ratio: the kernel scales it by 1 / R^2.
        self._at_one_metre = 10.0 ** (np.broadcast_to(jamming.jammer_to_noise_db(
            jammers.erp_w, jammers.bandwidth_hz, radars.antenna_gain_db[radar],
            radars.wavelength_m[radar], 1.0, radars.system_temperature_k[radar],
            radars.noise_bandwidth_hz[radar]), (jammers.count,)).astype(float) / 10.0)
        self._site = site
        self.seen = JammersSeen(np.zeros((replications, jammers.count, 3)),
                                np.zeros((replications, jammers.count)))

    def see(self, positions, active) -> JammersSeen:
        """Jammers at `positions` (R, J, 3), radiating where `active` (R, J), this step."""
        look_kernels.jammers_in_view(self._site, positions, active, self._at_one_metre,
                                     self.seen.direction, self.seen.peak)
        return self.seen

    @staticmethod
    def silent(replications: int) -> JammersSeen:
        """No jammer at all, in the shapes the look kernel takes."""
        return JammersSeen(np.zeros((replications, 0, 3)), np.zeros((replications, 0)))
