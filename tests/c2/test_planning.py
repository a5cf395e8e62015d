"""The command post's engagement planning against hand computations.

`plan_engagements` on one track whose launch time, predicted intercept point (a flyout table
with a constant time of flight, so the fixed point is reached at once), missile choice, value
and urgency are worked by hand from docs/design.md's rules and `zenit.c2.evaluation`'s
formulas.
"""

import numpy as np
import pytest
from engagement_cases import engagement_rules, start_state, track_table

from zenit.c2.engagement_tables import (FIRE_CONTROL_HOLD_S, AssetTable, EngagementPlans,
                                        MissileTable)
from zenit.c2.evaluation import URGENCY_TIME_S
from zenit.c2.planning import plan_engagements
from zenit.geo.frames import EARTH_RADIUS_M

# One track for plan_engagements: 5 km above the sphere, 40 km west of the battalion (at the
# frame's origin, on +z), flying east at 250 m/s; last updated at t = 8 s, confirmed at 0.
TOP = EARTH_RADIUS_M + 5_000.0
TIME_OF_FLIGHT_S = 20.0  # both missile types' tables: 20 s to anywhere


def _missiles(maximum_range_m=(100e3, 20e3), track_via_missile=(False, False)):
    return MissileTable(
        np.argsort(maximum_range_m, kind="stable"), np.array(track_via_missile),
        np.array([0.8, 0.9]), np.full(2 * 50 * 20, TIME_OF_FLIGHT_S), np.array([0, 1000]),
        np.array([[50, 20], [50, 20]]), np.array([[5e3, 1e3], [5e3, 1e3]]),
        np.array([[0.0, reach, 0.0, 30e3] for reach in maximum_range_m]))


def _track(sigma_m=100.0):
    tracks = track_table(np.ones((1, 1, 1), dtype=bool))
    tracks.means[0, 0, 0] = [-40e3, 0.0, TOP, 250.0, 0.0, 0.0]
    tracks.covariances[0, 0, 0] = np.eye(6) * sigma_m**2
    tracks.time[0, 0, 0] = 8.0
    return tracks


def _plan(state=None, tracks=None, rules=None, missiles=None, fire_control_s=-np.inf):
    state = state if state is not None else start_state(1, 1, 1, 2)
    tracks = tracks if tracks is not None else _track()
    assets = AssetTable(np.array([[0.0, 0.0, EARTH_RADIUS_M]]), np.array([10.0]),
                        np.array([1_000.0]))
    plans = EngagementPlans.empty(1, 1, 1)
    plan_engagements(0, np.zeros(1, np.int64), np.zeros(1, np.int64), np.zeros(1, np.int64),
                     10.0, 10.5, rules or engagement_rules(1, 1), state, tracks,
                     np.full((1, 1, 1), fire_control_s), missiles or _missiles(), assets, plans)
    return plans


def test_a_plan_worked_by_hand():
    plans = _plan()
    # Launch at max(10 s now, 0 s confirmation + 5 s reaction, launcher ready at 0) = 10 s;
    # the track extrapolated 2 s: x = -39.5 km. A 20 s flight meets it 5 km further east.
    assert plans.time[0, 0, 0] == 10.0
    np.testing.assert_array_equal(plans.aim[0, 0, 0], [-34.5e3, 0.0, TOP])
    # The 20 km type is tried first (shortest reach) but cannot reach 34.5 km: the 100 km type.
    assert plans.missile[0, 0, 0] == 0
    # Heading straight over the asset, 5 km up (inside 1 km + 5 km): worth 10, closest in
    # 39.5 km / 250 m/s = 158 s; urgency 1 + 60 / (158 + 60); Pk 0.8.
    urgency = 1.0 + URGENCY_TIME_S / (158.0 + URGENCY_TIME_S)
    assert plans.score[0, 0, 0] == pytest.approx(10.0 * urgency * 0.8, rel=1e-12)


def test_the_shortest_reach_that_holds_the_point_wins():
    plans = _plan(missiles=_missiles(maximum_range_m=(100e3, 50e3)))
    assert plans.missile[0, 0, 0] == 1 and plans.score[0, 0, 0] == pytest.approx(
        10.0 * (1.0 + URGENCY_TIME_S / (158.0 + URGENCY_TIME_S)) * 0.9, rel=1e-12)


def _unplanned(plans):
    return plans.score[0, 0, 0] == -np.inf


def test_no_plan_without_a_good_track_a_launch_this_step_a_round_or_fire_control():
    assert not _unplanned(_plan(tracks=_track(1_150.0)))  # sigma = 1.99 km <= 2 km
    assert _unplanned(_plan(tracks=_track(1_160.0)))  # sigma = 2.01 km
    late = engagement_rules(1, 1, reaction_time_s=np.full(1, 10.6))  # ready at 10.6 s
    assert _unplanned(_plan(rules=late))
    empty = start_state(1, 1, 1, 2)
    empty.ready[0, 0, 0] = 0  # the only type that reaches has no round
    assert _unplanned(_plan(state=empty))
    guided = _missiles(track_via_missile=(True, False))
    assert _unplanned(_plan(missiles=guided))  # track via missile: no fire-control plot
    held = _plan(missiles=guided, fire_control_s=10.0 - FIRE_CONTROL_HOLD_S)
    assert held.missile[0, 0, 0] == 0 and not _unplanned(held)
