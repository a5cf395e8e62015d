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

# Pk falls to half its maximum at the lethal radius: sigma = r_L / sqrt(2 ln 2).
HALF_POWER_SIGMA = 1.0 / math.sqrt(2.0 * math.log(2.0))


def closest_approach(relative_position_start, relative_position_end, dt, xp=np):
    """Closest approach of linear relative motion over one step.

    Relative positions (target - interceptor, (..., 3), m) at the start and end of a step of
    length dt (s, scalar or (...)). With v = (end - start) / dt, the distance |r + v t| is
    least at t* = clip(-r.v / |v|^2, 0, dt). Returns (miss_distance_m, time_in_step_s), both
    (...). A step with no relative motion returns its start.
    """
    start = xp.asarray(relative_position_start, dtype=float)
    end = xp.asarray(relative_position_end, dtype=float)
    dt = xp.asarray(dt, dtype=float)
    safe_dt = xp.where(dt > 0.0, dt, 1.0)
    velocity = (end - start) / safe_dt[..., None]
    speed_squared = xp.sum(velocity * velocity, axis=-1)
    moving = (speed_squared > 0.0) & (dt > 0.0)
    unclipped = -xp.sum(start * velocity, axis=-1) / xp.where(moving, speed_squared, 1.0)
    time_in_step = xp.where(moving, xp.clip(unclipped, 0.0, dt), 0.0)
    closest = start + velocity * time_in_step[..., None]
    return xp.linalg.norm(closest, axis=-1), time_in_step


def passed_closest_approach(relative_position_start, relative_position_end, dt, xp=np):
    """True where the closest approach fell inside the step (strictly before its end).

    The fuze window: once relative motion turns from closing to opening within the step,
    the warhead has had its one chance, and the engagement is scored at closest_approach.
    """
    _, time_in_step = closest_approach(relative_position_start, relative_position_end, dt, xp)
    return time_in_step < xp.asarray(dt, dtype=float)


def kill_probability(miss_distance_m, lethal_radius_m, pk_max, xp=np):
    """Single-shot kill probability at a miss distance: from a Gaussian damage function.

    Pk = pk_max exp(-miss^2 / (2 sigma^2)), the circular form of the Carleton damage function
    used in weaponeering (Driels, *Weaponeering*, AIAA, on damage functions), with sigma chosen so
    that Pk falls to half of pk_max at the lethal radius: sigma = r_L / sqrt(2 ln 2). A blast-
    fragmentation warhead (48N6: 143-180 kg) has a lethal radius of tens of metres; a hit-to-
    kill or small-warhead missile (9M96, PAC-3) a metre or two, which makes its Pk a test of
    guidance accuracy. pk_max is the kill probability of a direct hit (fuze and warhead
    reliability, target hardness).
    """
    miss = xp.asarray(miss_distance_m, dtype=float)
    sigma = xp.asarray(lethal_radius_m, dtype=float) * HALF_POWER_SIGMA
    return xp.asarray(pk_max, dtype=float) * xp.exp(-0.5 * (miss / sigma) ** 2)
