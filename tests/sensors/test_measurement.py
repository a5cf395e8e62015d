"""Measurement noise from SNR (Barton, Radar System Analysis and Modeling, 2005, measurement
accuracy: sigma_R = dR / sqrt(2 SNR), sigma_theta = theta_3 / (k_m sqrt(2 SNR)), k_m ~ 1.6;
Skolnik, Radar Handbook, 3rd ed., tracking radar chapter)."""

import math

import numpy as np
import pytest

from zenit.engine.streams import RandomStreams
from zenit.sensors.measurement import measurement_sigmas, noisy_spherical


def test_thermal_sigmas_at_13_db():
    # SNR 20 (13.01 dB): sqrt(2 SNR) = sqrt(40) = 6.3246.
    sigmas = measurement_sigmas(10 * math.log10(20.0), 150.0, math.radians(1.0), math.radians(2.0))
    assert sigmas[0] == pytest.approx(150.0 / math.sqrt(40.0), rel=1e-12)       # 23.72 m
    assert sigmas[1] == pytest.approx(math.radians(1.0) / (1.6 * math.sqrt(40.0)), rel=1e-12)
    assert sigmas[2] == pytest.approx(math.radians(2.0) / (1.6 * math.sqrt(40.0)), rel=1e-12)


def test_sigma_halves_every_6_db_until_the_floor():
    snr_values = np.array([10.0, 10.0 + 20 * math.log10(2.0)])
    thermal = measurement_sigmas(snr_values, 150.0, 0.02, 0.02)
    np.testing.assert_allclose(thermal[1] / thermal[0], 0.5, rtol=1e-12)
    floored = measurement_sigmas(np.array([60.0, 80.0]), 150.0, 0.02, 0.02, range_floor_m=5.0,
                                 azimuth_floor_rad=1e-3, elevation_floor_rad=2e-3)
    np.testing.assert_allclose(floored[1], [5.0, 1e-3, 2e-3], rtol=1e-3)
    # Where thermal equals the floor the two add in quadrature.
    snr_equal_db = 10 * math.log10((150.0 / 5.0) ** 2 / 2.0)
    equal = measurement_sigmas(snr_equal_db, 150.0, 0.02, 0.02, range_floor_m=5.0)
    assert equal[0] == pytest.approx(5.0 * math.sqrt(2.0), rel=1e-12)


def test_batch_shape():
    sigmas = measurement_sigmas(np.zeros((4, 3, 7)), 150.0, 0.02, 0.03)
    assert sigmas.shape == (4, 3, 7, 3)


def test_noisy_measurements_have_the_stated_spread():
    streams = RandomStreams(11)
    count = 100_000
    target = np.arange(count)
    normals = np.stack([streams.normal("measurement", 0, target, 0, draw) for draw in range(3)],
                       axis=-1)
    sigmas = measurement_sigmas(np.full(count, 15.0), 150.0, 0.02, 0.03)
    measured = noisy_spherical(50e3, 1.0, 0.2, sigmas, normals)
    errors = measured - np.array([50e3, 1.0, 0.2])
    # Sample standard deviation of 1e5 normals is within 1% of sigma (5 standard errors).
    np.testing.assert_allclose(errors.std(axis=0), sigmas[0], rtol=0.01)
    assert np.all(np.abs(errors.mean(axis=0)) < 5 * sigmas[0] / math.sqrt(count))


def test_azimuth_wraps_and_coordinates_stay_physical():
    sigmas = np.array([10.0, 0.01, 0.01])
    normals = np.array([[-1e4, 1.0, 500.0], [0.0, -1.0, -500.0]])
    measured = noisy_spherical(5.0, np.array([2 * math.pi - 0.005, 0.005]), 1.5, sigmas, normals)
    assert measured[0, 0] == 0.0
    assert measured[0, 1] == pytest.approx(0.005, abs=1e-12)
    assert measured[1, 1] == pytest.approx(2 * math.pi - 0.005, abs=1e-12)
    assert measured[0, 2] == pytest.approx(math.pi / 2)
    assert measured[1, 2] == pytest.approx(-math.pi / 2)
