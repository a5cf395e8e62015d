"""Threat evaluation: straight-line closest approach to defended assets, worked by hand.

`zenit.c2.evaluation.threat_values` extrapolates each track in a straight line: the time of
closest approach to an asset is t* = max(0, (a - p).v / |v|^2) and the miss is
|a - p - v t*|; a track threatens an asset when that miss is within the asset's radius plus
THREAT_MARGIN_M (5 km). The cases below are computed on paper from those formulas.
"""

import numpy as np
import pytest

from zenit.c2.evaluation import (RESIDUAL_VALUE_FRACTION, THREAT_MARGIN_M, URGENCY_TIME_S,
                                 threat_values, urgency)

AIRBASE = np.array([[0.0, 0.0, 0.0]])
AIRBASE_VALUE = np.array([10.0])
AIRBASE_RADIUS = np.array([1_000.0])


def _one(position, velocity, assets=AIRBASE, values=AIRBASE_VALUE, radii=AIRBASE_RADIUS):
    value, time_s = threat_values(np.array([position], dtype=float),
                                  np.array([velocity], dtype=float), assets, values, radii)
    return float(value[0]), float(time_s[0])


def test_head_on_track_threatens_the_asset_at_distance_over_speed():
    # 10 km west, flying east at 250 m/s: closest approach 0 m at t = 10,000 / 250 = 40 s.
    value, time_s = _one([-10_000.0, 0.0, 0.0], [250.0, 0.0, 0.0])
    assert value == 10.0
    assert time_s == pytest.approx(40.0)


def test_offset_track_inside_and_outside_the_margin():
    assert THREAT_MARGIN_M == 5_000.0
    # Passing 5.9 km abeam: 5.9 km <= 1 km + 5 km, threatened; t* = 20,000 / 200 = 100 s.
    value, time_s = _one([-20_000.0, 5_900.0, 0.0], [200.0, 0.0, 0.0])
    assert (value, time_s) == (10.0, pytest.approx(100.0))
    # Passing 6.1 km abeam: not threatened; residual value 0.1 x 10, time infinite.
    value, time_s = _one([-20_000.0, 6_100.0, 0.0], [200.0, 0.0, 0.0])
    assert value == pytest.approx(RESIDUAL_VALUE_FRACTION * 10.0) == pytest.approx(1.0)
    assert time_s == np.inf


def test_oblique_track_closest_approach():
    # From (-30 km, -30 km) flying (300, 400) m/s: t* = (30000*300 + 30000*400) / 250000 = 84 s;
    # the closest point is (-4800, 3600), 6.0 km away: just inside 1 km + 5 km.
    value, time_s = _one([-30_000.0, -30_000.0, 0.0], [300.0, 400.0, 0.0])
    assert value == 10.0
    assert time_s == pytest.approx(84.0)
    # 1 m/s more northward speed pushes the miss past 6 km: not threatened.
    value, _ = _one([-30_000.0, -30_000.0, 0.0], [300.0, 410.0, 0.0])
    assert value == pytest.approx(1.0)


def test_receding_track_is_judged_where_it_is_now():
    # Flying away: t* clamps to 0, the miss is today's distance.
    near = _one([3_000.0, 0.0, 0.0], [250.0, 0.0, 0.0])
    far = _one([8_000.0, 0.0, 0.0], [250.0, 0.0, 0.0])
    assert near == (10.0, 0.0)
    assert far == (pytest.approx(1.0), np.inf)


def test_most_valuable_threatened_asset_and_its_time():
    assets = np.array([[0.0, 0.0, 0.0], [20_000.0, 0.0, 0.0], [0.0, 50_000.0, 0.0]])
    values = np.array([10.0, 6.0, 30.0])
    radii = np.array([1_000.0, 800.0, 1_000.0])
    # Eastbound along the x axis from -10 km: passes the airbase (t = 40 s) and the port
    # (t = 120 s), not the far asset (50 km north). Worth 10; time to that asset, 40 s.
    value, time_s = _one([-10_000.0, 0.0, 0.0], [250.0, 0.0, 0.0], assets, values, radii)
    assert (value, time_s) == (10.0, pytest.approx(40.0))
    # Residual value uses the least valuable asset: 0.1 x 6.
    value, time_s = _one([-10_000.0, 30_000.0, 0.0], [250.0, 0.0, 0.0], assets, values, radii)
    assert (value, time_s) == (pytest.approx(0.6), np.inf)


def test_batch_matches_one_by_one():
    rng = np.random.default_rng(4)
    position = rng.uniform(-50_000, 50_000, size=(20, 3))
    velocity = rng.uniform(-300, 300, size=(20, 3))
    value, time_s = threat_values(position, velocity, AIRBASE, AIRBASE_VALUE, AIRBASE_RADIUS)
    for index in range(20):
        assert (value[index], time_s[index]) == _one(position[index], velocity[index])


def test_no_assets():
    value, time_s = threat_values(np.zeros((3, 3)), np.ones((3, 3)), np.zeros((0, 3)),
                                  np.zeros(0), np.zeros(0))
    np.testing.assert_array_equal(value, 1.0)
    assert np.isinf(time_s).all()


def test_urgency_runs_from_two_now_to_one_never():
    assert URGENCY_TIME_S == 60.0
    np.testing.assert_allclose(urgency([0.0, 60.0, 180.0, np.inf]), [2.0, 1.5, 1.25, 1.0])
