"""Track lifecycle: M-of-N confirmation, coasting and drop (Blackman & Popoli 1999)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zenit.tracking.initiation import (CONFIRMED, DROPPED, NONE, TENTATIVE, LifecycleRules,
                                       advance, engageable, hit_count, new_life, track_quality)

N_, T_, C_, D_ = NONE, TENTATIVE, CONFIRMED, DROPPED


def _trace(patterns, rules, quality=None):
    """States after each look for several hit patterns at once (rows are threats)."""
    hits = np.array(patterns, dtype=bool)
    quality = np.zeros(hits.shape) if quality is None else np.asarray(quality, dtype=float)
    life = new_life(hits.shape[:1])
    states = []
    for look in range(hits.shape[1]):
        life = advance(life, hits[:, look], quality[:, look], rules)
        states.append(life.state.copy())
    return np.array(states).T


def test_two_of_three_sequences():
    rules = LifecycleRules(confirm_hits=2, confirm_looks=3, drop_misses=3)
    patterns = [
        [1, 1, 0, 0, 0, 0, 0],  # confirmed on the second hit, dropped after 3 misses
        [1, 0, 1, 0, 0, 0, 1],  # second hit on the third look; after 3 misses dropped, re-init
        [1, 0, 0, 1, 1, 0, 0],  # initiation fails after 3 looks; a new one succeeds
        [0, 0, 1, 0, 0, 0, 0],  # a lone hit never confirms
    ]
    expected = [
        [T_, C_, C_, C_, D_, D_, D_],
        [T_, T_, C_, C_, C_, D_, T_],
        [T_, T_, N_, T_, C_, C_, C_],
        [N_, N_, T_, T_, N_, N_, N_],
    ]
    assert _trace(patterns, rules).tolist() == expected


def test_three_of_five_sequences():
    rules = LifecycleRules(confirm_hits=3, confirm_looks=5, drop_misses=2)
    patterns = [
        [1, 0, 1, 0, 1, 0, 0, 1],
        [1, 0, 0, 1, 0, 1, 1, 1],
        [1, 1, 1, 0, 1, 0, 1, 0],
    ]
    expected = [
        [T_, T_, T_, T_, C_, C_, D_, T_],
        [T_, T_, T_, T_, N_, T_, T_, C_],
        [T_, T_, C_, C_, C_, C_, C_, C_],
    ]
    assert _trace(patterns, rules).tolist() == expected


def test_one_of_one_confirms_at_once_and_quality_drops():
    rules = LifecycleRules(confirm_hits=1, confirm_looks=1, drop_misses=10, max_quality_m=500.0)
    quality = [[100.0, 200.0, 600.0, 100.0]]
    assert _trace([[1, 0, 0, 0]], rules, quality).tolist() == [[C_, C_, D_, D_]]


def test_rules_are_checked():
    with pytest.raises(ValueError, match="confirm_hits"):
        LifecycleRules(confirm_hits=4, confirm_looks=3, drop_misses=2)
    with pytest.raises(ValueError, match="confirm_looks"):
        LifecycleRules(confirm_hits=1, confirm_looks=40, drop_misses=2)


@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=50))
def test_hit_count_is_the_population_count(words):
    counts = hit_count(np.array(words, dtype=np.uint32))
    assert counts.tolist() == [bin(word).count("1") for word in words]


@st.composite
def rules_and_hits(draw):
    looks = draw(st.integers(1, 8))
    hits = draw(st.integers(1, looks))
    misses = draw(st.integers(1, 5))
    pattern = draw(st.lists(st.booleans(), min_size=1, max_size=40))
    return LifecycleRules(hits, looks, misses), pattern


@given(rules_and_hits())
@settings(max_examples=200, deadline=None)
def test_confirmation_needs_m_hits_in_the_last_n_looks(case):
    rules, pattern = case
    states = _trace([pattern], rules)[0]
    previous = NONE
    for look, state in enumerate(states):
        if state == CONFIRMED and previous != CONFIRMED:
            window = pattern[max(0, look - rules.confirm_looks + 1):look + 1]
            assert sum(window) >= rules.confirm_hits
            assert pattern[look]  # confirmation happens on a hit
        if state == DROPPED and previous == CONFIRMED:
            assert not any(pattern[look - rules.drop_misses + 1:look + 1])
        if previous == CONFIRMED and state != CONFIRMED:
            assert state == DROPPED
        previous = state


def test_quality_and_engageable():
    covariance = np.array([np.diag([100.0, 200.0, 100.0]), np.diag([1e4, 1e4, 2e4])])
    quality = track_quality(covariance)
    np.testing.assert_allclose(quality, [20.0, 200.0], rtol=1e-15)
    assert engageable(quality, 150.0).tolist() == [True, False]
    state = np.array([TENTATIVE, CONFIRMED])
    assert engageable(quality, 500.0, state).tolist() == [False, True]
