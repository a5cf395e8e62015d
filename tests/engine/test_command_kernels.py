"""The compiled command-post scan against the NumPy expressions it replaced."""

import numpy as np
import pytest

from zenit.engine.command_kernels import engagement_candidates
from zenit.engine.track_kernels import drop_stale_tracks
from zenit.engine.world import FATE_AIRBORNE, FATE_KILLED, FATE_LEAKED

R, B, N, K, Q = 40, 3, 25, 4, 2


def _state(seed):
    rng = np.random.default_rng(seed)
    state = dict(
        fate=rng.choice(np.array([FATE_AIRBORNE, FATE_KILLED, FATE_LEAKED], dtype=np.int8),
                        size=(R, N), p=[0.7, 0.2, 0.1]),
        fate_time=rng.uniform(0.0, 20.0, (R, N)),
        inflight_at=rng.choice([0, 0, 0, 1, 2], size=(R, N)),
        pending_at=rng.choice([0, 0, 0, 2], size=(R, N)),
        look_until=rng.uniform(0.0, 20.0, (R, N)),
        is_decoy=rng.random(N) < 0.2,
        engaged=rng.choice([0, 0, 0, 0, 1, 2], size=(R, B, N)),
        pending_count=rng.choice([0, 0, 1], size=(R, B)),
        next_ready=rng.uniform(0.0, 20.0, (R, B)),
        ready=rng.choice([0, 0, 1, 3], size=(R, B, K)),
        targets_at_once=np.array([6, 3, 10]),
        missiles_at_once=np.array([12, 6, 20]),
        confirmed=rng.random((R, Q, N)) < 0.6,
        network_of_battalion=np.array([0, 1, 0]),
    )
    return state


def _numpy_candidates(s, time_start, time_end, look_delay_s, engage_decoys, salvo):
    """The expressions of ChunkSimulation._decide before the scan was compiled."""
    known_dead = (s["fate"] == FATE_KILLED) & (time_start >= s["fate_time"] + look_delay_s)
    open_threats = (s["fate"] != FATE_LEAKED) & ~known_dead
    open_threats &= (s["inflight_at"] == 0) & (s["pending_at"] == 0)
    open_threats &= time_start >= s["look_until"]
    if not engage_decoys:
        open_threats &= ~s["is_decoy"][None, :]
    engaged_targets = (s["engaged"] > 0).sum(axis=-1)
    inflight = s["engaged"].sum(axis=-1)
    units, rows, threats = [], [], []
    for battalion in range(B):
        free = ((s["pending_count"][:, battalion] == 0)
                & (engaged_targets[:, battalion] < s["targets_at_once"][battalion])
                & (inflight[:, battalion] + salvo <= s["missiles_at_once"][battalion])
                & (s["next_ready"][:, battalion] < time_end)
                & (s["ready"][:, battalion].sum(axis=-1) > 0))
        network = s["network_of_battalion"][battalion]
        r, t = np.nonzero(open_threats & free[:, None] & s["confirmed"][:, network, :])
        units.append(np.full(r.shape, battalion))
        rows.append(r)
        threats.append(t)
    return np.concatenate(units), np.concatenate(rows), np.concatenate(threats)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("engage_decoys", [True, False])
def test_engagement_candidates_match_the_numpy_expressions(seed, engage_decoys):
    s = _state(seed)
    time_start, time_end, look_delay_s, salvo = 10.0, 10.5, 4.0, 2
    expected = _numpy_candidates(s, time_start, time_end, look_delay_s, engage_decoys, salvo)
    got = engagement_candidates(
        time_start, time_end, s["fate"], s["fate_time"], look_delay_s, s["inflight_at"],
        s["pending_at"], s["look_until"], s["is_decoy"], engage_decoys, s["engaged"],
        s["pending_count"], s["next_ready"], s["ready"], s["targets_at_once"],
        s["missiles_at_once"], salvo, s["confirmed"], s["network_of_battalion"])
    assert expected[0].size >= 10  # the random state leaves real candidates to find
    for want, have in zip(expected, got):
        np.testing.assert_array_equal(have, want)


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

    drop_stale_tracks(time_s, exists, confirmed, confirm_time, history, misses, track_time,
                      drop_misses, coast_limit_s)
    for have, want in zip((exists, confirmed, confirm_time, history, misses), expected):
        np.testing.assert_array_equal(have, want)
