"""The endgame: closest approach inside a step, and the kill probability at that miss.

Interceptor and target close at 1-7 km/s and pass between the engine's samples; over one
step their relative motion is nearly straight, so the closest approach comes from the straight
line between the step's two relative positions, nearly independent of the step length.
"""

from __future__ import annotations

import math

from zenit.compiled import array_function, elementwise, formula
from zenit.physics.guidance import norm
from zenit.scalars import clip

# Pk falls to half its maximum at the lethal radius: sigma = r_L / sqrt(2 ln 2).
HALF_POWER_SIGMA = 1.0 / math.sqrt(2.0 * math.log(2.0))


@formula
def closest_approach_in_step(rx, ry, rz, ex, ey, ez, dt):
    """(miss distance m, time in the step s) of linear relative motion (target - interceptor)
    from r to e over dt: |r + v t| least at t* = clip(-r.v / |v|^2, 0, dt), v = (e - r) / dt."""
    safe_dt = dt if dt > 0.0 else 1.0
    wx, wy, wz = (ex - rx) / safe_dt, (ey - ry) / safe_dt, (ez - rz) / safe_dt
    speed_squared = wx * wx + wy * wy + wz * wz
    moving = speed_squared > 0.0 and dt > 0.0
    unclipped = -(rx * wx + ry * wy + rz * wz) / (speed_squared if moving else 1.0)
    time_in_step = clip(unclipped, 0.0, dt) if moving else 0.0
    return norm(rx + wx * time_in_step, ry + wy * time_in_step, rz + wz * time_in_step), time_in_step


@formula
def kill_probability_at(miss_distance_m, lethal_radius_m, pk_max):
    """Single-shot Pk = pk_max exp(-miss^2 / (2 sigma^2)), the circular Carleton damage
    function (Driels, *Weaponeering*, AIAA, on damage functions), half of pk_max at the lethal
    radius; pk_max is a direct hit's (fuze, warhead reliability, target hardness)."""
    spread = lethal_radius_m * HALF_POWER_SIGMA
    return pk_max * math.exp(-0.5 * (miss_distance_m / spread) ** 2)


@array_function("(n),(n),()->(),()")
def closest_approach(relative_position_start, relative_position_end, dt, miss, time):
    """`closest_approach_in_step` over a batch: relative positions (..., 3) m, dt (s).
    Returns (miss_distance_m, time_in_step_s), both (...)."""
    r, e = relative_position_start, relative_position_end
    miss[0], time[0] = closest_approach_in_step(r[0], r[1], r[2], e[0], e[1], e[2], dt)


kill_probability = elementwise(kill_probability_at)  # over arrays that broadcast together
