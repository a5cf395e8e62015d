"""Motion models against closed forms of Bar-Shalom, Li, Kirubarajan 2001 (BLK 2001)."""

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st

from zenit.tracking.motion_models import (constant_velocity_transition,
                                          continuous_white_noise_acceleration,
                                          coordinated_turn_jacobian, coordinated_turn_process_noise,
                                          coordinated_turn_propagate, coordinated_turn_transition,
                                          discrete_white_noise_acceleration,
                                          turn_rate_for_acceleration)

times = st.floats(0.01, 20.0)
rates = st.floats(-0.5, 0.5)


def test_constant_velocity_moves_position_by_velocity_times_dt():
    state = np.array([1.0, 2.0, 3.0, 10.0, -20.0, 5.0])
    moved = constant_velocity_transition(2.0) @ state
    np.testing.assert_allclose(moved, [21.0, -38.0, 13.0, 10.0, -20.0, 5.0], rtol=0, atol=1e-12)


@given(times, times)
def test_constant_velocity_composes(first, second):
    product = constant_velocity_transition(first) @ constant_velocity_transition(second)
    np.testing.assert_allclose(product, constant_velocity_transition(first + second), atol=1e-12)


def test_discrete_white_noise_acceleration_is_gamma_gamma_transposed():
    # BLK 2001 section 6.3.2: Q = Gamma sigma^2 Gamma^T with Gamma = [T^2/2, T] per axis.
    dt, variance = 1.7, 9.0
    gamma = np.array([dt**2 / 2, dt])
    per_axis = np.outer(gamma, gamma) * variance
    q = discrete_white_noise_acceleration(dt, variance)
    for axis in range(3):
        index = [axis, axis + 3]
        np.testing.assert_allclose(q[np.ix_(index, index)], per_axis, rtol=1e-14)
    assert q[0, 1] == 0.0 and q[0, 4] == 0.0


def test_continuous_white_noise_acceleration_matches_van_loan():
    # Van Loan (1978, IEEE TAC 23(3)) computes Q = int_0^T e^{As} G q G^T e^{A^T s} ds from
    # one matrix exponential; BLK 2001 section 6.2.2 gives the closed form tested.
    dt, density = 2.5, 4.0
    a = np.array([[0.0, 1.0], [0.0, 0.0]])
    g = np.array([[0.0], [1.0]])
    block = np.block([[-a, g @ g.T * density], [np.zeros((2, 2)), a.T]]) * dt
    exponential = scipy.linalg.expm(block)
    reference = exponential[2:, 2:].T @ exponential[:2, 2:]
    q = continuous_white_noise_acceleration(dt, density, dimensions=1)
    np.testing.assert_allclose(q, reference, rtol=1e-12)


def test_noise_models_broadcast_over_batches():
    dt = np.array([[0.5, 1.0, 2.0]])
    variance = np.array([[1.0], [4.0]])
    q = discrete_white_noise_acceleration(dt, variance)
    assert q.shape == (2, 3, 6, 6)
    np.testing.assert_allclose(q[1, 2], discrete_white_noise_acceleration(2.0, 4.0), rtol=1e-15)
    assert constant_velocity_transition(dt).shape == (1, 3, 6, 6)


def test_turn_at_zero_rate_is_constant_velocity():
    # The turn terms differ from CV by about |omega| dt^2 / 2 (first order in omega).
    np.testing.assert_array_equal(coordinated_turn_transition(3.0, 0.0),
                                  constant_velocity_transition(3.0))
    for rate in (1e-12, -1e-7):
        np.testing.assert_allclose(coordinated_turn_transition(3.0, rate),
                                   constant_velocity_transition(3.0), rtol=0,
                                   atol=abs(rate) * 9.0 / 2 * 1.001)


def test_turn_follows_the_circle():
    # A target at speed v turning at rate w moves on a circle of radius v / w (BLK 2001 11.7).
    speed, rate, dt = 250.0, 0.157, 0.5
    state = np.array([0.0, 0.0, 1000.0, speed, 0.0, 0.0])
    step = coordinated_turn_transition(dt, rate)
    for _ in range(40):
        state = step @ state
    elapsed = 40 * dt
    radius = speed / rate
    expected = [radius * np.sin(rate * elapsed), radius * (1 - np.cos(rate * elapsed)), 1000.0,
                speed * np.cos(rate * elapsed), speed * np.sin(rate * elapsed), 0.0]
    np.testing.assert_allclose(state, expected, rtol=0, atol=1e-8)


@given(times, times, rates)
@settings(max_examples=50, deadline=None)
def test_turn_composes_and_keeps_speed(first, second, rate):
    product = coordinated_turn_transition(first, rate) @ coordinated_turn_transition(second, rate)
    np.testing.assert_allclose(product, coordinated_turn_transition(first + second, rate),
                               atol=1e-9 * (1 + first + second))
    velocity = coordinated_turn_transition(first, rate)[3:5, 3:5] @ np.array([120.0, -40.0])
    assert np.hypot(*velocity) == pytest.approx(np.hypot(120.0, -40.0), rel=1e-12)


@pytest.mark.parametrize("rate", [0.2, -0.05, 1e-3, 1e-9, 0.0])
def test_turn_jacobian_matches_central_differences(rate):
    state = np.array([100.0, -50.0, 3000.0, 200.0, 80.0, -5.0, rate])
    dt = 2.0
    jacobian = coordinated_turn_jacobian(state, dt)
    step = 1e-6 * np.maximum(np.abs(state), 1.0)
    step[6] = 1e-6
    numeric = np.empty((7, 7))
    for column in range(7):
        offset = np.zeros(7)
        offset[column] = step[column]
        numeric[:, column] = (coordinated_turn_propagate(state + offset, dt)
                              - coordinated_turn_propagate(state - offset, dt)) / (2 * step[column])
    np.testing.assert_allclose(jacobian, numeric, rtol=1e-6, atol=1e-4)


def test_turn_kernels_batch_over_leading_axes():
    rng = np.random.default_rng(3)
    states = rng.normal(size=(4, 5, 7)) * [1e3, 1e3, 1e3, 200, 200, 10, 0.1]
    dt = rng.uniform(0.1, 3.0, size=(4, 5))
    batched = coordinated_turn_jacobian(states, dt)
    assert batched.shape == (4, 5, 7, 7)
    np.testing.assert_allclose(batched[2, 3], coordinated_turn_jacobian(states[2, 3], dt[2, 3]),
                               rtol=1e-14)
    moved = coordinated_turn_propagate(states, dt)
    np.testing.assert_allclose(moved[1, 4], coordinated_turn_propagate(states[1, 4], dt[1, 4]),
                               rtol=1e-14)


def test_turn_process_noise_appends_turn_rate_random_walk():
    q = coordinated_turn_process_noise(np.array([1.0, 2.0]), 4.0, 1e-4)
    assert q.shape == (2, 7, 7)
    np.testing.assert_allclose(q[1, :6, :6], discrete_white_noise_acceleration(2.0, 4.0))
    assert q[1, 6, 6] == pytest.approx(4 * 1e-4, rel=1e-14)
    assert np.all(q[:, 6, :6] == 0)


def test_turn_rate_for_four_g_at_250_m_s():
    rate = turn_rate_for_acceleration(np.array([250.0, 0.0, 30.0]), 4 * 9.80665)
    assert rate == pytest.approx(4 * 9.80665 / 250.0, rel=1e-14)
