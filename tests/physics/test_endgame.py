"""Endgame: closest approach within a step, and the damage function."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zenit.physics.endgame import closest_approach, kill_probability

coordinates = st.floats(-5e3, 5e3, allow_nan=False)
points = st.tuples(coordinates, coordinates, coordinates).map(np.array)


def test_straight_line_closest_approach_closed_form():
    """Point-line distance: a 2 km/s pass offset by 7 m in y and 3 m in z misses by sqrt(58) m."""
    start = np.array([[1000.0, 7.0, 3.0]])
    end = np.array([[-1000.0, 7.0, 3.0]])
    miss, when = closest_approach(start, end, 1.0)
    assert miss[0] == pytest.approx(math.sqrt(58.0), abs=1e-9)  # metres
    assert when[0] == pytest.approx(0.5, abs=1e-12)  # seconds


def test_closest_approach_clips_to_the_step():
    """Still closing at the end of the step: the closest point is the end; already opening: the start."""
    miss, when = closest_approach(np.array([[900.0, 10.0, 0.0], [100.0, 10.0, 0.0]]),
                                  np.array([[300.0, 10.0, 0.0], [700.0, 10.0, 0.0]]), 0.25)
    np.testing.assert_allclose(miss, [np.hypot(300.0, 10.0), np.hypot(100.0, 10.0)], atol=1e-9)
    np.testing.assert_allclose(when, [0.25, 0.0], atol=1e-12)
    # The fuze window the engine scores: the closest approach fell strictly inside the step.
    assert closest_approach(np.array([[900.0, 10.0, 0.0]]), np.array([[-300.0, 10.0, 0.0]]), 0.25)[1][0] < 0.25
    assert closest_approach(np.array([[900.0, 10.0, 0.0]]), np.array([[300.0, 10.0, 0.0]]), 0.25)[1][0] == 0.25


def test_no_relative_motion_or_zero_step_returns_the_start():
    miss, when = closest_approach(np.array([[3.0, 4.0, 0.0], [3.0, 4.0, 0.0]]),
                                  np.array([[3.0, 4.0, 0.0], [9.0, 9.0, 9.0]]), np.array([0.1, 0.0]))
    np.testing.assert_allclose(miss, [5.0, 5.0])
    np.testing.assert_allclose(when, [0.0, 0.0])


@settings(max_examples=300, deadline=None)
@given(points, points, st.floats(0.01, 1.0))
def test_one_step_equals_ten_substeps_for_linear_motion(start, end, dt):
    """DESIGN principle 5: the miss does not depend on how the step is cut."""
    miss, _ = closest_approach(start, end, dt)
    fractions = np.linspace(0.0, 1.0, 11)
    knots = start + fractions[:, None] * (end - start)
    sub_miss, _ = closest_approach(knots[:-1], knots[1:], dt / 10)
    assert miss == pytest.approx(sub_miss.min(), abs=1e-6)  # metres


@settings(max_examples=300, deadline=None)
@given(points, points, st.floats(0.01, 1.0))
def test_closest_approach_is_no_farther_than_either_end(start, end, dt):
    miss, when = closest_approach(start, end, dt)
    assert miss <= min(np.linalg.norm(start), np.linalg.norm(end)) + 1e-9
    assert 0.0 <= when <= dt


def test_kill_probability_reference_values():
    """At zero miss Pk = pk_max; at the lethal radius half of it; at 2 r_L pk_max / 16 (Gaussian)."""
    pk = kill_probability(np.array([0.0, 20.0, 40.0]), 20.0, 0.9)
    np.testing.assert_allclose(pk, [0.9, 0.45, 0.9 / 16.0], rtol=1e-12)


@settings(max_examples=300, deadline=None)
@given(st.floats(0.0, 1e3), st.floats(0.0, 1e3), st.floats(0.1, 100.0), st.floats(0.0, 1.0))
def test_kill_probability_does_not_increase_with_miss(miss_a, miss_b, lethal_radius, pk_max):
    near, far = sorted([miss_a, miss_b])
    pk_near, pk_far = kill_probability(np.array([near, far]), lethal_radius, pk_max)
    assert pk_far <= pk_near
    assert 0.0 <= pk_far <= pk_near <= pk_max


def test_hit_to_kill_needs_a_direct_hit():
    """A 1 m lethal radius (hit-to-kill) gives almost nothing at 5 m where a 20 m warhead still kills."""
    small, large = kill_probability(5.0, np.array([1.0, 20.0]), 0.95)
    assert small < 1e-7 and large > 0.9
