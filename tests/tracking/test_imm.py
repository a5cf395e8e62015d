"""IMM (Blom & Bar-Shalom 1988; BLK 2001 section 11.6.6) on straight and turning targets."""

import numpy as np
import pytest

from zenit.tracking import imm, kalman
from zenit.tracking.motion_models import (constant_velocity_transition,
                                          coordinated_turn_transition,
                                          discrete_white_noise_acceleration,
                                          turn_rate_for_acceleration)

GRAVITY = 9.80665
DT, SPEED, SIGMA = 1.0, 250.0, 30.0
RUNS = 100


def _trajectory(turn_g, straight=25, turning=20, after=25):
    """Truth (steps, 6): straight east, a level turn at turn_g, straight again."""
    rate = turn_g * GRAVITY / SPEED
    state = np.array([0.0, 0.0, 4000.0, SPEED, 0.0, 0.0])
    states = []
    for step in range(straight + turning + after):
        turning_now = straight <= step < straight + turning
        state = coordinated_turn_transition(DT, rate if turning_now else 0.0) @ state
        states.append(state)
    return np.array(states), slice(straight, straight + turning), slice(straight + turning, None)


def _run_filters(truth, seed):
    """IMM (CV, CT+, CT-) and the CV filter alone, over RUNS noisy replications at once."""
    rng = np.random.default_rng(seed)
    measurements = truth[None, :, :3] + rng.normal(size=(RUNS, len(truth), 3)) * SIGMA
    noise = np.eye(3) * SIGMA**2
    H = kalman.position_measurement_matrix()
    mean = np.concatenate([measurements[:, 0], np.tile([SPEED, 0.0, 0.0], (RUNS, 1))], axis=-1)
    covariance = np.broadcast_to(np.diag([SIGMA**2] * 3 + [50.0**2] * 3), (RUNS, 6, 6))
    state = imm.initial_state(mean, covariance, [0.8, 0.1, 0.1])
    switching = imm.sticky_transition_matrix(0.95, 3)
    cv_mean, cv_covariance = mean, covariance
    cv_F = constant_velocity_transition(DT)
    cv_Q = discrete_white_noise_acceleration(DT, 1.0)
    imm_errors, cv_errors, turn_probability = [], [], []
    for step in range(1, len(truth)):
        combined_mean, _ = imm.combine(state)
        rate = turn_rate_for_acceleration(combined_mean[:, 3:], 4 * GRAVITY)
        state = imm.step(state, DT, rate, 1.0, 4.0, switching, measurements[:, step], noise)
        combined_mean, _ = imm.combine(state)
        cv_mean, cv_covariance = kalman.predict(cv_mean, cv_covariance, cv_F, cv_Q)
        cv_mean, cv_covariance, _, _ = kalman.update(cv_mean, cv_covariance,
                                                     measurements[:, step], H, noise)
        imm_errors.append(np.sum((combined_mean[:, :3] - truth[step, :3]) ** 2, axis=-1))
        cv_errors.append(np.sum((cv_mean[:, :3] - truth[step, :3]) ** 2, axis=-1))
        turn_probability.append(state.probabilities[:, 1:].sum(axis=-1))
    pad = [np.zeros(RUNS)]
    return (np.array(pad + imm_errors), np.array(pad + cv_errors),
            np.array(pad + turn_probability))


def _rms(squared_errors, steps):
    return np.sqrt(squared_errors[steps].mean())


def test_imm_beats_cv_in_a_four_g_turn_and_detects_it():
    truth, turn, after = _trajectory(4.0)
    imm_errors, cv_errors, turn_probability = _run_filters(truth, seed=12)
    imm_rms, cv_rms = _rms(imm_errors, turn), _rms(cv_errors, turn)
    # A CV filter with 1 m/s^2 process noise lags a 39 m/s^2 turn by hundreds of metres;
    # the IMM should stay within a few measurement sigmas.
    assert imm_rms < 0.5 * cv_rms, (imm_rms, cv_rms)
    assert imm_rms < 3 * SIGMA * np.sqrt(3)
    before = turn_probability[5:25].mean()
    during = turn_probability[turn][3:].mean()
    late = turn_probability[after][10:].mean()
    assert before < 0.35 and during > 0.8 and late < 0.35, (before, during, late)


def test_imm_close_to_cv_on_a_straight_target():
    truth, _, _ = _trajectory(0.0)
    imm_errors, cv_errors, turn_probability = _run_filters(truth, seed=7)
    steady = slice(10, None)
    imm_rms, cv_rms = _rms(imm_errors, steady), _rms(cv_errors, steady)
    assert imm_rms == pytest.approx(cv_rms, rel=0.25), (imm_rms, cv_rms)
    assert turn_probability[steady].mean() < 0.3


def test_missing_measurement_only_predicts():
    rng = np.random.default_rng(1)
    mean = rng.normal(size=(4, 6)) * 100
    covariance = np.broadcast_to(np.eye(6) * 100.0, (4, 6, 6))
    state = imm.initial_state(mean, covariance, [0.6, 0.2, 0.2])
    switching = imm.sticky_transition_matrix(0.9, 3)
    transitions, noises = imm.cv_ct_models(2.0, 0.1, 1.0, 9.0)
    mask = np.array([True, False, True, False])
    updated = imm.step(state, 2.0, 0.1, 1.0, 9.0, switching, mean[:, :3] + 5.0, np.eye(3) * 25.0,
                       mask)
    mixed_means, mixed_covariances, predicted = imm.mix(state, switching)
    means, covariances = kalman.predict(mixed_means, mixed_covariances, transitions, noises)
    np.testing.assert_allclose(updated.probabilities[~mask], predicted[~mask], rtol=1e-14)
    np.testing.assert_allclose(updated.means[~mask], means[~mask], rtol=1e-14)
    # Block and dense products differ in the last bits; a zero entry may come out 1e-15.
    np.testing.assert_allclose(updated.covariances[~mask], covariances[~mask], rtol=1e-14,
                               atol=1e-12)
    assert not np.allclose(updated.probabilities[mask], predicted[mask])
    np.testing.assert_allclose(updated.probabilities.sum(axis=-1), 1.0, rtol=1e-14)


def test_mixing_and_combination_preserve_the_mixture_moments():
    # With p_ij = 1/r (memoryless switching), every mixed estimate is the moment-matched
    # mixture, which is what `combine` returns (BLK 2001 section 11.6.6).
    rng = np.random.default_rng(9)
    means = rng.normal(size=(5, 3, 6))
    root = rng.normal(size=(5, 3, 6, 6))
    covariances = root @ np.swapaxes(root, -1, -2)
    probabilities = rng.dirichlet(np.ones(3), size=5)
    state = imm.IMMState(means, covariances, probabilities)
    mixed_means, mixed_covariances, predicted = imm.mix(state, np.full((3, 3), 1 / 3))
    mean, covariance = imm.combine(state)
    np.testing.assert_allclose(predicted, 1 / 3, rtol=1e-14)
    for model in range(3):
        np.testing.assert_allclose(mixed_means[:, model], mean, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(mixed_covariances[:, model], covariance, rtol=1e-12,
                                   atol=1e-12)
    # Mixture covariance by the law of total variance, written out for one element.
    spread = means[0] - mean[0]
    total = sum(probabilities[0, j] * (covariances[0, j] + np.outer(spread[j], spread[j]))
                for j in range(3))
    np.testing.assert_allclose(covariance[0], total, rtol=1e-12)
