"""Compiled predicted intercept points: can this missile type reach that track, and where.

Each step the command post asks, for every candidate (replication, threat) and each missile
type, where a missile launched now would meet the track and whether that point lies in the
type's envelope. The answer is a fixed-point iteration on the time of flight,
t <- T(PIP(t)), with T the flyout table's bilinear time to (ground range, height) and PIP(t)
the track extrapolated t seconds (`zenit.physics.flyout.intercept_point`); it converges when
the target is slower than the missile. One compiled pass per candidate replaces a dozen array
passes per iteration; `tests/engine/test_reach.py` checks it against the flyout table.
"""

from __future__ import annotations

import math

import numpy as np

from zenit.engine.jit import kernel
from zenit.geo.frames import EARTH_RADIUS_M


@kernel
def ground_range_and_height(site, x, y, z):
    """As zenit.physics.flyout.ground_range_and_height, for one point."""
    cx = site[1] * z - site[2] * y
    cy = site[2] * x - site[0] * z
    cz = site[0] * y - site[1] * x
    across = math.sqrt(cx * cx + cy * cy + cz * cz)
    along = site[0] * x + site[1] * y + site[2] * z
    height = (math.sqrt(x * x + y * y + z * z)
              - math.sqrt(site[0] ** 2 + site[1] ** 2 + site[2] ** 2))
    return EARTH_RADIUS_M * math.atan2(across, along), height


@kernel
def _bilinear(grid, range_step, altitude_step, ground_range, altitude):
    """As FlyoutTable._interpolate: NaN outside the grid or next to an unreachable cell."""
    if not (math.isfinite(ground_range) and math.isfinite(altitude)):
        return np.nan
    range_position = max(ground_range, 0.0) / range_step
    altitude_position = max(altitude, 0.0) / altitude_step
    ranges, altitudes = grid.shape
    if range_position > ranges - 1 or altitude_position > altitudes - 1:
        return np.nan
    i = min(max(int(math.floor(range_position)), 0), ranges - 2)
    j = min(max(int(math.floor(altitude_position)), 0), altitudes - 2)
    range_weight = min(max(range_position - i, 0.0), 1.0)
    altitude_weight = min(max(altitude_position - j, 0.0), 1.0)
    low = grid[i, j] * (1 - altitude_weight) + grid[i, j + 1] * altitude_weight
    high = grid[i + 1, j] * (1 - altitude_weight) + grid[i + 1, j + 1] * altitude_weight
    return low * (1 - range_weight) + high * range_weight


@kernel
def intercept_point(site, x0, y0, z0, vx, vy, vz, grid, range_step, altitude_step, limits,
                    iterations):
    """One track's predicted intercept point (x, y, z) and whether it is in the envelope.

    `grid` is the flyout table's time of flight over (ground range, height) with steps
    `range_step` and `altitude_step`; `limits` = (minimum ground range, maximum slant range,
    minimum altitude, maximum altitude). The first guess is 1 s per km of distance.
    """
    dx, dy, dz = x0 - site[0], y0 - site[1], z0 - site[2]
    time_of_flight = math.sqrt(dx * dx + dy * dy + dz * dz) / 1000.0
    x, y, z = x0, y0, z0
    for _ in range(iterations):
        x = x0 + vx * time_of_flight
        y = y0 + vy * time_of_flight
        z = z0 + vz * time_of_flight
        ground, height = ground_range_and_height(site, x, y, z)
        time_of_flight = _bilinear(grid, range_step, altitude_step, ground, height)
    ground, height = ground_range_and_height(site, x, y, z)
    altitude = math.sqrt(x * x + y * y + z * z) - EARTH_RADIUS_M
    feasible = (math.isfinite(time_of_flight) and ground >= limits[0]
                and math.hypot(ground, height) <= limits[1]
                and limits[2] <= altitude <= limits[3])
    return x, y, z, feasible


@kernel
def intercept_points(site, position, velocity, grid, range_step, altitude_step, limits,
                     iterations):
    """`intercept_point` of each track (C, 3): points (C, 3) and feasible (C,)."""
    count = position.shape[0]
    points = np.empty((count, 3))
    feasible = np.zeros(count, np.bool_)
    for item in range(count):
        x, y, z, feasible[item] = intercept_point(
            site, position[item, 0], position[item, 1], position[item, 2], velocity[item, 0],
            velocity[item, 1], velocity[item, 2], grid, range_step, altitude_step, limits,
            iterations)
        points[item, 0], points[item, 1], points[item, 2] = x, y, z
    return points, feasible
