"""The trajectory bank: every threat's nominal flight, sampled once, read at any time.

Threat paths do not depend on what the defence does, so each scenario flies them once
(routes, ballistic arcs, manoeuvres) and the engine reads positions and velocities at each
step by cubic Hermite interpolation between samples: a gather and a few multiply-adds over
(replications, threats). Hermite interpolation with the true velocities at the samples is
third-order accurate in the sample step, so results barely depend on `sample_dt_s`.

Replications vary a threat in two ways. `time_offset_s` delays its whole flight (launch-time
jitter). `lateral_offset_m` shifts it sideways, horizontally and perpendicular to its
velocity (route offsets); the shift fades in over the first and out over the last
`OFFSET_FADE_M` of the path (a smoothstep, at most a third of the path each), so the threat
still leaves from its launch point and arrives at its target. The shifted velocity is the
time derivative of the shifted position.
"""

from __future__ import annotations

import numpy as np

from zenit.errors import UserError
from zenit.physics.ballistic import BallisticPlan, sample_ballistic
from zenit.physics.manoeuvres import (PopUpDive, SampledTrajectory, Weave, lateral_directions,
                                      smoothstep, smoothstep_slope)
from zenit.physics.routes import RoutePlan, sample_route

__all__ = ["BallisticPlan", "PopUpDive", "RoutePlan", "TrajectoryBank", "Weave"]

OFFSET_FADE_M = 20_000.0

NOT_LAUNCHED, FLYING, ENDED = 0, 1, 2


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
    """Nominal threat trajectories in the engine frame, padded to a common length.

    times (N, T) s, positions (N, T, 3) m, velocities (N, T, 3) m/s, sample_count (N,),
    launch_time_s (N,), end_time_s (N,) (arrival at the final waypoint or impact),
    is_ballistic (N,).
    """

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
        self._by_namespace: dict[str, tuple] = {}

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

    def _arrays(self, xp):
        """Device copies: times and packed samples (N * T, 12) = position, velocity, lateral."""
        key = xp.__name__
        if key not in self._by_namespace:
            packed = np.concatenate([self.positions, self.velocities, self.lateral,
                                     self.lateral_rate], axis=-1).reshape(-1, 12)
            self._by_namespace[key] = tuple(xp.asarray(array) for array in (
                self.times.reshape(-1), packed, self.sample_count - 2,
                np.arange(self.threat_count) * self.times.shape[1], self.launch_time_s,
                self.end_time_s))
        return self._by_namespace[key]

    def packed_samples(self):
        """The host arrays `state` reads, for compiled kernels that reimplement it.

        (times (N * T,), packed (N * T, 12), last_index (N,), row_start (N,),
        launch_time_s (N,), end_time_s (N,)): contiguous float64 and int64, shared, not copies.
        """
        return self._arrays(np)

    def state(self, time_s, time_offset_s=0.0, lateral_offset_m=0.0, xp=np):
        """Positions (..., N, 3), velocities (..., N, 3) and phase (..., N) int8 at `time_s`.

        time_s, time_offset_s and lateral_offset_m broadcast with (N,), e.g. to (R, N).
        Phase 0: not launched yet (at the launch point), 1: flying, 2: ended (at the final
        point); velocities are zero unless flying.
        """
        times, packed, last_index, row_start, launch, end = self._arrays(xp)
        clock = xp.asarray(time_s, dtype=float) - xp.asarray(time_offset_s, dtype=float)
        offset = xp.asarray(lateral_offset_m, dtype=float)
        shape = np.broadcast_shapes(clock.shape, offset.shape, (self.threat_count,))
        return self._evaluate(xp.broadcast_to(clock, shape), xp.broadcast_to(offset, shape),
                              last_index, row_start, launch, end, xp)

    def state_of(self, threats, time_s, time_offset_s=0.0, lateral_offset_m=0.0, xp=np):
        """`state` for chosen threats only: threat indices (C,) with their own clocks (C,).

        The engine asks for the threats still flying, which saves the work of the dead ones.
        """
        times, packed, last_index, row_start, launch, end = self._arrays(xp)
        threats = xp.asarray(threats)
        clock = xp.asarray(time_s, dtype=float) - xp.asarray(time_offset_s, dtype=float)
        shape = threats.shape
        return self._evaluate(xp.broadcast_to(clock, shape),
                              xp.broadcast_to(xp.asarray(lateral_offset_m, dtype=float), shape),
                              last_index[threats], row_start[threats], launch[threats],
                              end[threats], xp)

    def phase(self, time_s, time_offset_s=0.0, xp=np):
        """Only the phase codes of `state`, which need no interpolation."""
        _, _, _, _, launch, end = self._arrays(xp)
        clock = xp.asarray(time_s, dtype=float) - xp.asarray(time_offset_s, dtype=float)
        return xp.where(clock < launch, NOT_LAUNCHED,
                        xp.where(clock > end, ENDED, FLYING)).astype(xp.int8)

    def _evaluate(self, clock, offset, last_index, row_start, launch, end, xp):
        """Cubic Hermite interpolation of the packed samples at each element's clock."""
        times, packed = self._arrays(xp)[:2]
        index = xp.clip(xp.floor((clock - launch) / self.sample_dt_s), 0, last_index)
        flat = index.astype(xp.int64) + row_start
        start_time, stop_time = xp.take(times, flat), xp.take(times, flat + 1)
        step = (stop_time - start_time)[..., None]
        u = xp.clip((clock - start_time)[..., None] / step, 0.0, 1.0)
        offset = offset[..., None]
        start, stop = xp.take(packed, flat, axis=0), xp.take(packed, flat + 1, axis=0)
        start = start[..., :6] + offset * start[..., 6:]
        stop = stop[..., :6] + offset * stop[..., 6:]
        u2 = u * u
        u3 = u2 * u
        chord = stop[..., :3] - start[..., :3]
        start_velocity, stop_velocity = start[..., 3:], stop[..., 3:]
        position = (3 * u2 - 2 * u3) * chord
        position += start[..., :3]
        position += ((u3 - 2 * u2 + u) * step) * start_velocity
        position += ((u3 - u2) * step) * stop_velocity
        velocity = ((6 * u - 6 * u2) / step) * chord
        velocity += (3 * u2 - 4 * u + 1) * start_velocity
        velocity += (3 * u2 - 2 * u) * stop_velocity
        phase = xp.where(clock < launch, NOT_LAUNCHED, xp.where(clock > end, ENDED, FLYING))
        phase = phase.astype(xp.int8)
        velocity = xp.where((phase == FLYING)[..., None], velocity, 0.0)
        return position, velocity, phase
