"""Converted measurements against Monte Carlo (BLK 2001 section 10.4; Lerro & Bar-Shalom 1993)."""

import numpy as np
import pytest

from zenit.tracking.conversion import (convert_measurement, linearised_covariance,
                                       spherical_jacobian, spherical_to_enu, unbiased_position,
                                       unbiased_covariance_given_measurement,
                                       unbiased_covariance_given_truth)

DRAWS = 400_000


def _normalised_gap(estimate, reference):
    """Largest |difference| over sqrt(reference_ii reference_jj): a scale-free covariance gap."""
    scale = np.sqrt(np.outer(np.diag(reference), np.diag(reference)))
    return np.max(np.abs(estimate - reference) / scale)


def _noisy(rng, centre, sigmas):
    return [centre[k] + rng.normal(size=DRAWS) * sigmas[k] for k in range(3)]


def test_axes_and_azimuth_convention():
    # Azimuth clockwise from north: 90 degrees points east; elevation 90 points up.
    np.testing.assert_allclose(spherical_to_enu(1000.0, np.pi / 2, 0.0), [1000.0, 0.0, 0.0],
                               atol=1e-9)
    np.testing.assert_allclose(spherical_to_enu(1000.0, 0.0, 0.0), [0.0, 1000.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(spherical_to_enu(1000.0, 1.0, np.pi / 2), [0.0, 0.0, 1000.0],
                               atol=1e-9)


def test_jacobian_matches_central_differences():
    point = np.array([80e3, 0.7, 0.1])
    step = np.array([1.0, 1e-6, 1e-6])
    columns = [(spherical_to_enu(*(point + step * e)) - spherical_to_enu(*(point - step * e)))
               / (2 * step[k]) for k, e in enumerate(np.eye(3))]
    numeric = np.stack(columns, axis=-1)
    np.testing.assert_allclose(spherical_jacobian(*point), numeric, rtol=1e-7, atol=1e-6)


def test_linearised_covariance_matches_monte_carlo_for_a_narrow_beam():
    # 60 km, 2 mrad beams: cross-range errors of 120 m, far below the range, so the
    # linearisation holds. Monte Carlo with 400,000 draws: covariance entries within 1.5 %
    # of sqrt(C_ii C_jj) (the sampling error is about 0.2 %).
    rng = np.random.default_rng(2024)
    centre, sigmas = (60e3, np.radians(40.0), np.radians(5.0)), (20.0, 2e-3, 2e-3)
    samples = spherical_to_enu(*_noisy(rng, centre, sigmas))
    reference = linearised_covariance(*centre, *sigmas)
    assert _normalised_gap(np.cov(samples.T), reference) < 0.015


def test_unbiased_conversion_removes_the_bias_of_a_wide_beam():
    # 150 km with 0.1 rad angle errors: the plain conversion pulls the mean towards the radar
    # by r (1 - lambda_az lambda_el), about 1.5 km here; the unbiased one does not.
    rng = np.random.default_rng(77)
    centre, sigmas = (150e3, np.radians(30.0), np.radians(20.0)), (50.0, 0.1, 0.1)
    noisy = _noisy(rng, centre, sigmas)
    truth = spherical_to_enu(*centre)
    plain = spherical_to_enu(*noisy)
    unbiased = unbiased_position(*noisy, sigmas[1], sigmas[2])
    standard_error = unbiased.std(axis=0) / np.sqrt(DRAWS)
    assert np.all(np.abs(unbiased.mean(axis=0) - truth) < 4 * standard_error)
    assert np.linalg.norm(plain.mean(axis=0) - truth) > 1000.0
    reference = unbiased_covariance_given_truth(*centre, *sigmas)
    assert _normalised_gap(np.cov(unbiased.T), reference) < 0.015
    # Along the line of sight the wide beam spreads the converted points by about
    # r sigma^2 (hundreds of metres); the linearised covariance keeps only sigma_r = 50 m.
    sight = truth / np.linalg.norm(truth)
    along = sight @ np.cov(unbiased.T) @ sight
    assert along == pytest.approx(sight @ reference @ sight, rel=0.02)
    assert sight @ linearised_covariance(*centre, *sigmas) @ sight < along / 100


def test_measurement_conditioned_covariance_matches_monte_carlo_over_the_truth():
    # Lerro & Bar-Shalom 1993: given the measurement, the truth is the measurement minus
    # Gaussian noise; the error of the unbiased conversion then has the given second moment
    # E[(u - x)(u - x)^T | measurement] (not zero-mean given the measurement: E[x | z] = c u).
    rng = np.random.default_rng(5)
    measured, sigmas = (120e3, np.radians(-60.0), np.radians(12.0)), (30.0, 0.08, 0.05)
    truths = [measured[k] - rng.normal(size=DRAWS) * sigmas[k] for k in range(3)]
    position, covariance = convert_measurement(*measured, *sigmas, unbiased=True)
    errors = position - spherical_to_enu(*truths)
    assert _normalised_gap(errors.T @ errors / DRAWS, covariance) < 0.015
    np.testing.assert_allclose(
        covariance, unbiased_covariance_given_measurement(*measured, *sigmas), rtol=1e-15)


def test_conversion_is_batched():
    rng = np.random.default_rng(0)
    ranges = rng.uniform(1e3, 2e5, size=(2, 4))
    azimuths = rng.uniform(-np.pi, np.pi, size=(2, 4))
    elevations = rng.uniform(0, 1, size=(2, 4))
    for unbiased in (False, True):
        position, covariance = convert_measurement(ranges, azimuths, elevations, 10.0, 1e-3,
                                                   2e-3, unbiased=unbiased)
        assert position.shape == (2, 4, 3) and covariance.shape == (2, 4, 3, 3)
        single = convert_measurement(ranges[1, 2], azimuths[1, 2], elevations[1, 2], 10.0, 1e-3,
                                     2e-3, unbiased=unbiased)
        np.testing.assert_allclose(position[1, 2], single[0], rtol=1e-14)
        np.testing.assert_allclose(covariance[1, 2], single[1], rtol=1e-12)
        assert np.all(np.linalg.eigvalsh(covariance) > 0)


def test_small_errors_make_both_conversions_agree():
    # As the angle errors vanish the unbiased covariance tends to the linearised one.
    point, sigmas = (50e3, 0.3, 0.2), (15.0, 1e-4, 1e-4)
    linear = linearised_covariance(*point, *sigmas)
    assert _normalised_gap(unbiased_covariance_given_measurement(*point, *sigmas), linear) \
        == pytest.approx(0.0, abs=2e-3)
