"""The compiled intercept-point search against the flyout table it reads.

The fixed point t = T(PIP(t)) (`zenit.physics.flyout.intercept_point`) is iterated here with
the table's own `time_of_flight` and `ground_range_and_height`; the compiled loop must land on
the same points and the same in-envelope verdicts.
"""

import numpy as np
import pytest

import zenit
from zenit.engine.compile import compile_world
from zenit.engine.reach import intercept_points
from zenit.geo.frames import EARTH_RADIUS_M, local_to_cartesian
from zenit.physics.flyout import ground_range_and_height


@pytest.fixture(scope="module")
def world():
    return compile_world(zenit.load_scenario("scenarios/regiment-vs-raid.yaml"))


def _reference(table, limits, site, position, velocity, iterations):
    time_of_flight = np.linalg.norm(position - site, axis=-1) / 1000.0
    point = position
    for _ in range(iterations):
        point = position + velocity * time_of_flight[:, None]
        time_of_flight = table.time_of_flight(*ground_range_and_height(site, point))
    ground, height = ground_range_and_height(site, point)
    altitude = np.linalg.norm(point, axis=-1) - EARTH_RADIUS_M
    feasible = (np.isfinite(time_of_flight) & (ground >= limits[0])
                & (np.hypot(ground, height) <= limits[1]) & (altitude >= limits[2])
                & (altitude <= limits[3]))
    return point, feasible


@pytest.mark.parametrize("name", ["48N6E2", "40N6E", "9M96E2"])
def test_intercept_points_match_the_flyout_table_iteration(world, name):
    missiles = world.missiles
    missile = missiles.names.index(name)
    table = missiles.flyout[missile]
    generator = np.random.default_rng(31)
    count = 3_000
    site = np.asarray(local_to_cartesian(5e3, -3e3, 200.0), dtype=float)
    bearing = generator.uniform(0, 2 * np.pi, count)
    ground = generator.uniform(1e3, 1.6 * missiles.maximum_range_m[missile], count)
    height = generator.uniform(5.0, 35e3, count)
    position = np.asarray(local_to_cartesian(ground * np.sin(bearing), ground * np.cos(bearing),
                                             height), dtype=float)
    inbound = site - position
    velocity = (inbound / np.linalg.norm(inbound, axis=-1, keepdims=True)
                * generator.uniform(50.0, 900.0, count)[:, None])
    limits = np.array([missiles.minimum_range_m[missile], missiles.maximum_range_m[missile],
                       missiles.minimum_altitude_m[missile], missiles.maximum_altitude_m[missile]])
    points, feasible = intercept_points(site, position, velocity, table.time_of_flight_grid_s,
                                        table.range_grid_m[1] - table.range_grid_m[0],
                                        table.altitude_grid_m[1] - table.altitude_grid_m[0],
                                        limits, 4)
    expected_points, expected = _reference(table, limits, site, position, velocity, 4)
    assert 0.1 < expected.mean() < 0.9  # both verdicts are exercised
    np.testing.assert_array_equal(feasible, expected)
    finite = np.isfinite(expected_points).all(axis=-1)
    np.testing.assert_allclose(points[finite], expected_points[finite], rtol=1e-12, atol=1e-6)
    assert np.isnan(points[~finite]).any(axis=-1).all()
