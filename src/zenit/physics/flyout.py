"""Flyout tables: how long a missile type takes to reach a point, and how fast it gets there.

Each missile type is flown once, as one batch, over a fan of programmes after its vertical
launch: direct ones that hold an elevation (`midcourse_acceleration` toward a point at
infinity), -8 to 88 degrees, densest near the horizon, and lofted ones that steer onto an
elevation and let go (a gravity turn). The earliest arrival with at least the minimum useful
speed, and the speed there, are kept on a regular (ground range, altitude) grid, bracketed
between neighbouring programmes of one family; lookups are bilinear. Flights carry on below
the ground (as geometry only) to bracket the cells near the ground.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from zenit.compiled import array_function, formula
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.physics.guidance import EARTH_GRAVITATIONAL_PARAMETER, midcourse_acceleration, norm
from zenit.physics.interceptor import InterceptorParameters, launch_state, step

DIRECT_ELEVATIONS_DEG = np.concatenate([-np.geomspace(8.0, 0.125, 7), [0.0], np.geomspace(0.125, 8.0, 7),
                                        np.linspace(12.0, 88.0, 20)])
LOFTED_ELEVATIONS_DEG = np.linspace(4.0, 84.0, 21)
PROGRAMME_GAIN = 2.0  # 1/s: heading time constant of the pitch programme, 0.5 s
RELEASE_ANGLE_RAD = np.radians(0.5)  # lofted programmes let go within this of their elevation
BELOW_GROUND_MARGIN_M = 3_000.0
COAST_AFTER_BURNOUT_S = 5.0  # fine steps until this long after burnout, then coast steps
DIVE_SLOPE = 1.0  # a filled low cell lies at most 1 m lower per metre of ground range (45 deg)
_FAR = 1e9  # m: distance of the aim point that stands for a direction
FIRST_GUESS_SPEED_MPS = 1_000.0  # the engine's first time-of-flight guess: 1 s per km of distance


@formula
def range_and_height(site, x, y, z):
    """Great-circle ground range (m) from a launcher at `site` (3,) to (x, y, z), and the
    point's height above the launcher."""
    cx = site[1] * z - site[2] * y
    cy = site[2] * x - site[0] * z
    cz = site[0] * y - site[1] * x
    along = site[0] * x + site[1] * y + site[2] * z
    height = norm(x, y, z) - norm(site[0], site[1], site[2])
    return EARTH_RADIUS_M * math.atan2(norm(cx, cy, cz), along), height


@formula
def bilinear(grid, range_step, altitude_step, ground_range, altitude):
    """Bilinear on a (ranges, altitudes) grid from 0 with the given steps: NaN outside it or
    next to an unreachable (NaN) cell."""
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


@formula
def iterate_intercept(site, x0, y0, z0, vx, vy, vz, grid, range_step, altitude_step,
                      time_of_flight, iterations):
    """The fixed point t <- T(PIP(t)) from a first guess, PIP(t) = x0 + v t, T the `bilinear`
    time of flight from `site`: (last point tried, its time of flight, the last change (s))."""
    x, y, z, change = x0, y0, z0, np.inf
    for _ in range(iterations):
        x = x0 + vx * time_of_flight
        y = y0 + vy * time_of_flight
        z = z0 + vz * time_of_flight
        ground, height = range_and_height(site, x, y, z)
        next_time = bilinear(grid, range_step, altitude_step, ground, height)
        change = abs(next_time - time_of_flight)
        time_of_flight = next_time
    return x, y, z, time_of_flight, change


@formula
def intercept_in_envelope(site, x0, y0, z0, vx, vy, vz, grid, range_step, altitude_step, limits,
                          iterations):
    """One track's predicted intercept point (x, y, z) and whether it is in the envelope:
    `iterate_intercept` from 1 s per km of distance. `limits` = (minimum ground range, maximum
    slant range, minimum altitude, maximum altitude)."""
    dx, dy, dz = x0 - site[0], y0 - site[1], z0 - site[2]
    first_guess = norm(dx, dy, dz) / FIRST_GUESS_SPEED_MPS
    x, y, z, time_of_flight, _ = iterate_intercept(site, x0, y0, z0, vx, vy, vz, grid,
                                                   range_step, altitude_step, first_guess,
                                                   iterations)
    ground, height = range_and_height(site, x, y, z)
    altitude = norm(x, y, z) - EARTH_RADIUS_M
    feasible = (math.isfinite(time_of_flight) and ground >= limits[0]
                and math.hypot(ground, height) <= limits[1]
                and limits[2] <= altitude <= limits[3])
    return x, y, z, feasible


@dataclass(frozen=True)
class FlyoutTable:
    """Earliest-arrival time and speed (ranges, altitudes), NaN where unreachable, over ground
    range along the Earth's surface from the launcher and altitude above the launcher."""

    range_grid_m: np.ndarray
    altitude_grid_m: np.ndarray
    time_of_flight_grid_s: np.ndarray
    speed_grid_mps: np.ndarray
    minimum_speed_mps: float

    @classmethod
    def build(cls, parameters: InterceptorParameters, dt=0.1, minimum_speed_mps=400.0,
              range_step_m=1_000.0, altitude_step_m=500.0, max_time_s=400.0, max_altitude_m=100_000.0,
              coast_dt=0.5, vertical_launch=True, ejection_speed_mps=25.0,
              gravitational_parameter=EARTH_GRAVITATIONAL_PARAMETER) -> "FlyoutTable":
        """Fly the fan for one missile type (scalar or one-row parameters) and grid the result:
        steps of dt (s), max(dt, coast_dt) once every flight has coasted a few seconds.
        vertical_launch=False: inclined launchers; gravitational_parameter = 0: no gravity."""
        flights = _fly_fan(parameters, dt, max(dt, coast_dt), minimum_speed_mps, max_time_s, max_altitude_m,
                           vertical_launch, ejection_speed_mps, gravitational_parameter)
        valid = flights["valid"]
        top_range = np.max(np.where(valid, flights["range"], 0.0))
        top_altitude = np.max(np.where(valid, flights["altitude"], 0.0))
        range_grid = np.arange(0.0, top_range + range_step_m, range_step_m)
        altitude_grid = np.arange(0.0, top_altitude + altitude_step_m, altitude_step_m)
        families = [_bracket(_crossings({key: value[:, family] for key, value in flights.items()
                                         if key not in ("direct", "lofted")}, range_grid),
                             altitude_grid, minimum_speed_mps)
                    for family in (flights["direct"], flights["lofted"])]
        time, speed = np.stack([each[0] for each in families]), np.stack([each[1] for each in families])
        earliest = np.argmin(time, axis=0)[None]
        best_time = np.take_along_axis(time, earliest, axis=0)[0]
        unreachable = ~np.isfinite(best_time)
        best_time = np.where(unreachable, np.nan, best_time)
        best_speed = np.where(unreachable, np.nan, np.take_along_axis(speed, earliest, axis=0)[0])
        best_time, best_speed = _fill_below(best_time, best_speed, range_grid, altitude_grid)
        return cls(range_grid, altitude_grid, best_time, best_speed, float(minimum_speed_mps))

    def time_of_flight(self, ground_range_m, altitude_m):
        """Earliest arrival (s) at (ground range, altitude) with the minimum useful speed, NaN
        if none: `bilinear` on the grid."""
        return _bilinear(ground_range_m, altitude_m, self.time_of_flight_grid_s,
                         self.range_grid_m[1] - self.range_grid_m[0],
                         self.altitude_grid_m[1] - self.altitude_grid_m[0])

    def reachable(self, ground_range_m, altitude_m):
        """True inside the kinematic envelope."""
        return np.isfinite(self.time_of_flight(ground_range_m, altitude_m))


@array_function("(),(),(m,n),(),()->()")
def _bilinear(ground_range, altitude, grid, range_step, altitude_step, out):
    out[0] = bilinear(grid, range_step, altitude_step, ground_range, altitude)


@array_function("(n),(n)->(),()")
def ground_range_and_height(launcher_position, point, ground, height):
    """Great-circle ground range (m) from launcher to point, and the point's height above the
    launcher (`range_and_height` over arrays (..., 3))."""
    ground[0], height[0] = range_and_height(launcher_position, point[0], point[1], point[2])


def _fill_below(time, speed, range_grid, altitude_grid):
    """Reach the unreachable cells under a range's lowest reachable one by a final dive: the
    cell above's time plus the drop at its speed, where the drop is no steeper than DIVE_SLOPE."""
    time, speed = time.copy(), speed.copy()
    reachable = np.isfinite(time)
    lowest = np.where(reachable.any(axis=1), np.argmax(reachable, axis=1), len(altitude_grid))
    source = np.where(reachable, altitude_grid[None, :], np.nan)
    for column in range(len(altitude_grid) - 2, -1, -1):
        drop = source[:, column + 1] - altitude_grid[column]
        hole = ((column < lowest) & np.isfinite(time[:, column + 1])
                & (range_grid >= DIVE_SLOPE * drop))
        step = altitude_grid[column + 1] - altitude_grid[column]
        time[hole, column] = time[hole, column + 1] + step / speed[hole, column + 1]
        speed[hole, column] = speed[hole, column + 1]
        source[hole, column] = source[hole, column + 1]
    return time, speed


def _fly_fan(parameters, dt, coast_dt, minimum_speed_mps, max_time_s, max_altitude_m, vertical_launch,
             ejection_speed_mps, gravitational_parameter):
    """Fly every programme as one batch; record time, ground range, altitude, speed, validity."""
    elevations = np.radians(np.concatenate([DIRECT_ELEVATIONS_DEG, LOFTED_ELEVATIONS_DEG]))
    count = elevations.size
    direct = np.arange(count) < DIRECT_ELEVATIONS_DEG.size
    rows = parameters.take(np.zeros(count, dtype=int))
    if not vertical_launch:
        rows = InterceptorParameters(**{**rows.__dict__, "vertical_launch_time_s": np.zeros(count)})
    launcher = np.tile([0.0, 0.0, EARTH_RADIUS_M], (count, 1))
    heading = np.stack([np.cos(elevations), np.zeros(count), np.sin(elevations)], axis=1)
    launch_direction = heading if not vertical_launch else np.tile([0.0, 0.0, 1.0], (count, 1))
    state = launch_state(launcher, launch_direction, rows, ejection_speed_mps)
    aim_point = launcher + _FAR * heading
    burn_end = np.asarray(rows.boost_time_s) + np.asarray(rows.sustain_time_s)
    turn_start = np.asarray(rows.vertical_launch_time_s) - 1e-6

    record = {key: [] for key in ("time", "range", "altitude", "speed", "valid")}
    released = np.zeros(count, dtype=bool)
    alive = np.ones(count, dtype=bool)
    while True:
        ground_range, height = ground_range_and_height(launcher, state.position)
        speed = np.linalg.norm(state.velocity, axis=1)
        burning = state.time_since_launch < burn_end
        alive &= ((height > -BELOW_GROUND_MARGIN_M) & (height < max_altitude_m)
                  & ((speed >= minimum_speed_mps) | burning))
        for key, value in (("time", state.time_since_launch), ("range", ground_range),
                           ("altitude", height), ("speed", speed), ("valid", alive.copy())):
            record[key].append(value)
        if not alive.any() or state.time_since_launch[0] >= max_time_s:
            break
        velocity_unit = state.velocity / np.maximum(speed, 1e-9)[:, None]
        aligned = np.sum(velocity_unit * heading, axis=1) > np.cos(RELEASE_ANGLE_RAD)
        released |= ~direct & (state.time_since_launch >= turn_start) & aligned
        command = midcourse_acceleration(state.position, state.velocity, aim_point,
                                         PROGRAMME_GAIN, gravitational_parameter)
        command = np.where(released[:, None], 0.0, command)
        boosting = np.any(alive & (state.time_since_launch < burn_end + COAST_AFTER_BURNOUT_S))
        step_s = dt if boosting else coast_dt
        state = step(state, command, step_s, rows, gravitational_parameter)
    flights = {key: np.stack(value) for key, value in record.items()}
    # Ground range made non-decreasing and frozen once a flight has ended, for the search.
    flights["range"] = np.maximum.accumulate(np.where(flights["valid"], flights["range"], 0.0), axis=0)
    flights["direct"] = direct
    flights["lofted"] = ~direct
    return flights


def _crossings(flights, range_grid):
    """Time, altitude, speed where each flight first passes each grid range: arrays (flights, ranges)."""
    ranges = flights["range"].T
    count, samples = ranges.shape
    span = float(np.nanmax(ranges)) + float(range_grid[-1]) + 1.0
    offsets = span * np.arange(count)[:, None]
    flat = (ranges + offsets).ravel()
    queries = range_grid[None, :] + offsets
    found = np.searchsorted(flat, queries.ravel(), side="right").reshape(queries.shape)
    index = found - samples * np.arange(count)[:, None]
    usable = (index >= 1) & (index < samples)
    after = np.clip(index, 1, samples - 1)
    before = after - 1
    rows = np.arange(count)[:, None]
    valid = flights["valid"].T
    usable &= valid[rows, before] & valid[rows, after]
    start, end = ranges[rows, before], ranges[rows, after]
    weight = np.clip((range_grid[None, :] - start) / np.where(end > start, end - start, 1.0), 0.0, 1.0)
    crossing = {"valid": usable}
    for key in ("time", "altitude", "speed"):
        series = flights[key].T
        crossing[key] = series[rows, before] + weight * (series[rows, after] - series[rows, before])
    return crossing


def _bracket(crossing, altitude_grid, minimum_speed_mps):
    """Earliest time and its speed at each (range, altitude) cell between neighbouring flights."""
    usable = crossing["valid"] & (crossing["speed"] >= minimum_speed_mps)
    pair_usable = usable[:-1] & usable[1:]
    low_altitude, high_altitude = crossing["altitude"][:-1], crossing["altitude"][1:]
    difference = high_altitude - low_altitude
    weight = ((altitude_grid[None, None, :] - low_altitude[..., None])
              / np.where(difference != 0.0, difference, 1.0)[..., None])
    between = pair_usable[..., None] & (weight >= 0.0) & (weight <= 1.0)
    between |= pair_usable[..., None] & (difference == 0.0)[..., None] & (
        altitude_grid[None, None, :] == low_altitude[..., None])
    weight = np.clip(weight, 0.0, 1.0)

    low_time, high_time = crossing["time"][:-1, :, None], crossing["time"][1:, :, None]
    time = np.where(between, low_time + weight * (high_time - low_time), np.inf)
    earliest = np.argmin(time, axis=0)[None]
    best_time = np.take_along_axis(time, earliest, axis=0)[0]
    best_weight = np.take_along_axis(weight, earliest, axis=0)[0]
    pair = earliest[0]
    columns = np.arange(pair.shape[0])[:, None]
    low_speed, high_speed = crossing["speed"][pair, columns], crossing["speed"][pair + 1, columns]
    return best_time, low_speed + best_weight * (high_speed - low_speed)
