"""Guidance laws: proportional navigation for homing, command guidance for midcourse.

Each law is a formula (`zenit.compiled.formula`) on one missile's scalars, compiled into the
engine's flight kernel and into the array functions below, which apply it to batches:
vectors (..., 3) whose leading axes are missiles in flight. Relative quantities are always
target minus missile. The laws and their names follow Zarchan, *Tactical and Strategic
Missile Guidance* (6th ed.), ch. 2 (PN), ch. 8 (augmented PN).

Where a quantity is undefined (zero range, an opening geometry, no intercept triangle), the
laws return zero commands or NaN rather than raise, so one degenerate missile never stops
the batch.
"""

from __future__ import annotations

import math

import numpy as np

from zenit.compiled import formula, kernel
from zenit.scalars import maximum, minimum

# Earth's gravitational parameter GM (m^3/s^2), WGS 84 (NIMA TR8350.2, 3rd ed., table 3.1).
EARTH_GRAVITATIONAL_PARAMETER = 3.986004418e14
# Command-guided SAMs loft: the midcourse aim is raised by LOFT_RATIO times the ground distance
# still to go beyond LOFT_FADE_M (about 17 degrees of climb), so the missile climbs into thin
# air and the climb flattens into a dive as it closes.
LOFT_RATIO = 0.3
LOFT_FADE_M = 15_000.0


@formula
def norm(x, y, z):
    """|(x, y, z)|."""
    return math.sqrt(x * x + y * y + z * z)


@formula
def unit(x, y, z, length):
    """(x, y, z) / length, zero where the length is: a zero vector stays zero, not NaN."""
    if length > 0.0:
        return x / length, y / length, z / length
    return 0.0, 0.0, 0.0


@formula
def gravity(x, y, z, radius, gravitational_parameter):
    """Point-mass gravity -mu r / |r|^3 (m/s^2) at r = (x, y, z), |r| = radius.

    |r|^3 as two products, not pow(): a third of the cost, and as faithful (NumPy's own
    `radius**3` and the C library's pow differ in the last bit anyway).
    """
    radius_cubed = radius * radius * radius
    return (-gravitational_parameter * x / radius_cubed,
            -gravitational_parameter * y / radius_cubed,
            -gravitational_parameter * z / radius_cubed)


@formula
def proportional_navigation(rx, ry, rz, wx, wy, wz, range_m, navigation_constant):
    """True PN: a = N Vc (omega x u_LOS) (m/s^2) for relative position r (|r| = range_m) and
    relative velocity w; omega = (r x w) / |r|^2 is the line-of-sight rate and
    Vc = -u_LOS . w the closing speed. Zero where the range is opening.

    omega x u_LOS = w_perp / R, so this equals N w_perp / t_go: it steers out the relative
    velocity across the line of sight, which is what drives the miss.
    """
    lx, ly, lz = unit(rx, ry, rz, range_m)
    closing = -(lx * wx + ly * wy + lz * wz)
    range_squared = rx * rx + ry * ry + rz * rz
    safe = range_squared if range_squared > 0.0 else 1.0
    ox = (ry * wz - rz * wy) / safe
    oy = (rz * wx - rx * wz) / safe
    oz = (rx * wy - ry * wx) / safe
    if not range_squared > 0.0:
        ox, oy, oz = 0.0, 0.0, 0.0
    gain = navigation_constant * closing
    if closing > 0.0:
        return gain * (oy * lz - oz * ly), gain * (oz * lx - ox * lz), gain * (ox * ly - oy * lx)
    return 0.0, 0.0, 0.0


@formula
def augmentation(rx, ry, rz, wx, wy, wz, range_m, ax, ay, az, navigation_constant):
    """Augmented PN's extra term (Zarchan ch. 8): N/2 times the target's acceleration a across
    the line of sight; it removes the N/(N-2) penalty against a steady manoeuvre. Zero where
    the range is opening, as PN is."""
    lx, ly, lz = unit(rx, ry, rz, range_m)
    if not -(lx * wx + ly * wy + lz * wz) > 0.0:
        return 0.0, 0.0, 0.0
    along = ax * lx + ay * ly + az * lz
    half = 0.5 * navigation_constant
    return half * (ax - along * lx), half * (ay - along * ly), half * (az - along * lz)


@formula
def midcourse(px, py, pz, ux, uy, uz, speed, gx, gy, gz, qx, qy, qz, gain):
    """Command guidance from p toward the aim point q (m/s^2), for a missile flying at `speed`
    along u with gravity g where it is:

        a = gain |V| (u_aim - (u_aim . u_V) u_V) - (g - (g . u_V) u_V)

    It turns the velocity toward the line to the aim point at a rate proportional to the
    angle between them (for small angles the heading error decays as exp(-gain t)), and
    cancels the part of gravity across the velocity so that the path does not sag.
    """
    fx, fy, fz = qx - px, qy - py, qz - pz
    bx, by, bz = unit(fx, fy, fz, norm(fx, fy, fz))
    along = bx * ux + by * uy + bz * uz
    sx, sy, sz = bx - along * ux, by - along * uy, bz - along * uz
    along = gx * ux + gy * uy + gz * uz
    scale = gain * speed
    return (scale * sx + -(gx - along * ux), scale * sy + -(gy - along * uy),
            scale * sz + -(gz - along * uz))


@formula
def loft(px, py, pz, qx, qy, qz, ratio, fade_m):
    """The midcourse aim point q raised, seen from a missile at p: by `ratio` times the ground
    distance still to go beyond `fade_m` (LOFT_RATIO, LOFT_FADE_M), along the local up at q."""
    length = norm(qx, qy, qz)
    upx, upy, upz = qx / length, qy / length, qz / length
    fx, fy, fz = qx - px, qy - py, qz - pz
    vertical = fx * upx + fy * upy + fz * upz
    horizontal = norm(fx - vertical * upx, fy - vertical * upy, fz - vertical * upz)
    raise_m = ratio * maximum(horizontal - fade_m, 0.0)
    return qx + upx * raise_m, qy + upy * raise_m, qz + upz * raise_m


@formula
def intercept_triangle(tx, ty, tz, wx, wy, wz, mx, my, mz, speed):
    """Where a straight-flying interceptor at m of mean speed `speed` meets a target at t with
    constant velocity w: (x, y, z, time), NaN where no intercept exists.

    Solves |d + w t| = s t for the earliest t > 0 (d = t - m), the quadratic
    (w.w - s^2) t^2 + 2 (d.w) t + d.d = 0, with its roots as 2c / (-b -/+ sqrt(disc)):
    stable also when the quadratic term vanishes.
    """
    ox, oy, oz = tx - mx, ty - my, tz - mz
    quadratic = (wx * wx + wy * wy + wz * wz) - speed * speed
    linear = 2.0 * (ox * wx + oy * wy + oz * wz)
    constant = ox * ox + oy * oy + oz * oz
    discriminant = linear * linear - 4.0 * quadratic * constant
    solvable = discriminant >= 0.0
    root = math.sqrt(discriminant if solvable else 0.0)
    time = np.inf
    for denominator in (-linear + root, -linear - root):
        usable = solvable and denominator != 0.0
        candidate = 2.0 * constant / (denominator if usable else 1.0)
        if usable and candidate >= 0.0:
            time = minimum(time, candidate)
    if not math.isfinite(time):
        time = np.nan
    return tx + wx * time, ty + wy * time, tz + wz * time, time


# -- the array functions: the formulas over batches ---------------------------------------------

def _vectors(shape, *arrays):
    return [np.ascontiguousarray(np.broadcast_to(np.asarray(a, dtype=float), shape + (3,))
                                 ).reshape(-1, 3) for a in arrays]


def _scalars(shape, *arrays):
    return [np.ascontiguousarray(np.broadcast_to(np.asarray(a, dtype=float), shape)).reshape(-1)
            for a in arrays]


def _batch_shape(vectors=(), scalars=()):
    return np.broadcast_shapes(*[np.shape(v)[:-1] for v in vectors],
                               *[np.shape(s) for s in scalars])


@kernel
def _pn_loop(position, velocity, navigation_constant, target_acceleration, augmented):
    out = np.empty(position.shape)
    for i in range(position.shape[0]):
        rx, ry, rz = position[i, 0], position[i, 1], position[i, 2]
        range_m = norm(rx, ry, rz)
        wx, wy, wz = velocity[i, 0], velocity[i, 1], velocity[i, 2]
        cx, cy, cz = proportional_navigation(rx, ry, rz, wx, wy, wz, range_m,
                                             navigation_constant[i])
        if augmented:
            ax, ay, az = augmentation(rx, ry, rz, wx, wy, wz, range_m, target_acceleration[i, 0],
                                      target_acceleration[i, 1], target_acceleration[i, 2],
                                      navigation_constant[i])
            cx, cy, cz = cx + ax, cy + ay, cz + az
        out[i, 0], out[i, 1], out[i, 2] = cx, cy, cz
    return out


def pn_acceleration(relative_position, relative_velocity, navigation_constant,
                    target_acceleration=None):
    """True PN (`proportional_navigation`) over a batch (m/s^2, (..., 3)); with a target
    acceleration (..., 3), augmented PN (`augmentation` added). Zero where the range is
    opening."""
    vectors = [relative_position, relative_velocity]
    if target_acceleration is not None:
        vectors.append(target_acceleration)
    shape = _batch_shape(vectors, [navigation_constant])
    position, velocity, acceleration = _vectors(
        shape, relative_position, relative_velocity,
        0.0 if target_acceleration is None else target_acceleration)
    (constant,) = _scalars(shape, navigation_constant)
    command = _pn_loop(position, velocity, constant, acceleration,
                       target_acceleration is not None)
    return command.reshape(shape + (3,))


@kernel
def _pip_loop(target, velocity, interceptor, speed):
    point = np.empty(target.shape)
    time = np.empty(target.shape[0])
    for i in range(target.shape[0]):
        point[i, 0], point[i, 1], point[i, 2], time[i] = intercept_triangle(
            target[i, 0], target[i, 1], target[i, 2], velocity[i, 0], velocity[i, 1],
            velocity[i, 2], interceptor[i, 0], interceptor[i, 1], interceptor[i, 2], speed[i])
    return point, time


def predicted_intercept_point(target_position, target_velocity, interceptor_position,
                              interceptor_mean_speed):
    """`intercept_triangle` over a batch: (point (..., 3) m, time (...) s), NaN where no
    intercept exists (target too fast and opening)."""
    shape = _batch_shape([target_position, target_velocity, interceptor_position],
                         [interceptor_mean_speed])
    target, velocity, interceptor = _vectors(shape, target_position, target_velocity,
                                             interceptor_position)
    (speed,) = _scalars(shape, interceptor_mean_speed)
    point, time = _pip_loop(target, velocity, interceptor, speed)
    return point.reshape(shape + (3,)), time.reshape(shape)


@kernel
def _gravity_loop(position, gravitational_parameter):
    out = np.empty(position.shape)
    for i in range(position.shape[0]):
        x, y, z = position[i, 0], position[i, 1], position[i, 2]
        out[i, 0], out[i, 1], out[i, 2] = gravity(x, y, z, norm(x, y, z),
                                                  gravitational_parameter)
    return out


def gravity_acceleration(position, gravitational_parameter=EARTH_GRAVITATIONAL_PARAMETER):
    """Point-mass gravity -mu r / |r|^3 (m/s^2) toward the frame's origin, the Earth's centre."""
    shape = _batch_shape([position])
    (flat,) = _vectors(shape, position)
    return _gravity_loop(flat, float(gravitational_parameter)).reshape(shape + (3,))


@kernel
def _midcourse_loop(position, velocity, aim_point, gain, gravitational_parameter):
    out = np.empty(position.shape)
    for i in range(position.shape[0]):
        px, py, pz = position[i, 0], position[i, 1], position[i, 2]
        vx, vy, vz = velocity[i, 0], velocity[i, 1], velocity[i, 2]
        speed = norm(vx, vy, vz)
        ux, uy, uz = unit(vx, vy, vz, speed)
        gx, gy, gz = gravity(px, py, pz, norm(px, py, pz), gravitational_parameter)
        out[i, 0], out[i, 1], out[i, 2] = midcourse(
            px, py, pz, ux, uy, uz, speed, gx, gy, gz, aim_point[i, 0], aim_point[i, 1],
            aim_point[i, 2], gain[i])
    return out


def midcourse_acceleration(missile_position, missile_velocity, aim_point, gain,
                           gravitational_parameter=EARTH_GRAVITATIONAL_PARAMETER):
    """Command guidance toward an aim point (the predicted intercept point), in m/s^2 (..., 3):
    `midcourse` over a batch. The command is perpendicular to the velocity; the airframe's
    limits are applied by the flight model. Updating the aim point every step from the PIP
    makes this the usual "fly to the PIP, then hand over to the seeker" midcourse of
    command-guided SAMs."""
    shape = _batch_shape([missile_position, missile_velocity, aim_point], [gain])
    position, velocity, aim = _vectors(shape, missile_position, missile_velocity, aim_point)
    (gains,) = _scalars(shape, gain)
    command = _midcourse_loop(position, velocity, aim, gains, float(gravitational_parameter))
    return command.reshape(shape + (3,))
