"""Static weapon-target assignment (Manne 1958) against brute force and closed forms."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zenit.c2.wta import EXACT_WEAPON_LIMIT, WTAResult, expected_surviving_value, solve


def _brute_force(values, pk, cap=None):
    """Minimum expected surviving value over every assignment (T^W of them)."""
    weapons, targets = pk.shape
    best = np.inf
    for assignment in itertools.product(range(targets), repeat=weapons):
        if cap is not None and max(np.bincount(assignment, minlength=targets)) > cap:
            continue
        best = min(best, expected_surviving_value(values, pk, np.array(assignment)))
    return best


@st.composite
def instances(draw, max_weapons=6, max_targets=4):
    weapons = draw(st.integers(1, max_weapons))
    targets = draw(st.integers(1, max_targets))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return rng.uniform(1, 100, size=targets), rng.uniform(0, 1, size=(weapons, targets))


def test_surviving_value_by_hand():
    # Two targets worth 10 and 4; weapon 0 -> target 0 (pk 0.5), weapon 1 -> target 0
    # (pk 0.3): 10 * 0.5 * 0.7 + 4 = 7.5. Splitting, 10 * 0.5 + 4 * (1 - 0.6) = 6.6.
    values = np.array([10.0, 4.0])
    pk = np.array([[0.5, 0.2], [0.3, 0.6]])
    assert expected_surviving_value(values, pk, np.array([0, 0])) == pytest.approx(7.5, abs=1e-12)
    assert expected_surviving_value(values, pk, np.array([0, 1])) == pytest.approx(6.6, abs=1e-12)
    assert expected_surviving_value(values, pk, np.array([-1, -1])) == pytest.approx(14.0)
    result = solve(values, pk)
    assert isinstance(result, WTAResult) and result.method == "exact"
    # Options: (0,0) 7.5, (0,1) 6.6, (1,0) 10*0.7 + 4*0.8 = 10.2, (1,1) 10 + 4*0.32 = 11.28.
    assert result.assignment.tolist() == [0, 1]
    assert result.expected_surviving_value == pytest.approx(6.6, abs=1e-12)


@given(instances())
@settings(max_examples=60, deadline=None)
def test_exact_equals_brute_force_and_greedy_is_never_better(instance):
    values, pk = instance
    exact = solve(values, pk, method="exact")
    greedy = solve(values, pk, method="greedy")
    assert exact.expected_surviving_value == pytest.approx(_brute_force(values, pk), rel=1e-12)
    assert greedy.expected_surviving_value >= exact.expected_surviving_value - 1e-12
    for result in (exact, greedy):
        assert np.all((result.assignment >= 0) & (result.assignment < len(values)))
        assert result.expected_surviving_value == pytest.approx(
            expected_surviving_value(values, pk, result.assignment), rel=1e-15)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exact_equals_brute_force_at_six_weapons_four_targets(seed):
    rng = np.random.default_rng(seed)
    values, pk = rng.uniform(1, 100, size=4), rng.uniform(0, 1, size=(6, 4))
    assert solve(values, pk).expected_surviving_value == pytest.approx(
        _brute_force(values, pk), rel=1e-12)


@given(instances(max_weapons=6, max_targets=3), st.integers(1, 3))
@settings(max_examples=40, deadline=None)
def test_cap_on_weapons_per_target(instance, cap):
    values, pk = instance
    weapons, targets = pk.shape
    result = solve(values, pk, max_weapons_per_target=cap)
    assigned = result.assignment[result.assignment >= 0]
    assert np.all(np.bincount(assigned, minlength=targets) <= cap)
    assert len(assigned) == min(weapons, cap * targets)
    if cap * targets >= weapons:
        assert result.expected_surviving_value == pytest.approx(
            _brute_force(values, pk, cap), rel=1e-12)
    greedy = solve(values, pk, method="greedy", max_weapons_per_target=cap)
    assert np.all(np.bincount(greedy.assignment[greedy.assignment >= 0], minlength=targets)
                  <= cap)
    assert greedy.expected_surviving_value >= result.expected_surviving_value - 1e-12


@given(st.integers(1, 10), st.integers(1, 6), st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None)
def test_greedy_is_optimal_when_pk_depends_only_on_the_target(weapons, targets, seed):
    # den Broeder, Ellison, Emerling 1959: with identical weapons the maximum marginal
    # return assignment is optimal.
    rng = np.random.default_rng(seed)
    values = rng.uniform(1, 100, size=targets)
    pk = np.broadcast_to(rng.uniform(0.05, 0.95, size=targets), (weapons, targets))
    greedy = solve(values, pk, method="greedy")
    exact = solve(values, pk, method="exact")
    assert greedy.expected_surviving_value == pytest.approx(exact.expected_surviving_value,
                                                            rel=1e-12)


def test_batched_solves_equal_single_solves():
    rng = np.random.default_rng(3)
    values = rng.uniform(1, 10, size=(4, 2, 3))
    pk = rng.uniform(0, 0.9, size=(4, 2, 5, 3))
    for method in ("exact", "greedy"):
        batched = solve(values, pk, method=method)
        assert batched.assignment.shape == (4, 2, 5)
        for index in np.ndindex(4, 2):
            single = solve(values[index], pk[index], method=method)
            assert batched.assignment[index].tolist() == single.assignment.tolist()
            assert batched.expected_surviving_value[index] == pytest.approx(
                single.expected_surviving_value, rel=1e-15)


def test_greedy_can_be_suboptimal():
    # Weapon 0 is good against both targets, weapon 1 only against target 0. Greedy gives
    # weapon 0 to target 0 first (gain 9), then weapon 1 to target 0 too: 10*0.1*0.1 + 9 = 9.1.
    # Optimal: weapon 1 -> 0, weapon 0 -> 1: 10 * 0.1 + 9 * 0.1 = 1.9.
    values = np.array([10.0, 9.0])
    pk = np.array([[0.9, 0.9], [0.9, 0.0]])
    assert solve(values, pk, method="greedy").expected_surviving_value == pytest.approx(9.1)
    assert solve(values, pk, method="exact").expected_surviving_value == pytest.approx(1.9)


def test_edge_cases_and_errors():
    empty = solve(np.zeros(0), np.zeros((3, 0)))
    assert empty.assignment.tolist() == [-1, -1, -1] and empty.expected_surviving_value == 0.0
    no_weapons = solve(np.array([2.0, 3.0]), np.zeros((0, 2)))
    assert no_weapons.expected_surviving_value == pytest.approx(5.0)
    useless = solve(np.array([2.0]), np.zeros((2, 1)))
    assert useless.assignment.tolist() == [0, 0]
    with pytest.raises(ValueError, match=f"at most {EXACT_WEAPON_LIMIT} weapons"):
        solve(np.ones(2), np.full((EXACT_WEAPON_LIMIT + 1, 2), 0.5))
    with pytest.raises(ValueError, match="did you mean 'greedy'"):
        solve(np.ones(2), np.full((2, 2), 0.5), method="gredy")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        solve(np.ones(2), np.full((2, 2), 1.5))
    with pytest.raises(ValueError, match="does not match"):
        solve(np.ones(3), np.full((2, 2), 0.5))


def test_exact_at_its_limit_matches_greedy_on_identical_weapons():
    # 14 identical weapons over 5 targets: den Broeder's greedy optimum is the reference.
    rng = np.random.default_rng(8)
    values = rng.uniform(1, 100, size=5)
    pk = np.broadcast_to(rng.uniform(0.2, 0.8, size=5), (EXACT_WEAPON_LIMIT, 5))
    exact = solve(values, pk)
    greedy = solve(values, pk, method="greedy")
    assert exact.expected_surviving_value == pytest.approx(greedy.expected_surviving_value,
                                                           rel=1e-12)
