"""Threat motion for a whole chunk in one compiled pass.

Each step the engine needs every threat's phase and, for the threats still alive and flying,
a new position and velocity read from the trajectory bank (`zenit.physics.threats`'
formulas `flight_phase` and `threat_state`). `move_threats` does it per (replication, threat)
pair in one loop with no temporaries; the dead, the waiting and the arrived keep their state.
"""

from __future__ import annotations

import numpy as np

from zenit.compiled import kernel
from zenit.physics.threats import FLYING, flight_phase, threat_state


def move_threats(bank, time_s, time_offset, lateral_offset, alive, position, velocity):
    """Threat states at `time_s` for a chunk: new position (R, N, 3), velocity (R, N, 3), phase.

    Alive and flying pairs are interpolated from `bank` (as `bank.state` would give them); the
    others keep the incoming `position` and `velocity`. Phase (R, N) int8 is `bank.state`'s
    code for every pair, alive or not. The inputs are not modified.
    """
    new_position = np.empty_like(position)
    new_velocity = np.empty_like(velocity)
    phase = np.empty(alive.shape, dtype=np.int8)
    _move_kernel(float(time_s), np.ascontiguousarray(time_offset, dtype=np.float64),
                 np.ascontiguousarray(lateral_offset, dtype=np.float64),
                 np.ascontiguousarray(alive, dtype=np.bool_),
                 np.ascontiguousarray(position, dtype=np.float64),
                 np.ascontiguousarray(velocity, dtype=np.float64), bank.samples,
                 bank.sample_dt_s, new_position, new_velocity, phase)
    return new_position, new_velocity, phase


@kernel
def _move_kernel(time_s, time_offset, lateral_offset, alive, position, velocity, samples,
                 sample_dt_s, new_position, new_velocity, phase):
    times, packed, row_start, last_index = (samples.times, samples.packed, samples.row_start,
                                            samples.last_index)
    launch, end = samples.launch_time_s, samples.end_time_s
    replications, threats = alive.shape
    for r in range(replications):
        for n in range(threats):
            clock = time_s - time_offset[r, n]
            code = flight_phase(clock, launch[n], end[n])
            phase[r, n] = code
            if code != FLYING or not alive[r, n]:
                for axis in range(3):
                    new_position[r, n, axis] = position[r, n, axis]
                    new_velocity[r, n, axis] = velocity[r, n, axis]
                continue
            x, y, z, vx, vy, vz = threat_state(times, packed, row_start[n], last_index[n],
                                               launch[n], sample_dt_s, clock, lateral_offset[r, n])
            new_position[r, n, 0] = x
            new_position[r, n, 1] = y
            new_position[r, n, 2] = z
            new_velocity[r, n, 0] = vx
            new_velocity[r, n, 1] = vy
            new_velocity[r, n, 2] = vz
