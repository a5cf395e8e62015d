"""Interceptors in flight: fixed slots per replication, flown as one flat batch each step.

A replication has as many slots as its battalions can guide missiles at once; a launch takes a
free slot, an intercept or a miss frees it. Each step the active slots of all replications are
gathered into flat arrays, guided (midcourse on the network track toward the predicted
intercept point, then proportional navigation once the seeker or the track-via-missile
terminal phase has the target), flown by the 3-DOF model, and scored at closest approach.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from zenit.engine import flight
from zenit.engine.streams import stream_key
from zenit.physics import interceptor
from zenit.physics.guidance import EARTH_GRAVITATIONAL_PARAMETER, LOFT_FADE_M, LOFT_RATIO
from zenit.physics.guidance_modes import GUIDANCE_ACTIVE_RADAR, GUIDANCE_TRACK_VIA_MISSILE

MIDCOURSE_GAIN = 1.0  # 1/s: the heading time constant of command guidance toward the PIP
TERMINAL_RANGE_TVM_M = 25_000.0  # track-via-missile: the seeker's downlink phase begins here
SEEKER_GIMBAL_COSINE = np.cos(np.radians(50.0))  # seeker look angle limit off the missile's axis
FUZE_REACH_M = 2_000.0  # a closest approach farther than this is a plain miss, no warhead
MINIMUM_USEFUL_SPEED_MPS = 150.0
# Terminal guidance error (1 sigma per axis in the miss plane) by guidance kind, m: the order
# of published miss distances of radar-homing SAMs; no public figure for these rounds.
GUIDANCE_ERROR_M = np.array([6.0, 4.0, 5.0, 10.0])  # TVM, active radar, semi-active, command
AUTOPILOT_LAG_S = 0.3  # flight-control time constant of an agile SAM (Zarchan, ch. 6)
FLIGHT_RULES = flight.Rules(GUIDANCE_TRACK_VIA_MISSILE, GUIDANCE_ACTIVE_RADAR, MIDCOURSE_GAIN,
                            TERMINAL_RANGE_TVM_M, float(SEEKER_GIMBAL_COSINE), FUZE_REACH_M,
                            MINIMUM_USEFUL_SPEED_MPS, LOFT_RATIO, LOFT_FADE_M,
                            EARTH_GRAVITATIONAL_PARAMETER)


class TrackPicture(NamedTuple):
    """The fused tracks midcourse guidance flies on (a `FusedTracks`' arrays)."""

    means: np.ndarray  # (R, Q, N, 6): position and velocity at the last update
    time: np.ndarray  # (R, Q, N): when each track was last updated, s
    exists: np.ndarray  # (R, Q, N) bool
    network_of_battalion: np.ndarray  # (B,): the network whose picture a battalion reads


class FireControl(NamedTuple):
    """When each battalion's fire-control radar last held each threat, and how fresh that
    must be for a track-via-missile round to home."""

    time: np.ndarray  # (R, B, N), s; -inf where never
    hold_s: float


@dataclass
class Flight:
    """What one step of flight decided, for the slots that ended this step."""

    rows: np.ndarray
    slots: np.ndarray
    killed: np.ndarray  # bool: the warhead killed the target
    ended: np.ndarray  # bool: the slot is free again (kill, miss, lost, out of energy)
    miss_distance_m: np.ndarray
    time_s: np.ndarray  # when it ended


def _slot_state(replications: int, slots: int) -> flight.SlotState:
    shape = (replications, slots)
    integers = {"target", "missile_type", "battalion", "serial"}
    arrays = {}
    for name in flight.SlotState._fields:
        if name in ("active", "homing"):
            arrays[name] = np.zeros(shape, dtype=bool)
        elif name in ("position", "velocity", "aim_point"):
            arrays[name] = np.zeros(shape + (3,))
        else:
            arrays[name] = np.zeros(shape, dtype=np.int64 if name in integers else float)
    arrays.update(launch_step=np.full(shape, -1, dtype=np.int64), closest_m=np.full(shape, np.inf))
    return flight.SlotState(**arrays)


class InterceptorSlots:
    """The (R, S) missile slots of a chunk; their arrays (a `flight.SlotState`, `state`) read
    as attributes: `slots.position` is `slots.state.position`."""

    def __init__(self, replications: int, slots: int):
        self.state = _slot_state(replications, slots)
        self._flight_world = None
        self._flight_tables = None

    def __getattr__(self, name):
        if name in flight.SlotState._fields:
            return getattr(self.state, name)
        raise AttributeError(name)

    def free_slot(self, rows):
        """The first free slot of each replication in `rows`, -1 where all are busy."""
        free = ~self.active[rows]
        slot = np.argmax(free, axis=1)
        return np.where(free[np.arange(len(rows)), slot], slot, -1)

    def launch(self, world, rows, slots, target, missile_type, battalion, serial, time_s,
               time_end, step, aim_point):
        """Fill slots with missiles leaving their battalion at `time_s`, flown to `time_end`."""
        missiles = world.missiles
        site = world.battalions.position[battalion]
        up = site / np.linalg.norm(site, axis=-1, keepdims=True)
        toward = aim_point - site
        vertical = np.asarray(missiles.parameters.vertical_launch_time_s)[missile_type] > 0.0
        direction = np.where(vertical[:, None], up, toward)
        flight.launch_slots(rows, slots, missile_type, site, direction,
                            interceptor.EJECTION_SPEED_MPS, time_end - time_s, aim_point,
                            self.state, self._tables(world))
        index = (rows, slots)
        self.active[index] = True
        self.target[index] = target
        self.missile_type[index] = missile_type
        self.battalion[index] = battalion
        self.serial[index] = serial
        self.launch_time[index] = time_s
        self.launch_step[index] = step
        self.homing[index] = False
        self.closest_m[index] = np.inf

    def fly(self, world, step, time_start, time_end, target_start, target_end, target_velocity,
            picture: TrackPicture, fire_control: FireControl, streams,
            replication_ids) -> Flight | None:
        """Guide, fly and score every missile launched before this step (`flight.fly_slots`)
        against threat states (R, N, 3) at the step's start and end, and the start velocity,
        on the network tracks (`picture`) and fire-control radars; `flight.endgame` draws for
        the missiles that passed their target, and for those alone."""
        rows, slots = map(np.ascontiguousarray, np.nonzero(self.active & (self.launch_step < step)))
        if rows.size == 0:
            return None
        picture = picture._replace(
            network_of_battalion=np.asarray(picture.network_of_battalion, dtype=np.int64))
        miss, time_s, passed, ended = flight.fly_slots(
            rows, slots, float(time_end - time_start), float(time_start), self.state,
            flight.ThreatStep(target_start, target_end, target_velocity), picture,
            FireControl(fire_control.time, float(fire_control.hold_s)), self._tables(world))
        killed = np.zeros(passed.shape, dtype=bool)
        if passed.any():
            # Draws are addressed by missile serial alone, so scoring only the missiles that
            # passed their target this step gives the numbers a full draw would.
            at = np.flatnonzero(passed)
            sub = (rows[at], slots[at])
            threats, missiles = world.threats, world.missiles
            miss[at], killed[at] = flight.endgame(
                miss[at], self.missile_type[sub], self.target[sub], self.serial[sub],
                replication_ids[rows[at]], GUIDANCE_ERROR_M[missiles.guidance],
                threats.manoeuvring, threats.manoeuvre_acceleration, AUTOPILOT_LAG_S,
                missiles.lethal_radius_m, missiles.pk_max, FUZE_REACH_M,
                stream_key(streams, "guidance-error"), stream_key(streams, "kill"))
            self.closest_m[sub] = np.minimum(self.closest_m[sub], miss[at])
        return Flight(rows, slots, killed, ended, miss, time_s)

    def _tables(self, world) -> flight.FlightTables:
        """The flight kernels' tables for `world`, built on first use."""
        if self._flight_world is not world:
            self._flight_tables = flight.flight_tables(world.missiles, FLIGHT_RULES)
            self._flight_world = world
        return self._flight_tables
