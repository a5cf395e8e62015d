"""The endgame: closest approach inside a step, and the kill probability at that miss.

The engine steps at 0.05-0.5 s while interceptor and target close at 1-7 km/s, so they pass
each other between samples, a few hundred metres to kilometres apart at either end of the
step. Over so short an interval their relative motion is nearly straight, so the closest
approach comes from the straight line between the step's two relative positions: the miss
distance then does not depend on the step length to first order (DESIGN principle 5).
"""

from __future__ import annotations

import math

import numpy as np

from zenit.compiled import formula, kernel
from zenit.physics.guidance import norm
from zenit.scalars import clip

# Pk falls to half its maximum at the lethal radius: sigma = r_L / sqrt(2 ln 2).
HALF_POWER_SIGMA = 1.0 / math.sqrt(2.0 * math.log(2.0))


@formula
def closest_approach_in_step(rx, ry, rz, ex, ey, ez, dt):
    """Closest approach of linear relative motion over one step: (miss distance m, time in
    the step s).

    r and e are the relative positions (target - interceptor, m) at the start and end of a
    step of length dt (s). With v = (e - r) / dt, the distance |r + v t| is least at
    t* = clip(-r.v / |v|^2, 0, dt). A step with no relative motion returns its start.
    """
    safe_dt = dt if dt > 0.0 else 1.0
    wx, wy, wz = (ex - rx) / safe_dt, (ey - ry) / safe_dt, (ez - rz) / safe_dt
    speed_squared = wx * wx + wy * wy + wz * wz
    moving = speed_squared > 0.0 and dt > 0.0
    unclipped = -(rx * wx + ry * wy + rz * wz) / (speed_squared if moving else 1.0)
    time_in_step = clip(unclipped, 0.0, dt) if moving else 0.0
    return norm(rx + wx * time_in_step, ry + wy * time_in_step, rz + wz * time_in_step), time_in_step


@formula
def kill_probability_at(miss_distance_m, lethal_radius_m, pk_max):
    """Single-shot kill probability at a miss distance: from a Gaussian damage function.

    Pk = pk_max exp(-miss^2 / (2 sigma^2)), the circular form of the Carleton damage function
    used in weaponeering (Driels, *Weaponeering*, AIAA, on damage functions), with sigma chosen so
    that Pk falls to half of pk_max at the lethal radius: sigma = r_L / sqrt(2 ln 2). A blast-
    fragmentation warhead (48N6: 143-180 kg) has a lethal radius of tens of metres; a hit-to-
    kill or small-warhead missile (9M96, PAC-3) a metre or two, which makes its Pk a test of
    guidance accuracy. pk_max is the kill probability of a direct hit (fuze and warhead
    reliability, target hardness).
    """
    spread = lethal_radius_m * HALF_POWER_SIGMA
    return pk_max * math.exp(-0.5 * (miss_distance_m / spread) ** 2)


@kernel
def _closest_loop(start, end, dt):
    miss, time = np.empty(dt.shape[0]), np.empty(dt.shape[0])
    for i in range(dt.shape[0]):
        miss[i], time[i] = closest_approach_in_step(start[i, 0], start[i, 1], start[i, 2],
                                                    end[i, 0], end[i, 1], end[i, 2], dt[i])
    return miss, time


def closest_approach(relative_position_start, relative_position_end, dt):
    """`closest_approach_in_step` over a batch: relative positions (..., 3) m, dt (s, scalar or
    (...)). Returns (miss_distance_m, time_in_step_s), both (...)."""
    shape = np.broadcast_shapes(np.shape(relative_position_start)[:-1],
                                np.shape(relative_position_end)[:-1], np.shape(dt))

    def flat(value, *width):
        full = np.broadcast_to(np.asarray(value, dtype=float), shape + width)
        return np.ascontiguousarray(full).reshape((-1,) + width)

    miss, time = _closest_loop(flat(relative_position_start, 3), flat(relative_position_end, 3),
                               flat(dt))
    return miss.reshape(shape), time.reshape(shape)


@kernel
def _kill_loop(miss, lethal_radius_m, pk_max):
    out = np.empty(miss.shape[0])
    for i in range(miss.shape[0]):
        out[i] = kill_probability_at(miss[i], lethal_radius_m[i], pk_max[i])
    return out


def kill_probability(miss_distance_m, lethal_radius_m, pk_max):
    """`kill_probability_at` over arrays that broadcast together."""
    miss, radius, top = np.broadcast_arrays(*(np.asarray(value, dtype=float) for value in
                                              (miss_distance_m, lethal_radius_m, pk_max)))
    flat = [np.ascontiguousarray(value).reshape(-1) for value in (miss, radius, top)]
    return _kill_loop(*flat).reshape(miss.shape)
