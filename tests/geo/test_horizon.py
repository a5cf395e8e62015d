"""Smooth-Earth radar horizon in the 4/3 effective-Earth model.

Sources: Skolnik, Introduction to Radar Systems (3rd ed.), sec. 8.2, the 4/3 Earth and its
horizon example (antennas at 120 m and 16 m see each other to 61.6 km); Fed-Std-1037C
"radar line of sight" and the rule of thumb d = 4.12 (sqrt h1 + sqrt h2) km, h in metres
(also /work/shared/refs/s400-public-data.md).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zenit.geo import horizon_range
from zenit.geo.frames import EARTH_RADIUS_M, local_to_cartesian, up
from zenit.geo.horizon import (
    above_smooth_horizon,
    azimuth,
    effective_earth_radius,
    elevation_angle,
    horizon_angle,
    map_north,
    slant_range,
)


def test_skolnik_example_120_m_and_16_m_antennas():
    assert horizon_range(120.0, 16.0) == pytest.approx(61.6e3, abs=0.1e3)


@pytest.mark.parametrize("h1_m, h2_m", [(25.0, 5.0), (10.0, 10e3), (40.0, 100.0), (1.0, 0.0)])
def test_rule_of_thumb_4_12_km(h1_m, h2_m):
    rule_m = 4.12e3 * (np.sqrt(h1_m) + np.sqrt(h2_m))
    assert horizon_range(h1_m, h2_m) == pytest.approx(rule_m, rel=1e-3)


def test_geometric_horizon_with_k_equal_one():
    # sqrt(2 R h) with R = 6371.0088 km: 35.696 km for a 100 m mast to sea level.
    assert horizon_range(100.0, 0.0, k=1.0) == pytest.approx(
        np.sqrt(2 * 6_371_008.8 * 100.0), abs=1e-6
    )
    assert horizon_range(100.0, 0.0, k=1.0) == pytest.approx(35.696e3, abs=1.0)
    assert effective_earth_radius(4 / 3) == pytest.approx(8_494_678.4, abs=0.1)


def test_horizon_range_broadcasts():
    assert horizon_range(np.array([10.0, 20.0]), np.array([[0.0], [5.0]])).shape == (2, 2)


def _along_east(ground_m, altitude_m):
    return local_to_cartesian(ground_m, 0.0, altitude_m)


@pytest.mark.parametrize("k", [1.0, 4 / 3])
def test_target_just_inside_horizon_seen_just_beyond_hidden(k):
    radar_m, target_m = 30.0, 100.0
    horizon_m = horizon_range(radar_m, target_m, k=k)
    radar = _along_east(0.0, radar_m)
    ground_m = np.array([0.999, 1.001]) * horizon_m
    seen = above_smooth_horizon(radar, _along_east(ground_m, target_m), k=k)
    assert seen.tolist() == [True, False]


def test_exact_horizon_is_within_a_metre_of_the_formula_for_low_heights():
    # The model's exact tangent distance k R (atan + atan) differs from sqrt(2 k R h) sums by
    # terms of order h / R: under a metre for masts and low fliers.
    exact_m = effective_earth_radius() * (horizon_angle(30.0) + horizon_angle(100.0))
    assert exact_m == pytest.approx(horizon_range(30.0, 100.0), abs=1.0)


def test_point_below_ground_sees_nothing():
    assert not above_smooth_horizon(_along_east(0.0, -1.0), _along_east(1e3, 100.0))


@settings(max_examples=200, deadline=None)
@given(st.floats(0.0, 5e3), st.floats(0.0, 20e3), st.floats(0.0, 800e3), st.floats(-1e6, 1e6))
def test_smooth_horizon_is_symmetric(h1_m, h2_m, ground_m, north_m):
    a, b = local_to_cartesian(0.0, north_m, h1_m), local_to_cartesian(ground_m, north_m, h2_m)
    assert above_smooth_horizon(a, b) == above_smooth_horizon(b, a)


@settings(max_examples=200, deadline=None)
@given(st.floats(1.0, 5e3), st.floats(0.0, 20e3), st.floats(1e3, 800e3))
def test_rising_target_never_drops_below_horizon(h1_m, h2_m, ground_m):
    radar = _along_east(0.0, h1_m)
    low, high = above_smooth_horizon(radar, _along_east(ground_m, np.array([h2_m, h2_m + 100.0])))
    assert high or not low


def test_elevation_of_target_on_horizon_is_the_horizon_dip():
    radar_m = 30.0
    dip = horizon_angle(radar_m)
    ground_m = effective_earth_radius() * dip
    assert elevation_angle(_along_east(0.0, radar_m), _along_east(ground_m, 0.0)) == pytest.approx(
        -dip, abs=1e-9
    )


def test_elevation_straight_up_and_level():
    radar = _along_east(0.0, 10.0)
    assert elevation_angle(radar, _along_east(0.0, 5e3)) == pytest.approx(np.pi / 2)
    # Same height 100 km away: the Earth drops away by d / (2 k R) below the horizontal.
    assert elevation_angle(radar, _along_east(100e3, 10.0)) == pytest.approx(
        -100e3 / (2 * effective_earth_radius()), abs=1e-6
    )


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0.0, 3e3), st.floats(0.0, 30e3), st.floats(-300e3, 300e3), st.floats(-300e3, 300e3)
)
def test_elevation_with_k_one_is_the_geometric_elevation(h1_m, h2_m, east_m, north_m):
    radar, target = local_to_cartesian(5e3, -2e3, h1_m), local_to_cartesian(east_m, north_m, h2_m)
    offset = target - radar
    distance_m = np.linalg.norm(offset)
    if distance_m < 1.0:
        return
    geometric = np.arcsin(np.clip(np.dot(offset, up(radar)) / distance_m, -1, 1))
    assert elevation_angle(radar, target, k=1.0) == pytest.approx(geometric, abs=1e-7)


def test_refraction_raises_apparent_elevation():
    radar, target = _along_east(0.0, 20.0), _along_east(150e3, 1e3)
    assert elevation_angle(radar, target) > elevation_angle(radar, target, k=1.0)


def test_slant_range():
    a, b = _along_east(0.0, 0.0), _along_east(0.0, 1234.5)
    assert slant_range(a, b) == pytest.approx(1234.5, abs=1e-6)


@pytest.mark.parametrize(
    "east_m, north_m, degrees",
    [
        (10e3, 0.0, 90.0),
        (0.0, 10e3, 0.0),
        (-10e3, -10e3, 225.0),
        (-5e3, 0.0, 270.0),
        (1e3, -1e3, 135.0),
    ],
)
def test_azimuth_from_origin_is_the_compass_bearing(east_m, north_m, degrees):
    origin = local_to_cartesian(0.0, 0.0, 20.0)
    assert np.degrees(azimuth(origin, local_to_cartesian(east_m, north_m, 500.0))) == pytest.approx(
        degrees, abs=1e-6
    )


def test_azimuth_follows_map_north_away_from_origin():
    radar = local_to_cartesian(200e3, 0.0, 20.0)
    assert np.degrees(azimuth(radar, local_to_cartesian(200e3, 1e3, 20.0))) == pytest.approx(
        0.0, abs=0.01
    )
    assert np.degrees(azimuth(radar, local_to_cartesian(0.0, 0.0, 20.0))) == pytest.approx(
        270.0, abs=0.01
    )


@settings(max_examples=200, deadline=None)
@given(st.floats(-2e6, 2e6), st.floats(-2e6, 2e6))
def test_map_north_is_the_direction_of_increasing_north(east_m, north_m):
    step_m = 1.0
    difference = local_to_cartesian(east_m, north_m + step_m, 0.0) - local_to_cartesian(
        east_m, north_m - step_m, 0.0
    )
    expected = difference / np.linalg.norm(difference)
    np.testing.assert_allclose(
        map_north(local_to_cartesian(east_m, north_m, 0.0)), expected, atol=1e-7
    )


def test_map_north_at_origin_is_plus_y():
    np.testing.assert_allclose(map_north(np.array([0.0, 0.0, EARTH_RADIUS_M])), [0.0, 1.0, 0.0])
