"""One radar's looks in one engine step: schedule, geometry, SNR, the detection draw, the plot.

For every flying threat near enough to matter the radar's schedule says whether and when it
looks inside the step (rotating beam or phased-array revisit, placed at its own time); the
target's position is interpolated to that time; the look counts when the target is inside
the radar's coverage and above the horizon and terrain; the detection is a draw against
Pd(S / (N + C + J)) on the counter-based stream; a detection yields a noisy position with its
covariance, from the range and angle accuracies at that SNR.

This is the engine's hottest code, so each stage works only on the looks that survived the
one before, and the radar's own frame (east, north, up at the antenna) is computed once.
The geometry is that of `zenit.geo.horizon` (4/3 effective Earth), written here against the
precomputed frame; tests check the two agree.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from zenit.geo.frames import EARTH_RADIUS_M
from zenit.geo.horizon import STANDARD_REFRACTION, map_north
from zenit.geo.visibility import line_of_sight
from zenit.sensors import clutter, jamming, measurement, scan
from zenit.sensors.antenna import pattern_gain_db
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
    position: np.ndarray  # (D, 3) measured positions of the detected looks
    covariance: np.ndarray  # (D, 3, 3)


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


def dot_rows(vectors, direction):
    """Row-wise dot products with one direction, written out so that every element is summed
    in the same order whatever the batch size (BLAS kernels may not be), which keeps a
    replication's result independent of its chunk."""
    return (vectors[..., 0] * direction[0] + vectors[..., 1] * direction[1]
            + vectors[..., 2] * direction[2])


def _norm(vectors):
    return np.sqrt(np.einsum("...i,...i->...", vectors, vectors))


def observe(world, radar: int, site: RadarSite, rows, threats, dwell, target, jammers,
            streams, replication_ids, step: int) -> Looks | None:
    """Radar `radar` looks at targets (C, 3) of pairs (rows, threats) at times `dwell` (C,).

    `jammers` is None or a `JammerField` for this step. Returns the looks that counted (the
    target was in coverage and in line of sight), with their detections and plots.
    """
    radars = world.radars
    geometry = _geometry(site, target)
    covered = _covered(world, radar, geometry)
    if world.terrain is not None and covered.any():
        visible = line_of_sight(site.position[None, :], target[covered], world.terrain)
        covered[np.flatnonzero(covered)[~visible]] = False
    if not covered.any():
        return None
    keep = np.flatnonzero(covered)
    rows, threats, dwell, target = rows[keep], threats[keep], dwell[keep], target[keep]
    geometry = {name: value[keep] for name, value in geometry.items()}

    snr_db = (radars.loop_gain_db[radar] + 10.0 * np.log10(world.threats.rcs_m2[threats])
              - 40.0 * np.log10(np.maximum(geometry["range"], 1.0)))
    interference = _clutter_to_noise(world, radar, site, geometry)
    if jammers is not None:
        interference = interference + jammers.to_noise(rows, geometry["direction"])
    snr_db = snr_db - 10.0 * np.log10(1.0 + interference)

    probability = np.empty_like(snr_db)
    swerling = world.threats.swerling[threats]
    for case in np.unique(swerling):
        chosen = swerling == case
        curve = detection_curve(float(radars.pfa[radar]), int(radars.pulses[radar]), int(case))
        probability[chosen] = curve.pd(snr_db[chosen])
    entity = radar * world.threats.count + threats
    draw = streams.uniform("detection", replication_ids[rows], entity, step)
    detected = draw < probability

    found = np.flatnonzero(detected)
    position, covariance = _plot(world, radar, site, target[found], geometry, found,
                                 snr_db[found], streams, replication_ids[rows[found]],
                                 entity[found], step)
    return Looks(rows, threats, dwell, detected, position, covariance)


def _geometry(site: RadarSite, target):
    """Slant range, direction, elevation (effective Earth), bearing and horizon of targets."""
    offset = target - site.position
    slant = _norm(offset)
    direction = offset / np.maximum(slant, 1e-9)[:, None]
    target_radius = _norm(target)
    height = target_radius - EARTH_RADIUS_M
    cosine = np.clip(dot_rows(target, site.up) / target_radius, -1.0, 1.0)
    angle = np.arccos(cosine) / STANDARD_REFRACTION  # ground angle on the effective Earth
    effective_radius = EFFECTIVE_RADIUS_M + height
    across = effective_radius * np.sin(angle)
    upward = (height - site.height_m) - 2.0 * effective_radius * np.sin(0.5 * angle) ** 2
    return {
        "range": slant, "direction": direction, "height": height,
        "elevation": np.arctan2(upward, across),
        "bearing": np.remainder(np.arctan2(dot_rows(offset, site.east), dot_rows(offset, site.north)),
                                2.0 * math.pi),
        "visible": angle <= site.horizon_angle + _horizon_angle(height),
    }


def _covered(world, radar, geometry):
    radars = world.radars
    return ((geometry["range"] >= radars.minimum_range_m[radar])
            & (geometry["range"] <= radars.instrumented_range_m[radar])
            & (geometry["elevation"] >= radars.minimum_elevation_rad[radar])
            & (geometry["elevation"] <= radars.maximum_elevation_rad[radar])
            & (geometry["height"] <= radars.maximum_altitude_m[radar])
            & scan.in_azimuth_sector(geometry["bearing"], radars.azimuth_centre_rad[radar],
                                     radars.azimuth_width_rad[radar])
            & geometry["visible"] & (geometry["height"] >= -1.0))


def _clutter_to_noise(world, radar, site, geometry):
    """Clutter left after Doppler processing, as a ratio to noise, for low-elevation looks."""
    radars = world.radars
    ratio = np.zeros(geometry["range"].shape)
    low = geometry["elevation"] < CLUTTER_BEAMWIDTHS * radars.beamwidth_elevation_rad[radar]
    if low.any():
        antenna_height = max(site.height_m - site.ground_m, 1.0)
        with np.errstate(divide="ignore"):
            clutter_db = clutter.clutter_to_noise_db(
                radars.loop_gain_db[radar], np.maximum(geometry["range"][low], 1.0),
                geometry["elevation"][low], antenna_height, LAND_CLUTTER_GAMMA_DB,
                radars.beamwidth_azimuth_rad[radar], radars.beamwidth_elevation_rad[radar],
                radars.range_resolution_m[radar], radars.sidelobe_level_db[radar])
        ratio[low] = 10.0 ** ((clutter_db - radars.clutter_improvement_db[radar]) / 10.0)
    return ratio


def _plot(world, radar, site, target, geometry, found, snr_db, streams, replication, entity, step):
    """Measured positions and their covariances: a radial and two cross-range errors."""
    radars = world.radars
    sigmas = measurement.measurement_sigmas(
        snr_db, radars.range_resolution_m[radar], radars.beamwidth_azimuth_rad[radar],
        radars.beamwidth_elevation_rad[radar], RANGE_FLOOR_M, ANGLE_FLOOR_RAD, ANGLE_FLOOR_RAD)
    radial = geometry["direction"][found]
    slant = geometry["range"][found]
    across = np.cross(site.up, radial)
    horizontal = np.maximum(_norm(across), 1e-3)  # cos(elevation), kept off zero at the zenith
    across /= horizontal[:, None]
    above = np.cross(radial, across)
    scale = np.stack([sigmas[:, 0], slant * sigmas[:, 1] * horizontal, slant * sigmas[:, 2]],
                     axis=-1)
    normals = np.stack([streams.normal("measurement", replication, entity, step, draw)
                        for draw in range(3)], axis=-1)
    axes = np.stack([radial, across, above], axis=-2)  # (D, 3 axes, 3 components)
    position = target + np.einsum("da,dak->dk", scale * normals, axes)
    covariance = np.einsum("da,dai,daj->dij", scale**2, axes, axes)
    return position, covariance


class JammerField:
    """Every active jammer as one radar sees it during one step.

    Range and the part of J/N that does not depend on where the beam points are computed
    once per (replication, jammer); each look then adds only the antenna gain toward each
    jammer, from the angle between the beam (pointed at the target) and the jammer.
    """

    def __init__(self, world, radar, site: RadarSite, positions, active):
        radars, jammers = world.radars, world.jammers
        offset = positions - site.position  # (R, J, 3)
        distance = np.maximum(_norm(offset), 1.0)
        self.direction = offset / distance[..., None]
        visible = active & self._above_horizon(site, positions)
        base = jamming.jammer_to_noise_db(jammers.erp_w, jammers.bandwidth_hz,
                                          radars.antenna_gain_db[radar],
                                          radars.wavelength_m[radar], distance,
                                          radars.system_temperature_k[radar],
                                          radars.noise_bandwidth_hz[radar])
        self.peak = np.where(visible, 10.0 ** (base / 10.0), 0.0)  # (R, J), main-lobe J/N
        self.beamwidth = radars.beamwidth_azimuth_rad[radar]
        self.sidelobe_db = radars.sidelobe_level_db[radar]

    @staticmethod
    def _above_horizon(site, positions):
        radius = _norm(positions)
        height = radius - EARTH_RADIUS_M
        angle = np.arccos(np.clip(dot_rows(positions, site.up) / radius, -1.0, 1.0)) / STANDARD_REFRACTION
        return angle <= site.horizon_angle + _horizon_angle(height)

    def to_noise(self, rows, beam_direction):
        """Total J/N (linear) for looks in `rows` with the beam along `beam_direction` (C, 3)."""
        peak = self.peak[rows]  # (C, J)
        cosine = np.einsum("cjk,ck->cj", self.direction[rows], beam_direction)
        off_boresight = np.arccos(np.clip(cosine, -1.0, 1.0))
        gain_db = pattern_gain_db(off_boresight, self.beamwidth, self.sidelobe_db)
        return np.sum(peak * 10.0 ** (gain_db / 10.0), axis=-1)
