"""Waypoint routes: great-circle legs, rate-limited fly-by turns, terrain following.

Sources: great-circle distance by the haversine formula (Sinnott, "Virtues of the
Haversine", Sky & Telescope 68(2), 1984) on geodetic points from pymap3d; fly-by and
fly-over turns (a circle of radius r tangent to both legs passes r (sec(turn/2) - 1) from
the waypoint; ICAO Doc 8168 PANS-OPS, fly-by and fly-over turns); constant acceleration
kinematics (leg time 2 L / (v0 + v1), any mechanics text).
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from zenit.errors import UserError
from zenit.geo.frames import (EARTH_RADIUS_M, Origin, altitude, cartesian_to_local,
                              local_to_cartesian, local_to_geodetic, up)
from zenit.geo.terrain import Terrain
from zenit.physics.routes import RoutePlan, lipschitz_envelope, sample_route


def haversine_m(latitude1, longitude1, latitude2, longitude2, radius_m):
    phi1, phi2 = np.radians(latitude1), np.radians(latitude2)
    half_dphi, half_dlambda = (phi2 - phi1) / 2, np.radians(longitude2 - longitude1) / 2
    term = np.sin(half_dphi) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(half_dlambda) ** 2
    return 2 * radius_m * np.arcsin(np.sqrt(term))


def turn_rates(trajectory):
    """Heading rate (rad/s) of the horizontal velocity: (v x a) . up / |v_h|^2."""
    velocity = trajectory.velocities
    acceleration = np.gradient(velocity, trajectory.times_s, axis=0)
    vertical = up(trajectory.positions)
    horizontal = velocity - np.sum(velocity * vertical, -1, keepdims=True) * vertical
    return np.abs(np.sum(np.cross(velocity, acceleration) * vertical, -1)) / np.sum(
        horizontal**2, -1)


@pytest.mark.parametrize("height_m", [0.0, 9_000.0])
def test_straight_leg_length_is_great_circle_and_time_is_length_over_speed(height_m):
    origin = Origin(48.0, 11.0)
    waypoints = np.array([[-150e3, -40e3, height_m], [220e3, 310e3, height_m]])
    trajectory = sample_route(RoutePlan(0.0, waypoints, np.array([270.0, 270.0]), 0.2), 0.5)
    latitude, longitude, _ = local_to_geodetic(waypoints[:, 0], waypoints[:, 1], 0.0, origin)
    length = haversine_m(latitude[0], longitude[0], latitude[1], longitude[1],
                         EARTH_RADIUS_M + height_m)
    assert trajectory.distance_m[-1] == pytest.approx(length, abs=0.01)
    assert trajectory.times_s[-1] == pytest.approx(length / 270.0, abs=1e-4)
    np.testing.assert_allclose(altitude(trajectory.positions), height_m, atol=1e-3)
    # every point on the great-circle plane of the two waypoints
    ends = local_to_cartesian(waypoints[:, 0], waypoints[:, 1], 0.0)
    normal = np.cross(ends[0], ends[1])
    normal /= np.linalg.norm(normal)
    assert np.abs(trajectory.positions @ normal).max() < 0.01
    np.testing.assert_allclose(np.linalg.norm(trajectory.velocities, axis=-1), 270.0, atol=1e-6)


def test_accelerating_leg_takes_two_length_over_speed_sum():
    waypoints = np.array([[0.0, 0.0, 50.0], [0.0, 100e3, 50.0]])
    trajectory = sample_route(RoutePlan(10.0, waypoints, np.array([200.0, 300.0]), 0.2), 0.5)
    length = trajectory.distance_m[-1]
    assert trajectory.times_s[-1] - 10.0 == pytest.approx(2 * length / 500.0, abs=1e-6)
    speed = np.linalg.norm(trajectory.velocities, axis=-1)
    np.testing.assert_allclose(speed, 200.0 + (trajectory.times_s - 10.0) * 100.0 /
                               (trajectory.times_s[-1] - 10.0), atol=1e-6)


def test_fly_by_turn_passes_the_waypoint_at_the_tangent_circle_distance():
    speed, rate = 250.0, 0.1
    waypoints = np.array([[0.0, -60e3, 300.0], [0.0, 0.0, 300.0], [60e3, 60e3, 300.0]])
    trajectory = sample_route(RoutePlan(0.0, waypoints, np.full(3, speed), rate), 0.05)
    waypoint = local_to_cartesian(0.0, 0.0, 300.0)
    miss = np.linalg.norm(trajectory.positions - waypoint, axis=-1).min()
    radius = speed / rate   # turn of 45 degrees
    assert miss == pytest.approx(radius * (1 / np.cos(np.pi / 8) - 1), abs=0.5)
    assert turn_rates(trajectory).max() == pytest.approx(rate, rel=0.01)
    east, north, height = cartesian_to_local(trajectory.positions[-1])
    assert np.hypot(east - 60e3, north - 60e3) < 1e-3 and abs(height - 300.0) < 1e-6


def test_reversal_flies_over_the_waypoint_and_comes_back():
    # A 180-degree turn has no fly-by circle: the threat overflies the waypoint, turns at
    # radius v / rate and flies straight to the next waypoint.
    speed, rate = 250.0, 0.2
    waypoints = np.array([[0.0, -60e3, 300.0], [0.0, 0.0, 300.0], [0.0, -70e3, 300.0]])
    trajectory = sample_route(RoutePlan(0.0, waypoints, np.full(3, speed), rate), 0.05)
    east, north, _ = cartesian_to_local(trajectory.positions)
    assert np.hypot(east, north).min() < 250.0 * 0.05 / 2   # half a sample apart
    assert north.max() == pytest.approx(speed / rate, abs=1.0)   # turn circle beyond it
    assert np.hypot(east[-1], north[-1] + 70e3) < 1e-3
    assert turn_rates(trajectory).max() <= rate * 1.005


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.floats(-150e3, 150e3), st.floats(-150e3, 150e3)), min_size=3,
                max_size=5),
       st.lists(st.floats(50.0, 900.0), min_size=5, max_size=5), st.floats(0.02, 0.5))
def test_turn_rate_never_exceeds_the_limit(points, speeds, rate):
    waypoints = np.array([[east, north, 500.0] for east, north in points])
    plan_speeds = np.array(speeds[:len(points)])
    try:
        trajectory = sample_route(RoutePlan(0.0, waypoints, plan_speeds, rate), 0.05)
    except UserError:
        assume(False)
    assert turn_rates(trajectory).max() <= rate * 1.005 + 1e-6


def test_impossible_turn_and_climb_are_refused_with_a_fix():
    tight = np.array([[0.0, 0.0, 100.0], [0.0, 1e3, 100.0], [1e3, 0.0, 100.0]])
    with pytest.raises(UserError, match="turn"):
        sample_route(RoutePlan(0.0, tight, np.full(3, 250.0), 0.05), 0.5)
    steep = np.array([[0.0, 0.0, 100.0], [0.0, 5e3, 9_000.0]])
    with pytest.raises(UserError, match="lengthen the leg"):
        sample_route(RoutePlan(0.0, steep, np.full(2, 250.0), 0.1), 0.5)
    with pytest.raises(UserError, match="below the terrain"):
        low = np.array([[0.0, -50e3, 300.0], [0.0, 50e3, 300.0]])   # ridge of 800 m at -10 km
        sample_route(RoutePlan(0.0, low, np.full(2, 250.0), 0.1), 0.5, ridge_terrain())
    with pytest.raises(UserError, match="needs terrain"):
        sample_route(RoutePlan(0.0, steep, np.full(2, 250.0), 0.1, terrain_following=True), 0.5)


def ridge_terrain():
    """Two Gaussian ridges (800 m, 500 m high) across a flat plain, on a 100 m grid."""
    coordinates = np.arange(-60e3, 60e3 + 1.0, 100.0)
    east, north = np.meshgrid(coordinates, coordinates)
    heights = (800.0 * np.exp(-((north + 10e3) / 1.5e3) ** 2)
               + 500.0 * np.exp(-((north - 20e3) / 800.0) ** 2) + 0.0 * east)
    return Terrain(heights, -60e3, -60e3, 100.0)


@pytest.mark.parametrize("terrain", [ridge_terrain(), Terrain.synthetic(7, 120e3, 250.0, 800.0)],
                         ids=["gaussian ridges", "synthetic ridges"])
def test_terrain_following_clears_the_ground_and_hugs_valleys(terrain):
    clearance, climb = 100.0, 0.2
    waypoints = np.array([[-3e3, -50e3, clearance], [2e3, 0.0, clearance],
                          [-1e3, 50e3, clearance]])
    plan = RoutePlan(0.0, waypoints, np.full(3, 240.0), 0.2, terrain_following=True,
                     max_climb_angle_rad=climb)
    trajectory = sample_route(plan, 0.1, terrain)
    east, north, height = cartesian_to_local(trajectory.positions)
    ground = terrain.elevation(east, north)
    assert np.all(height - ground >= clearance - 0.5)
    velocity = trajectory.velocities
    climb_angle = np.arcsin(np.sum(velocity * up(trajectory.positions), -1)
                            / np.linalg.norm(velocity, axis=-1))
    assert np.abs(climb_angle).max() <= climb + 1e-3
    # hugging: somewhere it flies at its clearance (within a metre)
    assert np.min(height - ground) < clearance + 1.0
    if isinstance(terrain, Terrain) and terrain.resolution_m == 100.0:
        crest = np.argmin(np.abs(north + 10e3))
        assert height[crest] == pytest.approx(800.0 + clearance, abs=2.0)
        plain = np.abs(north + 40e3) < 1e3
        np.testing.assert_allclose(height[plain] - ground[plain], clearance, atol=1.0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-500.0, 3_000.0), min_size=2, max_size=60), st.floats(0.01, 1.0))
def test_envelope_stays_above_floor_within_gradient(floor, gradient):
    distance = np.arange(len(floor)) * 37.0
    floor = np.array(floor)
    profile = lipschitz_envelope(distance, floor, gradient)
    assert np.all(profile >= floor)
    assert np.all(np.abs(np.diff(profile)) <= gradient * 37.0 * (1 + 1e-9) + 1e-6)
    # lowest such profile: the global maximum of the floor is kept as it is
    assert profile.max() == pytest.approx(floor.max(), abs=1e-9)
