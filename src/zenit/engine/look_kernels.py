"""Compiled loops behind one radar's looks in one step: schedule, geometry, detection, plot.

`scheduled_looks` walks every (replication, threat) pair once. Each pair keeps the earliest
time the radar could look at it next, and is examined only when due: a rotating radar's next
beam crossing is predicted from the target's bearing (less a margin for the bearing to drift
within a turn, and no earlier than the target's greatest speed allows it to meet the beam), a
phased array's next dwell is exact. The look is placed at its own time inside the step (the
clocks of `zenit.sensors.scan`, DESIGN principle 5), the target is interpolated to that time,
and the look is kept when the target is inside the radar's coverage and above the 4/3-Earth
horizon (the geometry of `zenit.geo.horizon`). A look rejected for range, sector or horizon
also says how long the target, at its greatest speed and height (`zenit.engine.motion_bounds`),
needs to come into coverage; the pair's looks until then are not even interpolated. Both
skips are proven, not guessed: the kept looks are those of the scheduler without them.
`detect_and_plot` then draws each kept look against Pd(SINR) on the counter-based stream and
makes the noisy plot and its covariance. NumPy between the two adds what only some scenarios
need (terrain masking, clutter, jamming) on the kept looks alone.

Everything here is per pair, in one pass, so a replication's result does not depend on the
chunk it runs in; `tests/engine/test_look_kernels.py` checks each stage against the array
kernels of `zenit.sensors` and `zenit.geo`.
"""

from __future__ import annotations

import math

import numpy as np

from zenit.engine.jit import inline_kernel, kernel
from zenit.engine.streams import philox_block, unit_from_words
from zenit.sensors.antenna import GAUSSIAN_LOSS_DB_PER_BEAMWIDTH_SQUARED

TWO_PI = 2.0 * math.pi
# A rotating radar re-examines a pair this long before its predicted crossing, so that a
# target whose bearing drifts (a crossing target near the radar) is not missed.
CROSSING_MARGIN_FRACTION = 0.25
CROSSING_MARGIN_MAX_S = 2.0
GOLDEN = 0.6180339887498949  # spreads phased-array dwells of different threats over a period
# Slack the proofs behind the scheduler's skips leave for rounding: seconds on a crossing time
# (`_earliest_crossing`), metres on a distance to coverage (`_time_to_cover`).
BOUND_SLACK_S = 1e-3
BOUND_SLACK_M = 1.0

# Radar parameters packed for the kernels, one float64 vector per radar (see `radar_vector`).
(R_ROTATING, R_PERIOD, R_SEARCH_FRAME, R_TRACK_REVISIT, R_MAINTENANCE, R_MIN_RANGE,
 R_MAX_RANGE, R_MIN_ELEVATION, R_MAX_ELEVATION, R_MAX_ALTITUDE, R_AZIMUTH_CENTRE,
 R_AZIMUTH_WIDTH, R_SITE_HEIGHT, R_SITE_HORIZON, R_EARTH_RADIUS, R_REFRACTION) = range(16)


def radar_vector(radars, radar: int, site, maintenance_s: float, earth_radius_m: float,
                 refraction: float) -> np.ndarray:
    """One radar's scheduling and coverage parameters, in the order of the R_* indices."""
    values = np.zeros(16)
    values[R_ROTATING] = float(radars.rotating[radar])
    values[R_PERIOD] = radars.rotation_period_s[radar]
    values[R_SEARCH_FRAME] = radars.search_frame_s[radar]
    values[R_TRACK_REVISIT] = radars.track_revisit_s[radar]
    values[R_MAINTENANCE] = max(radars.track_revisit_s[radar], maintenance_s)
    values[R_MIN_RANGE] = radars.minimum_range_m[radar]
    values[R_MAX_RANGE] = radars.instrumented_range_m[radar]
    values[R_MIN_ELEVATION] = radars.minimum_elevation_rad[radar]
    values[R_MAX_ELEVATION] = radars.maximum_elevation_rad[radar]
    values[R_MAX_ALTITUDE] = radars.maximum_altitude_m[radar]
    values[R_AZIMUTH_CENTRE] = radars.azimuth_centre_rad[radar]
    values[R_AZIMUTH_WIDTH] = radars.azimuth_width_rad[radar]
    values[R_SITE_HEIGHT] = site.height_m
    values[R_SITE_HORIZON] = site.horizon_angle
    values[R_EARTH_RADIUS] = earth_radius_m
    values[R_REFRACTION] = refraction
    return values


@kernel
def _first_look(step_start, step_end, revisit, offset):
    """(looked, dwell) of the schedule offset + k revisit in [start, end), as scan.periodic_dwell."""
    first_turn = math.ceil((step_start - offset) / revisit)
    after_last_turn = math.ceil((step_end - offset) / revisit)
    if after_last_turn - first_turn > 0:
        dwell = min(max(offset + first_turn * revisit, step_start), step_end)
        return True, dwell
    return False, step_start


@kernel
def _dot(a, b):
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


@kernel
def _horizon_angle(height, effective_radius):
    height = max(height, 0.0)
    return math.atan2(math.sqrt(height * (2.0 * effective_radius + height)), effective_radius)


@kernel
def _squared_angle(cosine):
    """acos(cosine)^2, by its series in s = 1 - cosine near the axis (to rounding: the terms
    left out are below 1e-17 of the sum there), by acos elsewhere."""
    s = 1.0 - min(cosine, 1.0)
    if s < 0.005:
        # acos(1 - s)^2 = 4 asin(sqrt(s / 2))^2 = sum over n >= 1 of 4 (2 s)^n / (2 n^2 C(2n, n))
        return s * (2.0 + s * (1.0 / 3.0 + s * (4.0 / 45.0 + s * (1.0 / 35.0 + s * (
            16.0 / 1575.0 + s * (8.0 / 2079.0))))))
    angle = math.acos(max(cosine, -1.0))
    return angle * angle


@kernel
def _arc_cosine(cosine):
    """acos(cosine): near the axis, where looks at targets on the Earth all fall, the square
    root of `_squared_angle`'s series, a few multiplications instead of acos."""
    if 1.0 - min(cosine, 1.0) < 0.005:
        return math.sqrt(_squared_angle(cosine))
    return math.acos(min(max(cosine, -1.0), 1.0))


@kernel
def _in_view(params, up, x, y, z, height):
    """Ground angle on the effective Earth from the radar, and whether the point is above its
    horizon: the angle is at most the sum of both points' angles to their own horizons."""
    effective = params[R_REFRACTION] * params[R_EARTH_RADIUS]
    cosine = (x * up[0] + y * up[1] + z * up[2]) / (params[R_EARTH_RADIUS] + height)
    angle = _arc_cosine(cosine) / params[R_REFRACTION]
    # The target's horizon angle is atan(x), between x - x^3 / 3 and x: decide on the bounds
    # when they suffice, on the arctangent only in between.
    lifted = max(height, 0.0)
    x = math.sqrt(lifted * (2.0 * effective + lifted)) / effective
    if angle > params[R_SITE_HORIZON] + x:
        return angle, False
    if angle <= params[R_SITE_HORIZON] + x - x * x * x / 3.0:
        return angle, True
    return angle, angle <= params[R_SITE_HORIZON] + _horizon_angle(height, effective)


@kernel
def _earliest_crossing(period, margin, step_s, time_end, wait, ground, speed):
    """No step ending before this time can see the beam cross the target again (-inf: no bound).

    The examination at `time_end` (T0) predicts the next crossing `wait` s ahead from the
    bearing there, `ground` m horizontally from the radar; `speed` bounds the target's (inf:
    no bound). Within a turn the target stays beyond ground - speed * period, so its bearing
    turns at most `drift` (kappa) times as fast as the beam; `step_s` is the longest step.
    """
    if not ground > speed * period:
        return -math.inf
    drift = speed * period / (TWO_PI * (ground - speed * period))
    # A later step [s, e) looks when the beam, at 2 pi t / period, meets the bearing taken at
    # e at some t in [s, e). The gap from beam to bearing, 2 pi wait / period at T0, closes at
    # most (1 + kappa) times as fast as the beam turns and b(e) is within kappa (e - t) of
    # b(t), so the beam meets b(e) only if e > T0 + wait / (1 + kappa). Meeting it from behind
    # (the bearing taken at e overtaking the beam) needs wait + kappa step_s >= period, a look
    # just made; a turn later is later still. The margin rule at a step skipped (no look there)
    # would put the next examination at most T0 + wait + kappa (e - T0) - margin, not past the
    # bound when 2 wait kappa / (1 + kappa) <= margin: skipping those steps changes no look.
    if (drift > 0.5 or wait + drift * step_s + BOUND_SLACK_S >= period
            or 2.0 * wait * drift / (1.0 + drift) > margin - BOUND_SLACK_S):
        return -math.inf
    return time_end + wait / (1.0 + drift) - BOUND_SLACK_S


@kernel
def _time_to_cover(distance, speed):
    """Least time for a target `distance` m from a region to enter it, moving at most `speed`
    m/s (nan where it cannot be bounded, which skips nothing)."""
    return max(distance - BOUND_SLACK_M, 0.0) / speed


@kernel
def _distance_to_sector(toward, across, ground, half_width_cosine, half_width_sine):
    """Horizontal distance from a target outside the azimuth sector to the sector's wedge.

    `toward` and `across` are its horizontal offset along and (unsigned) across the sector's
    centre, `ground` their length: ground * sin(angle outside the sector), or the distance to
    the radar itself once that angle passes a right angle. Horizontal motion is no faster than
    the target, so this over its speed bounds the time to enter the sector.
    """
    if toward * half_width_cosine + across * half_width_sine <= 0.0:
        return ground
    return across * half_width_cosine - toward * half_width_sine


@kernel
def _distance_to_view(params, angle, radius, highest):
    """Distance from a target below the horizon to where one no higher than `highest` m could
    be in view: the cone about the radar's up from the Earth's centre in which the ground angle
    (`_in_view`'s, refraction times smaller than the central angle) is at most the site's
    horizon angle plus the target's at `highest`. `radius` is the target's distance from the
    centre, `angle` its ground angle."""
    if math.isnan(highest):
        return 0.0
    effective = params[R_REFRACTION] * params[R_EARTH_RADIUS]
    lifted = max(highest, 0.0)
    widest = params[R_SITE_HORIZON] + math.sqrt(lifted * (2.0 * effective + lifted)) / effective
    outside = params[R_REFRACTION] * (angle - widest)
    if not outside > 0.0:
        return 0.0
    if outside >= 0.5 * math.pi:
        return radius
    return radius * math.sin(outside)


@kernel
def jammers_in_view(params, site, positions, active, jammer_to_noise_1m, direction, peak):
    """Each jammer as the radar sees it this step: unit direction (R, J, 3) and main-lobe J/N
    (R, J), a power ratio, 0 where silent or below the horizon. J/N falls as 1/R^2 from
    `jammer_to_noise_1m` (J,), its ratio at 1 m (`zenit.sensors.jamming.jammer_to_noise_db` at
    1 m, in linear terms)."""
    position, up = site[0], site[3]
    for row in range(positions.shape[0]):
        for jammer in range(positions.shape[1]):
            x, y, z = positions[row, jammer, 0], positions[row, jammer, 1], positions[row, jammer, 2]
            ox, oy, oz = x - position[0], y - position[1], z - position[2]
            distance = max(math.sqrt(ox * ox + oy * oy + oz * oz), 1.0)
            direction[row, jammer, 0] = ox / distance
            direction[row, jammer, 1] = oy / distance
            direction[row, jammer, 2] = oz / distance
            peak[row, jammer] = 0.0
            if not active[row, jammer]:
                continue
            height = math.sqrt(x * x + y * y + z * z) - params[R_EARTH_RADIUS]
            if _in_view(params, up, x, y, z, height)[1]:
                peak[row, jammer] = jammer_to_noise_1m[jammer] / (distance * distance)


@kernel
def scheduled_looks(radar, params, site, alive, phase, next_look, start, end, confirmed,
                    engaged, pending_count, pending_target, time_start, time_end, speed_bound,
                    height_bound, visible_after):
    """The radar's looks in [time_start, time_end) that count: due, in coverage, in view.

    `site` is (4, 3): antenna position, east, north, up. `confirmed` (R, N) is the network's
    confirmed tracks; `engaged` (R, N) and `pending_count`/`pending_target` (R,) are its own
    battalion's engagements (empty arrays when the radar serves no battalion), which earn a
    phased array's full track rate. `speed_bound` and `height_bound` (R, N) bound each pair's
    speed (m/s) and height above the sphere (m) over its whole flight (`motion_bounds`; an
    infinite speed turns every skip off); `visible_after` (R, S, N), -inf to begin with, is
    when each pair may next be in each radar's coverage. Updates `next_look[:, radar]` and
    `visible_after[:, radar]` in place and returns
    (rows, threats, dwell, target (C, 3), slant (C,), direction (C, 3), height, elevation).
    """
    replications, threats = alive.shape
    capacity = replications * threats
    rows = np.empty(capacity, np.int64)
    which = np.empty(capacity, np.int64)
    dwells = np.empty(capacity)
    targets = np.empty((capacity, 3))
    slants = np.empty(capacity)
    directions = np.empty((capacity, 3))
    heights = np.empty(capacity)
    elevations = np.empty(capacity)
    position, east, north, up = site[0], site[1], site[2], site[3]
    rotating = params[R_ROTATING] > 0.5
    period = params[R_PERIOD]
    margin = min(CROSSING_MARGIN_FRACTION * period, CROSSING_MARGIN_MAX_S)
    earth = params[R_EARTH_RADIUS]
    effective = params[R_REFRACTION] * earth
    own_battalion = engaged.shape[0] > 0
    sector_sine = math.sin(params[R_AZIMUTH_CENTRE])
    sector_cosine = math.cos(params[R_AZIMUTH_CENTRE])
    half_width_cosine = math.cos(0.5 * params[R_AZIMUTH_WIDTH])
    half_width_sine = math.sin(0.5 * params[R_AZIMUTH_WIDTH])
    step_s = time_end - time_start  # no later step is longer
    # Each threat's place in a phased array's frame, a fraction of the revisit interval.
    stagger = np.empty(threats)
    for threat in range(threats):
        stagger[threat] = (threat * GOLDEN) % 1.0
    count = 0
    for row in range(replications):
        for threat in range(threats):
            if not alive[row, threat] or phase[row, threat] != 1:
                continue
            if not next_look[row, radar, threat] < time_end:
                continue
            x1 = end[row, threat, 0] - position[0]
            y1 = end[row, threat, 1] - position[1]
            z1 = end[row, threat, 2] - position[2]
            speed = speed_bound[row, threat]
            if rotating:
                bearing_east = x1 * east[0] + y1 * east[1] + z1 * east[2]
                bearing_north = x1 * north[0] + y1 * north[1] + z1 * north[2]
                bearing = math.atan2(bearing_east, bearing_north)
                crossing = period * ((bearing / TWO_PI) % 1.0)
                looked, dwell = _first_look(time_start, time_end, period, crossing)
                if looked:
                    upcoming = dwell + period
                else:
                    upcoming = crossing + period * math.ceil((time_end - crossing) / period)
                earliest = _earliest_crossing(
                    period, margin, step_s, time_end, upcoming - time_end,
                    math.sqrt(bearing_east * bearing_east + bearing_north * bearing_north), speed)
                next_look[row, radar, threat] = max(upcoming - margin, earliest)
            else:
                revisit = params[R_SEARCH_FRAME]
                if confirmed[row, threat]:
                    revisit = params[R_MAINTENANCE]
                if own_battalion and (engaged[row, threat] > 0 or (
                        pending_count[row] > 0 and pending_target[row] == threat)):
                    revisit = params[R_TRACK_REVISIT]
                offset = stagger[threat] * revisit
                looked, dwell = _first_look(time_start, time_end, revisit, offset)
                next_look[row, radar, threat] = offset + revisit * math.ceil(
                    (time_end - offset) / revisit)
            if not looked or dwell < visible_after[row, radar, threat]:
                continue
            fraction = (dwell - time_start) / (time_end - time_start)
            tx = start[row, threat, 0] + (end[row, threat, 0] - start[row, threat, 0]) * fraction
            ty = start[row, threat, 1] + (end[row, threat, 1] - start[row, threat, 1]) * fraction
            tz = start[row, threat, 2] + (end[row, threat, 2] - start[row, threat, 2]) * fraction
            ox, oy, oz = tx - position[0], ty - position[1], tz - position[2]
            slant = math.sqrt(ox * ox + oy * oy + oz * oz)
            # Each rejection that can be bounded says when the target could first be back
            # inside that one limit (the others may hold it out longer: no matter).
            if slant < params[R_MIN_RANGE]:
                continue
            if slant > params[R_MAX_RANGE]:
                visible_after[row, radar, threat] = dwell + _time_to_cover(
                    slant - params[R_MAX_RANGE], speed)
                continue
            if params[R_AZIMUTH_WIDTH] < TWO_PI:
                # In the sector centre +/- w/2 when the horizontal direction's cosine to the
                # centre is at least cos(w/2) (scan.in_azimuth_sector without the angles).
                ground_east = ox * east[0] + oy * east[1] + oz * east[2]
                ground_north = ox * north[0] + oy * north[1] + oz * north[2]
                toward = ground_east * sector_sine + ground_north * sector_cosine
                ground = math.sqrt(ground_east * ground_east + ground_north * ground_north)
                if toward < half_width_cosine * ground:
                    across = abs(ground_east * sector_cosine - ground_north * sector_sine)
                    visible_after[row, radar, threat] = dwell + _time_to_cover(
                        _distance_to_sector(toward, across, ground, half_width_cosine,
                                            half_width_sine), speed)
                    continue
            height = math.sqrt(tx * tx + ty * ty + tz * tz) - earth
            if height > params[R_MAX_ALTITUDE] or height < -1.0:
                continue
            angle, in_view = _in_view(params, up, tx, ty, tz, height)
            if not in_view:
                visible_after[row, radar, threat] = dwell + _time_to_cover(
                    _distance_to_view(params, angle, earth + height, height_bound[row, threat]),
                    speed)
                continue
            lifted = effective + height
            # sin(angle) = 2 sin(angle / 2) cos(angle / 2): one sine for both terms.
            half_sine = math.sin(0.5 * angle)
            across = lifted * (2.0 * half_sine * math.sqrt(1.0 - half_sine * half_sine))
            upward = (height - params[R_SITE_HEIGHT]) - 2.0 * lifted * half_sine ** 2
            elevation = math.atan2(upward, across)
            if elevation < params[R_MIN_ELEVATION] or elevation > params[R_MAX_ELEVATION]:
                continue
            rows[count], which[count], dwells[count] = row, threat, dwell
            targets[count, 0], targets[count, 1], targets[count, 2] = tx, ty, tz
            scale = 1.0 / max(slant, 1e-9)
            directions[count, 0], directions[count, 1] = ox * scale, oy * scale
            directions[count, 2] = oz * scale
            slants[count], heights[count], elevations[count] = slant, height, elevation
            count += 1
    return (rows[:count], which[:count], dwells[:count], targets[:count], slants[:count],
            directions[:count], heights[:count], elevations[:count])


# Clutter parameters packed for `detect_and_plot`, one float64 vector per radar: the last three
# are linear forms of dB entries before them, so that no look needs a power of ten.
(C_LOOP_GAIN, C_ANTENNA_HEIGHT, C_EFFECTIVE_RADIUS, C_GAMMA_DB, C_BEAM_AZ, C_BEAM_EL,
 C_RESOLUTION, C_SIDELOBE_DB, C_IMPROVEMENT_DB, C_LOW_ELEVATION, C_GAIN, C_GAMMA,
 C_SIDELOBE_TWO_WAY) = range(13)
# The Gaussian main lobe's one-way loss, GAUSSIAN_LOSS_DB_PER_BEAMWIDTH_SQUARED dB per squared
# beamwidth off boresight, in nepers: gain = exp(-rate off^2) = 10 ** (-loss_db off^2 / 10).
MAIN_LOBE_RATE = GAUSSIAN_LOSS_DB_PER_BEAMWIDTH_SQUARED * math.log(10.0) / 10.0
LN10_OVER_10 = math.log(10.0) / 10.0  # 10 ** (x / 10) = exp(LN10_OVER_10 x)
TEN_OVER_LN10 = 10.0 / math.log(10.0)  # 10 log10(x) = TEN_OVER_LN10 ln(x)
# `streams.philox_block` compiled into each loop that calls it, where it vectorizes.
_philox = inline_kernel(philox_block.py_func)


@kernel
def clutter_to_noise(params, slant, elevation):
    """Clutter left after Doppler processing, as a ratio to noise, in the target's cell.

    `zenit.sensors.clutter.clutter_to_noise_db` for one look, in linear terms: constant-gamma
    clutter over the smaller of the range- and beam-limited cells at the grazing angle on the
    4/3 Earth, weighted by the two-way elevation pattern at (elevation + depression) off the
    beam, less the improvement factor. Zero above `C_LOW_ELEVATION` (the ground is in the
    sidelobes) and beyond the horizon (no surface in the cell). `params` holds the C_* entries
    (`zenit.engine.sensing.clutter_vector`).
    """
    if not elevation < params[C_LOW_ELEVATION]:
        return 0.0
    a, h = params[C_EFFECTIVE_RADIUS], params[C_ANTENNA_HEIGHT]
    r = max(slant, 1.0)
    # The grazing angle is needed only through its sine and cosine.
    sine = min(max((2.0 * a * h + h * h - r * r) / (2.0 * a * r), 0.0), 1.0)
    if sine <= 0.0:
        return 0.0
    range_limited = r * params[C_BEAM_AZ] * params[C_RESOLUTION] / math.sqrt(
        (1.0 - sine) * (1.0 + sine))
    beam_limited = (math.pi / 4.0 * r * r * params[C_BEAM_AZ] * params[C_BEAM_EL]
                    / max(sine, 1e-300))
    rcs = params[C_GAMMA] * sine * min(range_limited, beam_limited)
    depression = math.asin(min(max((2.0 * a * h + h * h + r * r) / (2.0 * (a + h) * r), -1.0),
                               1.0))
    off = (elevation + depression) / params[C_BEAM_EL]
    # Two-way pattern: the square of the one-way gain, floored at the sidelobe level's square.
    pattern = max(math.exp(-2.0 * MAIN_LOBE_RATE * off * off), params[C_SIDELOBE_TWO_WAY])
    square = r * r
    return params[C_GAIN] * rcs * pattern / (square * square)


@kernel
def detect_and_plot(loop_gain_db, rcs_db, swerling, rows, threats, slant, elevation,
                    clutter_params, jammer_direction, jammer_peak, jammer_pattern, tables, slopes,
                    lowest_snr_db, step_db, key_detection, key_measurement, replication_ids,
                    entity_base, step, measurement, up, target, direction):
    """Detection draws and plots of the kept looks.

    SINR = loop gain + RCS - 40 log R - 10 log(1 + (C + J) / N), with C / N from
    `clutter_to_noise` (`clutter_params`, see the C_* indices) and J / N summed over the
    jammers of the look's replication: each jammer's main-lobe J/N (`jammer_peak` (R, J), 0
    where silent or hidden) times the antenna's one-way gain toward it
    (`zenit.sensors.antenna.pattern_gain_db`, `jammer_pattern` = (beamwidth, sidelobe dB)) off
    the beam, which points at the target. Pd from the radar's tabulated curve for the threat's
    Swerling case (`tables`/`slopes` (5, T), as DetectionCurve.pd; `rcs_db` and `swerling` are
    per threat); the draw is `RandomStreams.uniform("detection", ...)`. A detection's plot has
    a radial and two cross-range errors from the range and angle accuracies at that SNR
    (`zenit.sensors.measurement.measurement_sigmas`; `measurement` holds range resolution,
    azimuth and elevation beamwidths, monopulse slope, range floor, angle floor), drawn on the
    "measurement" stream. Returns (detected (C,), position (C, 3), covariance (C, 3, 3)),
    the last two filled where detected.

    Three passes: every look's detection draw (Philox blocks in one loop, which the compiler
    vectorizes), every look's SINR and verdict, then the plots of the detections (their
    Philox blocks again in one loop first). The numbers are those of `uniform_at` and
    `normal_at`, bit for bit.
    """
    count = slant.shape[0]
    detected = np.zeros(count, np.bool_)
    position = np.zeros((count, 3))
    covariance = np.zeros((count, 3, 3))
    last_position = np.float64(tables.shape[1] - 1)
    # Outside the main lobe the pattern is its sidelobe floor: no angle needed there. Every
    # jammer of a replication counts at the sidelobe level; those in the main lobe add the rest.
    beamwidth, sidelobe_db = jammer_pattern[0], jammer_pattern[1]
    sidelobe = 10.0 ** (sidelobe_db / 10.0)
    main_lobe_cosine = math.cos(beamwidth * math.sqrt(
        -sidelobe_db / GAUSSIAN_LOSS_DB_PER_BEAMWIDTH_SQUARED))
    main_lobe_rate = MAIN_LOBE_RATE / (beamwidth * beamwidth)  # per squared radian off the beam
    sidelobe_jamming = np.zeros(jammer_peak.shape[0])
    for row in range(jammer_peak.shape[0]):
        for jammer in range(jammer_peak.shape[1]):
            sidelobe_jamming[row] += jammer_peak[row, jammer] * sidelobe

    # (The Philox loops read their counters from flat arrays: an index read from an index
    # array would keep the compiler from vectorizing them.)
    replication = np.empty(count, np.int64)
    entity = np.empty(count, np.int64)
    for look in range(count):
        replication[look] = replication_ids[rows[look]]
        entity[look] = entity_base + threats[look]
    draws = np.empty(count)
    for look in range(count):
        w0, w1, _, _ = _philox(key_detection, replication[look], entity[look], step, 0)
        draws[look] = unit_from_words(w0, w1)

    found = np.empty(count, np.int64)  # the detections' looks, SNR (dB) and counters
    found_snr = np.empty(count)
    found_replication = np.empty(count, np.int64)
    found_entity = np.empty(count, np.int64)
    detections = 0
    for look in range(count):
        threat, row = threats[look], rows[look]
        interference = clutter_to_noise(clutter_params, slant[look], elevation[look])
        jamming = sidelobe_jamming[row]
        for jammer in range(jammer_peak.shape[1]):
            cosine = (jammer_direction[row, jammer, 0] * direction[look, 0]
                      + jammer_direction[row, jammer, 1] * direction[look, 1]
                      + jammer_direction[row, jammer, 2] * direction[look, 2])
            if cosine >= main_lobe_cosine and jammer_peak[row, jammer] != 0.0:
                gain = math.exp(-main_lobe_rate * _squared_angle(cosine))
                if gain > sidelobe:
                    jamming += jammer_peak[row, jammer] * (gain - sidelobe)
        interference += jamming
        # One logarithm for both the range loss R^4 and 1 + (C + J) / N.
        square = max(slant[look], 1.0) ** 2
        snr_db = loop_gain_db + rcs_db[threat] - TEN_OVER_LN10 * math.log(
            square * square * (1.0 + interference))
        case = swerling[threat]
        place = min(max((snr_db - lowest_snr_db) * (1.0 / step_db), 0.0), last_position)
        index = np.int64(place)
        probability = (place - index) * slopes[case, index] + tables[case, index]
        hit = draws[look] < probability
        detected[look] = hit
        found[detections] = look
        found_snr[detections] = snr_db
        found_replication[detections] = replication[look]
        found_entity[detections] = entity[look]
        detections += hit

    # Box-Muller on one Philox block per normal, as `normal_at`: the blocks first.
    radius_units = np.empty((3, detections))
    angle_units = np.empty((3, detections))
    for axis in range(3):
        for which in range(detections):
            w0, w1, w2, w3 = _philox(key_measurement, found_replication[which],
                                     found_entity[which], step, axis)
            radius_units[axis, which] = unit_from_words(w0, w1)
            angle_units[axis, which] = unit_from_words(w2, w3)
    resolution, beam_az, beam_el, slope, range_floor, angle_floor = (
        measurement[0], measurement[1], measurement[2], measurement[3], measurement[4],
        measurement[5])
    # measurement_sigmas: sigma^2 = (resolution, or beamwidth / slope)^2 / (2 SNR) + floor^2.
    range_noise = resolution * resolution
    azimuth_noise = (beam_az / slope) * (beam_az / slope)
    elevation_noise = (beam_el / slope) * (beam_el / slope)
    range_floor_squared = range_floor * range_floor
    angle_floor_squared = angle_floor * angle_floor
    axes = np.empty((3, 3))
    scale = np.empty(3)
    for which in range(detections):
        look = found[which]
        half_inverse_snr = 0.5 * math.exp(-LN10_OVER_10 * found_snr[which])  # 1 / (2 SNR)
        rx, ry, rz = direction[look, 0], direction[look, 1], direction[look, 2]
        ax, ay, az = up[1] * rz - up[2] * ry, up[2] * rx - up[0] * rz, up[0] * ry - up[1] * rx
        horizontal = max(math.sqrt(ax * ax + ay * ay + az * az), 1e-3)  # cos(elevation)
        ax, ay, az = ax / horizontal, ay / horizontal, az / horizontal
        axes[0, 0], axes[0, 1], axes[0, 2] = rx, ry, rz
        axes[1, 0], axes[1, 1], axes[1, 2] = ax, ay, az
        axes[2, 0], axes[2, 1], axes[2, 2] = ry * az - rz * ay, rz * ax - rx * az, rx * ay - ry * ax
        scale[0] = math.sqrt(range_noise * half_inverse_snr + range_floor_squared)
        scale[1] = slant[look] * math.sqrt(azimuth_noise * half_inverse_snr
                                           + angle_floor_squared) * horizontal
        scale[2] = slant[look] * math.sqrt(elevation_noise * half_inverse_snr
                                           + angle_floor_squared)
        for axis in range(3):
            normal = (np.sqrt(-2.0 * np.log(radius_units[axis, which]))
                      * np.cos(2.0 * np.pi * angle_units[axis, which]))
            error = scale[axis] * normal
            for k in range(3):
                position[look, k] += error * axes[axis, k]
        for k in range(3):
            position[look, k] += target[look, k]
            for m in range(k, 3):
                total = 0.0
                for axis in range(3):
                    total += scale[axis] * scale[axis] * axes[axis, k] * axes[axis, m]
                covariance[look, k, m] = total
                covariance[look, m, k] = total
    return detected, position, covariance


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
