"""The trajectory bank: every threat's nominal flight, sampled once, read at any time.

Threat paths do not depend on the defence, so each is flown once (routes, ballistic arcs,
manoeuvres) and read by cubic Hermite interpolation between samples (third order in the
sample step). Replications delay a flight (`time_offset_s`) or shift it sideways, across its
velocity (`lateral_offset_m`), fading in and out over `OFFSET_FADE_M` (a smoothstep, at most a
third of the path each) so it still leaves its launch point and reaches its target.
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import NamedTuple

import numpy as np

from zenit.compiled import formula, kernel
from zenit.errors import UserError
from zenit.physics.ballistic import BallisticPlan, sample_ballistic
from zenit.physics.manoeuvres import (PopUpDive, SampledTrajectory, Weave, lateral_directions,
                                      smoothstep, smoothstep_slope)
from zenit.physics.routes import RoutePlan, sample_route

__all__ = ["BallisticPlan", "PopUpDive", "RoutePlan", "TrajectoryBank", "Weave"]

OFFSET_FADE_M = 20_000.0

NOT_LAUNCHED, FLYING, ENDED = 0, 1, 2  # a threat's phase of flight


class TrajectorySamples(NamedTuple):
    """The bank's samples packed for compiled readers, threat after threat."""

    times: np.ndarray  # (N * T,) s
    packed: np.ndarray  # (N * T, 12): position, velocity, lateral shift per metre, its rate
    last_index: np.ndarray  # (N,) int64: a threat's last sample interval
    row_start: np.ndarray  # (N,) int64: its first row in `times` and `packed`
    launch_time_s: np.ndarray  # (N,)
    end_time_s: np.ndarray  # (N,)


def lateral_basis(trajectory: SampledTrajectory):
    """Displacement per metre of lateral offset (T, 3) and its time derivative (T, 3)."""
    distance, total = trajectory.distance_m, trajectory.distance_m[-1]
    fade_m = min(OFFSET_FADE_M, total / 3.0)
    rise, fall = distance / fade_m, (total - distance) / fade_m
    fade = smoothstep(rise) * smoothstep(fall)
    speed = np.linalg.norm(trajectory.velocities, axis=-1)
    fade_rate = (smoothstep_slope(rise) * smoothstep(fall)
                 - smoothstep(rise) * smoothstep_slope(fall)) * speed / fade_m
    left = lateral_directions(trajectory.positions, trajectory.velocities)
    left_rate = np.gradient(left, trajectory.times_s, axis=0)
    return fade[:, None] * left, fade_rate[:, None] * left + fade[:, None] * left_rate


def _pad(rows: list[np.ndarray], length: int):
    """Stack per-threat arrays along a new first axis, repeating each one's last row."""
    return np.stack([np.concatenate([row, np.repeat(row[-1:], length - len(row), axis=0)])
                     for row in rows])


class TrajectoryBank:
    """Nominal threat trajectories in the engine frame, padded to a common length: times
    (N, T), positions and velocities (N, T, 3), sample_count, launch_time_s, end_time_s (arrival
    or impact), is_ballistic (N,)."""

    def __init__(self, trajectories: list[SampledTrajectory], sample_dt_s: float,
                 is_ballistic=None):
        if not trajectories:
            raise UserError("a trajectory bank needs at least one threat")
        length = max(len(trajectory.times_s) for trajectory in trajectories)
        bases = [lateral_basis(trajectory) for trajectory in trajectories]
        self.sample_dt_s = float(sample_dt_s)
        self.times = _pad([trajectory.times_s for trajectory in trajectories], length)
        self.positions = _pad([trajectory.positions for trajectory in trajectories], length)
        self.velocities = _pad([trajectory.velocities for trajectory in trajectories], length)
        self.lateral = _pad([basis[0] for basis in bases], length)
        self.lateral_rate = _pad([basis[1] for basis in bases], length)
        self.sample_count = np.array([len(trajectory.times_s) for trajectory in trajectories])
        self.launch_time_s = self.times[:, 0].copy()
        self.end_time_s = self.times[np.arange(len(trajectories)), self.sample_count - 1]
        self.is_ballistic = (np.zeros(len(trajectories), dtype=bool) if is_ballistic is None
                             else np.asarray(is_ballistic, dtype=bool))

    @classmethod
    def build(cls, plans: list[RoutePlan | BallisticPlan], terrain=None,
              sample_dt_s: float = 0.5) -> "TrajectoryBank":
        """Fly every plan once; ballistic plans are aimed and integrated together."""
        ballistic = [index for index, plan in enumerate(plans) if isinstance(plan, BallisticPlan)]
        trajectories: list[SampledTrajectory | None] = [None] * len(plans)
        if ballistic:
            flown = sample_ballistic([plans[index] for index in ballistic], sample_dt_s)
            for index, trajectory in zip(ballistic, flown):
                trajectories[index] = trajectory
        for index, plan in enumerate(plans):
            if isinstance(plan, RoutePlan):
                trajectories[index] = sample_route(plan, sample_dt_s, terrain)
            elif not isinstance(plan, BallisticPlan):
                raise UserError(f"threat {index} is a {type(plan).__name__}; expected a "
                                f"RoutePlan or a BallisticPlan")
        return cls(trajectories, sample_dt_s,
                   [isinstance(plan, BallisticPlan) for plan in plans])

    @property
    def threat_count(self) -> int:
        return len(self.sample_count)

    @cached_property
    def samples(self) -> TrajectorySamples:
        """The samples packed for compiled readers (`threat_state`)."""
        packed = np.concatenate([self.positions, self.velocities, self.lateral,
                                 self.lateral_rate], axis=-1).reshape(-1, 12)
        return TrajectorySamples(
            self.times.reshape(-1), packed, (self.sample_count - 2).astype(np.int64),
            np.arange(self.threat_count, dtype=np.int64) * self.times.shape[1],
            self.launch_time_s, self.end_time_s)

    def state(self, time_s, time_offset_s=0.0, lateral_offset_m=0.0):
        """Positions, velocities (..., N, 3) and phase (..., N) int8 at `time_s` (broadcasting
        with the offsets and (N,)): NOT_LAUNCHED, FLYING or ENDED; velocities zero unless flying."""
        clock = np.asarray(time_s, dtype=float) - np.asarray(time_offset_s, dtype=float)
        offset = np.asarray(lateral_offset_m, dtype=float)
        shape = np.broadcast_shapes(clock.shape, offset.shape, (self.threat_count,))
        position, velocity = np.empty(shape + (3,)), np.empty(shape + (3,))
        phase = np.empty(shape, dtype=np.int8)
        _read_states(self.samples, self.sample_dt_s,
                     *(np.broadcast_to(array, shape).flatten() for array in (
                         np.arange(self.threat_count), clock, offset)),
                     position.reshape(-1, 3), velocity.reshape(-1, 3), phase.reshape(-1))
        return position, velocity, phase


@formula
def flight_phase(clock_s, launch_time_s, end_time_s):
    """NOT_LAUNCHED, FLYING or ENDED at a threat's own clock (a nan clock counts as flying)."""
    if clock_s < launch_time_s:
        return NOT_LAUNCHED
    if clock_s > end_time_s:
        return ENDED
    return FLYING


@formula
def threat_state(times, packed, first_row, last_index, launch_time_s, sample_dt_s, clock_s,
                 offset_m):
    """Position and velocity (x, y, z, vx, vy, vz) of one threat at its own clock, shifted
    `offset_m` sideways: cubic Hermite interpolation of its samples (`times` and `packed`
    from its `first_row`) over the interval that holds the clock, clamped to the first and
    last (`last_index`) intervals."""
    # Sample interval: np.clip(floor(.), 0, last) is minimum(maximum(x, 0), last).
    index = math.floor((clock_s - launch_time_s) / sample_dt_s)
    row = int(min(max(index, 0.0), float(last_index))) + first_row
    start_time = times[row]
    step = times[row + 1] - start_time
    # Comparisons rather than min/max so that a nan propagates as it does in np.clip.
    u = (clock_s - start_time) / step
    if u < 0.0:
        u = 0.0
    elif u > 1.0:
        u = 1.0
    u2 = u * u
    u3 = u2 * u
    # Hermite weights of the chord and the two end velocities, for position and velocity.
    weights = (3 * u2 - 2 * u3, (u3 - 2 * u2 + u) * step, (u3 - u2) * step,
               (6 * u - 6 * u2) / step, 3 * u2 - 4 * u + 1, 3 * u2 - 2 * u)
    x, vx = _hermite_axis(packed, row, 0, offset_m, weights)
    y, vy = _hermite_axis(packed, row, 1, offset_m, weights)
    z, vz = _hermite_axis(packed, row, 2, offset_m, weights)
    return x, y, z, vx, vy, vz


@formula
def _hermite_axis(packed, row, axis, offset_m, weights):
    """One axis of `threat_state`: position and velocity between sample rows `row`, `row + 1`."""
    w_chord, w_start, w_stop, v_chord, v_start, v_stop = weights
    # Offset-shifted sample rows: position/velocity + offset x lateral shift/its rate.
    p0 = packed[row, axis] + offset_m * packed[row, 6 + axis]
    p1 = packed[row + 1, axis] + offset_m * packed[row + 1, 6 + axis]
    s0 = packed[row, 3 + axis] + offset_m * packed[row, 9 + axis]
    s1 = packed[row + 1, 3 + axis] + offset_m * packed[row + 1, 9 + axis]
    chord = p1 - p0
    moved = w_chord * chord
    moved += p0
    moved += w_start * s0
    moved += w_stop * s1
    speed = v_chord * chord
    speed += v_start * s0
    speed += v_stop * s1
    return moved, speed


@kernel
def _read_states(samples, sample_dt_s, threat, clock, offset, position, velocity, phase):
    """`TrajectoryBank.state` over flat arrays: each element's threat, clock and offset."""
    for item in range(threat.shape[0]):
        n = threat[item]
        code = flight_phase(clock[item], samples.launch_time_s[n], samples.end_time_s[n])
        state = threat_state(samples.times, samples.packed, samples.row_start[n],
                             samples.last_index[n], samples.launch_time_s[n], sample_dt_s,
                             clock[item], offset[item])
        phase[item] = code
        for axis in range(3):
            position[item, axis] = state[axis]
            velocity[item, axis] = state[3 + axis] if code == FLYING else 0.0
