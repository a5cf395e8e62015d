"""Flying the interceptor slots one step: the per-slot work of `InterceptorSlots.fly`, compiled.

Per missile in flight: the homing decision, the PIP on its network's track and the loft, the
command (PN when homing, else midcourse toward the lofted PIP), one Heun step, the closest
approach in the step, whether it is spent; in place on the (replication, slot) arrays. The
physics is the formulas of `zenit.physics` (guidance, interceptor, endgame, flyout). Each
slot's work depends on that slot alone, so the result does not depend on the chunk.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from zenit.compiled import inline_formula, kernel
from zenit.engine.streams import normal_at, uniform_at
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.physics.endgame import closest_approach_in_step, kill_probability_at
from zenit.physics.flyout import range_and_height
from zenit.physics.guidance import (intercept_triangle, kinematics, loft, midcourse, norm,
                                    proportional_navigation)
from zenit.physics.interceptor import Airframes, airframe, heun_step, launch_velocity
from zenit.scalars import maximum, minimum

# The intercept triangle assumes at least this mean speed: just after launch the missile is
# far slower than it will fly (a 25 m/s cold ejection), and its PIP would run away.
MINIMUM_PIP_SPEED_MPS = 600.0
# A pass is scored only within the fuze's reach plus two steps of closing at the missile's
# speed and this bound on a threat's (the fastest re-entry vehicles): a missile that opens
# from a target far away has not passed it.
THREAT_SPEED_BOUND_MPS = 3_000.0
# Out of energy (slower than the minimum useful speed) counts only this long after launch:
# a cold-launched round starts slow.
SLOW_START_GRACE_S = 5.0
SEEKER_DIVISION_FLOOR = 1e-9  # keeps the boresight cosine finite at zero range or speed


class Rules(NamedTuple):
    """The guidance and endgame constants of `zenit.engine.interceptors`."""

    guidance_track_via_missile: int
    guidance_active_radar: int
    midcourse_gain: float
    terminal_range_tvm_m: float
    seeker_gimbal_cosine: float
    fuze_reach_m: float
    minimum_useful_speed_mps: float
    loft_ratio: float
    loft_fade_m: float
    gravitational_parameter: float


class MissileTable(NamedTuple):
    """A world's missile types (K,): their airframes and what guidance needs of them."""

    airframes: Airframes
    guidance: np.ndarray  # int64: zenit.physics.guidance_modes GUIDANCE_* code
    seeker_acquisition_range_m: np.ndarray
    navigation_constant: np.ndarray
    maximum_flight_time_s: np.ndarray


class FlightTables(NamedTuple):
    """What the kernels read besides the slots and the threats, built once per world."""

    missiles: MissileTable
    rules: Rules


class SlotState(NamedTuple):
    """Interceptor slots: (R, S) arrays, (R, S, 3) for vectors in the engine frame."""

    active: np.ndarray  # bool
    target: np.ndarray  # int64 threat
    missile_type: np.ndarray  # int64
    battalion: np.ndarray  # int64
    serial: np.ndarray  # int64: the replication's shot count at launch
    launch_time: np.ndarray
    launch_step: np.ndarray  # int64; -1 before the first launch
    homing: np.ndarray  # bool: the seeker (or TVM downlink) has had the target
    position: np.ndarray
    velocity: np.ndarray
    mass: np.ndarray
    time_since_launch: np.ndarray
    aim_point: np.ndarray  # the unlofted predicted intercept point
    closest_m: np.ndarray  # closest distance to the target so far
    intercept_range_m: np.ndarray  # of the aim point at launch, for the record
    intercept_altitude_m: np.ndarray


class ThreatStep(NamedTuple):
    """The threats over a step, (R, N, 3): position at its start and end, velocity at its start."""

    start: np.ndarray
    end: np.ndarray
    velocity: np.ndarray


def _floats(values, count) -> np.ndarray:
    return np.ascontiguousarray(np.broadcast_to(np.asarray(values, dtype=np.float64), (count,)))


def flight_tables(missiles, rules: Rules) -> FlightTables:
    """A world's `MissileTypeArrays` as the kernels' `FlightTables`."""
    count = missiles.count
    table = MissileTable(missiles.parameters.airframes(count),
                         np.ascontiguousarray(np.broadcast_to(missiles.guidance, (count,)),
                                              dtype=np.int64),
                         _floats(missiles.seeker_acquisition_range_m, count),
                         _floats(missiles.navigation_constant, count),
                         _floats(missiles.maximum_flight_time_s, count))
    return FlightTables(table, rules)


@kernel
def launch_slots(rows, slots, missile_type, site, direction, ejection_speed_mps, dt, aim,
                 state, tables):
    """Missiles leaving `site` (C, 3) along `direction` at the ejection speed, flown without
    command for their `dt` (C,) into the slots (rows[i], slots[i]) of `state`, aim point `aim`."""
    airframes, mu = tables.missiles.airframes, tables.rules.gravitational_parameter
    for i in range(rows.shape[0]):
        r, s, kind = rows[i], slots[i], missile_type[i]
        vx, vy, vz = launch_velocity(direction[i, 0], direction[i, 1], direction[i, 2],
                                     ejection_speed_mps)
        px, py, pz = site[i, 0], site[i, 1], site[i, 2]
        (state.position[r, s, 0], state.position[r, s, 1], state.position[r, s, 2],
         state.velocity[r, s, 0], state.velocity[r, s, 1], state.velocity[r, s, 2],
         state.mass[r, s]) = heun_step(px, py, pz, vx, vy, vz,
                                       kinematics(px, py, pz, vx, vy, vz, mu), 0.0,
                                       airframes.launch_mass_kg[kind], dt[i], 0.0, 0.0, 0.0,
                                       airframe(airframes, kind), airframes.drag, mu)
        state.time_since_launch[r, s] = dt[i]
        ax, ay, az = aim[i, 0], aim[i, 1], aim[i, 2]
        state.aim_point[r, s, 0], state.aim_point[r, s, 1], state.aim_point[r, s, 2] = ax, ay, az
        state.intercept_range_m[r, s] = range_and_height(site[i], ax, ay, az)[0]
        state.intercept_altitude_m[r, s] = norm(ax, ay, az) - EARTH_RADIUS_M


@kernel
def _gather(rows, slots, time_start, state, threats, picture, fire_control):
    """What each missile reads of its target (start, end, velocity), its network's track
    (extrapolated to the step's start), whether that exists and whether its fire-control radar
    holds the target: scattered reads, in a loop of their own so that many overlap."""
    count = rows.shape[0]
    start, end, velocity = np.empty((count, 3)), np.empty((count, 3)), np.empty((count, 3))
    track = np.empty((count, 6))
    exists, holds = np.empty(count, np.bool_), np.empty(count, np.bool_)
    for i in range(count):
        r, s = rows[i], slots[i]
        threat, battalion = state.target[r, s], state.battalion[r, s]
        network = picture.network_of_battalion[battalion]
        elapsed = time_start - picture.time[r, network, threat]
        for axis in range(3):
            start[i, axis] = threats.start[r, threat, axis]
            end[i, axis] = threats.end[r, threat, axis]
            velocity[i, axis] = threats.velocity[r, threat, axis]
            track[i, axis] = (picture.means[r, network, threat, axis]
                              + elapsed * picture.means[r, network, threat, 3 + axis])
            track[i, 3 + axis] = picture.means[r, network, threat, 3 + axis]
        exists[i] = picture.exists[r, network, threat]
        holds[i] = time_start - fire_control.time[r, battalion, threat] <= fire_control.hold_s
    return start, end, velocity, track, exists, holds


@inline_formula
def _homes(latched, guidance_kind, seeker_range_m, rx, ry, rz, distance, vx, vy, vz, speed,
           holds, rules):
    """(the homing latch, whether the missile homes by PN this step): the seeker sees only
    inside its gimbal limits; a track-via-missile round homes only while its radar holds."""
    boresight = ((rx * vx + ry * vy + rz * vz)
                 / maximum(distance * speed, SEEKER_DIVISION_FLOOR))
    in_view = boresight >= rules.seeker_gimbal_cosine
    if guidance_kind == rules.guidance_active_radar:
        seeker_on = distance <= seeker_range_m
    else:
        seeker_on = (distance <= rules.terminal_range_tvm_m) and holds
    latched = latched or (seeker_on and in_view)
    return latched, (latched and in_view
                     and (guidance_kind != rules.guidance_track_via_missile or holds))


@inline_formula
def _aim(exists, tx, ty, tz, wx, wy, wz, px, py, pz, speed, kept_x, kept_y, kept_z):
    """The aim point: the PIP on the network track (t, w), the one kept from before where there
    is none."""
    qx, qy, qz, _ = intercept_triangle(tx, ty, tz, wx, wy, wz, px, py, pz,
                                       maximum(speed, MINIMUM_PIP_SPEED_MPS))
    if exists and math.isfinite(qx) and math.isfinite(qy) and math.isfinite(qz):
        return qx, qy, qz
    return kept_x, kept_y, kept_z


@inline_formula
def _outcome(rx, ry, rz, distance, speed, moved, ex, ey, ez, dt, end_time, maximum_flight_time_s,
             rules):
    """(passed, spent, closest approach, its time in the step) for the threat ending the step
    at e and the missile's new state `moved` (position, velocity, mass)."""
    nx, ny, nz, nvx, nvy, nvz, _ = moved
    closest, time_in_step = closest_approach_in_step(rx, ry, rz, ex - nx, ey - ny, ez - nz, dt)
    did_pass = ((time_in_step < dt) and (distance < rules.fuze_reach_m
                                         + 2.0 * dt * (speed + THREAT_SPEED_BOUND_MPS)))
    altitude = norm(nx, ny, nz) - EARTH_RADIUS_M
    spent = ((end_time > maximum_flight_time_s) or (altitude < 0.0)
             or ((norm(nvx, nvy, nvz) < rules.minimum_useful_speed_mps)
                 and (end_time > SLOW_START_GRACE_S)))
    return did_pass, spent, closest, time_in_step


@kernel
def fly_slots(rows, slots, dt, time_start, state, threats, picture, fire_control, tables):
    """Guide, fly one step of dt (s) from time_start and score the slots (rows[i], slots[i]) of
    `state` (in place) against `threats`, on the battalion network's tracks (`picture`) and
    fire-control radar. Per slot: miss (m: a pass's closest approach before guidance error,
    else the closest so far), time_s (when it ended), passed and ended."""
    missiles, rules, mu = tables.missiles, tables.rules, tables.rules.gravitational_parameter
    count = rows.shape[0]
    miss, time_s = np.empty(count), np.empty(count)
    passed, ended = np.zeros(count, dtype=np.bool_), np.zeros(count, dtype=np.bool_)
    start, end, threat_velocity, track, exists, holds = _gather(
        rows, slots, time_start, state, threats, picture, fire_control)
    # Arrays out of their tables once (read through a table in the loop, each is counted).
    position, velocity, aim_point, homing, mass, clock, closest_m, active = (
        state.position, state.velocity, state.aim_point, state.homing, state.mass,
        state.time_since_launch, state.closest_m, state.active)
    guidance, acquisition_m, navigation, airframes, flight_time_s = (
        missiles.guidance, missiles.seeker_acquisition_range_m, missiles.navigation_constant,
        missiles.airframes, missiles.maximum_flight_time_s)
    drag = airframes.drag
    for i in range(count):
        r, s, kind = rows[i], slots[i], state.missile_type[rows[i], slots[i]]
        px, py, pz = position[r, s, 0], position[r, s, 1], position[r, s, 2]
        vx, vy, vz = velocity[r, s, 0], velocity[r, s, 1], velocity[r, s, 2]
        rx, ry, rz = start[i, 0] - px, start[i, 1] - py, start[i, 2] - pz
        distance = norm(rx, ry, rz)
        now = kinematics(px, py, pz, vx, vy, vz, mu)
        speed, ux, uy, uz, _, gx, gy, gz = now
        homing[r, s], homes = _homes(
            homing[r, s], guidance[kind], acquisition_m[kind],
            rx, ry, rz, distance, vx, vy, vz, speed, holds[i], rules)
        qx, qy, qz = _aim(exists[i], track[i, 0], track[i, 1], track[i, 2], track[i, 3],
                          track[i, 4], track[i, 5], px, py, pz, speed, aim_point[r, s, 0],
                          aim_point[r, s, 1], aim_point[r, s, 2])
        aim_point[r, s, 0], aim_point[r, s, 1], aim_point[r, s, 2] = qx, qy, qz
        if homes:
            cx, cy, cz = proportional_navigation(
                rx, ry, rz, threat_velocity[i, 0] - vx, threat_velocity[i, 1] - vy,
                threat_velocity[i, 2] - vz, distance, navigation[kind])
        else:
            qx, qy, qz = loft(px, py, pz, qx, qy, qz, rules.loft_ratio, rules.loft_fade_m)
            cx, cy, cz = midcourse(px, py, pz, ux, uy, uz, speed, gx, gy, gz, qx, qy, qz,
                                   rules.midcourse_gain)
        end_time = clock[r, s] + dt
        moved = heun_step(px, py, pz, vx, vy, vz, now, clock[r, s],
                          mass[r, s], dt, cx, cy, cz, airframe(airframes, kind),
                          drag, mu)
        passed[i], spent, closest, time_in_step = _outcome(
            rx, ry, rz, distance, speed, moved, end[i, 0], end[i, 1], end[i, 2], dt, end_time,
            flight_time_s[kind], rules)
        (position[r, s, 0], position[r, s, 1], position[r, s, 2],
         velocity[r, s, 0], velocity[r, s, 1], velocity[r, s, 2],
         mass[r, s]) = moved
        clock[r, s] = end_time
        ended[i] = passed[i] or spent
        active[r, s] = not ended[i]
        if not passed[i]:
            closest_m[r, s] = minimum(closest_m[r, s], distance)
        miss[i] = closest if passed[i] else closest_m[r, s]
        time_s[i] = time_start + (time_in_step if passed[i] else dt)
    return miss, time_s, passed, ended


@kernel
def endgame(miss, missile_type, target, serial, replication, guidance_error_m, manoeuvring,
            manoeuvre_acceleration, autopilot_lag_s, lethal_radius_m, pk_max, fuze_reach_m,
            error_key, kill_key):
    """(miss with guidance error, killed) (C,) of missiles that passed their target: seeker
    noise and, against a manoeuvring threat, the autopilot lag's a_T tau^2 (Zarchan, Tactical
    and Strategic Missile Guidance, ch. 6, single-lag miss from a step manoeuvre) in quadrature,
    as a Gaussian miss-plane error ("guidance-error" draws 0 and 1 at the missile's serial);
    then Pk (`kill_probability_at`) against a "kill" uniform, within the fuze's reach."""
    count = miss.shape[0]
    total = np.empty(count)
    killed = np.zeros(count, np.bool_)
    for i in range(count):
        kind, threat = missile_type[i], target[i]
        lag = (manoeuvre_acceleration[threat] * autopilot_lag_s ** 2 if manoeuvring[threat]
               else 0.0)
        sigma = math.hypot(guidance_error_m[kind], lag)
        across = sigma * normal_at(error_key, replication[i], serial[i], 0, 0)
        along = sigma * normal_at(error_key, replication[i], serial[i], 0, 1)
        total[i] = math.hypot(miss[i] + across, along)
        probability = kill_probability_at(total[i], lethal_radius_m[kind], pk_max[kind])
        killed[i] = (total[i] <= fuze_reach_m
                     and uniform_at(kill_key, replication[i], serial[i], 0, 0) < probability)
    return total, killed
