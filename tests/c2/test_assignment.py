"""The engine's batched assignment: maximum marginal return, one threat per battalion a step.

`zenit.c2.assignment.greedy_rounds` is the maximum-marginal-return rule (den Broeder, Ellison,
Emerling 1959) on a one-weapon-per-target problem, batched over replications. It is checked
against brute force where greedy is provably optimal (separable scores v_n p_b: the
rearrangement inequality pairs the largest p with the largest v), against
`zenit.c2.wta.solve(method="greedy", max_weapons_per_target=1)` which runs the same rule on
the static WTA, and on the structural promises: no battalion or threat twice, the global
maximum first, impossible (-inf) pairs never taken, rows independent of each other.
"""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zenit.c2.assignment import greedy_rounds
from zenit.c2.wta import expected_surviving_value, solve


def _total(score, choice):
    """Sum of the scores of the assigned (battalion, threat) pairs of one replication."""
    return sum(score[b, n] for b, n in enumerate(choice) if n >= 0)


def _brute_force_best(score):
    """Largest total score over every one-to-one partial assignment of battalions to threats."""
    battalions, threats = score.shape
    best = 0.0
    options = list(range(threats)) + [-1] * battalions
    for choice in set(itertools.permutations(options, battalions)):
        if any(score[b, n] == -np.inf for b, n in enumerate(choice) if n >= 0):
            continue
        best = max(best, _total(score, choice))
    return best


@st.composite
def score_batches(draw, max_battalions=4, max_threats=5, impossible=True):
    replications = draw(st.integers(1, 6))
    battalions = draw(st.integers(1, max_battalions))
    threats = draw(st.integers(1, max_threats))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    score = rng.uniform(0.0, 10.0, size=(replications, battalions, threats))
    if impossible:
        score[rng.uniform(size=score.shape) < draw(st.floats(0.0, 0.6))] = -np.inf
    return score


@settings(max_examples=60, deadline=None)
@given(score_batches())
def test_no_battalion_or_threat_twice_and_no_impossible_pair(score):
    original = score.copy()
    choice = greedy_rounds(score)
    np.testing.assert_array_equal(score, original)  # the input is not changed
    replications, battalions, threats = score.shape
    assert choice.shape == (replications, battalions)
    for row in range(replications):
        taken = choice[row][choice[row] >= 0]
        assert len(set(taken)) == len(taken), "a threat assigned twice"
        assert ((choice[row] >= -1) & (choice[row] < threats)).all()
        for battalion, threat in enumerate(choice[row]):
            if threat >= 0:
                assert np.isfinite(score[row, battalion, threat])
        # Maximal: no free battalion is left with a possible, untaken threat.
        free = [b for b in range(battalions) if choice[row, b] < 0]
        open_threats = [n for n in range(threats) if n not in set(taken)]
        assert not any(np.isfinite(score[row, b, n]) for b in free for n in open_threats)


@settings(max_examples=60, deadline=None)
@given(score_batches())
def test_the_global_maximum_is_picked_first(score):
    choice = greedy_rounds(score)
    for row in range(score.shape[0]):
        flat = score[row].ravel()
        if not np.isfinite(flat).any():
            assert (choice[row] == -1).all()
            continue
        battalion, threat = np.unravel_index(np.argmax(flat), score[row].shape)
        assert choice[row, battalion] == threat


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(1, 5))
def test_optimal_for_separable_scores(seed, battalions, threats):
    """score = v_n p_b: greedy attains the brute-force optimum (rearrangement inequality)."""
    rng = np.random.default_rng(seed)
    value, pk = rng.uniform(1, 10, size=threats), rng.uniform(0.1, 1, size=battalions)
    score = (pk[:, None] * value[None, :])[None]
    choice = greedy_rounds(score)[0]
    assert _total(score[0], choice) == pytest.approx(_brute_force_best(score[0]))
    assert (choice >= 0).sum() == min(battalions, threats)


def test_greedy_is_a_heuristic_not_an_optimum():
    """[[10, 9], [9, 0]]: greedy takes the 10 first and is left with 0; the optimum is 9 + 9."""
    score = np.array([[[10.0, 9.0], [9.0, 0.0]]])
    choice = greedy_rounds(score)[0]
    np.testing.assert_array_equal(choice, [0, 1])
    assert _total(score[0], choice) == 10.0
    assert _brute_force_best(score[0]) == 18.0


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(1, 5), st.integers(1, 5))
def test_same_choice_as_wta_greedy_with_one_weapon_per_target(seed, battalions, threats, rows):
    """Marginal return v_n p_bn with a cap of one weapon per target is the same greedy rule."""
    rng = np.random.default_rng(seed)
    value = rng.uniform(1, 100, size=(rows, threats))
    pk = rng.uniform(0.05, 1, size=(rows, battalions, threats))
    choice = greedy_rounds(value[:, None, :] * pk)
    wta = solve(value, pk, method="greedy", max_weapons_per_target=1)
    np.testing.assert_array_equal(choice, wta.assignment)
    # Never better than the exact static WTA under the same cap.
    exact = solve(value, pk, method="exact", max_weapons_per_target=1)
    assert (expected_surviving_value(value, pk, choice)
            >= exact.expected_surviving_value - 1e-9).all()


@settings(max_examples=30, deadline=None)
@given(score_batches())
def test_rows_are_independent(score):
    """Replication r's choice does not depend on the others in the batch (DESIGN principle 2)."""
    choice = greedy_rounds(score)
    for row in range(score.shape[0]):
        np.testing.assert_array_equal(greedy_rounds(score[row:row + 1])[0], choice[row])


def test_all_impossible():
    assert (greedy_rounds(np.full((3, 2, 4), -np.inf)) == -1).all()
