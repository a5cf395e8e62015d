"""Guidance laws: proportional navigation for homing, command guidance for midcourse.

Every kernel works on batches: vectors are arrays (..., 3) whose leading axes are missiles in
flight (across replications), scalars are arrays (...). Relative quantities are always
target minus missile. The laws and their names follow Zarchan, *Tactical and Strategic
Missile Guidance* (6th ed.), ch. 2 (PN), ch. 8 (augmented PN).

Where a quantity is undefined (zero range, an opening geometry, no intercept triangle), the
kernels return zero commands or NaN rather than raise, so one degenerate missile never stops
the batch.
"""

from __future__ import annotations

import numpy as np

# Earth's gravitational parameter GM (m^3/s^2), WGS 84 (NIMA TR8350.2, 3rd ed., table 3.1).
EARTH_GRAVITATIONAL_PARAMETER = 3.986004418e14


def _dot(a, b, xp=np):
    return xp.sum(a * b, axis=-1)


def _unit(vector, xp=np):
    """Unit vectors; zero vectors stay zero instead of turning into NaN."""
    norm = xp.linalg.norm(vector, axis=-1, keepdims=True)
    return xp.where(norm > 0.0, vector / xp.where(norm > 0.0, norm, 1.0), 0.0)


def closing_velocity(relative_position, relative_velocity, xp=np):
    """Vc = -dR/dt (m/s): positive while the range shrinks."""
    return -_dot(_unit(relative_position, xp), relative_velocity, xp)


def line_of_sight_rate(relative_position, relative_velocity, xp=np):
    """Angular velocity of the line of sight, omega = (r x v) / |r|^2 (rad/s, vector)."""
    range_squared = _dot(relative_position, relative_position, xp)[..., None]
    safe = xp.where(range_squared > 0.0, range_squared, 1.0)
    omega = xp.cross(relative_position, relative_velocity) / safe
    return xp.where(range_squared > 0.0, omega, 0.0)


def time_to_go(relative_position, relative_velocity, xp=np):
    """t_go = R / Vc (s), Zarchan's estimate (ch. 2); infinite where the range is opening."""
    range_m = xp.linalg.norm(relative_position, axis=-1)
    closing = closing_velocity(relative_position, relative_velocity, xp)
    return xp.where(closing > 0.0, range_m / xp.where(closing > 0.0, closing, 1.0), xp.inf)


def zero_effort_miss(relative_position, relative_velocity, time_to_go_s, xp=np):
    """ZEM = r + v t_go (m, vector): the miss if neither side accelerates from now on.

    With t_go = R / Vc the along-LOS part vanishes, so this is Zarchan's ZEM perpendicular
    to the line of sight (ch. 8).
    """
    return relative_position + relative_velocity * xp.asarray(time_to_go_s)[..., None]


def _perpendicular_to(vector, direction_unit, xp=np):
    return vector - _dot(vector, direction_unit, xp)[..., None] * direction_unit


def pn_acceleration(relative_position, relative_velocity, navigation_constant, xp=np,
                    target_acceleration=None):
    """True PN: a = N Vc (omega x u_LOS) (m/s^2), perpendicular to the line of sight.

    omega x u_LOS = v_perp / R, so this equals N v_perp / t_go: it steers out the relative
    velocity across the line of sight, which is what drives the miss. With a target
    acceleration it becomes augmented PN, adding N/2 times the target's acceleration across
    the line of sight (Zarchan ch. 8), which removes the N/(N-2) penalty against a steady
    manoeuvre. Zero where the range is opening.
    """
    los_unit = _unit(relative_position, xp)
    closing = closing_velocity(relative_position, relative_velocity, xp)
    omega = line_of_sight_rate(relative_position, relative_velocity, xp)
    gain = xp.asarray(navigation_constant) * closing
    command = gain[..., None] * xp.cross(omega, los_unit)
    if target_acceleration is not None:
        across = _perpendicular_to(xp.asarray(target_acceleration, dtype=float), los_unit, xp)
        command = command + 0.5 * xp.asarray(navigation_constant)[..., None] * across
    return xp.where((closing > 0.0)[..., None], command, 0.0)


def pure_pn_acceleration(relative_position, relative_velocity, missile_velocity,
                         navigation_constant, xp=np):
    """Pure PN: a = N |Vm| (omega x u_Vm) (m/s^2), perpendicular to the missile's velocity.

    The form aerodynamic missiles fly (lift acts across the body axis); it keeps the missile's
    speed untouched, so no thrust is spent on the command. Zero where the range is opening.
    """
    velocity_unit = _unit(missile_velocity, xp)
    speed = xp.linalg.norm(missile_velocity, axis=-1)
    omega = line_of_sight_rate(relative_position, relative_velocity, xp)
    closing = closing_velocity(relative_position, relative_velocity, xp)
    gain = xp.asarray(navigation_constant) * speed
    command = gain[..., None] * xp.cross(omega, velocity_unit)
    return xp.where((closing > 0.0)[..., None], command, 0.0)


def predicted_intercept_point(target_position, target_velocity, interceptor_position,
                              interceptor_mean_speed, xp=np):
    """Where a straight-flying interceptor of given mean speed meets a constant-velocity target.

    Solves |d + v_T t| = s t for the earliest t > 0 (d = target - interceptor), the intercept
    triangle's quadratic (v_T.v_T - s^2) t^2 + 2 (d.v_T) t + d.d = 0. Returns
    (point (..., 3) in m, time (...) in s), both NaN where no intercept exists (target too
    fast and opening).
    """
    offset = xp.asarray(target_position, dtype=float) - xp.asarray(interceptor_position, dtype=float)
    velocity = xp.asarray(target_velocity, dtype=float)
    speed = xp.asarray(interceptor_mean_speed, dtype=float)
    quadratic = _dot(velocity, velocity, xp) - speed**2
    linear = 2.0 * _dot(offset, velocity, xp)
    constant = _dot(offset, offset, xp)
    discriminant = linear**2 - 4.0 * quadratic * constant
    solvable = discriminant >= 0.0
    root = xp.sqrt(xp.where(solvable, discriminant, 0.0))
    # Roots as 2c / (-b -/+ sqrt(disc)): stable also when the quadratic term vanishes.
    time = xp.full(constant.shape, xp.inf)
    for denominator in (-linear + root, -linear - root):
        usable = solvable & (denominator != 0.0)
        candidate = 2.0 * constant / xp.where(usable, denominator, 1.0)
        time = xp.where(usable & (candidate >= 0.0), xp.minimum(time, candidate), time)
    time = xp.where(xp.isfinite(time), time, xp.nan)
    point = xp.asarray(target_position, dtype=float) + velocity * time[..., None]
    return point, time


def gravity_acceleration(position, gravitational_parameter=EARTH_GRAVITATIONAL_PARAMETER, xp=np):
    """Point-mass gravity -mu r / |r|^3 (m/s^2) toward the frame's origin, the Earth's centre."""
    radius = xp.linalg.norm(position, axis=-1, keepdims=True)
    return -gravitational_parameter * position / radius**3


def midcourse_acceleration(missile_position, missile_velocity, aim_point, gain, xp=np,
                           gravitational_parameter=EARTH_GRAVITATIONAL_PARAMETER):
    """Command guidance toward an aim point (the predicted intercept point), in m/s^2.

    The law turns the velocity vector toward the line to the aim point at a rate
    proportional to the angle between them, and cancels the part of gravity across the
    velocity so that the path does not sag below that line:

        a = gain |V| (u_aim - (u_aim . u_V) u_V) - (g - (g . u_V) u_V)

    For small angles the heading error decays as exp(-gain t): 1/gain (s) is the heading time
    constant. The command is perpendicular to the velocity; the airframe's limits are applied
    by the flight model. Updating the aim point every step from the PIP makes this the usual
    "fly to the PIP, then hand over to the seeker" midcourse of command-guided SAMs.
    """
    velocity_unit = _unit(missile_velocity, xp)
    speed = xp.linalg.norm(missile_velocity, axis=-1)
    aim_unit = _unit(xp.asarray(aim_point, dtype=float) - missile_position, xp)
    steer = _perpendicular_to(aim_unit, velocity_unit, xp)
    gravity = gravity_acceleration(missile_position, gravitational_parameter, xp)
    compensation = -_perpendicular_to(gravity, velocity_unit, xp)
    return (xp.asarray(gain) * speed)[..., None] * steer + compensation
