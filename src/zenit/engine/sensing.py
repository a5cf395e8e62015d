"""One radar's looks in one engine step: schedule, geometry, SNR, the detection draw, the plot.

For every flying threat near enough to matter the radar's schedule says whether and when it
looks inside the step (rotating beam or phased-array revisit, placed at its own time); the
target's position is interpolated to that time; the look counts when the target is inside
the radar's coverage and above the horizon and terrain; the detection is a draw against
Pd(S / (N + C + J)) on the counter-based stream; a detection yields a noisy position with its
covariance, from the range and angle accuracies at that SNR.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from zenit.geo import horizon
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.geo.visibility import line_of_sight
from zenit.sensors import clutter, jamming, measurement, scan
from zenit.sensors.detection import DetectionCurve
from zenit.sensors.radar_equation import snr_from_loop_gain_db

# Constant-gamma reflectivity of open land, -15 dB (Billingsley, Low-Angle Radar Land
# Clutter, 2002: rural/low-relief land at low grazing angles lies around -15 to -25 dB).
LAND_CLUTTER_GAMMA_DB = -15.0
RANGE_FLOOR_M = 5.0  # bias and residual errors left at high SNR
ANGLE_FLOOR_RAD = 2e-4
# Golden-ratio offsets spread phased-array revisits of different threats over the period.
GOLDEN = 0.6180339887498949


@functools.lru_cache(maxsize=None)
def detection_curve(pfa: float, pulses: int, swerling: int) -> DetectionCurve:
    return DetectionCurve(pfa, pulses, swerling)


@dataclass
class Looks:
    """The looks of one radar in one step, for C (replication, threat) pairs."""

    replication: np.ndarray  # row index into the chunk
    threat: np.ndarray
    time_s: np.ndarray
    covered: np.ndarray  # the target could have been seen: a look that counts
    detected: np.ndarray
    position: np.ndarray  # (C, 3) measured position, valid where detected
    covariance: np.ndarray  # (C, 3, 3)
    snr_db: np.ndarray


def radar_looks(world, radar: int, candidates, time_start: float, time_end: float,
                position_start, position_end, tracked, threat_rcs_m2, jammer_positions,
                jammer_active, streams, replication_ids, step: int) -> Looks | None:
    """The looks of `radar` at the (replication, threat) pairs in `candidates` (two index arrays).

    `tracked` (C,) says which pairs the radar's network holds a confirmed track on: a
    phased array revisits those at its track rate instead of its search frame.
    """
    radars = world.radars
    rows, threats = candidates
    site = radars.position[radar]
    dt = time_end - time_start
    start, end = position_start[rows, threats], position_end[rows, threats]

    if radars.rotating[radar]:
        bearing = horizon.azimuth(site, end)
        looked, dwell = scan.rotating_dwell(bearing, time_start, time_end,
                                            radars.rotation_period_s[radar])
    else:
        revisit = np.where(tracked, radars.track_revisit_s[radar], radars.search_frame_s[radar])
        offset = np.remainder(threats * GOLDEN, 1.0) * revisit
        looked, dwell = scan.periodic_dwell(time_start, time_end, revisit, offset)
    if not looked.any():
        return None
    rows, threats, dwell = rows[looked], threats[looked], dwell[looked]
    tracked = tracked[looked]
    fraction = ((dwell - time_start) / dt)[:, None]
    target = start[looked] + (end[looked] - start[looked]) * fraction

    offset_vector = target - site
    range_m = np.linalg.norm(offset_vector, axis=-1)
    elevation = horizon.elevation_angle(site, target)
    bearing = horizon.azimuth(site, target)
    target_altitude = np.linalg.norm(target, axis=-1) - EARTH_RADIUS_M
    covered = ((range_m >= radars.minimum_range_m[radar])
               & (range_m <= radars.instrumented_range_m[radar])
               & scan.in_elevation_coverage(elevation, radars.minimum_elevation_rad[radar],
                                            radars.maximum_elevation_rad[radar])
               & (target_altitude <= radars.maximum_altitude_m[radar])
               & scan.in_azimuth_sector(bearing, radars.azimuth_centre_rad[radar],
                                        radars.azimuth_width_rad[radar])
               & horizon.above_smooth_horizon(site, target))
    if world.terrain is not None and covered.any():
        visible = line_of_sight(site[None, :], target[covered], world.terrain)
        covered[np.flatnonzero(covered)[~visible]] = False

    snr_db = snr_from_loop_gain_db(radars.loop_gain_db[radar], threat_rcs_m2[threats],
                                   np.maximum(range_m, 1.0))
    interference = [_clutter_to_noise_db(world, radar, range_m, elevation, site)]
    if jammer_positions is not None:
        interference.append(_jammer_to_noise_db(world, radar, rows, target, site,
                                                jammer_positions, jammer_active))
    snr_db = snr_db - 10.0 * np.log10(1.0 + sum(10.0 ** (ratio / 10.0) for ratio in interference))

    probability = np.zeros_like(snr_db)
    swerling = world.threats.swerling[threats]
    for case in np.unique(swerling):
        chosen = swerling == case
        curve = detection_curve(float(radars.pfa[radar]), int(radars.pulses[radar]), int(case))
        probability[chosen] = curve.pd(snr_db[chosen])
    entity = radar * world.threats.count + threats
    draw = streams.uniform("detection", replication_ids[rows], entity, step)
    detected = covered & (draw < probability)

    position, covariance = _plot(world, radar, site, target, range_m, snr_db, streams,
                                 replication_ids[rows], entity, step)
    return Looks(rows, threats, dwell, covered, detected, position, covariance, snr_db)


def _plot(world, radar, site, target, range_m, snr_db, streams, replication, entity, step):
    """Measured positions and their covariances: radial and two cross-range errors."""
    radars = world.radars
    sigmas = measurement.measurement_sigmas(
        snr_db, radars.range_resolution_m[radar], radars.beamwidth_azimuth_rad[radar],
        radars.beamwidth_elevation_rad[radar], RANGE_FLOOR_M, ANGLE_FLOOR_RAD, ANGLE_FLOOR_RAD)
    radial = (target - site) / np.maximum(range_m, 1.0)[:, None]
    upward = site / np.linalg.norm(site)
    across = np.cross(upward, radial)
    across /= np.maximum(np.linalg.norm(across, axis=-1, keepdims=True), 1e-12)
    above = np.cross(radial, across)
    scale = np.stack([sigmas[:, 0], range_m * sigmas[:, 1] * np.linalg.norm(
        np.cross(upward, radial), axis=-1), range_m * sigmas[:, 2]], axis=-1)
    scale[:, 1] = np.maximum(scale[:, 1], range_m * sigmas[:, 1] * 1e-3)
    normals = np.stack([streams.normal("measurement", replication, entity, step, draw)
                        for draw in range(3)], axis=-1)
    axes = np.stack([radial, across, above], axis=-2)  # (C, 3 axes, 3 components)
    position = target + np.einsum("ca,cak->ck", scale * normals, axes)
    covariance = np.einsum("ca,cai,caj->cij", scale**2, axes, axes)
    return position, covariance


def _clutter_to_noise_db(world, radar, range_m, elevation, site):
    radars = world.radars
    antenna_height = float(np.linalg.norm(site) - EARTH_RADIUS_M)
    if world.terrain is not None:
        antenna_height = max(antenna_height - world.metadata.get("radar_ground_m", {}).get(
            radar, 0.0), 1.0)
    ratio = clutter.clutter_to_noise_db(
        radars.loop_gain_db[radar], np.maximum(range_m, 1.0), elevation, max(antenna_height, 1.0),
        LAND_CLUTTER_GAMMA_DB, radars.beamwidth_azimuth_rad[radar],
        radars.beamwidth_elevation_rad[radar], radars.range_resolution_m[radar],
        radars.sidelobe_level_db[radar])
    return ratio - radars.clutter_improvement_db[radar]


def _jammer_to_noise_db(world, radar, rows, target, site, jammer_positions, jammer_active):
    """Total J/N (dB) at each look from every active jammer, main lobe or sidelobes."""
    radars = world.radars
    jammers = world.jammers
    positions = jammer_positions[rows]  # (C, J, 3)
    to_jammer = positions - site
    jammer_range = np.maximum(np.linalg.norm(to_jammer, axis=-1), 1.0)
    to_target = (target - site) / np.maximum(np.linalg.norm(target - site, axis=-1), 1.0)[:, None]
    cosine = np.sum(to_jammer * to_target[:, None, :], axis=-1) / jammer_range
    off_boresight = np.arccos(np.clip(cosine, -1.0, 1.0))
    gain = jamming.receive_gain_toward_jammer_db(
        radars.antenna_gain_db[radar], off_boresight, radars.beamwidth_azimuth_rad[radar],
        radars.sidelobe_level_db[radar])
    ratio = jamming.jammer_to_noise_db(
        jammers.erp_w, jammers.bandwidth_hz, gain, radars.wavelength_m[radar], jammer_range,
        radars.system_temperature_k[radar], radars.noise_bandwidth_hz[radar])
    visible = jammer_active[rows] & horizon.above_smooth_horizon(site, positions)
    linear = np.where(visible, 10.0 ** (ratio / 10.0), 0.0).sum(axis=-1)
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(linear)
