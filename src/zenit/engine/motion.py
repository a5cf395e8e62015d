"""Threat motion for a whole chunk in one compiled pass.

Each step the engine needs every threat's phase and, for the threats still alive and flying,
a new position and velocity read from the trajectory bank. Done with NumPy this took a phase
array, a nonzero, fancy-indexed gathers of the offsets and a dozen (C, 3) temporaries in
`TrajectoryBank._evaluate`, about a seventh of the engine's time. `move_threats` does the same
per (replication, threat) pair in one loop with no temporaries.

`TrajectoryBank.phase` and `TrajectoryBank._evaluate` stay the reference: the kernel repeats
their formulas in the same order of operations, so it agrees with them to rounding (in
practice bit for bit), and tests check it against them.
"""

from __future__ import annotations

import math

import numpy as np

from zenit.engine.jit import kernel
from zenit.physics.threats import ENDED, FLYING, NOT_LAUNCHED


def move_threats(bank, time_s, time_offset, lateral_offset, alive, position, velocity):
    """Threat states at `time_s` for a chunk: new position (R, N, 3), velocity (R, N, 3), phase.

    Alive and flying pairs are interpolated from `bank` (as `bank.state` would give them); the
    others keep the incoming `position` and `velocity`. Phase (R, N) int8 is `bank.phase`'s
    code for every pair, alive or not. The inputs are not modified.
    """
    times, packed, last_index, row_start, launch, end = bank.packed_samples()
    time_offset = np.ascontiguousarray(time_offset, dtype=np.float64)
    lateral_offset = np.ascontiguousarray(lateral_offset, dtype=np.float64)
    alive = np.ascontiguousarray(alive, dtype=np.bool_)
    position = np.ascontiguousarray(position, dtype=np.float64)
    velocity = np.ascontiguousarray(velocity, dtype=np.float64)
    new_position = np.empty_like(position)
    new_velocity = np.empty_like(velocity)
    phase = np.empty(alive.shape, dtype=np.int8)
    _move_kernel(float(time_s), time_offset, lateral_offset, alive, position, velocity,
                 times, packed, last_index.astype(np.int64, copy=False),
                 row_start.astype(np.int64, copy=False), launch, end, bank.sample_dt_s,
                 new_position, new_velocity, phase)
    return new_position, new_velocity, phase


@kernel
def _move_kernel(time_s, time_offset, lateral_offset, alive, position, velocity,
                 times, packed, last_index, row_start, launch, end, sample_dt_s,
                 new_position, new_velocity, phase):
    replications, threats = alive.shape
    for r in range(replications):
        for n in range(threats):
            clock = time_s - time_offset[r, n]
            # The same comparisons as TrajectoryBank.phase (a nan clock counts as flying).
            if clock < launch[n]:
                code = NOT_LAUNCHED
            elif clock > end[n]:
                code = ENDED
            else:
                code = FLYING
            phase[r, n] = code
            if code != FLYING or not alive[r, n]:
                # Dead, waiting or arrived: the threat stays where it was, as in _move.
                for axis in range(3):
                    new_position[r, n, axis] = position[r, n, axis]
                    new_velocity[r, n, axis] = velocity[r, n, axis]
                continue
            # Sample interval: np.clip(floor(.), 0, last) is minimum(maximum(x, 0), last).
            index = math.floor((clock - launch[n]) / sample_dt_s)
            index = min(max(index, 0.0), float(last_index[n]))
            flat = np.int64(index) + row_start[n]
            start_time = times[flat]
            stop_time = times[flat + 1]
            step = stop_time - start_time
            # Comparisons rather than min/max so a nan propagates as it does in np.clip.
            u = (clock - start_time) / step
            if u < 0.0:
                u = 0.0
            elif u > 1.0:
                u = 1.0
            offset = lateral_offset[r, n]
            u2 = u * u
            u3 = u2 * u
            # Hermite weights, grouped as in _evaluate so each product rounds the same way.
            w_chord = 3 * u2 - 2 * u3
            w_start = (u3 - 2 * u2 + u) * step
            w_stop = (u3 - u2) * step
            v_chord = (6 * u - 6 * u2) / step
            v_start = 3 * u2 - 4 * u + 1
            v_stop = 3 * u2 - 2 * u
            for axis in range(3):
                # Offset-shifted sample rows: position/velocity + offset * lateral/its rate.
                p0 = packed[flat, axis] + offset * packed[flat, 6 + axis]
                p1 = packed[flat + 1, axis] + offset * packed[flat + 1, 6 + axis]
                s0 = packed[flat, 3 + axis] + offset * packed[flat, 9 + axis]
                s1 = packed[flat + 1, 3 + axis] + offset * packed[flat + 1, 9 + axis]
                chord = p1 - p0
                moved = w_chord * chord
                moved += p0
                moved += w_start * s0
                moved += w_stop * s1
                speed = v_chord * chord
                speed += v_start * s0
                speed += v_stop * s1
                new_position[r, n, axis] = moved
                new_velocity[r, n, axis] = speed
