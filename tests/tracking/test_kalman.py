"""Kalman kernels and the CV filter bank against worked numbers and closed forms."""

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from zenit.tracking import kalman
from zenit.tracking.cv_bank import CVFilterBank
from zenit.tracking.motion_models import (constant_velocity_transition,
                                          discrete_white_noise_acceleration)


def test_update_matches_stone_soup_worked_example():
    # Stone Soup, stonesoup/updater/tests/test_kalman.py::test_kalman: prior mean
    # [-6.45, 0.7], covariance [[4.1123, 0.0013], [0.0013, 0.0365]], H = [1, 0], R = 0.04,
    # z = -6.23. Its expected posterior, recomputed in closed form for a scalar measurement.
    mean = np.array([-6.45, 0.7])
    covariance = np.array([[4.1123, 0.0013], [0.0013, 0.0365]])
    H, R, z = np.array([[1.0, 0.0]]), np.array([[0.04]]), np.array([-6.23])
    posterior_mean, posterior, innovation, innovation_covariance = kalman.update(
        mean, covariance, z, H, R)
    s = 4.1123 + 0.04
    gain = np.array([4.1123, 0.0013]) / s
    np.testing.assert_allclose(innovation, [0.22], atol=1e-14)
    np.testing.assert_allclose(innovation_covariance, [[s]], atol=1e-14)
    np.testing.assert_allclose(posterior_mean, mean + gain * 0.22, atol=1e-14)
    np.testing.assert_allclose(posterior, covariance - s * np.outer(gain, gain), atol=1e-14)


def test_predict_is_f_p_f_transposed_plus_q():
    mean = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    covariance = np.diag([10.0, 20.0, 30.0, 1.0, 2.0, 3.0])
    F = constant_velocity_transition(2.0)
    Q = discrete_white_noise_acceleration(2.0, 0.5)
    predicted_mean, predicted = kalman.predict(mean, covariance, F, Q)
    np.testing.assert_allclose(predicted_mean, [9.0, 12.0, 15.0, 4.0, 5.0, 6.0], atol=1e-14)
    # Per axis: p11 + 2 dt p12 + dt^2 p22 + q dt^4/4 (BLK 2001 section 6.3.2).
    assert predicted[0, 0] == pytest.approx(10.0 + 4 * 1.0 + 0.5 * 16 / 4, rel=1e-14)
    assert predicted[0, 3] == pytest.approx(2 * 1.0 + 0.5 * 8 / 2, rel=1e-14)


spd_seeds = st.integers(0, 2**32 - 1)


def _random_problem(seed, batch=()):
    rng = np.random.default_rng(seed)
    root = rng.normal(size=batch + (4, 4))
    covariance = root @ np.swapaxes(root, -1, -2) + 0.1 * np.eye(4)
    noise_root = rng.normal(size=batch + (2, 2))
    noise = noise_root @ np.swapaxes(noise_root, -1, -2) + 0.1 * np.eye(2)
    return (rng.normal(size=batch + (4,)), covariance, rng.normal(size=batch + (2,)),
            rng.normal(size=(2, 4)), noise)


@given(spd_seeds)
@settings(max_examples=40, deadline=None)
def test_joseph_form_equals_standard_form_with_the_optimal_gain(seed):
    # BLK 2001 section 5.2.3: with the optimal gain, (I-KH)P(I-KH)^T + KRK^T = P - K S K^T.
    mean, covariance, z, H, R = _random_problem(seed)
    _, posterior, _, s = kalman.update(mean, covariance, z, H, R)
    gain = covariance @ H.T @ np.linalg.inv(s)
    standard = covariance - gain @ s @ gain.T
    np.testing.assert_allclose(posterior, standard, atol=1e-9 * np.abs(covariance).max())
    assert np.all(np.linalg.eigvalsh(posterior) > -1e-12)


def test_batched_update_equals_one_at_a_time_and_mask_keeps_prior():
    mean, covariance, z, H, R = _random_problem(11, batch=(3, 5))
    mask = np.random.default_rng(2).random((3, 5)) < 0.6
    posterior_mean, posterior, _, _ = kalman.update(mean, covariance, z, H, R, mask)
    for i, j in np.ndindex(3, 5):
        single_mean, single, _, _ = kalman.update(mean[i, j], covariance[i, j], z[i, j], H,
                                                  R[i, j])
        if mask[i, j]:
            np.testing.assert_allclose(posterior_mean[i, j], single_mean, rtol=1e-12)
            np.testing.assert_allclose(posterior[i, j], single, rtol=1e-12, atol=1e-12)
        else:
            assert np.array_equal(posterior_mean[i, j], mean[i, j])
            assert np.array_equal(posterior[i, j], covariance[i, j])


def test_log_likelihood_and_nis_match_scipy():
    rng = np.random.default_rng(5)
    root = rng.normal(size=(7, 3, 3))
    s = root @ np.swapaxes(root, -1, -2) + np.eye(3)
    innovation = rng.normal(size=(7, 3))
    expected = [scipy.stats.multivariate_normal(np.zeros(3), s[k]).logpdf(innovation[k])
                for k in range(7)]
    np.testing.assert_allclose(kalman.log_likelihood(innovation, s), expected, rtol=1e-12)
    nis = [innovation[k] @ np.linalg.solve(s[k], innovation[k]) for k in range(7)]
    np.testing.assert_allclose(kalman.normalised_innovation_squared(innovation, s), nis,
                               rtol=1e-12)


def _bank_case(seed, count=200):
    rng = np.random.default_rng(seed)
    positions = rng.normal(size=(count, 3)) * 1e4
    root = rng.normal(size=(count, 3, 3)) * 20
    noise = root @ np.swapaxes(root, -1, -2) + 25 * np.eye(3)
    return rng, positions, noise


@pytest.mark.parametrize("per_filter_dt", [False, True])
def test_filter_bank_equals_generic_kernels(per_filter_dt):
    rng, positions, noise = _bank_case(8)
    variance = rng.uniform(1, 100, size=200)
    bank = CVFilterBank.from_positions(positions, noise, 300.0**2, variance,
                                       velocities=rng.normal(size=(200, 3)) * 100)
    mean, covariance = bank.means.copy(), bank.covariances.copy()
    H = kalman.position_measurement_matrix()
    for step in range(6):
        dt = rng.uniform(0.5, 5, size=200) if per_filter_dt else 1.0 + step
        F = constant_velocity_transition(dt)
        Q = discrete_white_noise_acceleration(dt, variance)
        measurement = positions + rng.normal(size=(200, 3)) * 50
        mask = rng.random(200) < 0.7
        mean, covariance = kalman.predict(mean, covariance, F, Q)
        mean, covariance, innovation, s = kalman.update(mean, covariance, measurement, H, noise,
                                                        mask)
        bank.predict(dt)
        nis = bank.update(measurement, noise, mask)
        expected_nis = np.where(mask, kalman.normalised_innovation_squared(innovation, s), 0.0)
        np.testing.assert_allclose(nis, expected_nis, rtol=1e-9)
    np.testing.assert_allclose(bank.means, mean, rtol=1e-10, atol=1e-8)
    np.testing.assert_allclose(bank.covariances, covariance, rtol=1e-9,
                               atol=1e-12 * np.abs(covariance).max())
    assert np.array_equal(bank.covariances, np.swapaxes(bank.covariances, -1, -2))


def test_filter_bank_is_consistent_on_simulated_targets():
    # A matched filter's NIS is chi-square with 3 degrees of freedom, mean 3 (BLK 2001
    # section 5.4.2). 20,000 targets: the sample mean has std sqrt(6 / 20000) = 0.017; 0.07
    # is four of those.
    rng = np.random.default_rng(21)
    count, dt, sigma_a, sigma_z = 20_000, 2.0, 3.0, 40.0
    truth = np.concatenate([rng.normal(size=(count, 3)) * 1e4, rng.normal(size=(count, 3)) * 200],
                           axis=-1)
    noise = np.eye(3) * sigma_z**2
    first = truth[:, :3] + rng.normal(size=(count, 3)) * sigma_z
    bank = CVFilterBank.from_positions(first, noise, 1e8, sigma_a**2)
    F = constant_velocity_transition(dt)
    for _ in range(25):
        acceleration = rng.normal(size=(count, 3)) * sigma_a
        truth = truth @ F.T + np.concatenate([acceleration * dt**2 / 2, acceleration * dt], -1)
        bank.predict(dt)
        nis = bank.update(truth[:, :3] + rng.normal(size=(count, 3)) * sigma_z, noise)
    assert nis.mean() == pytest.approx(3.0, abs=0.07)
    error = bank.means - truth
    assert np.mean(np.sum(error[:, :3] ** 2, axis=-1)) == pytest.approx(
        np.mean(np.trace(bank.covariances[:, :3, :3], axis1=-2, axis2=-1)), rel=0.05)
    assert bank.position_quality().shape == (count,)


def test_filter_bank_rejects_wrong_shapes():
    with pytest.raises(ValueError, match=r"means \(\.\.\., 6\)"):
        CVFilterBank(np.zeros((3, 4)), np.zeros((3, 4, 4)), 1.0)


@given(hnp.arrays(np.bool_, 12))
@settings(max_examples=30, deadline=None)
def test_filter_bank_mask_leaves_unmeasured_filters_unchanged(mask):
    rng, positions, noise = _bank_case(4, count=12)
    bank = CVFilterBank.from_positions(positions, noise, 1e4, 4.0)
    bank.predict(1.5)
    before_means, before = bank.means.copy(), bank.covariances.copy()
    measurement = np.where(mask[:, None], positions + 10.0, np.nan)
    bank.update(measurement, np.where(mask[:, None, None], noise, np.nan), mask)
    assert np.array_equal(bank.means[~mask], before_means[~mask])
    assert np.array_equal(bank.covariances[~mask], before[~mask])
    assert np.all(np.isfinite(bank.means)) and np.all(np.isfinite(bank.covariances))
    assert np.all(np.trace(bank.covariances[mask], axis1=-2, axis2=-1)
                  < np.trace(before[mask], axis1=-2, axis2=-1))
