"""Guidance laws: proportional navigation for homing, command guidance for midcourse.

Formulas on one missile's scalars (relative quantities: target minus missile), and their array
forms over batches (..., 3). Zarchan, *Tactical and Strategic Missile Guidance* (6th ed.),
ch. 2 (PN). Undefined cases (zero range, opening, no intercept triangle) give zero or NaN.
"""

from __future__ import annotations

import math

from zenit.compiled import array_function, formula
from zenit.scalars import maximum, minimum

# Earth's gravitational parameter GM (m^3/s^2), WGS 84 (NIMA TR8350.2, 3rd ed., table 3.1).
EARTH_GRAVITATIONAL_PARAMETER = 3.986004418e14
# Loft: the midcourse aim rises by LOFT_RATIO times the ground distance to go beyond LOFT_FADE_M.
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
    """Point-mass gravity -mu r / |r|^3 (m/s^2) at r = (x, y, z), |r| = radius (|r|^3 as two
    products, not pow())."""
    radius_cubed = radius * radius * radius
    return (-gravitational_parameter * x / radius_cubed,
            -gravitational_parameter * y / radius_cubed,
            -gravitational_parameter * z / radius_cubed)


@formula
def proportional_navigation(rx, ry, rz, wx, wy, wz, range_m, navigation_constant):
    """True PN (Zarchan ch. 2): a = N Vc (omega x u_LOS) for relative position r (|r| =
    range_m), velocity w; omega = (r x w) / |r|^2, Vc = -u_LOS . w. Zero where opening."""
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
def midcourse(px, py, pz, ux, uy, uz, speed, gx, gy, gz, qx, qy, qz, gain):
    """Command guidance from p toward aim point q at `speed` along u, gravity g (m/s^2):
    a = gain |V| (u_aim - (u_aim . u_V) u_V) - (g - (g . u_V) u_V)."""
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
    """Where an interceptor at m of mean speed `speed` meets a target at t, velocity w: (x, y,
    z, time), NaN if never. Earliest t > 0 of |d + w t| = s t, roots 2c / (-b -/+ sqrt(disc))."""
    ox, oy, oz = tx - mx, ty - my, tz - mz
    quadratic = (wx * wx + wy * wy + wz * wz) - speed * speed
    linear = 2.0 * (ox * wx + oy * wy + oz * wz)
    constant = ox * ox + oy * oy + oz * oz
    discriminant = linear * linear - 4.0 * quadratic * constant
    solvable = discriminant >= 0.0
    root = math.sqrt(discriminant if solvable else 0.0)
    time = math.inf
    for denominator in (-linear + root, -linear - root):
        usable = solvable and denominator != 0.0
        candidate = 2.0 * constant / (denominator if usable else 1.0)
        if usable and candidate >= 0.0:
            time = minimum(time, candidate)
    if not math.isfinite(time):
        time = math.nan
    return tx + wx * time, ty + wy * time, tz + wz * time, time


@formula
def kinematics(px, py, pz, vx, vy, vz, gravitational_parameter):
    """What guidance and the flight model need of a missile at p with velocity v:
    (speed, direction ux, uy, uz, distance from the Earth's centre, gravity gx, gy, gz)."""
    speed = norm(vx, vy, vz)
    ux, uy, uz = unit(vx, vy, vz, speed)
    radius = norm(px, py, pz)
    gx, gy, gz = gravity(px, py, pz, radius, gravitational_parameter)
    return speed, ux, uy, uz, radius, gx, gy, gz


# -- the array functions: the formulas over batches (..., 3) -----------------------------------

@array_function("(n),(n),()->(n)")
def pn_acceleration(relative_position, relative_velocity, navigation_constant, out):
    """True PN (`proportional_navigation`) over a batch (m/s^2); zero where the range opens."""
    r, w = relative_position, relative_velocity
    out[0], out[1], out[2] = proportional_navigation(r[0], r[1], r[2], w[0], w[1], w[2],
                                                     norm(r[0], r[1], r[2]), navigation_constant)


@array_function("(n),(n),(n),()->(n),()")
def predicted_intercept_point(target_position, target_velocity, interceptor_position,
                              interceptor_mean_speed, point, time):
    """`intercept_triangle` over a batch: (point (..., 3) m, time (...) s), NaN where no
    intercept exists (target too fast and opening)."""
    t, w, m = target_position, target_velocity, interceptor_position
    point[0], point[1], point[2], time[0] = intercept_triangle(
        t[0], t[1], t[2], w[0], w[1], w[2], m[0], m[1], m[2], interceptor_mean_speed)


@array_function("(n),(n),(n),(),()->(n)")
def _midcourse(p, v, q, gain, gravitational_parameter, out):
    speed, ux, uy, uz, _, gx, gy, gz = kinematics(p[0], p[1], p[2], v[0], v[1], v[2],
                                                  gravitational_parameter)
    out[0], out[1], out[2] = midcourse(p[0], p[1], p[2], ux, uy, uz, speed, gx, gy, gz, q[0],
                                       q[1], q[2], gain)


def midcourse_acceleration(missile_position, missile_velocity, aim_point, gain,
                           gravitational_parameter=EARTH_GRAVITATIONAL_PARAMETER):
    """`midcourse` toward an aim point (the PIP) over a batch (m/s^2); across the velocity,
    the airframe's limits are the flight model's."""
    return _midcourse(missile_position, missile_velocity, aim_point, gain,
                      gravitational_parameter)
