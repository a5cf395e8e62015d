"""Target motion models for the trackers: constant velocity and coordinated turn.

State: positions, then velocities, [x, y, z, vx, vy, vz] (m, m/s, east-north-up), with the
turn rate omega (rad/s, counter-clockwise seen from above) appended for the turn-rate EKF.
The formulas work on filter `j` of means (K, 6) and covariances (K, 6, 6), as the engine's
track loop runs them; the array functions broadcast dt, noise levels and rates over leading
axes, matrices (..., n, n). Reference: Bar-Shalom, Li, Kirubarajan, "Estimation with
Applications to Tracking and Navigation", Wiley 2001 (BLK 2001), sections 6.2-6.3
(white-noise acceleration models) and 11.7 (coordinated turn).
"""

from __future__ import annotations

import math

import numpy as np

from zenit.compiled import formula, inline_formula, kernel

# Below this |omega * dt| the turn functions use their Taylor series, whose truncation error
# there is under 1e-16 relative, instead of ratios that lose digits to cancellation.
_SMALL_TURN_ANGLE = 1e-2


@formula
def white_noise_acceleration(dt, variance):
    """Per-axis entries (position, cross, velocity) of Q of the discrete white-noise
    acceleration model (BLK 2001 section 6.3.2): sigma^2 (dt^4 / 4, dt^3 / 2, dt^2)."""
    dt2 = dt * dt
    return dt2 * dt2 / 4 * variance, dt2 * dt / 2 * variance, dt2 * variance


@inline_formula
def add_white_noise_acceleration(covariances, j, dt, variance):
    """P += Q of the discrete white-noise acceleration model, for filter j."""
    position, cross, velocity = white_noise_acceleration(dt, variance)
    for axis in range(3):
        covariances[j, axis, axis] += position
        covariances[j, axis, axis + 3] += cross
        covariances[j, axis + 3, axis] += cross
        covariances[j, axis + 3, axis + 3] += velocity


@formula
def turn_terms(dt, angle, sine, cosine):
    """dt sin(a) / a and dt (1 - cos(a)) / a for the turn angle a = omega dt (its sine and
    cosine given), by their Taylor series near a = 0."""
    if abs(angle) < _SMALL_TURN_ANGLE:
        a2 = angle * angle
        return (dt * (1 - a2 / 6 + a2 * a2 / 120),
                dt * (angle / 2 - angle * a2 / 24 + angle * a2 * a2 / 720))
    return dt * (sine / angle), dt * ((1 - cosine) / angle)


@inline_formula
def turn_blocks(dt, angle, sine, cosine, blocks):
    """The coordinated turn's F = [[I, B], [0, C]] (BLK 2001 section 11.7) as blocks[0] = B,
    blocks[1] = C for `angle` = omega dt, its sine and cosine (0: constant velocity)."""
    sine_term, cosine_term = turn_terms(dt, angle, sine, cosine)
    for block in range(2):
        for i in range(3):
            for k in range(3):
                blocks[block, i, k] = 0.0
    blocks[0, 0, 0], blocks[0, 0, 1] = sine_term, -cosine_term
    blocks[0, 1, 0], blocks[0, 1, 1] = cosine_term, sine_term
    blocks[0, 2, 2] = dt
    blocks[1, 0, 0], blocks[1, 0, 1] = cosine, -sine
    blocks[1, 1, 0], blocks[1, 1, 1] = sine, cosine
    blocks[1, 2, 2] = 1.0


@inline_formula
def _predict_turn_mean(means, j, blocks, scratch):
    """x = F x of filter j for F = [[I, B], [0, C]], through scratch rows 0-1."""
    for i in range(3):
        scratch[0, i] = means[j, i] + (blocks[0, i, 0] * means[j, 3] + blocks[0, i, 1] * means[j, 4]
                                       + blocks[0, i, 2] * means[j, 5])
        scratch[1, i] = (blocks[1, i, 0] * means[j, 3] + blocks[1, i, 1] * means[j, 4]
                         + blocks[1, i, 2] * means[j, 5])
    for i in range(3):
        means[j, i], means[j, i + 3] = scratch[0, i], scratch[1, i]


@inline_formula
def predict_turn(means, covariances, j, blocks, scratch):
    """x = F x, P = F P F^T of filter j for F = [[I, B], [0, C]] by 3x3 blocks (`scratch` (8, 6)):
    a third of the dense product's work."""
    _predict_turn_mean(means, j, blocks, scratch)
    # Rows of [P_pp + B P_vp, P_pv + B P_vv] = [I B] P in scratch rows 2-4; C [P_vp P_vv] in 5-7.
    for i in range(3):
        for k in range(6):
            scratch[2 + i, k] = covariances[j, i, k] + (blocks[0, i, 0] * covariances[j, 3, k]
                                                        + blocks[0, i, 1] * covariances[j, 4, k]
                                                        + blocks[0, i, 2] * covariances[j, 5, k])
    for i in range(3):
        for k in range(6):
            scratch[5 + i, k] = (blocks[1, i, 0] * covariances[j, 3, k]
                                 + blocks[1, i, 1] * covariances[j, 4, k]
                                 + blocks[1, i, 2] * covariances[j, 5, k])
    for i in range(3):
        for k in range(i, 3):
            # ([I B] P [I B]^T)_ik
            value = scratch[2 + i, k] + (scratch[2 + i, 3] * blocks[0, k, 0]
                                         + scratch[2 + i, 4] * blocks[0, k, 1]
                                         + scratch[2 + i, 5] * blocks[0, k, 2])
            covariances[j, i, k] = value
            covariances[j, k, i] = value
            # (C P_vv C^T)_ik
            value = (scratch[5 + i, 3] * blocks[1, k, 0] + scratch[5 + i, 4] * blocks[1, k, 1]
                     + scratch[5 + i, 5] * blocks[1, k, 2])
            covariances[j, 3 + i, 3 + k] = value
            covariances[j, 3 + k, 3 + i] = value
        for k in range(3):
            # ([I B] P [0 C]^T)_ik
            value = (scratch[2 + i, 3] * blocks[1, k, 0] + scratch[2 + i, 4] * blocks[1, k, 1]
                     + scratch[2 + i, 5] * blocks[1, k, 2])
            covariances[j, i, 3 + k] = value
            covariances[j, 3 + k, i] = value


def _batch(value):
    return np.asarray(value, dtype=np.float64)


def _blocks(a, b, c, d):
    """(..., 2, 2) per-axis blocks [[a, b], [c, d]]."""
    a, b, c, d = np.broadcast_arrays(_batch(a), _batch(b), _batch(c), _batch(d))
    return np.stack([np.stack([a, b], axis=-1), np.stack([c, d], axis=-1)], axis=-2)


def _kron_axes(block, dimensions):
    """(..., 2, 2) per-axis blocks -> (..., 2d, 2d) with the [positions, velocities] ordering."""
    out = np.zeros(block.shape[:-2] + (2 * dimensions, 2 * dimensions), dtype=block.dtype)
    axes = np.arange(dimensions)
    for row in range(2):
        for column in range(2):
            rows, columns = row * dimensions + axes, column * dimensions + axes
            out[..., rows, columns] = block[..., row, column, None]
    return out


def constant_velocity_transition(dt, dimensions: int = 3):
    """F(dt) (..., 2d, 2d): positions advance by velocity times dt (BLK 2001 section 6.3.2)."""
    return _kron_axes(_blocks(1.0, dt, 0.0, 1.0), dimensions)


def discrete_white_noise_acceleration(dt, acceleration_variance, dimensions: int = 3):
    """Q of the piecewise-constant white acceleration of variance sigma^2 (m^2/s^4) per axis,
    Gamma Gamma^T sigma^2 with Gamma = [dt^2/2, dt] (BLK 2001 section 6.3.2; Kalata's model)."""
    position, cross, velocity = white_noise_acceleration(_batch(dt), _batch(acceleration_variance))
    return _kron_axes(_blocks(position, cross, cross, velocity), dimensions)


def continuous_white_noise_acceleration(dt, spectral_density, dimensions: int = 3):
    """Q = q [[dt^3/3, dt^2/2], [dt^2/2, dt]] per axis of the continuous white-noise
    acceleration of spectral density q (m^2/s^3), BLK 2001 section 6.2.2."""
    dt, density = np.broadcast_arrays(_batch(dt), _batch(spectral_density))
    return _kron_axes(_blocks(dt**3 / 3, dt**2 / 2, dt**2 / 2, dt) * density[..., None, None],
                      dimensions)


@kernel
def _turn_transitions(dt, turn_rate, transitions):
    blocks = np.empty((2, 3, 3))
    for i in range(dt.shape[0]):
        angle = turn_rate[i] * dt[i]
        turn_blocks(dt[i], angle, math.sin(angle), math.cos(angle), blocks)
        for row in range(6):
            for column in range(6):
                transitions[i, row, column] = 1.0 if row == column else 0.0
        for row in range(3):
            for column in range(3):
                transitions[i, row, 3 + column] = blocks[0, row, column]
                transitions[i, 3 + row, 3 + column] = blocks[1, row, column]


def coordinated_turn_transition(dt, turn_rate):
    """F (..., 6, 6) of a horizontal coordinated turn at a known rate (BLK 2001 section 11.7):
    the (x, y) velocity rotates by turn_rate dt; exactly the constant-velocity F at rate 0."""
    dt, turn_rate = np.broadcast_arrays(_batch(dt), _batch(turn_rate))
    transitions = np.empty((dt.size, 6, 6))
    _turn_transitions(dt.ravel(), turn_rate.ravel(), transitions)
    return transitions.reshape(dt.shape + (6, 6))


def _turn_derivatives(omega, dt):
    """d/d omega of dt sin(wT)/w and dt (1 - cos(wT))/w, safe as w -> 0."""
    angle = omega * dt
    small = np.abs(angle) < _SMALL_TURN_ANGLE
    safe = np.where(small, 1.0, angle)
    sine, cosine = np.sin(angle), np.cos(angle)
    a2 = angle * angle
    d_sine_ratio = np.where(small, -angle / 3 + angle * a2 / 30,
                            (safe * cosine - sine) / (safe * safe))
    d_cosine_ratio = np.where(small, 0.5 - a2 / 8 + a2 * a2 / 144,
                              (safe * sine - (1 - cosine)) / (safe * safe))
    return dt * dt * d_sine_ratio, dt * dt * d_cosine_ratio, sine, cosine


def coordinated_turn_propagate(state, dt):
    """Advance a turn-rate-augmented state (..., 7) by dt, BLK 2001 section 11.7."""
    state = _batch(state)
    transition = coordinated_turn_transition(dt, state[..., 6])
    moved = np.matmul(transition, state[..., :6, None])[..., 0]
    return np.concatenate([moved, state[..., 6:]], axis=-1)


def coordinated_turn_jacobian(state, dt):
    """Jacobian (..., 7, 7) of `coordinated_turn_propagate` for the EKF (BLK 2001 section
    11.7): the fixed-rate transition, and the derivative in omega (finite as omega -> 0)."""
    state = _batch(state)
    dt, omega = np.broadcast_arrays(_batch(dt), state[..., 6])
    d_sine, d_cosine, sine, cosine = _turn_derivatives(omega, dt)
    vx, vy = state[..., 3], state[..., 4]
    jacobian = np.zeros(omega.shape + (7, 7))
    jacobian[..., :6, :6] = coordinated_turn_transition(dt, omega)
    jacobian[..., 6, 6] = 1.0
    jacobian[..., 0, 6] = d_sine * vx - d_cosine * vy
    jacobian[..., 1, 6] = d_cosine * vx + d_sine * vy
    jacobian[..., 3, 6] = -dt * (sine * vx + cosine * vy)
    jacobian[..., 4, 6] = dt * (cosine * vx - sine * vy)
    return jacobian


def coordinated_turn_process_noise(dt, acceleration_variance, turn_acceleration_variance):
    """Q (..., 7, 7) of the turn-rate-augmented state (BLK 2001 section 11.7): the discrete
    white acceleration Q, and omega a random walk of (dt sigma_omega)^2 (rad^2/s^4 given)."""
    kinematic = discrete_white_noise_acceleration(dt, acceleration_variance, 3)
    noise = np.zeros(kinematic.shape[:-2] + (7, 7))
    noise[..., :6, :6] = kinematic
    noise[..., 6, 6] = _batch(dt) ** 2 * _batch(turn_acceleration_variance)
    return noise


def turn_rate_for_acceleration(velocity, lateral_acceleration, minimum_speed: float = 1.0):
    """omega = a / v (rad/s, BLK 2001 section 11.7) at the velocity's ground speed, clipped
    below at `minimum_speed` (m/s)."""
    velocity = _batch(velocity)
    ground_speed = np.hypot(velocity[..., 0], velocity[..., 1])
    return _batch(lateral_acceleration) / np.maximum(ground_speed, minimum_speed)
