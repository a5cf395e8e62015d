"""Compiled loops behind one radar's looks in one step: schedule, geometry, detection, plot.

`scheduled_looks` examines each (replication, threat) pair only when due: at a rotating
radar's next beam crossing predicted from the target's bearing (less a margin for its drift),
at a phased array's next dwell. The look is placed at its own time inside the step
(`zenit.sensors.scan`) and kept when the target is in coverage and above the 4/3-Earth horizon
(`zenit.geo.horizon`); one rejected for range, sector or horizon skips the looks the target
cannot be back in coverage for (`zenit.engine.motion_bounds`). `detect_and_plot` draws each
kept look against Pd(SINR) and makes the noisy plot and its covariance. All is per pair, so a
replication's result does not depend on its chunk.
"""

from __future__ import annotations

import math

import numpy as np

from zenit.compiled import inline_formula, kernel
from zenit.geo.horizon import (above_horizon, distance_to_view, effective_ground_angle,
                               elevation_from_ground_angle, local_horizontal, norm3)
from zenit.engine.motion_bounds import earliest_crossing, time_to_cover
from zenit.engine.streams import box_muller, philox_block_inline, unit_from_words
from zenit.sensors.antenna import main_lobe_half_width_rad, main_lobe_rate
from zenit.sensors.clutter import clutter_to_noise
from zenit.sensors.detection import tabulated_pd
from zenit.sensors.jamming import jammer_to_noise_at, main_lobe_jamming
from zenit.sensors.measurement import covariance_entry, half_inverse_snr, plot_axes, plot_sigmas
from zenit.sensors.radar_equation import signal_to_noise_db
from zenit.physics.threats import FLYING
from zenit.sensors.scan import (beam_crossing, first_dwell, in_elevation_band, next_turn,
                                outside_sector, sector_shape)

TWO_PI = 2.0 * math.pi
# A rotating radar re-examines a pair this long before its predicted crossing, so that a
# target whose bearing drifts (a crossing target near the radar) is not missed.
CROSSING_MARGIN_FRACTION = 0.25
CROSSING_MARGIN_MAX_S = 2.0
GOLDEN = 0.6180339887498949  # spreads phased-array dwells of different threats over a period
BELOW_SURFACE_M = 1.0  # a target deeper than this under the sphere is not looked at
LEAST_SLANT_M = 1e-9  # floor of the slant range a look's direction is divided by


@inline_formula
def _rotating_look(schedule, site, x, y, z, time_start, time_end, speed):
    """(looked, dwell, next examination) of a rotating radar's beam over the target at frame
    position (x, y, z) at the step's end."""
    period = schedule.period_s
    margin = min(CROSSING_MARGIN_FRACTION * period, CROSSING_MARGIN_MAX_S)
    east, north = local_horizontal(x - site.position[0], y - site.position[1],
                                   z - site.position[2], site.east, site.north)
    crossing = beam_crossing(math.atan2(east, north), period)
    looked, dwell = first_dwell(time_start, time_end, period, crossing)
    upcoming = dwell + period if looked else next_turn(time_end, period, crossing)
    # No later step is longer than this one.
    earliest = earliest_crossing(period, margin, time_end - time_start, time_end,
                                  upcoming - time_end, math.sqrt(east * east + north * north),
                                  speed)
    return looked, dwell, max(upcoming - margin, earliest)


@inline_formula
def _revisit(schedule, confirmed, engaged, pending_count, pending_target, row, threat):
    """A phased array's revisit interval for the pair: its own battalion's engagements get the
    track rate, other confirmed tracks the maintenance rate, the rest the search frame."""
    revisit = schedule.search_frame_s
    if confirmed[row, threat]:
        revisit = schedule.maintenance_s
    if engaged.shape[0] > 0 and (engaged[row, threat] > 0 or (
            pending_count[row] > 0 and pending_target[row] == threat)):
        revisit = schedule.track_revisit_s
    return revisit


@inline_formula
def _examine(coverage, sector, site, tx, ty, tz, speed, highest):
    """(kept, bounded, wait, slant, height, elevation) of a look at the target at (tx, ty, tz):
    rejected for range, sector or horizon, it is `bounded`, `wait` s at least from coverage."""
    ox, oy, oz = tx - site.position[0], ty - site.position[1], tz - site.position[2]
    slant = norm3(ox, oy, oz)
    if slant < coverage.minimum_range_m:
        return False, False, 0.0, slant, 0.0, 0.0
    if slant > coverage.maximum_range_m:
        return (False, True, time_to_cover(slant - coverage.maximum_range_m, speed), slant,
                0.0, 0.0)
    if coverage.azimuth_width_rad < TWO_PI:
        outside, distance = outside_sector(
            *local_horizontal(ox, oy, oz, site.east, site.north), sector)
        if outside:
            return False, True, time_to_cover(distance, speed), slant, 0.0, 0.0
    height = norm3(tx, ty, tz) - site.earth_radius_m
    if height > coverage.maximum_altitude_m or height < -BELOW_SURFACE_M:
        return False, False, 0.0, slant, height, 0.0
    angle = effective_ground_angle(site.up, tx, ty, tz, site.earth_radius_m + height,
                                   site.refraction)
    if not above_horizon(angle, site.horizon_angle, height, site.effective_radius_m):
        return False, True, time_to_cover(distance_to_view(
            angle, site.earth_radius_m + height, highest, site.horizon_angle,
            site.effective_radius_m, site.refraction), speed), slant, height, 0.0
    elevation = elevation_from_ground_angle(angle, height, site.height_m,
                                            site.effective_radius_m)
    kept = in_elevation_band(elevation, coverage.minimum_elevation_rad,
                             coverage.maximum_elevation_rad)
    return kept, False, 0.0, slant, height, elevation


@kernel
def scheduled_looks(radar, schedule, coverage, site, alive, phase, next_look, start, end,
                    confirmed, engaged, pending_count, pending_target, time_start, time_end,
                    speed_bound, height_bound, visible_after):
    """The radar's looks in [time_start, time_end) that count: due, in coverage, in view.

    `confirmed` (R, N): the network's confirmed tracks; `engaged` (R, N), `pending_count`,
    `pending_target` (R,): its battalion's engagements (empty without one), at the track rate.
    `speed_bound`, `height_bound` (R, N): `motion_bounds`; `visible_after` (R, S, N), -inf to
    begin with: when each pair may next be in each radar's coverage. Updates `next_look` and
    `visible_after` in place; returns (rows, threats, dwell, target (C, 3), slant,
    direction (C, 3), height, elevation).
    """
    replications, threats = alive.shape
    capacity = replications * threats
    rows, which = np.empty(capacity, np.int64), np.empty(capacity, np.int64)
    dwells, slants, heights, elevations = (np.empty(capacity), np.empty(capacity),
                                           np.empty(capacity), np.empty(capacity))
    targets, directions = np.empty((capacity, 3)), np.empty((capacity, 3))
    sector = sector_shape(coverage.azimuth_centre_rad, coverage.azimuth_width_rad)
    count = 0
    for row in range(replications):
        for threat in range(threats):
            if not alive[row, threat] or phase[row, threat] != FLYING:
                continue
            if not next_look[row, radar, threat] < time_end:
                continue
            if schedule.rotating:
                looked, dwell, next_look[row, radar, threat] = _rotating_look(
                    schedule, site, end[row, threat, 0], end[row, threat, 1],
                    end[row, threat, 2], time_start, time_end, speed_bound[row, threat])
            else:
                revisit = _revisit(schedule, confirmed, engaged, pending_count, pending_target,
                                   row, threat)
                offset = ((threat * GOLDEN) % 1.0) * revisit  # spread over the frame
                looked, dwell = first_dwell(time_start, time_end, revisit, offset)
                next_look[row, radar, threat] = next_turn(time_end, revisit, offset)
            if not looked or dwell < visible_after[row, radar, threat]:
                continue
            fraction = (dwell - time_start) / (time_end - time_start)
            tx = start[row, threat, 0] + (end[row, threat, 0] - start[row, threat, 0]) * fraction
            ty = start[row, threat, 1] + (end[row, threat, 1] - start[row, threat, 1]) * fraction
            tz = start[row, threat, 2] + (end[row, threat, 2] - start[row, threat, 2]) * fraction
            kept, bounded, wait, slant, height, elevation = _examine(
                coverage, sector, site, tx, ty, tz, speed_bound[row, threat],
                height_bound[row, threat])
            if bounded:
                visible_after[row, radar, threat] = dwell + wait
            if not kept:
                continue
            rows[count], which[count], dwells[count] = row, threat, dwell
            targets[count, 0], targets[count, 1], targets[count, 2] = tx, ty, tz
            scale = 1.0 / max(slant, LEAST_SLANT_M)
            directions[count, 0] = (tx - site.position[0]) * scale
            directions[count, 1] = (ty - site.position[1]) * scale
            directions[count, 2] = (tz - site.position[2]) * scale
            slants[count], heights[count], elevations[count] = slant, height, elevation
            count += 1
    return (rows[:count], which[:count], dwells[:count], targets[:count], slants[:count],
            directions[:count], heights[:count], elevations[:count])


@kernel
def jammers_in_view(site, positions, active, jammer_to_noise_1m, direction, peak):
    """Each jammer as the radar at `site` sees it this step: unit direction (R, J, 3) and
    main-lobe J/N (R, J), 0 where silent or hidden, from its J/N at 1 m (J,)."""
    for row in range(positions.shape[0]):
        for jammer in range(positions.shape[1]):
            x, y, z = (positions[row, jammer, 0], positions[row, jammer, 1],
                       positions[row, jammer, 2])
            ox, oy, oz = x - site.position[0], y - site.position[1], z - site.position[2]
            distance = max(norm3(ox, oy, oz), 1.0)
            direction[row, jammer, 0] = ox / distance
            direction[row, jammer, 1] = oy / distance
            direction[row, jammer, 2] = oz / distance
            peak[row, jammer] = 0.0
            if not active[row, jammer]:
                continue
            height = norm3(x, y, z) - site.earth_radius_m
            angle = effective_ground_angle(site.up, x, y, z, site.earth_radius_m + height,
                                           site.refraction)
            if above_horizon(angle, site.horizon_angle, height, site.effective_radius_m):
                peak[row, jammer] = jammer_to_noise_at(jammer_to_noise_1m[jammer], distance)


# -- detection and plots of the kept looks ----------------------------------------------------

@kernel
def detect_and_plot(receiver, rcs_db, swerling, rows, threats, slant, elevation, target,
                    direction, jammers, draws, up):
    """Detection draws and plots of the kept looks (`scheduled_looks`' rows .. direction):
    the draw against Pd(S / (N + C + J)) on the "detection" stream at `draws`, the plot's
    errors on the "measurement" stream (`up`: the site's up). Returns (detected (C,),
    position (C, 3), covariance (C, 3, 3)), the last two filled where detected."""
    count = slant.shape[0]
    replication, entity = _counters(draws, rows, threats)
    uniforms = _detection_uniforms(draws.detection_key, replication, entity, draws.step)
    found, found_snr, detected = _verdicts(receiver, rcs_db, swerling, rows, threats, slant,
                                           elevation, direction, jammers, uniforms)
    radius_units, angle_units = _measurement_units(draws.measurement_key, replication[found],
                                                   entity[found], draws.step)
    position = np.zeros((count, 3))
    covariance = np.zeros((count, 3, 3))
    _plots(receiver.accuracy, found, found_snr, radius_units, angle_units, slant, target,
           direction, up, position, covariance)
    return detected, position, covariance


@kernel
def _counters(draws, rows, threats):
    """Each look's replication and entity counters, as flat arrays (an index read from an
    index array would keep the compiler from vectorizing the Philox loops)."""
    replication = np.empty(rows.shape[0], np.int64)
    entity = np.empty(rows.shape[0], np.int64)
    for look in range(rows.shape[0]):
        replication[look] = draws.replication_ids[rows[look]]
        entity[look] = draws.entity_base + threats[look]
    return replication, entity


@kernel
def _detection_uniforms(key, replication, entity, step):
    uniforms = np.empty(replication.shape[0])
    k0, k1 = key[0], key[1]
    for look in range(replication.shape[0]):
        w0, w1, _, _ = philox_block_inline(k0, k1, replication[look], entity[look], step, 0)
        uniforms[look] = unit_from_words(w0, w1)
    return uniforms


@kernel
def _measurement_units(key, replication, entity, step):
    """The two uniforms of each detection's Box-Muller normal on each of its three axes."""
    radius_units = np.empty((3, replication.shape[0]))
    angle_units = np.empty((3, replication.shape[0]))
    k0, k1 = key[0], key[1]
    for axis in range(3):
        for which in range(replication.shape[0]):
            w0, w1, w2, w3 = philox_block_inline(k0, k1, replication[which], entity[which],
                                                 step, axis)
            radius_units[axis, which] = unit_from_words(w0, w1)
            angle_units[axis, which] = unit_from_words(w2, w3)
    return radius_units, angle_units


@kernel
def _jamming(receiver, jammers, rows, direction):
    """J / N in each look's beam (C,): every jammer of the replication at the sidelobe level,
    those in the main lobe (inside `main_lobe_half_width_rad`) the rest of their gain."""
    beamwidth, sidelobe_db = receiver.beamwidth_azimuth_rad, receiver.sidelobe_level_db
    sidelobe = 10.0 ** (sidelobe_db / 10.0)
    main_lobe_cosine = math.cos(main_lobe_half_width_rad(beamwidth, sidelobe_db))
    rate = main_lobe_rate(beamwidth)
    peak, bearing = jammers.peak, jammers.direction
    floor = np.zeros(peak.shape[0])
    for row in range(peak.shape[0]):
        for jammer in range(peak.shape[1]):
            floor[row] += peak[row, jammer] * sidelobe
    jamming = np.empty(rows.shape[0])
    for look in range(rows.shape[0]):
        jamming[look] = main_lobe_jamming(
            floor[rows[look]], peak, bearing, rows[look], direction[look, 0], direction[look, 1],
            direction[look, 2], main_lobe_cosine, rate, sidelobe)
    return jamming


@kernel
def _verdicts(receiver, rcs_db, swerling, rows, threats, slant, elevation, direction, jammers,
              uniforms):
    """Each look's SINR, Pd and detection: (the detections' looks, their SNR (dB), detected)."""
    jamming = _jamming(receiver, jammers, rows, direction)
    tables = receiver.tables
    detected = np.zeros(slant.shape[0], np.bool_)
    found = np.empty(slant.shape[0], np.int64)
    found_snr = np.empty(slant.shape[0])
    detections = 0
    for look in range(slant.shape[0]):
        threat = threats[look]
        interference = clutter_to_noise(receiver.clutter, slant[look], elevation[look])
        interference += jamming[look]
        snr_db = signal_to_noise_db(receiver.loop_gain_db, rcs_db[threat], slant[look],
                                    interference)
        probability = tabulated_pd(snr_db, tables.tables, tables.slopes, swerling[threat],
                                   tables.lowest_snr_db, tables.step_db)
        hit = uniforms[look] < probability
        detected[look] = hit
        found[detections] = look
        found_snr[detections] = snr_db
        detections += hit
    return found[:detections], found_snr[:detections], detected


@kernel
def _plots(accuracy, found, found_snr, radius_units, angle_units, slant, target, direction,
           up, position, covariance):
    """Each detection's plot: the target plus errors along the line of sight and across it,
    and their covariance."""
    axes = np.empty((3, 3))
    scale = np.empty(3)
    for which in range(found.shape[0]):
        look = found[which]
        inverse = half_inverse_snr(found_snr[which])
        rx, ry, rz = direction[look, 0], direction[look, 1], direction[look, 2]
        ax, ay, az, bx, by, bz, horizontal = plot_axes(up, rx, ry, rz)
        axes[0, 0], axes[0, 1], axes[0, 2] = rx, ry, rz
        axes[1, 0], axes[1, 1], axes[1, 2] = ax, ay, az
        axes[2, 0], axes[2, 1], axes[2, 2] = bx, by, bz
        scale[0], scale[1], scale[2] = plot_sigmas(accuracy, inverse, slant[look], horizontal)
        for axis in range(3):
            error = scale[axis] * box_muller(radius_units[axis, which], angle_units[axis, which])
            for k in range(3):
                position[look, k] += error * axes[axis, k]
        for k in range(3):
            position[look, k] += target[look, k]
            for m in range(k, 3):
                covariance[look, k, m] = covariance[look, m, k] = covariance_entry(
                    scale, axes, k, m)


@kernel
def note_detections(radar, rows, threats, time_s, detected, first_detection,
                    radar_first_detection, fire_control_time, fire_control_battalions):
    """What the radar's detections leave behind: the first detection of each threat, by any
    radar and by this one, and the fire-control freshness of the battalions it serves."""
    for look in range(rows.shape[0]):
        if not detected[look]:
            continue
        row, threat, now = rows[look], threats[look], time_s[look]
        if not first_detection[row, threat] <= now:  # NaN until the first detection
            first_detection[row, threat] = now
        if not radar_first_detection[row, radar, threat] <= now:
            radar_first_detection[row, radar, threat] = now
        for battalion in fire_control_battalions:
            fire_control_time[row, battalion, threat] = now
