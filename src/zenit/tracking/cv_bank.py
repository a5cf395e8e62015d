"""Constant-velocity Kalman filters measured in position: the engine's filter.

State [x, y, z, vx, vy, vz]; F = [[I, dt I], [0, I]] and H = [I 0] worked in 3x3 blocks, S
factored by a closed-form Cholesky: P - K S K^T = P - W^T W (W = L^-1 H P), symmetric to the
last bit, equal to Joseph's form (BLK 2001 section 5.2.3) with the optimal gain;
`zenit.tracking.kalman` is the reference. The formulas work on filter `j` of (K, 6), (K, 6, 6)
arrays with the plot as row `look` of measured (C, 3), noise (C, 3, 3); `CVFilterBank` runs
them over a batch.
"""

from __future__ import annotations

import math

import numpy as np

from zenit.compiled import formula, inline_formula, kernel
from zenit.tracking.motion_models import add_white_noise_acceleration


@inline_formula
def start_at_plot(means, covariances, j, measured, noise, look, speed_variance):
    """Single-point initiation of filter j: position and its covariance from the plot,
    velocity zero with variance `speed_variance` (m^2/s^2) per axis."""
    for m in range(6):
        means[j, m] = measured[look, m] if m < 3 else 0.0
        for n in range(6):
            covariances[j, m, n] = (noise[look, m, n] if m < 3 and n < 3
                                    else speed_variance if m == n else 0.0)


@inline_formula
def predict_cv(means, covariances, j, dt, variance):
    """Constant-velocity prediction of filter j by dt with white-noise acceleration
    `variance` (BLK 2001 sections 5.2.4, 6.3.2), in 3x3 blocks: A + dt (B + B^T) + dt^2 C,
    B + dt C, C."""
    for axis in range(3):
        means[j, axis] += dt * means[j, axis + 3]
    for i in range(3):
        for k in range(3):
            covariances[j, i, k] += dt * (covariances[j, i, k + 3] + covariances[j, k, i + 3]) + \
                dt * dt * covariances[j, i + 3, k + 3]
    for i in range(3):
        for k in range(3):
            covariances[j, i, k + 3] += dt * covariances[j, i + 3, k + 3]
    for i in range(3):
        for k in range(3):
            covariances[j, k + 3, i] = covariances[j, i, k + 3]
    add_white_noise_acceleration(covariances, j, dt, variance)


@inline_formula
def update_position(means, covariances, j, measured, noise, look, weights):
    """Kalman update of filter j by plot `look` with L L^T = S = P_pp + R, W = L^-1 H P
    (`weights` (3, 6)): x += W^T L^-1 nu, P -= W^T W. Returns (NIS, log det S)."""
    s00 = covariances[j, 0, 0] + noise[look, 0, 0]
    s10 = covariances[j, 1, 0] + noise[look, 1, 0]
    s20 = covariances[j, 2, 0] + noise[look, 2, 0]
    s11 = covariances[j, 1, 1] + noise[look, 1, 1]
    s21 = covariances[j, 2, 1] + noise[look, 2, 1]
    s22 = covariances[j, 2, 2] + noise[look, 2, 2]
    # The factor's diagonal inverted once: multiplications, not 23 divisions, per update.
    l00 = math.sqrt(s00)
    i00 = 1.0 / l00
    l10 = s10 * i00
    l20 = s20 * i00
    l11 = math.sqrt(s11 - l10 * l10)
    i11 = 1.0 / l11
    l21 = (s21 - l20 * l10) * i11
    l22 = math.sqrt(s22 - l20 * l20 - l21 * l21)
    i22 = 1.0 / l22
    for k in range(6):
        first = covariances[j, 0, k] * i00
        second = (covariances[j, 1, k] - l10 * first) * i11
        weights[0, k] = first
        weights[1, k] = second
        weights[2, k] = (covariances[j, 2, k] - l20 * first - l21 * second) * i22
    w0 = (measured[look, 0] - means[j, 0]) * i00
    w1 = (measured[look, 1] - means[j, 1] - l10 * w0) * i11
    w2 = (measured[look, 2] - means[j, 2] - l20 * w0 - l21 * w1) * i22
    for k in range(6):
        means[j, k] += weights[0, k] * w0 + weights[1, k] * w1 + weights[2, k] * w2
    for i in range(6):
        for k in range(i, 6):
            value = covariances[j, i, k] - (weights[0, i] * weights[0, k]
                                            + weights[1, i] * weights[1, k]
                                            + weights[2, i] * weights[2, k])
            covariances[j, i, k] = value
            covariances[j, k, i] = value
    return w0 * w0 + w1 * w1 + w2 * w2, 2.0 * math.log(l00 * l11 * l22)


@formula
def position_quality(covariances, j):
    """sqrt(trace of filter j's position covariance), metres: the RMS 3-D position error."""
    return math.sqrt(covariances[j, 0, 0] + covariances[j, 1, 1] + covariances[j, 2, 2])


@kernel
def _start(means, covariances, measured, noise, speed_variance):
    for j in range(means.shape[0]):
        start_at_plot(means, covariances, j, measured, noise, j, speed_variance[j])


@kernel
def _predict(means, covariances, dt, variance):
    for j in range(means.shape[0]):
        predict_cv(means, covariances, j, dt[j], variance[j])


@kernel
def _update(means, covariances, measured, noise, mask, squared):
    weights = np.empty((3, 6))
    for j in range(means.shape[0]):
        squared[j] = 0.0
        if mask[j]:
            squared[j] = update_position(means, covariances, j, measured, noise, j, weights)[0]


@kernel
def _quality(covariances, quality):
    for j in range(covariances.shape[0]):
        quality[j] = position_quality(covariances, j)


class CVFilterBank:
    """Constant-velocity filters with discrete white-noise acceleration of per-axis variance
    `acceleration_variance` (m^2/s^4, BLK 2001 section 6.3.2), updated in place."""

    def __init__(self, means, covariances, acceleration_variance):
        self.means = np.array(means, dtype=np.float64)
        self.covariances = np.array(covariances, dtype=np.float64)
        if self.means.shape[-1] != 6 or self.covariances.shape[-2:] != (6, 6):
            raise ValueError(f"CVFilterBank wants means (..., 6) and covariances (..., 6, 6), "
                             f"got {self.means.shape} and {self.covariances.shape}")
        self.acceleration_variance = np.asarray(acceleration_variance, dtype=np.float64)

    @classmethod
    def from_positions(cls, positions, position_covariances, velocity_variance,
                       acceleration_variance, velocities=None):
        """Single-point initiation: position from a measurement, velocity from a prior
        (zero by default) of variance `velocity_variance` (m^2/s^2) per axis."""
        positions = np.asarray(positions, dtype=np.float64)
        batch = positions.shape[:-1]
        means, covariances = np.empty(batch + (6,)), np.empty(batch + (6, 6))
        _start(means.reshape(-1, 6), covariances.reshape(-1, 6, 6), positions.reshape(-1, 3),
               np.broadcast_to(position_covariances, batch + (3, 3)).reshape(-1, 3, 3),
               np.broadcast_to(np.asarray(velocity_variance, dtype=np.float64), batch).ravel())
        if velocities is not None:
            means[..., 3:] = velocities
        return cls(means, covariances, acceleration_variance)

    @property
    def shape(self):
        return self.means.shape[:-1]

    def _batch(self, value, tail=()):
        """`value` for every filter, flattened to (K,) + tail."""
        value = np.broadcast_to(np.asarray(value, dtype=np.float64), self.shape + tail)
        return value.reshape((-1,) + tail)

    def predict(self, dt) -> None:
        """Advance every filter by dt seconds (scalar or shaped like the batch)."""
        _predict(self.means.reshape(-1, 6), self.covariances.reshape(-1, 6, 6), self._batch(dt),
                 self._batch(self.acceleration_variance))

    def update(self, positions, position_covariances, mask=None):
        """Fold in position measurements (..., 3), covariances (..., 3, 3) where `mask` is
        True, in place. Returns the normalised innovation squared (...), 0 where masked."""
        shape = self.shape
        mask = np.ones(shape, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
        squared = np.empty(shape)
        _update(self.means.reshape(-1, 6), self.covariances.reshape(-1, 6, 6),
                self._batch(positions, (3,)), self._batch(position_covariances, (3, 3)),
                np.broadcast_to(mask, shape).ravel(), squared.reshape(-1))
        return squared

    def position_quality(self):
        """sqrt(trace of the position covariance), metres: the RMS 3-D position error."""
        quality = np.empty(self.shape)
        _quality(self.covariances.reshape(-1, 6, 6), quality.reshape(-1))
        return quality
