"""Batched linear Kalman filter: predict, update, innovation statistics.

Arrays carry arbitrary leading batch axes (replications, battalions, threats, ...): means are
(..., n), covariances (..., n, n), measurements (..., m); F, Q, H, R broadcast against them,
so one matrix can serve every filter or each filter can have its own. Equations: Bar-Shalom,
Li, Kirubarajan 2001 (BLK 2001), section 5.2.4; the covariance update is Joseph's form
(BLK 2001 section 5.2.3), which stays symmetric and positive semi-definite under rounding.
This general filter is the textbook reference that the engine's specialised formulas
(`zenit.tracking.cv_bank`, the IMM of `zenit.tracking.imm`) are tested against.
"""

from __future__ import annotations

import math

import numpy as np


def _transpose(matrix):
    return np.swapaxes(matrix, -1, -2)


def predict(mean, covariance, transition, process_noise):
    """x' = F x, P' = F P F^T + Q (BLK 2001 section 5.2.4)."""
    mean = np.matmul(transition, mean[..., None])[..., 0]
    covariance = np.matmul(np.matmul(transition, covariance), _transpose(transition))
    covariance = covariance + process_noise
    return mean, 0.5 * (covariance + _transpose(covariance))


def update(mean, covariance, measurement, measurement_matrix, measurement_noise, mask=None):
    """Kalman update with Joseph's covariance form; `mask` (...) False keeps the prior.

    Returns (mean, covariance, innovation, innovation_covariance); the innovation and its
    covariance are returned for every element (NaN-free only where the measurement is), so
    gating and likelihoods can use them. The gain comes from a linear solve against the
    innovation covariance, never an explicit inverse.
    """
    H = measurement_matrix
    innovation = measurement - np.matmul(H, mean[..., None])[..., 0]
    projected = np.matmul(H, covariance)  # H P, (..., m, n)
    innovation_covariance = np.matmul(projected, _transpose(H)) + measurement_noise
    innovation_covariance = 0.5 * (innovation_covariance + _transpose(innovation_covariance))
    gain = _transpose(np.linalg.solve(innovation_covariance, projected))  # P H^T S^-1
    posterior_mean = mean + np.matmul(gain, innovation[..., None])[..., 0]
    eye = np.eye(mean.shape[-1], dtype=covariance.dtype)
    residual = eye - np.matmul(gain, H)
    posterior = np.matmul(np.matmul(residual, covariance), _transpose(residual))
    posterior = posterior + np.matmul(np.matmul(gain, measurement_noise), _transpose(gain))
    posterior = 0.5 * (posterior + _transpose(posterior))
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        posterior_mean = np.where(mask[..., None], posterior_mean, mean)
        posterior = np.where(mask[..., None, None], posterior, covariance)
    return posterior_mean, posterior, innovation, innovation_covariance


def normalised_innovation_squared(innovation, innovation_covariance):
    """NIS = nu^T S^-1 nu (BLK 2001 section 5.4.2): chi-square with m degrees of freedom."""
    solved = np.linalg.solve(innovation_covariance, innovation[..., None])[..., 0]
    return np.sum(innovation * solved, axis=-1)


def log_likelihood(innovation, innovation_covariance):
    """log N(nu; 0, S), from a Cholesky factor: the measurement likelihood of a model (IMM)."""
    factor = np.linalg.cholesky(innovation_covariance)
    whitened = np.linalg.solve(factor, innovation[..., None])[..., 0]
    log_determinant = 2.0 * np.sum(np.log(np.diagonal(factor, axis1=-2, axis2=-1)), axis=-1)
    dimension = innovation.shape[-1]
    return -0.5 * (np.sum(whitened * whitened, axis=-1) + log_determinant
                   + dimension * math.log(2.0 * math.pi))


def position_measurement_matrix(dimensions: int = 3):
    """H = [I 0]: the sensor measures position, for the [positions, velocities] ordering."""
    eye = np.eye(dimensions, dtype=np.float64)
    return np.concatenate([eye, np.zeros_like(eye)], axis=-1)
