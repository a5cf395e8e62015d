"""Line of sight over the smooth 4/3 Earth and over terrain.

The geometry references are the effective-Earth profile (Skolnik, Introduction to Radar
Systems, 3rd ed., sec. 8.2; ITU-R P.526 sec. 4 for the path profile with the Earth bulge
d1 d2 / (2 k R)), recomputed by hand in each test.
"""

import numpy as np
import pytest

from zenit.geo import Terrain, horizon_range, line_of_sight, visibility
from zenit.geo.frames import EARTH_RADIUS_M, cartesian_to_local, local_to_cartesian
from zenit.geo.horizon import above_smooth_horizon, effective_earth_radius

EFFECTIVE_RADIUS_M = effective_earth_radius(4 / 3)


def random_pairs(count, seed, spread_m=150e3, reach_m=300e3, terrain=None):
    rng = np.random.default_rng(seed)
    east_m, north_m = rng.uniform(-spread_m, spread_m, (2, count))
    ground_m = terrain.elevation(east_m, north_m) if terrain is not None else 0.0
    radar = local_to_cartesian(east_m, north_m, ground_m + rng.uniform(5.0, 40.0, count))
    bearing, distance_m = (
        rng.uniform(0, 2 * np.pi, count),
        reach_m * np.sqrt(rng.uniform(0, 1, count)),
    )
    altitude_m = np.exp(rng.uniform(np.log(15.0), np.log(10e3), count))
    target = local_to_cartesian(
        east_m + distance_m * np.sin(bearing), north_m + distance_m * np.cos(bearing), altitude_m
    )
    return radar, target


def test_without_terrain_is_the_smooth_horizon():
    radar, target = random_pairs(2000, 1)
    smooth = above_smooth_horizon(radar, target)
    assert 0.1 < smooth.mean() < 0.9
    np.testing.assert_array_equal(line_of_sight(radar, target), smooth)
    np.testing.assert_array_equal(line_of_sight(radar, target, Terrain.flat()), smooth)
    zeros = Terrain(np.zeros((301, 301)), -150e3, -150e3, 1e3)
    np.testing.assert_array_equal(line_of_sight(radar, target, zeros), smooth)


def test_terrain_off_every_path_changes_nothing():
    # A 2 km tower far south-west of every pair: sampled paths, no effect.
    heights = np.zeros((3, 3))
    heights[1, 1] = 2000.0
    tower = Terrain(heights, -2_000e3, -2_000e3, 100.0)
    radar, target = random_pairs(2000, 2)
    np.testing.assert_array_equal(
        line_of_sight(radar, target, tower), above_smooth_horizon(radar, target)
    )


def ridge_terrain(ridge_east_m, height_m, resolution_m=100.0):
    """Sea level with a flat-topped wall 3 nodes wide running north-south at ridge_east_m."""
    columns = int(60e3 / resolution_m) + 1
    heights = np.zeros((101, columns))
    centre = round(ridge_east_m / resolution_m)
    heights[:, centre - 1 : centre + 2] = height_m
    return Terrain(heights, 0.0, -5e3, resolution_m)


def critical_target_height(radar_m, ridge_m, d1_m, path_m):
    """Target height whose ray just grazes height ridge_m at d1 (textbook bulge profile)."""
    bulge_m = d1_m * (path_m - d1_m) / (2 * EFFECTIVE_RADIUS_M)
    return radar_m + (ridge_m - radar_m + bulge_m) * path_m / d1_m


def test_ridge_hides_targets_below_its_tangent_line_only():
    radar_m, ridge_m, path_m = 20.0, 300.0, 40e3
    terrain = ridge_terrain(20e3, ridge_m)
    # The wall top spans 19.9-20.1 km; the rising ray grazes its near edge first.
    critical_m = critical_target_height(radar_m, ridge_m, 19.9e3, path_m)
    assert critical_m == pytest.approx(
        20 + (280 + 19.9e3 * 20.1e3 / (2 * 8_494_678.4)) * 40 / 19.9, abs=1e-6
    )
    radar = local_to_cartesian(0.0, 0.0, radar_m)
    heights_m = critical_m + np.array([-10.0, -3.0 * 40 / 19.9 - 1, 10.0, 50.0])
    seen = line_of_sight(radar, local_to_cartesian(path_m, 0.0, heights_m), terrain)
    assert seen.tolist() == [False, False, True, True]
    # Without the ridge all four are well inside the smooth horizon.
    assert np.all(line_of_sight(radar, local_to_cartesian(path_m, 0.0, heights_m)))


def test_target_just_behind_ridge_and_short_of_it():
    terrain = ridge_terrain(20e3, 300.0)
    radar = local_to_cartesian(0.0, 0.0, 20.0)
    # short of the ridge: nothing in between; in its lee at 100 m: hidden; inside the wall: hidden.
    assert line_of_sight(radar, local_to_cartesian(15e3, 0.0, 50.0), terrain)
    assert not line_of_sight(radar, local_to_cartesian(25e3, 0.0, 100.0), terrain)
    assert not line_of_sight(radar, local_to_cartesian(20e3, 0.0, 150.0), terrain)


def test_observer_on_a_hill_sees_to_the_hill_horizon():
    hill_m, mast_m, target_m = 300.0, 10.0, 50.0
    heights = np.zeros((41, 41))
    heights[19:22, 19:22] = (
        hill_m  # a 200 m wide summit at the origin, falling to sea level 100 m further
    )
    terrain = Terrain(heights, -2e3, -2e3, 100.0)
    on_hill = local_to_cartesian(0.0, 0.0, hill_m + mast_m)
    on_plain = local_to_cartesian(0.0, 0.0, mast_m)
    reach_m = horizon_range(hill_m + mast_m, target_m)
    assert reach_m > 2 * horizon_range(mast_m, target_m)
    ground_m = np.array([0.5, 0.98, 1.002]) * reach_m
    targets = local_to_cartesian(ground_m * np.cos(0.3), ground_m * np.sin(0.3), target_m)
    assert line_of_sight(on_hill, targets, terrain).tolist() == [True, True, False]
    assert line_of_sight(on_plain, targets, terrain).tolist() == [False, False, False]


def test_target_inside_a_mountain_is_hidden():
    terrain = ridge_terrain(20e3, 300.0)
    assert not line_of_sight(
        local_to_cartesian(0.0, 0.0, 5e3), local_to_cartesian(20e3, 0.0, 200.0), terrain
    )


def test_raised_ground_off_the_grid_blocks():
    terrain = Terrain(np.zeros((21, 21)), -10e3, -10e3, 1e3, outside_m=500.0)
    radar = local_to_cartesian(0.0, 0.0, 20.0)
    assert line_of_sight(radar, local_to_cartesian(5e3, 0.0, 100.0), terrain)
    assert not line_of_sight(radar, local_to_cartesian(15e3, 0.0, 100.0), terrain)


def test_broadcasts_radars_against_targets():
    radars = local_to_cartesian(np.array([0.0, 10e3, 20e3]), 0.0, 30.0)[:, None, :]
    targets = local_to_cartesian(np.linspace(-50e3, 50e3, 5), 5e3, 200.0)[None, :, :]
    terrain = Terrain.synthetic(3, extent_m=100e3, resolution_m=500.0, kind="hills")
    assert line_of_sight(radars, targets, terrain).shape == (3, 5)
    assert line_of_sight(radars[0, 0], targets[0, 0]).shape == ()


def test_chunking_does_not_change_the_answer(monkeypatch):
    terrain = Terrain.synthetic(4, kind="ridges")
    radar, target = random_pairs(3000, 3, terrain=terrain)
    whole = line_of_sight(radar, target, terrain)
    monkeypatch.setattr(visibility, "SAMPLES_PER_CHUNK", 1000)
    monkeypatch.setattr(visibility, "PAIRS_PER_CHUNK", 77)
    np.testing.assert_array_equal(line_of_sight(radar, target, terrain), whole)
    assert 0.05 < whole.mean() < 0.95


def dense_clearance(radar, target, terrain, samples=4000, k=4 / 3):
    """Least height (m) of the ray over the terrain, by brute force in 3-D.

    Independent of the module: the ray is split in the effective-Earth plane into many points;
    each point's ground position comes from slerp on the true sphere at k times its polar
    angle, and the map position from frames.cartesian_to_local.
    """
    r1, r2 = np.linalg.norm(radar), np.linalg.norm(target)
    u1, u2 = radar / r1, target / r2
    theta = np.arctan2(np.linalg.norm(np.cross(u1, u2)), u1 @ u2)
    a = EFFECTIVE_RADIUS_M
    p1 = np.array([0.0, a + r1 - EARTH_RADIUS_M])
    p2 = (a + r2 - EARTH_RADIUS_M) * np.array([np.sin(theta / k), np.cos(theta / k)])
    s = np.linspace(0.0, 1.0, samples)[1:-1, None]
    points = p1 + s * (p2 - p1)
    ray_height_m = np.linalg.norm(points, axis=1) - a
    angle = k * np.arctan2(points[:, 0], points[:, 1])
    ground = (np.sin(theta - angle)[:, None] * u1 + np.sin(angle)[:, None] * u2) / np.sin(theta)
    east_m, north_m, _ = cartesian_to_local(EARTH_RADIUS_M * ground)
    return np.min(ray_height_m - terrain.elevation(east_m, north_m))


def test_agrees_with_brute_force_profile_away_from_grazing():
    terrain = Terrain.synthetic(9, kind="hills")
    radar, target = random_pairs(300, 4, spread_m=100e3, reach_m=150e3, terrain=terrain)
    radar, target = (
        radar[above_smooth_horizon(radar, target)],
        target[above_smooth_horizon(radar, target)],
    )
    seen = line_of_sight(radar, target, terrain)
    clearance_m = np.array([dense_clearance(r, t, terrain) for r, t in zip(radar, target)])
    # Sampling one point per cell can miss a peak by half a cell of the steepest slope.
    rows_slope, columns_slope = np.gradient(terrain.heights_m.astype(float), terrain.resolution_m)
    margin_m = np.hypot(rows_slope, columns_slope).max() * terrain.resolution_m / 2 + 1.0
    decided = np.abs(clearance_m) > margin_m
    assert decided.sum() > 0.3 * len(clearance_m)
    np.testing.assert_array_equal(seen[decided], clearance_m[decided] > 0)
    # That bound is loose: in practice only rays within metres of grazing may differ.
    assert np.mean(seen == (clearance_m > 0)) >= 0.97
    assert 0.2 < seen.mean() < 0.8
