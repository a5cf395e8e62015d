"""Batched linear Kalman filter: predict, update, innovation statistics.

Arrays carry arbitrary leading batch axes (replications, battalions, threats, ...): means are
(..., n), covariances (..., n, n), measurements (..., m); F, Q, H, R broadcast against them,
so one matrix can serve every filter or each filter can have its own. Equations: Bar-Shalom,
Li, Kirubarajan 2001 (BLK 2001), section 5.2.4; the covariance update is Joseph's form
(BLK 2001 section 5.2.3), which stays symmetric and positive semi-definite under rounding.
`CVFilterBank` in `zenit.tracking.cv_bank` is the engine's fast path for the common case.
"""

from __future__ import annotations

import math

import numpy as np


def _transpose(matrix, xp):
    return xp.swapaxes(matrix, -1, -2)


def predict(mean, covariance, transition, process_noise, xp=np):
    """x' = F x, P' = F P F^T + Q (BLK 2001 section 5.2.4)."""
    mean = xp.matmul(transition, mean[..., None])[..., 0]
    covariance = xp.matmul(xp.matmul(transition, covariance), _transpose(transition, xp))
    covariance = covariance + process_noise
    return mean, 0.5 * (covariance + _transpose(covariance, xp))


def update(mean, covariance, measurement, measurement_matrix, measurement_noise, mask=None,
           xp=np):
    """Kalman update with Joseph's covariance form; `mask` (...) False keeps the prior.

    Returns (mean, covariance, innovation, innovation_covariance); the innovation and its
    covariance are returned for every element (NaN-free only where the measurement is), so
    gating and likelihoods can use them. The gain comes from a linear solve against the
    innovation covariance, never an explicit inverse.
    """
    H = measurement_matrix
    innovation = measurement - xp.matmul(H, mean[..., None])[..., 0]
    projected = xp.matmul(H, covariance)  # H P, (..., m, n)
    innovation_covariance = xp.matmul(projected, _transpose(H, xp)) + measurement_noise
    innovation_covariance = 0.5 * (innovation_covariance + _transpose(innovation_covariance, xp))
    gain = _transpose(xp.linalg.solve(innovation_covariance, projected), xp)  # P H^T S^-1
    posterior_mean = mean + xp.matmul(gain, innovation[..., None])[..., 0]
    eye = xp.eye(mean.shape[-1], dtype=covariance.dtype)
    residual = eye - xp.matmul(gain, H)
    posterior = xp.matmul(xp.matmul(residual, covariance), _transpose(residual, xp))
    posterior = posterior + xp.matmul(xp.matmul(gain, measurement_noise), _transpose(gain, xp))
    posterior = 0.5 * (posterior + _transpose(posterior, xp))
    if mask is not None:
        mask = xp.asarray(mask, dtype=bool)
        posterior_mean = xp.where(mask[..., None], posterior_mean, mean)
        posterior = xp.where(mask[..., None, None], posterior, covariance)
    return posterior_mean, posterior, innovation, innovation_covariance


def normalised_innovation_squared(innovation, innovation_covariance, xp=np):
    """NIS = nu^T S^-1 nu (BLK 2001 section 5.4.2): chi-square with m degrees of freedom."""
    solved = xp.linalg.solve(innovation_covariance, innovation[..., None])[..., 0]
    return xp.sum(innovation * solved, axis=-1)


def log_likelihood(innovation, innovation_covariance, xp=np):
    """log N(nu; 0, S), from a Cholesky factor: the measurement likelihood of a model (IMM)."""
    factor = xp.linalg.cholesky(innovation_covariance)
    whitened = xp.linalg.solve(factor, innovation[..., None])[..., 0]
    log_determinant = 2.0 * xp.sum(xp.log(xp.diagonal(factor, axis1=-2, axis2=-1)), axis=-1)
    dimension = innovation.shape[-1]
    return -0.5 * (xp.sum(whitened * whitened, axis=-1) + log_determinant
                   + dimension * math.log(2.0 * math.pi))


def position_measurement_matrix(dimensions: int = 3, xp=np):
    """H = [I 0]: the sensor measures position, for the [positions, velocities] ordering."""
    eye = xp.eye(dimensions, dtype=xp.float64)
    return xp.concatenate([eye, xp.zeros_like(eye)], axis=-1)
