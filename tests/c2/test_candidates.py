"""The command post's candidate scan against independent oracles.

`engagement_candidates` is checked against the NumPy expressions of its rules on random
states and rule by rule on one candidate.
"""

import numpy as np
import pytest
from engagement_cases import engagement_rules, start_state, track_table

from zenit.c2.candidates import engagement_candidates
from zenit.engine.outcome import ThreatOutcomes
from zenit.physics.fates import FATE_AIRBORNE, FATE_KILLED, FATE_LEAKED

R, B, N, K, Q = 40, 3, 25, 4, 2


def _random_case(seed):
    rng = np.random.default_rng(seed)
    state = start_state(R, B, N, K)
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
    rules = engagement_rules(B, N, is_decoy=rng.random(N) < 0.2,
                             targets_at_once=np.array([6, 3, 10]),
                             missiles_at_once=np.array([12, 6, 20]),
                             network_of_battalion=np.array([0, 1, 0]))
    confirmed = rng.random((R, Q, N)) < 0.6
    return state, outcome, rules, track_table(confirmed)


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
    state = start_state(1, 1, 1, 1)
    outcome = ThreatOutcomes.start(1, 1, 1)
    return state, outcome, engagement_rules(1, 1), track_table(np.ones((1, 1, 1), dtype=bool))


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
