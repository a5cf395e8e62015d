"""The command post's compiled scans against independent oracles and hand computations.

`engagement_candidates` is checked against the NumPy expressions of its rules on random
states and rule by rule on one candidate; `plan_engagements` on one track whose launch time,
predicted intercept point (a flyout table with a constant time of flight, so the fixed point
is reached at once), missile choice, value and urgency are worked by hand from
docs/design.md's rules and `zenit.c2.evaluation`'s formulas.
"""

import numpy as np
import pytest

from zenit.c2.evaluation import URGENCY_TIME_S
from zenit.engine.command_kernels import (FIRE_CONTROL_HOLD_S, AssetTable, EngagementPlans,
                                          EngagementRules, EngagementState, MissileTable,
                                          engagement_candidates, plan_engagements)
from zenit.engine.outcome import ThreatOutcomes
from zenit.engine.track_kernels import drop_stale_tracks
from zenit.engine.tracks import TrackTable
from zenit.engine.world import FATE_AIRBORNE, FATE_KILLED, FATE_LEAKED
from zenit.geo.frames import EARTH_RADIUS_M

R, B, N, K, Q = 40, 3, 25, 4, 2


def _zeros_state(replications, battalions, threats, kinds):
    rounds = np.ones((battalions, kinds), dtype=np.int64)
    limits = type("Battalions", (), {"ready_rounds": rounds, "spare_rounds": 0 * rounds})
    return EngagementState.start(replications, limits, threats)


def _rules(battalions, threats, **changes):
    rules = EngagementRules(
        salvo_size=2, look_delay_s=4.0, engage_decoys=False, track_quality_m=2_000.0,
        fire_control_hold_s=FIRE_CONTROL_HOLD_S, is_decoy=np.zeros(threats, dtype=bool),
        network_of_battalion=np.zeros(battalions, dtype=np.int64),
        site=np.tile([0.0, 0.0, EARTH_RADIUS_M], (battalions, 1)),
        targets_at_once=np.full(battalions, 6), missiles_at_once=np.full(battalions, 12),
        reaction_time_s=np.full(battalions, 5.0))
    return rules._replace(**changes)


def _random_case(seed):
    rng = np.random.default_rng(seed)
    state = _zeros_state(R, B, N, K)
    state.inflight_at[:] = rng.choice([0, 0, 0, 1, 2], size=(R, N))
    state.pending_at[:] = rng.choice([0, 0, 0, 2], size=(R, N))
    state.look_until[:] = rng.uniform(0.0, 20.0, (R, N))
    state.engaged[:] = rng.choice([0, 0, 0, 0, 1, 2], size=(R, B, N))
    state.pending_count[:] = rng.choice([0, 0, 1], size=(R, B))
    state.next_ready[:] = rng.uniform(0.0, 20.0, (R, B))
    state.ready[:] = rng.choice([0, 0, 1, 3], size=(R, B, K))
    outcome = ThreatOutcomes.start(R, N, 1)
    outcome.fate[:] = rng.choice(np.array([FATE_AIRBORNE, FATE_KILLED, FATE_LEAKED], np.int8),
                                 size=(R, N), p=[0.7, 0.2, 0.1])
    outcome.fate_time[:] = rng.uniform(0.0, 20.0, (R, N))
    rules = _rules(B, N, is_decoy=rng.random(N) < 0.2, targets_at_once=np.array([6, 3, 10]),
                   missiles_at_once=np.array([12, 6, 20]),
                   network_of_battalion=np.array([0, 1, 0]))
    confirmed = rng.random((R, Q, N)) < 0.6
    return state, outcome, rules, _tracks(confirmed)


def _tracks(confirmed):
    shape = confirmed.shape
    return TrackTable(np.zeros(shape + (6,)), np.zeros(shape + (6, 6)), np.zeros(shape),
                      np.ones(shape, dtype=bool), confirmed, np.zeros(shape),
                      np.zeros(shape, dtype=np.uint32), np.zeros(shape, dtype=np.int16))


def _numpy_candidates(state, outcome, rules, confirmed, time_start, time_end):
    """The rules of docs/design.md ("The command post decides") as NumPy expressions."""
    known_dead = ((outcome.fate == FATE_KILLED)
                  & (time_start >= outcome.fate_time + rules.look_delay_s))
    open_threats = (outcome.fate != FATE_LEAKED) & ~known_dead
    open_threats &= (state.inflight_at == 0) & (state.pending_at == 0)
    open_threats &= time_start >= state.look_until
    if not rules.engage_decoys:
        open_threats &= ~rules.is_decoy[None, :]
    engaged_targets = (state.engaged > 0).sum(axis=-1)
    inflight = state.engaged.sum(axis=-1)
    units, rows, threats = [], [], []
    for battalion in range(state.engaged.shape[1]):
        free = ((state.pending_count[:, battalion] == 0)
                & (engaged_targets[:, battalion] < rules.targets_at_once[battalion])
                & (inflight[:, battalion] + rules.salvo_size <= rules.missiles_at_once[battalion])
                & (state.next_ready[:, battalion] < time_end)
                & (state.ready[:, battalion].sum(axis=-1) > 0))
        network = rules.network_of_battalion[battalion]
        r, t = np.nonzero(open_threats & free[:, None] & confirmed[:, network, :])
        units.append(np.full(r.shape, battalion))
        rows.append(r)
        threats.append(t)
    return np.concatenate(units), np.concatenate(rows), np.concatenate(threats)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("engage_decoys", [True, False])
def test_engagement_candidates_match_the_numpy_expressions(seed, engage_decoys):
    state, outcome, rules, tracks = _random_case(seed)
    rules = rules._replace(engage_decoys=engage_decoys)
    expected = _numpy_candidates(state, outcome, rules, tracks.confirmed, 10.0, 10.5)
    got = engagement_candidates(10.0, 10.5, rules, state, outcome, tracks)
    assert expected[0].size >= 10  # the random state leaves real candidates to find
    for want, have in zip(expected, got):
        np.testing.assert_array_equal(have, want)


def _one_candidate():
    """One replication, one battalion, one confirmed threat: a candidate at t = 10 s."""
    state = _zeros_state(1, 1, 1, 1)
    outcome = ThreatOutcomes.start(1, 1, 1)
    return state, outcome, _rules(1, 1), _tracks(np.ones((1, 1, 1), dtype=bool))


EXCLUSIONS = {
    "leaked": lambda s, o, r, t: o.fate.fill(FATE_LEAKED),
    "killed and assessed": lambda s, o, r, t: (o.fate.fill(FATE_KILLED), o.fate_time.fill(6.0)),
    "a missile flies at it": lambda s, o, r, t: s.inflight_at.fill(1),
    "a salvo is planned at it": lambda s, o, r, t: s.pending_at.fill(1),
    "kill assessment under way": lambda s, o, r, t: s.look_until.fill(10.5),
    "track not confirmed": lambda s, o, r, t: t.confirmed.fill(False),
    "salvo pending": lambda s, o, r, t: s.pending_count.fill(1),
    "launcher not ready this step": lambda s, o, r, t: s.next_ready.fill(10.5),
    "no round ready": lambda s, o, r, t: s.ready.fill(0),
    "target channels full": lambda s, o, r, t: (s.engaged.fill(1), r.targets_at_once.fill(1)),
    "no missile channels for a salvo": lambda s, o, r, t: r.missiles_at_once.fill(1),
}


@pytest.mark.parametrize("rule", list(EXCLUSIONS))
def test_each_rule_excludes_a_candidate(rule):
    case = _one_candidate()
    assert [a.tolist() for a in engagement_candidates(10.0, 10.5, *_order(case))] == [[0]] * 3
    EXCLUSIONS[rule](*case)
    assert engagement_candidates(10.0, 10.5, *_order(case))[0].size == 0


def test_decoys_and_unassessed_kills_follow_doctrine():
    state, outcome, rules, tracks = _one_candidate()
    outcome.fate.fill(FATE_KILLED)
    outcome.fate_time.fill(6.5)  # 6.5 + 4 s look delay > 10 s: not yet known dead
    assert engagement_candidates(10.0, 10.5, rules, state, outcome, tracks)[0].size == 1
    decoy = rules._replace(is_decoy=np.ones(1, dtype=bool))
    assert engagement_candidates(10.0, 10.5, decoy, state, outcome, tracks)[0].size == 0
    decoy = decoy._replace(engage_decoys=True)
    assert engagement_candidates(10.0, 10.5, decoy, state, outcome, tracks)[0].size == 1


def _order(case):
    state, outcome, rules, tracks = case
    return rules, state, outcome, tracks


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
    tracks = _tracks(np.ones((1, 1, 1), dtype=bool))
    tracks.means[0, 0, 0] = [-40e3, 0.0, TOP, 250.0, 0.0, 0.0]
    tracks.covariances[0, 0, 0] = np.eye(6) * sigma_m**2
    tracks.time[0, 0, 0] = 8.0
    return tracks


def _plan(state=None, tracks=None, rules=None, missiles=None, fire_control_s=-np.inf):
    state = state if state is not None else _zeros_state(1, 1, 1, 2)
    tracks = tracks if tracks is not None else _track()
    assets = AssetTable(np.array([[0.0, 0.0, EARTH_RADIUS_M]]), np.array([10.0]),
                        np.array([1_000.0]))
    plans = EngagementPlans.empty(1, 1, 1)
    plan_engagements(0, np.zeros(1, np.int64), np.zeros(1, np.int64), np.zeros(1, np.int64),
                     10.0, 10.5, rules or _rules(1, 1), state, tracks,
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
    late = _rules(1, 1, reaction_time_s=np.full(1, 10.6))  # confirmed at 0, ready at 10.6 s
    assert _unplanned(_plan(rules=late))
    empty = _zeros_state(1, 1, 1, 2)
    empty.ready[0, 0, 0] = 0  # the only type that reaches has no round
    assert _unplanned(_plan(state=empty))
    guided = _missiles(track_via_missile=(True, False))
    assert _unplanned(_plan(missiles=guided))  # track via missile: no fire-control plot
    held = _plan(missiles=guided, fire_control_s=10.0 - FIRE_CONTROL_HOLD_S)
    assert held.missile[0, 0, 0] == 0 and not _unplanned(held)


def test_drop_stale_tracks_matches_the_numpy_expressions():
    rng = np.random.default_rng(3)
    shape = (R, Q, N)
    exists = rng.random(shape) < 0.7
    confirmed = exists & (rng.random(shape) < 0.5)
    confirm_time = np.where(confirmed, rng.uniform(0, 50, shape), np.nan)
    history = rng.integers(0, 8, shape).astype(np.uint32)
    misses = rng.integers(0, 5, shape).astype(np.int16)
    track_time = rng.uniform(0.0, 60.0, shape)
    time_s, drop_misses, coast_limit_s = 70.0, 3, 30.0

    stale = exists & ((misses >= drop_misses) | (time_s - track_time > coast_limit_s))
    assert 0 < stale.sum() < exists.sum()
    expected = [array.copy() for array in (exists, confirmed, confirm_time, history, misses)]
    for array, value in zip(expected, (False, False, np.nan, 0, 0)):
        array[stale] = value

    drop_stale_tracks(time_s, TrackTable(np.zeros(shape + (6,)), np.zeros(shape + (6, 6)),
                                         track_time, exists, confirmed, confirm_time, history,
                                         misses), drop_misses, coast_limit_s)
    for have, want in zip((exists, confirmed, confirm_time, history, misses), expected):
        np.testing.assert_array_equal(have, want)
