"""Target motion models for the trackers: constant velocity and coordinated turn.

State ordering, everywhere in `zenit.tracking`: positions first, then velocities, one entry per
axis, so in 3-D the state is [x, y, z, vx, vy, vz] (metres, m/s) in a local east-north-up
frame; the coordinated-turn model with the turn rate as a state appends omega (rad/s):
[x, y, z, vx, vy, vz, omega]. Positive omega turns counter-clockwise seen from above
(east towards north), the mathematical sense in the (x, y) plane.

The formulas (`white_noise_acceleration`, `add_white_noise_acceleration`, `turn_blocks`,
`predict_turn`) are what the engine's track loop runs; they work on one filter `j` of arrays
means (K, 6) and covariances (K, 6, 6). The array functions below broadcast over arbitrary
leading axes: `dt`, the noise levels and turn rates may be scalars or arrays shaped like the
batch, and the matrices come back shaped (..., n, n). Reference: Bar-Shalom, Li, Kirubarajan,
"Estimation with Applications to Tracking and Navigation", Wiley 2001 (BLK 2001), sections
6.2-6.3 (white-noise acceleration models) and 11.7 (coordinated turn).
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
    """The coordinated turn's F = [[I, B], [0, C]] (BLK 2001 section 11.7) as B, C (3x3):
    blocks[0] and blocks[1].

    `angle` = omega dt with its sine and cosine; 0 gives the constant-velocity model
    (B = dt I, C = I).
    """
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
    """x = F x, P = F P F^T (symmetric) of filter j for F = [[I, B], [0, C]], by 3x3 blocks
    (B = blocks[0], C = blocks[1]); `scratch` is (8, 6).

    P_pp' = P_pp + B P_vp + P_pv B^T + B P_vv B^T, P_pv' = (P_pv + B P_vv) C^T,
    P_vv' = C P_vv C^T: a third of the work of the dense 6x6 product.
    """
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
    """F(dt) of the constant-velocity model: positions advance by velocity times dt.

    BLK 2001 section 6.3.2; (..., 2d, 2d) for d = `dimensions` axes.
    """
    dt = _batch(dt)
    block = np.stack([np.stack([np.ones_like(dt), dt], axis=-1),
                      np.stack([np.zeros_like(dt), np.ones_like(dt)], axis=-1)], axis=-2)
    return _kron_axes(block, dimensions)


@kernel
def _white_noise_blocks(dt, variance, blocks):
    for i in range(dt.shape[0]):
        position, cross, velocity = white_noise_acceleration(dt[i], variance[i])
        blocks[i, 0, 0], blocks[i, 0, 1] = position, cross
        blocks[i, 1, 0], blocks[i, 1, 1] = cross, velocity


def discrete_white_noise_acceleration(dt, acceleration_variance, dimensions: int = 3):
    """Q of the piecewise-constant (discrete) white acceleration model, BLK 2001 section 6.3.2.

    The acceleration is constant over each step with variance `acceleration_variance`
    (m^2/s^4) per axis: Q = Gamma Gamma^T sigma^2 with Gamma = [dt^2/2, dt]. This is the model
    the Kalata tracking index and the alpha-beta gains refer to.
    """
    dt, variance = np.broadcast_arrays(_batch(dt), _batch(acceleration_variance))
    blocks = np.empty((dt.size, 2, 2))
    _white_noise_blocks(dt.ravel(), variance.ravel(), blocks)
    return _kron_axes(blocks.reshape(dt.shape + (2, 2)), dimensions)


def continuous_white_noise_acceleration(dt, spectral_density, dimensions: int = 3):
    """Q of the continuous white-noise acceleration model, BLK 2001 section 6.2.2.

    `spectral_density` is the power spectral density q of the acceleration (m^2/s^3) per
    axis: Q = q [[dt^3/3, dt^2/2], [dt^2/2, dt]].
    """
    dt, density = np.broadcast_arrays(_batch(dt), _batch(spectral_density))
    block = np.stack([np.stack([dt**3 / 3, dt**2 / 2], axis=-1),
                      np.stack([dt**2 / 2, dt], axis=-1)], axis=-2)
    return _kron_axes(block * density[..., None, None], dimensions)


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
    """F (..., 6, 6) of a horizontal coordinated turn at a known rate, BLK 2001 section 11.7.

    The (x, y) velocity rotates by turn_rate * dt; height follows constant velocity. With
    turn_rate = 0 this is exactly the constant-velocity F.
    """
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
    """Jacobian (..., 7, 7) of `coordinated_turn_propagate`, for the EKF, BLK 2001 section 11.7.

    The first six columns are the fixed-rate transition; the last column is the derivative of
    the moved state with respect to omega, which stays finite as omega -> 0.
    """
    state = _batch(state)
    dt, omega = np.broadcast_arrays(_batch(dt), state[..., 6])
    d_sine, d_cosine, sine, cosine = _turn_derivatives(omega, dt)
    vx, vy = state[..., 3], state[..., 4]
    zero = np.zeros_like(omega)
    d_omega = np.stack([
        d_sine * vx - d_cosine * vy,
        d_cosine * vx + d_sine * vy,
        zero,
        -dt * (sine * vx + cosine * vy),
        dt * (cosine * vx - sine * vy),
        zero,
    ], axis=-1)
    top = np.concatenate([coordinated_turn_transition(dt, omega), d_omega[..., None]], axis=-1)
    bottom = np.concatenate([np.zeros_like(top[..., :1, :6]), np.ones_like(top[..., :1, :1])],
                            axis=-1)
    return np.concatenate([top, bottom], axis=-2)


def coordinated_turn_process_noise(dt, acceleration_variance, turn_acceleration_variance):
    """Q (..., 7, 7) for the turn-rate-augmented state, BLK 2001 section 11.7.

    Position-velocity blocks are the discrete white acceleration Q; omega is a random walk
    driven by a turn-rate acceleration of variance `turn_acceleration_variance` (rad^2/s^4)
    held over the step, so Q_omega = (dt * sigma)^2.
    """
    kinematic = discrete_white_noise_acceleration(dt, acceleration_variance, 3)
    omega_variance = np.broadcast_to(_batch(dt) ** 2 * _batch(turn_acceleration_variance),
                                     kinematic.shape[:-2])
    left = np.concatenate([kinematic, np.zeros_like(kinematic[..., :1, :])], axis=-2)
    right = np.concatenate([np.zeros_like(kinematic[..., :, :1]), omega_variance[..., None, None]],
                           axis=-2)
    return np.concatenate([left, right], axis=-1)


def turn_rate_for_acceleration(velocity, lateral_acceleration, minimum_speed: float = 1.0):
    """Turn rate (rad/s) a horizontal lateral acceleration gives at the velocity's ground speed.

    omega = a / v (BLK 2001 section 11.7); speeds under `minimum_speed` (m/s) are clipped to it.
    """
    velocity = _batch(velocity)
    ground_speed = np.hypot(velocity[..., 0], velocity[..., 1])
    return _batch(lateral_acceleration) / np.maximum(ground_speed, minimum_speed)
