"""The radar horizon of a smooth Earth under standard refraction.

Radio waves bend down through the standard atmosphere; the classic way to keep rays straight is
to enlarge the Earth: on a sphere of radius k*R (k = 4/3 for the standard atmosphere) a ray
drawn straight has the same height over the ground as the bent ray has over the true Earth
(Skolnik, Introduction to Radar Systems, 3rd ed., sec. 8.2). Zenit maps two frame positions
into that model by keeping their heights and their ground distance: the ground angle between
them shrinks by 1/k on the larger sphere.

Positions are frame positions (..., 3) in metres (see `zenit.geo.frames`); leading axes
broadcast. Angles are radians.
"""

from __future__ import annotations

import numpy as np

from zenit.geo.frames import EARTH_RADIUS_M

STANDARD_REFRACTION = 4.0 / 3.0


def effective_earth_radius(k=STANDARD_REFRACTION):
    """Radius (m) of the effective Earth that straightens rays for refraction factor k."""
    return k * EARTH_RADIUS_M


def horizon_range(h1_m, h2_m, k=STANDARD_REFRACTION, xp=np):
    """Longest distance (m) at which heights h1 and h2 (m) see each other over a smooth Earth.

    The textbook sum of tangent lengths sqrt(2 k R h); with k = 4/3 this is the rule of thumb
    d = 4.12 (sqrt h1 + sqrt h2) km with h in metres.
    """
    radius_m = effective_earth_radius(k)
    h1_m, h2_m = xp.asarray(h1_m, dtype=float), xp.asarray(h2_m, dtype=float)
    return xp.sqrt(2.0 * radius_m * xp.maximum(h1_m, 0.0)) + xp.sqrt(
        2.0 * radius_m * xp.maximum(h2_m, 0.0)
    )


def slant_range(a, b, xp=np):
    """Straight-line distance (m) between frame positions (..., 3)."""
    return xp.linalg.norm(xp.asarray(b, dtype=float) - xp.asarray(a, dtype=float), axis=-1)


def ground_angle(a, b, xp=np):
    """Angle (rad) at the Earth's centre between frame positions (..., 3), accurate when small."""
    a, b = xp.asarray(a, dtype=float), xp.asarray(b, dtype=float)
    return xp.arctan2(xp.linalg.norm(xp.cross(a, b), axis=-1), xp.sum(a * b, axis=-1))


def _heights_and_effective_angle(observer_pos, target_pos, k, xp):
    observer_pos, target_pos = (
        xp.asarray(observer_pos, dtype=float),
        xp.asarray(target_pos, dtype=float),
    )
    observer_height_m = xp.linalg.norm(observer_pos, axis=-1) - EARTH_RADIUS_M
    target_height_m = xp.linalg.norm(target_pos, axis=-1) - EARTH_RADIUS_M
    return observer_height_m, target_height_m, ground_angle(observer_pos, target_pos, xp) / k


def horizon_angle(height_m, k=STANDARD_REFRACTION, xp=np):
    """Angle (rad) at the effective Earth's centre from a point at height_m to its horizon.

    NaN below the surface, where there is no horizon.
    """
    radius_m = effective_earth_radius(k)
    height_m = xp.asarray(height_m, dtype=float)
    tangent_m = xp.sqrt(xp.where(height_m >= 0.0, height_m * (2.0 * radius_m + height_m), xp.nan))
    return xp.arctan2(tangent_m, radius_m)


def above_smooth_horizon(observer_pos, target_pos, k=STANDARD_REFRACTION, xp=np):
    """True where the straight ray of the effective-Earth model clears the smooth sphere.

    Two points above a sphere see each other exactly when the angle between them at the centre
    is no more than the sum of their angles to their own horizons. A point below the surface
    sees nothing.
    """
    observer_height_m, target_height_m, angle = _heights_and_effective_angle(
        observer_pos, target_pos, k, xp
    )
    reach = horizon_angle(observer_height_m, k, xp) + horizon_angle(target_height_m, k, xp)
    return angle <= reach  # NaN (below ground) compares False


def elevation_angle(observer_pos, target_pos, k=STANDARD_REFRACTION, xp=np):
    """Apparent elevation (rad) of the target above the observer's horizontal plane.

    Measured in the effective-Earth model, where the ray is straight: this is the angle at
    which a radar under standard refraction points its beam, slightly above the geometric one.
    """
    observer_height_m, target_height_m, angle = _heights_and_effective_angle(
        observer_pos, target_pos, k, xp
    )
    radius_m = effective_earth_radius(k)
    target_radius_m = radius_m + target_height_m
    # Target in the observer's vertical plane: r2 sin(angle) across, r2 cos(angle) - r1 up,
    # with the second written so that no large numbers cancel.
    across_m = target_radius_m * xp.sin(angle)
    upward_m = (target_height_m - observer_height_m) - 2.0 * target_radius_m * xp.sin(
        angle / 2.0
    ) ** 2
    return xp.arctan2(upward_m, across_m)


def map_north(position, xp=np):
    """Unit vectors (..., 3) of the local map north: the direction of increasing north_m.

    On the origin's azimuthal equidistant map a point at ground angle psi and azimuth alpha from
    the origin moves, per metre of north_m, along
    (sin a cos a (cos psi - sinc psi), cos^2 a cos psi + sin^2 a sinc psi, -cos a sin psi),
    a tangent vector that is +y at the origin and stays finite there.
    """
    position = xp.asarray(position, dtype=float)
    x, y, z = position[..., 0], position[..., 1], position[..., 2]
    horizontal = xp.hypot(x, y)
    psi = xp.arctan2(horizontal, z)
    safe = xp.where(horizontal > 0.0, horizontal, 1.0)
    sin_azimuth = xp.where(horizontal > 0.0, x / safe, 0.0)
    cos_azimuth = xp.where(horizontal > 0.0, y / safe, 1.0)
    sinc_psi = xp.sinc(psi / np.pi)
    cos_psi = xp.cos(psi)
    north = xp.stack(
        [
            sin_azimuth * cos_azimuth * (cos_psi - sinc_psi),
            cos_azimuth**2 * cos_psi + sin_azimuth**2 * sinc_psi,
            -cos_azimuth * xp.sin(psi),
        ],
        axis=-1,
    )
    return north / xp.linalg.norm(north, axis=-1, keepdims=True)


def azimuth(observer_pos, target_pos, xp=np):
    """Bearing (rad, [0, 2 pi)) of the target, clockwise from the observer's local map north.

    The frame knows no rotation axis, so north here is the map's: the direction in which the
    observer's north_m on the origin's equidistant map increases (true north at the origin and
    along the origin's meridian, within the map's distortion elsewhere). East completes the
    right-handed local frame (east = north x up); the target is taken along the straight ray.
    """
    observer_pos, target_pos = (
        xp.asarray(observer_pos, dtype=float),
        xp.asarray(target_pos, dtype=float),
    )
    upward = observer_pos / xp.linalg.norm(observer_pos, axis=-1, keepdims=True)
    north = map_north(observer_pos, xp)
    north = north - xp.sum(north * upward, axis=-1, keepdims=True) * upward
    north = north / xp.linalg.norm(north, axis=-1, keepdims=True)
    east = xp.cross(north, upward)
    line_of_sight = target_pos - observer_pos
    bearing = xp.arctan2(
        xp.sum(line_of_sight * east, axis=-1), xp.sum(line_of_sight * north, axis=-1)
    )
    return xp.mod(bearing, 2.0 * np.pi)
