"""Interceptors in flight: fixed slots per replication, flown as one flat batch each step.

A replication has as many slots as its battalions can guide missiles at once; a launch takes a
free slot, an intercept or a miss frees it. Each step the active slots of all replications are
gathered into flat arrays, guided (midcourse on the network track toward the predicted
intercept point, then proportional navigation once the seeker or the track-via-missile
terminal phase has the target), flown by the 3-DOF model, and scored at closest approach.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zenit.geo.frames import EARTH_RADIUS_M
from zenit.engine.world import GUIDANCE_ACTIVE_RADAR, GUIDANCE_TRACK_VIA_MISSILE
from zenit.physics import endgame, guidance, interceptor
from zenit.physics.flyout import ground_range_and_height

MIDCOURSE_GAIN = 1.0  # 1/s: the heading time constant of command guidance toward the PIP
TERMINAL_RANGE_TVM_M = 25_000.0
SEEKER_GIMBAL_COSINE = np.cos(np.radians(50.0))  # seeker look angle limit off the missile's axis  # track-via-missile: the seeker's downlink phase begins here
FUZE_REACH_M = 2_000.0  # a closest approach farther than this is a plain miss, no warhead
MINIMUM_USEFUL_SPEED_MPS = 150.0
# Terminal guidance error (1 sigma per axis in the miss plane) by guidance kind, m: the order
# of published miss distances of radar-homing SAMs; no public figure for these rounds.
GUIDANCE_ERROR_M = np.array([6.0, 4.0, 5.0, 10.0])  # TVM, active radar, semi-active, command
AUTOPILOT_LAG_S = 0.3  # flight-control time constant of an agile SAM (Zarchan, ch. 6)
LOFT_RATIO = 0.3  # aim this high per metre of ground still to go (about 17 degrees of climb)
LOFT_FADE_M = 15_000.0


def lofted(position, aim_point):
    """Raise the midcourse aim point while far out, so the missile climbs into thin air.

    Flying straight at a low intercept point 100 km away would burn the missile's energy in
    dense air; command-guided SAMs loft instead. The aim is raised by LOFT_RATIO times the
    ground distance still to go beyond LOFT_FADE_M, so the climb flattens into a dive as the
    missile closes, and vanishes in the last LOFT_FADE_M.
    """
    up = aim_point / np.linalg.norm(aim_point, axis=-1, keepdims=True)
    offset = aim_point - position
    horizontal = np.linalg.norm(offset - np.sum(offset * up, axis=-1, keepdims=True) * up, axis=-1)
    raise_m = LOFT_RATIO * np.maximum(horizontal - LOFT_FADE_M, 0.0)
    return aim_point + up * raise_m[:, None]


@dataclass
class Flight:
    """What one step of flight decided, for the slots that ended this step."""

    rows: np.ndarray
    slots: np.ndarray
    killed: np.ndarray  # bool: the warhead killed the target
    ended: np.ndarray  # bool: the slot is free again (kill, miss, lost, out of energy)
    miss_distance_m: np.ndarray
    time_s: np.ndarray  # when it ended


class InterceptorSlots:
    def __init__(self, replications: int, slots: int):
        shape = (replications, slots)
        self.active = np.zeros(shape, dtype=bool)
        self.target = np.zeros(shape, dtype=np.int64)
        self.missile_type = np.zeros(shape, dtype=np.int64)
        self.battalion = np.zeros(shape, dtype=np.int64)
        self.serial = np.zeros(shape, dtype=np.int64)
        self.launch_time = np.zeros(shape)
        self.launch_step = np.full(shape, -1, dtype=np.int64)
        self.homing = np.zeros(shape, dtype=bool)
        self.position = np.zeros(shape + (3,))
        self.velocity = np.zeros(shape + (3,))
        self.mass = np.zeros(shape)
        self.time_since_launch = np.zeros(shape)
        self.aim_point = np.zeros(shape + (3,))
        self.closest_m = np.full(shape, np.inf)
        self.intercept_range_m = np.zeros(shape)  # of the aim point at launch, for the record
        self.intercept_altitude_m = np.zeros(shape)

    def free_slot(self, rows):
        """The first free slot of each replication in `rows`, -1 where all are busy."""
        free = ~self.active[rows]
        slot = np.argmax(free, axis=1)
        return np.where(free[np.arange(len(rows)), slot], slot, -1)

    def launch(self, world, rows, slots, target, missile_type, battalion, serial, time_s,
               time_end, step, aim_point):
        """Fill slots with missiles leaving their battalion at `time_s`, flown to `time_end`."""
        missiles = world.missiles
        parameters = missiles.parameters.take(missile_type)
        site = world.battalions.position[battalion]
        up = site / np.linalg.norm(site, axis=-1, keepdims=True)
        toward = aim_point - site
        direction = np.where(parameters.vertical_launch_time_s[:, None] > 0.0, up, toward)
        state = interceptor.launch_state(site, direction, parameters)
        state = interceptor.step(state, np.zeros_like(site), time_end - time_s, parameters)
        index = (rows, slots)
        self.active[index] = True
        self.target[index] = target
        self.missile_type[index] = missile_type
        self.battalion[index] = battalion
        self.serial[index] = serial
        self.launch_time[index] = time_s
        self.launch_step[index] = step
        self.homing[index] = False
        self.position[index] = state.position
        self.velocity[index] = state.velocity
        self.mass[index] = state.mass
        self.time_since_launch[index] = state.time_since_launch
        self.aim_point[index] = aim_point
        self.closest_m[index] = np.inf
        self.intercept_range_m[index] = ground_range_and_height(site, aim_point)[0]
        self.intercept_altitude_m[index] = np.linalg.norm(aim_point, axis=-1) - EARTH_RADIUS_M

    def fly(self, world, step, time_start, time_end, target_start, target_end, target_velocity,
            track_estimate, fire_control_holds, streams, replication_ids) -> Flight | None:
        """Guide, fly and score every missile launched before this step."""
        rows, slots = np.nonzero(self.active & (self.launch_step < step))
        if rows.size == 0:
            return None
        index = (rows, slots)
        missiles = world.missiles
        kind = self.missile_type[index]
        target = self.target[index]
        dt = time_end - time_start
        position, velocity = self.position[index], self.velocity[index]
        threat_start = target_start[rows, target]
        threat_end = target_end[rows, target]
        relative = threat_start - position
        distance = np.linalg.norm(relative, axis=-1)

        guidance_kind = missiles.guidance[kind]
        holds = fire_control_holds(rows, self.battalion[index], target)
        speed = np.linalg.norm(velocity, axis=-1)
        # The seeker sees the target only inside its gimbal limits, and PN only steers a
        # missile already roughly on a collision course: after a vertical launch the missile
        # is first turned toward the intercept point by command guidance.
        boresight = np.sum(relative * velocity, axis=-1) / np.maximum(distance * speed, 1e-9)
        in_view = boresight >= SEEKER_GIMBAL_COSINE
        seeker_on = np.where(guidance_kind == GUIDANCE_ACTIVE_RADAR,
                             distance <= missiles.seeker_acquisition_range_m[kind],
                             (distance <= TERMINAL_RANGE_TVM_M) & holds)
        self.homing[index] |= seeker_on & in_view
        homing = self.homing[index] & in_view
        homing &= (guidance_kind != GUIDANCE_TRACK_VIA_MISSILE) | holds

        estimate_position, estimate_velocity, known = track_estimate(rows, self.battalion[index],
                                                                     target, time_start)
        aim, _ = guidance.predicted_intercept_point(estimate_position, estimate_velocity,
                                                    position, np.maximum(speed, 600.0))
        aim = np.where((known & np.isfinite(aim).all(axis=-1))[:, None], aim, self.aim_point[index])
        self.aim_point[index] = aim
        aim = lofted(position, aim)
        command = np.where(
            homing[:, None],
            guidance.pn_acceleration(relative, target_velocity[rows, target] - velocity,
                                     missiles.navigation_constant[kind]),
            guidance.midcourse_acceleration(position, velocity, aim, MIDCOURSE_GAIN))
        state = interceptor.InterceptorState(position, velocity, self.mass[index],
                                             self.time_since_launch[index])
        state = interceptor.step(state, command, dt, missiles.parameters.take(kind))

        miss, time_in_step = endgame.closest_approach(relative, threat_end - state.position, dt)
        passed = (time_in_step < dt) & (distance < FUZE_REACH_M + 2.0 * dt * (speed + 3000.0))
        killed = np.zeros(passed.shape, dtype=bool)
        if passed.any():
            # Draws are addressed by missile serial alone, so scoring only the missiles that
            # passed their target this step gives the numbers a full draw would.
            at = np.flatnonzero(passed)
            sub = (rows[at], slots[at])
            miss[at] = self._with_guidance_error(world, miss[at], kind[at], target[at],
                                                 rows[at], sub, streams, replication_ids)
            probability = endgame.kill_probability(miss[at], missiles.lethal_radius_m[kind[at]],
                                                   missiles.pk_max[kind[at]])
            draw = streams.uniform("kill", replication_ids[rows[at]], self.serial[sub], 0)
            killed[at] = (miss[at] <= FUZE_REACH_M) & (draw < probability)

        new_speed = np.linalg.norm(state.velocity, axis=-1)
        altitude = np.linalg.norm(state.position, axis=-1) - EARTH_RADIUS_M
        spent = ((state.time_since_launch > missiles.maximum_flight_time_s[kind])
                 | (altitude < 0.0)
                 | ((new_speed < MINIMUM_USEFUL_SPEED_MPS) & (state.time_since_launch > 5.0)))
        ended = passed | spent
        self.closest_m[index] = np.minimum(self.closest_m[index], np.where(passed, miss, distance))
        self.position[index] = state.position
        self.velocity[index] = state.velocity
        self.mass[index] = state.mass
        self.time_since_launch[index] = state.time_since_launch
        self.active[index] = ~ended
        return Flight(rows, slots, killed, ended, np.where(passed, miss, self.closest_m[index]),
                      time_start + np.where(passed, time_in_step, dt))

    def _with_guidance_error(self, world, miss, kind, target, rows, index, streams,
                             replication_ids):
        """Add the terminal guidance error that ideal PN on the true target leaves out.

        The flight model homes perfectly, so its miss is purely kinematic. Real misses add
        seeker noise (GUIDANCE_ERROR_M by guidance kind) and, against a threat that
        manoeuvres (weaves, pops up, or is a fighter), the autopilot's lag behind it, about a_T tau^2 for a lag tau (Zarchan, Tactical and Strategic
        Missile Guidance, ch. 6, single-lag miss from a step manoeuvre). The two add in
        quadrature as a Gaussian error in the miss plane, drawn per missile.
        """
        seeker = GUIDANCE_ERROR_M[world.missiles.guidance[kind]]
        threats = world.threats
        lag = np.where(threats.manoeuvring[target],
                       threats.manoeuvre_acceleration[target] * AUTOPILOT_LAG_S**2, 0.0)
        sigma = np.hypot(seeker, lag)
        serial = self.serial[index]
        ids = replication_ids[rows]
        across = sigma * streams.normal("guidance-error", ids, serial, 0, 0)
        along = sigma * streams.normal("guidance-error", ids, serial, 0, 1)
        return np.hypot(miss + across, along)
