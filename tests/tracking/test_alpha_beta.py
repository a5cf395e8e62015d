"""Steady-state alpha-beta gains: Kalata 1984 (IEEE TAES 20(2)); BLK 2001 section 6.5."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zenit.tracking import kalman
from zenit.tracking.alpha_beta import steady_state_covariance, steady_state_gains, tracking_index
from zenit.tracking.motion_models import (constant_velocity_transition,
                                          discrete_white_noise_acceleration)


def test_tracking_index_one_gives_three_quarters_and_one_half():
    # lambda = 1: sqrt(lambda^2 + 8 lambda) = 3, so alpha = 6/8, beta = 2/4 (BLK 2001 6.5).
    alpha, beta = steady_state_gains(1.0)
    assert alpha == pytest.approx(0.75, abs=1e-15)
    assert beta == pytest.approx(0.5, abs=1e-15)
    assert tracking_index(2.0, 50.0, 5.0) == pytest.approx(1.0, rel=1e-15)


@given(st.floats(1e-2, 1e2))
def test_gains_equal_the_textbook_closed_forms(index):
    # BLK 2001 section 6.5: alpha = -(l^2 + 8l - (l + 4) sqrt(l^2 + 8l)) / 8,
    # beta = (l^2 + 4l - l sqrt(l^2 + 8l)) / 4; tolerance allows their cancellation.
    root = np.sqrt(index**2 + 8 * index)
    alpha, beta = steady_state_gains(index)
    assert alpha == pytest.approx(-(index**2 + 8 * index - (index + 4) * root) / 8,
                                  rel=1e-9, abs=1e-12)
    assert beta == pytest.approx((index**2 + 4 * index - index * root) / 4, rel=1e-9, abs=1e-12)


@given(st.floats(1e-3, 1e3))
def test_kalata_relation(index):
    # Kalata 1984: lambda^2 = beta^2 / (1 - alpha), with 0 < alpha < 1 and 0 < beta < 2.
    alpha, beta = steady_state_gains(index)
    assert 0 < alpha < 1 and 0 < beta < 2
    assert beta**2 / (1 - alpha) == pytest.approx(index**2, rel=1e-7)


def test_kalman_filter_settles_to_kalata_gains():
    # A 1-D CV Kalman filter with DWNA process noise, run to steady state with the batched
    # kernels (one filter per tracking index), has K = [alpha, beta / T] (Kalata 1984).
    sigma_w = np.array([0.05, 0.5, 2.0, 10.0, 40.0, 100.0])  # m/s^2
    dt = np.array([1.0, 0.5, 2.0, 1.0, 3.0, 4.0])
    sigma_v = np.array([50.0, 10.0, 100.0, 20.0, 30.0, 5.0])
    index = tracking_index(sigma_w, sigma_v, dt)
    F = constant_velocity_transition(dt, dimensions=1)
    Q = discrete_white_noise_acceleration(dt, sigma_w**2, dimensions=1)
    H = np.array([[1.0, 0.0]])
    R = sigma_v[:, None, None] ** 2
    mean = np.zeros((6, 2))
    covariance = np.eye(2) * 1e6 * np.ones((6, 1, 1))
    for _ in range(3000):
        mean, predicted = kalman.predict(mean, covariance, F, Q)
        mean, covariance, _, s = kalman.update(mean, predicted, np.zeros((6, 1)), H, R)
    gain = predicted[:, :, 0] / s[:, 0]
    alpha, beta = steady_state_gains(index)
    np.testing.assert_allclose(gain[:, 0], alpha, rtol=0, atol=1e-6)
    np.testing.assert_allclose(gain[:, 1], beta / dt, rtol=1e-6, atol=0)
    np.testing.assert_allclose(steady_state_covariance(alpha, beta, dt, sigma_v), covariance,
                               rtol=1e-6)
    assert index.min() < 0.01 and index.max() > 50
