"""Flyout tables: limits with closed forms, and the envelope's shape; the engine's intercept
point against the root of the intercept equation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from zenit.geo.frames import EARTH_RADIUS_M, local_to_cartesian
from scipy.optimize import brentq

from zenit.physics.flyout import (FlyoutTable, ground_range_and_height, intercept_in_envelope,
                                  iterate_intercept)
from zenit.physics.interceptor import InterceptorParameters
from zenit.units import STANDARD_GRAVITY

EXHAUST_VELOCITY = 250.0 * STANDARD_GRAVITY
LAUNCHER = np.array([0.0, 0.0, EARTH_RADIUS_M])


def round_48n6_sized(drag_scale=1.0, boost_time=6.0, sustain_time=9.0, sustain_share=0.3):
    """1800 kg, 1000 kg propellant at Isp 250 s, 0.515 m calibre: a 48N6-sized test round."""
    impulse = 1000.0 * EXHAUST_VELOCITY
    return InterceptorParameters(
        launch_mass_kg=1800.0, propellant_mass_kg=1000.0,
        boost_thrust_n=(1 - sustain_share) * impulse / boost_time, boost_time_s=boost_time,
        sustain_thrust_n=sustain_share * impulse / max(sustain_time, 1.0), sustain_time_s=sustain_time,
        reference_area_m2=math.pi * 0.2575**2, max_lateral_acceleration_mps2=300.0,
        normal_force_coefficient_max=20.0, vertical_launch_time_s=1.0, drag_coefficient_scale=drag_scale)


@pytest.fixture(scope="module")
def table():
    return FlyoutTable.build(round_48n6_sized(), dt=0.1, minimum_speed_mps=400.0)


def test_time_of_flight_increases_with_range_at_fixed_altitude(table):
    """Along each altitude, from the launcher out through the direct, climbing branch (the
    first 80 km, before lofted-and-diving arrivals can beat flights through dense air), a
    farther point takes longer."""
    for altitude_m in (2e3, 5e3, 10e3, 20e3):
        column = table.time_of_flight_grid_s[:, int(round(altitude_m / 500.0))]
        finite = np.isfinite(column)
        first = int(np.argmax(finite))
        end = min(first + int(np.argmin(finite[first:])), int(80e3 / 1000.0))
        assert table.range_grid_m[end - 1] - table.range_grid_m[first] >= 35e3  # a real stretch, metres
        assert np.all(np.diff(column[first:end]) > 0.0)
        ranges = np.linspace(table.range_grid_m[first], table.range_grid_m[end - 2], 200)
        time = table.time_of_flight(ranges, altitude_m)
        assert np.isfinite(time).mean() > 0.95
        assert np.all(np.diff(time[np.isfinite(time)]) > 0.0)


def test_free_flight_time_is_distance_over_speed():
    """Drag-free, gravity-free, near-instant burn (0.01 s) from an inclined launcher: every
    programme is a straight line at the Tsiolkovsky speed, so t = |p - launcher| / v. The
    step-averaged thrust delays the start by dt/2 (0.05 s); 0.1 s covers it and the grid."""
    parameters = round_48n6_sized(drag_scale=0.0, boost_time=0.01, sustain_time=0.0, sustain_share=0.0)
    free = FlyoutTable.build(parameters, dt=0.1, minimum_speed_mps=100.0, max_time_s=40.0,
                             vertical_launch=False, gravitational_parameter=0.0)
    speed = 25.0 + EXHAUST_VELOCITY * math.log(1800.0 / 800.0)
    rng = np.random.default_rng(7)
    ground_range = rng.uniform(1e3, 60e3, 2000)
    altitude = rng.uniform(0.0, 40e3, 2000)
    distance = np.linalg.norm(local_to_cartesian(ground_range, 0.0, altitude) - LAUNCHER, axis=-1)
    time = free.time_of_flight(ground_range, altitude)
    inside = distance / speed < 0.9 * 40.0
    assert np.isfinite(time[inside]).mean() > 0.97
    np.testing.assert_allclose(time[inside & np.isfinite(time)], distance[inside & np.isfinite(time)] / speed,
                               atol=0.1)  # seconds
    np.testing.assert_allclose(free.speed_grid_mps[np.isfinite(free.time_of_flight_grid_s)], speed, rtol=1e-9)


def max_ground_range(table, altitude_m):
    """Farthest reachable ground range (m) at an altitude, linear between grid rows."""
    reach = np.isfinite(table.time_of_flight_grid_s)
    last = reach.shape[0] - 1 - np.argmax(reach[::-1], axis=0)
    row_range = np.where(reach.any(axis=0), table.range_grid_m[last], np.nan)
    return np.interp(altitude_m, table.altitude_grid_m, row_range)


def test_max_range_shrinks_when_the_minimum_useful_speed_rises():
    """Keeping 1000 m/s instead of 400 m/s at the target costs reach at every altitude from
    0 to 50 km, and the smaller envelope lies inside the larger one."""
    slow = FlyoutTable.build(round_48n6_sized(), minimum_speed_mps=400.0)
    fast = FlyoutTable.build(round_48n6_sized(), minimum_speed_mps=1000.0)
    altitudes = np.array([0.0, 1e3, 5e3, 10e3, 20e3, 30e3, 50e3])
    assert np.all(max_ground_range(fast, altitudes) < max_ground_range(slow, altitudes) - 5e3)  # m
    ranges, heights = np.meshgrid(fast.range_grid_m, fast.altitude_grid_m, indexing="ij")
    inside_fast = fast.reachable(ranges, heights)
    assert np.all(slow.reachable(ranges, heights)[inside_fast])
    assert inside_fast.sum() < 0.5 * slow.reachable(ranges, heights).sum()


def test_speed_is_at_least_the_minimum_useful_speed_where_reachable(table):
    speed = table.speed_grid_mps[np.isfinite(table.time_of_flight_grid_s)]
    assert speed.size > 1000 and np.all(speed >= 400.0 - 1e-9)
    assert np.all(np.isnan(table.speed_grid_mps[~np.isfinite(table.time_of_flight_grid_s)]))


def test_outside_the_grid_is_unreachable(table):
    assert np.isnan(table.time_of_flight(table.range_grid_m[-1] + 5e3, 1e3))
    assert np.isnan(table.time_of_flight(10e3, table.altitude_grid_m[-1] + 5e3))
    assert not table.reachable(1e7, 0.0)


def test_ground_range_and_height_on_the_sphere():
    """30 km east and 40 km north on the equidistant map is 50 km of great circle."""
    point = local_to_cartesian(30e3, 40e3, 5e3)
    ground_range, height = ground_range_and_height(LAUNCHER, point)
    assert ground_range == pytest.approx(50e3, abs=1e-6)  # metres
    assert height == pytest.approx(5e3, abs=1e-6)


def test_intercept_point_is_a_fixed_point_of_the_time_of_flight(table):
    """The missile reaches the predicted point exactly when the target does."""
    target = local_to_cartesian(np.array([80e3, 60e3]), np.array([0.0, 20e3]), np.array([10e3, 5e3]))
    velocity = np.array([[-250.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    steps = table.range_grid_m[1], table.altitude_grid_m[1]
    for item in range(2):
        *_, time, change = iterate_intercept(LAUNCHER, *target[item], *velocity[item],
                                             table.time_of_flight_grid_s, *steps, 0.0, 8)
        assert np.isfinite(time) and change < 0.05  # seconds
        point = target[item] + velocity[item] * time
        assert table.time_of_flight(*ground_range_and_height(LAUNCHER, point)) == pytest.approx(
            time, abs=0.05)
    # a stationary target: the time of flight to the target itself
    assert time == pytest.approx(float(table.time_of_flight(*ground_range_and_height(
        LAUNCHER, target[1]))), abs=1e-9)


def test_low_targets_are_reached_by_a_final_dive(table):
    """A cruise missile at 15 m, 20 km out, is in reach (the fan's floor is filled by a dive),
    and no sooner than the straight line at the round's best speed allows."""
    time = float(table.time_of_flight(20e3, 15.0))
    assert np.isfinite(time)
    best_speed = float(np.nanmax(table.speed_grid_mps))
    assert time >= 20e3 / best_speed
    assert not np.isfinite(table.time_of_flight(500.0, 15.0))  # under the launcher: no dive that steep


def test_engine_intercept_point_is_the_root_of_the_intercept_equation():
    """A constant-speed missile, T(ground range, height) = ground range / 800 m/s (a table
    bilinear interpolation reads exactly), against targets on straight lines: the engine's
    fixed-point iteration lands where ground_range(p0 + v t) = 800 t, found here by Brent's
    method on the sphere's geometry; targets beyond the 60 km envelope are refused."""
    speed, range_step, altitude_step = 800.0, 1_000.0, 500.0
    ground = np.arange(0.0, 101e3, range_step)
    grid = np.ascontiguousarray(np.repeat((ground / speed)[:, None], 41, axis=1))
    limits = np.array([1e3, 60e3, 0.0, 20e3])  # min ground, max slant, min and max altitude
    site = LAUNCHER + [0.0, 0.0, 150.0]
    east = np.array([70e3, 40e3, 45e3, 95e3])
    start = np.asarray(local_to_cartesian(east, np.array([5e3, -8e3, 0.0, 0.0]),
                                          np.array([3e3, 9e3, 12e3, 6e3])), dtype=float)
    velocity = np.array([[-250.0, 0.0, 0.0], [-100.0, 60.0, -5.0], [-300.0, 0.0, 0.0],
                         [-200.0, 0.0, 0.0]])
    answers = [intercept_in_envelope(site, *start[item], *velocity[item], grid, range_step,
                                     altitude_step, limits, 30) for item in range(4)]
    points, feasible = np.array([answer[:3] for answer in answers]), [a[3] for a in answers]
    for item in range(3):
        def gap(time, item=item):
            return float(ground_range_and_height(site, start[item] + velocity[item] * time)[0]
                         - speed * time)
        when = brentq(gap, 0.0, 200.0, xtol=1e-12)
        np.testing.assert_allclose(points[item], start[item] + velocity[item] * when,
                                   atol=1e-6)  # metres
    assert all(feasible[:3]) and not feasible[3]  # the last meets its missile 75 km out
