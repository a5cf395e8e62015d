"""Steady-state alpha-beta gains from Kalata's tracking index.

A constant-velocity Kalman filter with position measurements and piecewise-constant white
acceleration (the discrete white-noise acceleration model) settles to constant gains
K = [alpha, beta / T]. Kalata (1984, IEEE TAES 20(2), "The tracking index: a generalized
parameter for alpha-beta and alpha-beta-gamma target trackers") showed they depend on one
number, the tracking index lambda = sigma_w T^2 / sigma_v (process-noise std over
measurement-noise std, scaled by the sampling interval). Closed forms: Bar-Shalom, Li,
Kirubarajan 2001, section 6.5. They are the textbook check of the Kalman filters.
"""

from __future__ import annotations

import numpy as np


def tracking_index(acceleration_std, measurement_std, dt):
    """lambda = sigma_w T^2 / sigma_v: acceleration std (m/s^2), measurement std (m), T (s)."""
    return np.asarray(acceleration_std) * np.asarray(dt) ** 2 / np.asarray(measurement_std)


def steady_state_gains(index):
    """(alpha, beta) for a tracking index, BLK 2001 section 6.5.

    alpha = -(lambda^2 + 8 lambda - (lambda + 4) sqrt(lambda^2 + 8 lambda)) / 8
    beta  = (lambda^2 + 4 lambda - lambda sqrt(lambda^2 + 8 lambda)) / 4
    They satisfy Kalata's relation lambda^2 = beta^2 / (1 - alpha). Computed in the
    algebraically equal forms beta = 4 lambda / d and alpha = 1 - 16 / d^2, with
    d = lambda + 4 + sqrt(lambda^2 + 8 lambda), which lose no digits to cancellation.
    """
    index = np.asarray(index, dtype=np.float64)
    denominator = index + 4 + np.sqrt(index * index + 8 * index)
    alpha = 1 - 16 / denominator**2
    beta = 4 * index / denominator
    return alpha, beta


def steady_state_covariance(alpha, beta, dt, measurement_std):
    """Updated-state covariance (..., 2, 2) at steady state, BLK 2001 section 6.5.

    p11 = alpha sigma_v^2, p12 = beta / T sigma_v^2,
    p22 = beta (alpha - beta / 2) / ((1 - alpha) T^2) sigma_v^2.
    """
    alpha, beta, dt = (np.asarray(value, dtype=np.float64) for value in (alpha, beta, dt))
    variance = np.asarray(measurement_std, dtype=np.float64) ** 2
    p11 = alpha * variance
    p12 = beta / dt * variance
    p22 = beta * (alpha - beta / 2) / ((1 - alpha) * dt**2) * variance
    p11, p12, p22 = np.broadcast_arrays(p11, p12, p22)
    return np.stack([np.stack([p11, p12], axis=-1), np.stack([p12, p22], axis=-1)], axis=-2)
