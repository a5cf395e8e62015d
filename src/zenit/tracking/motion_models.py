"""Target motion models for the trackers: constant velocity and coordinated turn.

State ordering, everywhere in `zenit.tracking`: positions first, then velocities, one entry per
axis, so in 3-D the state is [x, y, z, vx, vy, vz] (metres, m/s) in a local east-north-up
frame; the coordinated-turn model with the turn rate as a state appends omega (rad/s):
[x, y, z, vx, vy, vz, omega]. Positive omega turns counter-clockwise seen from above
(east towards north), the mathematical sense in the (x, y) plane.

Every function broadcasts over arbitrary leading axes: `dt`, the noise levels and turn rates
may be scalars or arrays shaped like the batch, and the matrices come back shaped
(..., n, n). Reference: Bar-Shalom, Li, Kirubarajan, "Estimation with Applications to Tracking
and Navigation", Wiley 2001 (BLK 2001), sections 6.2-6.3 (white-noise acceleration models)
and 11.7 (coordinated turn).
"""

from __future__ import annotations

import numpy as np

# Below this |omega * dt| the turn functions use their Taylor series, whose truncation error
# there is under 1e-16 relative, instead of ratios that lose digits to cancellation.
_SMALL_TURN_ANGLE = 1e-2


def _batch(value, xp):
    return xp.asarray(value, dtype=xp.float64)


def _kron_axes(block, dimensions, xp):
    """(..., 2, 2) per-axis blocks -> (..., 2d, 2d) with the [positions, velocities] ordering."""
    out = xp.zeros(block.shape[:-2] + (2 * dimensions, 2 * dimensions), dtype=block.dtype)
    axes = xp.arange(dimensions)
    for row in range(2):
        for column in range(2):
            rows, columns = row * dimensions + axes, column * dimensions + axes
            out[..., rows, columns] = block[..., row, column, None]
    return out


def constant_velocity_transition(dt, dimensions: int = 3, xp=np):
    """F(dt) of the constant-velocity model: positions advance by velocity times dt.

    BLK 2001 section 6.3.2; (..., 2d, 2d) for d = `dimensions` axes.
    """
    dt = _batch(dt, xp)
    one = xp.ones_like(dt)
    zero = xp.zeros_like(dt)
    block = xp.stack([xp.stack([one, dt], axis=-1), xp.stack([zero, one], axis=-1)], axis=-2)
    return _kron_axes(block, dimensions, xp)


def discrete_white_noise_acceleration(dt, acceleration_variance, dimensions: int = 3, xp=np):
    """Q of the piecewise-constant (discrete) white acceleration model, BLK 2001 section 6.3.2.

    The acceleration is constant over each step with variance `acceleration_variance`
    (m^2/s^4) per axis: Q = Gamma Gamma^T sigma^2 with Gamma = [dt^2/2, dt]. This is the model
    the Kalata tracking index and the alpha-beta gains refer to.
    """
    dt = _batch(dt, xp)
    variance = _batch(acceleration_variance, xp)
    dt, variance = xp.broadcast_arrays(dt, variance)
    block = xp.stack([xp.stack([dt**4 / 4, dt**3 / 2], axis=-1),
                      xp.stack([dt**3 / 2, dt**2], axis=-1)], axis=-2)
    return _kron_axes(block * variance[..., None, None], dimensions, xp)


def continuous_white_noise_acceleration(dt, spectral_density, dimensions: int = 3, xp=np):
    """Q of the continuous white-noise acceleration model, BLK 2001 section 6.2.2.

    `spectral_density` is the power spectral density q of the acceleration (m^2/s^3) per
    axis: Q = q [[dt^3/3, dt^2/2], [dt^2/2, dt]].
    """
    dt = _batch(dt, xp)
    density = _batch(spectral_density, xp)
    dt, density = xp.broadcast_arrays(dt, density)
    block = xp.stack([xp.stack([dt**3 / 3, dt**2 / 2], axis=-1),
                      xp.stack([dt**2 / 2, dt], axis=-1)], axis=-2)
    return _kron_axes(block * density[..., None, None], dimensions, xp)


def _turn_functions(omega, dt, xp):
    """sin(wT)/w, (1 - cos(wT))/w and their derivatives in w, safe as w -> 0.

    Returns (sine_term, cosine_term, d_sine_term, d_cosine_term, sin(wT), cos(wT)).
    """
    angle = omega * dt
    small = xp.abs(angle) < _SMALL_TURN_ANGLE
    safe = xp.where(small, 1.0, angle)
    sine, cosine = xp.sin(angle), xp.cos(angle)
    a2 = angle * angle
    sine_ratio = xp.where(small, 1 - a2 / 6 + a2 * a2 / 120, sine / safe)
    cosine_ratio = xp.where(small, angle / 2 - angle * a2 / 24 + angle * a2 * a2 / 720,
                            (1 - cosine) / safe)
    d_sine_ratio = xp.where(small, -angle / 3 + angle * a2 / 30,
                            (safe * cosine - sine) / (safe * safe))
    d_cosine_ratio = xp.where(small, 0.5 - a2 / 8 + a2 * a2 / 144,
                              (safe * sine - (1 - cosine)) / (safe * safe))
    return (dt * sine_ratio, dt * cosine_ratio, dt * dt * d_sine_ratio, dt * dt * d_cosine_ratio,
            sine, cosine)


def coordinated_turn_transition(dt, turn_rate, xp=np):
    """F (..., 6, 6) of a horizontal coordinated turn at a known rate, BLK 2001 section 11.7.

    The (x, y) velocity rotates by turn_rate * dt; height follows constant velocity. With
    turn_rate = 0 this is exactly the constant-velocity F.
    """
    dt, omega = xp.broadcast_arrays(_batch(dt, xp), _batch(turn_rate, xp))
    sine_term, cosine_term, _, _, sine, cosine = _turn_functions(omega, dt, xp)
    one, zero = xp.ones_like(dt), xp.zeros_like(dt)
    rows = [
        [one, zero, zero, sine_term, -cosine_term, zero],
        [zero, one, zero, cosine_term, sine_term, zero],
        [zero, zero, one, zero, zero, dt],
        [zero, zero, zero, cosine, -sine, zero],
        [zero, zero, zero, sine, cosine, zero],
        [zero, zero, zero, zero, zero, one],
    ]
    return xp.stack([xp.stack(row, axis=-1) for row in rows], axis=-2)


def coordinated_turn_propagate(state, dt, xp=np):
    """Advance a turn-rate-augmented state (..., 7) by dt, BLK 2001 section 11.7."""
    state = _batch(state, xp)
    transition = coordinated_turn_transition(dt, state[..., 6], xp)
    moved = xp.matmul(transition, state[..., :6, None])[..., 0]
    return xp.concatenate([moved, state[..., 6:]], axis=-1)


def coordinated_turn_jacobian(state, dt, xp=np):
    """Jacobian (..., 7, 7) of `coordinated_turn_propagate`, for the EKF, BLK 2001 section 11.7.

    The first six columns are the fixed-rate transition; the last column is the derivative of
    the moved state with respect to omega, which stays finite as omega -> 0.
    """
    state = _batch(state, xp)
    dt = _batch(dt, xp)
    omega = state[..., 6]
    dt, omega = xp.broadcast_arrays(dt, omega)
    _, _, d_sine, d_cosine, sine, cosine = _turn_functions(omega, dt, xp)
    vx, vy = state[..., 3], state[..., 4]
    zero = xp.zeros_like(omega)
    d_omega = xp.stack([
        d_sine * vx - d_cosine * vy,
        d_cosine * vx + d_sine * vy,
        zero,
        -dt * (sine * vx + cosine * vy),
        dt * (cosine * vx - sine * vy),
        zero,
    ], axis=-1)
    top = xp.concatenate([coordinated_turn_transition(dt, omega, xp), d_omega[..., None]], axis=-1)
    bottom = xp.concatenate([xp.zeros_like(top[..., :1, :6]), xp.ones_like(top[..., :1, :1])],
                            axis=-1)
    return xp.concatenate([top, bottom], axis=-2)


def coordinated_turn_process_noise(dt, acceleration_variance, turn_acceleration_variance, xp=np):
    """Q (..., 7, 7) for the turn-rate-augmented state, BLK 2001 section 11.7.

    Position-velocity blocks are the discrete white acceleration Q; omega is a random walk
    driven by a turn-rate acceleration of variance `turn_acceleration_variance` (rad^2/s^4)
    held over the step, so Q_omega = (dt * sigma)^2.
    """
    kinematic = discrete_white_noise_acceleration(dt, acceleration_variance, 3, xp)
    dt = _batch(dt, xp)
    omega_variance = xp.broadcast_to(dt**2 * _batch(turn_acceleration_variance, xp),
                                     kinematic.shape[:-2])
    left = xp.concatenate([kinematic, xp.zeros_like(kinematic[..., :1, :])], axis=-2)
    right = xp.concatenate([xp.zeros_like(kinematic[..., :, :1]), omega_variance[..., None, None]],
                           axis=-2)
    return xp.concatenate([left, right], axis=-1)


def turn_rate_for_acceleration(velocity, lateral_acceleration, minimum_speed: float = 1.0, xp=np):
    """Turn rate (rad/s) a horizontal lateral acceleration gives at the velocity's ground speed.

    omega = a / v (BLK 2001 section 11.7); speeds under `minimum_speed` (m/s) are clipped to it.
    """
    velocity = _batch(velocity, xp)
    ground_speed = xp.hypot(velocity[..., 0], velocity[..., 1])
    return _batch(lateral_acceleration, xp) / xp.maximum(ground_speed, minimum_speed)
