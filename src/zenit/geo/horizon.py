"""The radar horizon of a smooth Earth under standard refraction.

Radio waves bend down through the standard atmosphere; the classic way to keep rays straight is
to enlarge the Earth: on a sphere of radius k*R (k = 4/3 for the standard atmosphere) a ray
drawn straight has the same height over the ground as the bent ray has over the true Earth
(Skolnik, Introduction to Radar Systems, 3rd ed., sec. 8.2). Zenit maps two frame positions
into that model by keeping their heights and their ground distance: the ground angle between
them shrinks by 1/k on the larger sphere.

Each quantity is a scalar `formula`; the public functions are their `elementwise` forms over
frame positions (..., 3) in metres (see `zenit.geo.frames`), leading axes broadcast. Angles
are radians. A `Site` is where a radar looks from, as the look loops take it.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from zenit.compiled import components, elementwise, formula
from zenit.geo.frames import EARTH_RADIUS_M

STANDARD_REFRACTION = 4.0 / 3.0
TWO_PI = 2.0 * math.pi
# Below this 1 - cos(angle), `squared_angle` sums its series instead of calling acos.
SERIES_LIMIT = 0.005


# -- formulas ---------------------------------------------------------------------------------

@formula
def norm3(x, y, z):
    """Length of the vector (x, y, z): a slant range from the offset between two points."""
    return math.sqrt(x * x + y * y + z * z)


@formula
def horizon_tangent_m(height_m, effective_radius_m):
    """Length of the tangent from a point `height_m` up to the effective Earth (a point below
    the surface is taken as on it)."""
    lifted = max(height_m, 0.0)
    return math.sqrt(lifted * (2.0 * effective_radius_m + lifted))


@formula
def horizon_angle_at(height_m, effective_radius_m):
    """Angle at the effective Earth's centre from a point `height_m` up to its horizon."""
    return math.atan2(horizon_tangent_m(height_m, effective_radius_m), effective_radius_m)


@formula
def squared_angle(cosine):
    """acos(cosine)^2, by its series in s = 1 - cosine near the axis (to rounding: the terms
    left out are below 1e-17 of the sum there), by acos elsewhere."""
    s = 1.0 - min(cosine, 1.0)
    if s < SERIES_LIMIT:
        # acos(1 - s)^2 = 4 asin(sqrt(s / 2))^2 = sum over n >= 1 of 4 (2 s)^n / (2 n^2 C(2n, n))
        return s * (2.0 + s * (1.0 / 3.0 + s * (4.0 / 45.0 + s * (1.0 / 35.0 + s * (
            16.0 / 1575.0 + s * (8.0 / 2079.0))))))
    angle = math.acos(max(cosine, -1.0))
    return angle * angle


@formula
def arc_cosine(cosine):
    """acos(cosine): near the axis, where looks at targets on the Earth fall, the square root
    of `squared_angle`'s series, a few multiplications instead of acos."""
    if 1.0 - min(cosine, 1.0) < SERIES_LIMIT:
        return math.sqrt(squared_angle(cosine))
    return math.acos(min(max(cosine, -1.0), 1.0))


@formula
def effective_ground_angle(up, x, y, z, radius_m, refraction):
    """Ground angle on the effective Earth between the point (x, y, z), `radius_m` from the
    centre, and the site whose unit up vector is `up` (3,)."""
    return arc_cosine((x * up[0] + y * up[1] + z * up[2]) / radius_m) / refraction


@formula
def above_horizon(angle, site_horizon_angle, height_m, effective_radius_m):
    """Whether a point `height_m` up at effective ground angle `angle` from a site is in its
    view: the angle is at most the sum of both points' angles to their own horizons."""
    # The point's horizon angle is atan(x), between x - x^3 / 3 and x: decide on the bounds
    # when they suffice, on the arctangent only in between.
    x = horizon_tangent_m(height_m, effective_radius_m) / effective_radius_m
    if angle > site_horizon_angle + x:
        return False
    if angle <= site_horizon_angle + x - x * x * x / 3.0:
        return True
    return angle <= site_horizon_angle + horizon_angle_at(height_m, effective_radius_m)


@formula
def distance_to_view(angle, radius_m, highest_m, site_horizon_angle, effective_radius_m,
                     refraction):
    """Distance from a point `radius_m` from the centre at effective ground angle `angle`,
    below a site's horizon, to the cone in which one no higher than `highest_m` could be in
    view (nan `highest_m` bounds nothing)."""
    if math.isnan(highest_m):
        return 0.0
    widest = site_horizon_angle + horizon_tangent_m(highest_m, effective_radius_m) / (
        effective_radius_m)
    outside = refraction * (angle - widest)
    if not outside > 0.0:
        return 0.0
    if outside >= 0.5 * math.pi:
        return radius_m
    return radius_m * math.sin(outside)


@formula
def elevation_from_ground_angle(angle, height_m, site_height_m, effective_radius_m):
    """Apparent elevation of a point `height_m` up at effective ground angle `angle` from a
    site `site_height_m` up: in the site's vertical plane the point is r sin(angle) across and
    r cos(angle) - r_site up, the second written so that no large numbers cancel."""
    lifted = effective_radius_m + height_m
    # sin(angle) = 2 sin(angle / 2) cos(angle / 2): one sine for both terms.
    half_sine = math.sin(0.5 * angle)
    across = lifted * (2.0 * half_sine * math.sqrt(1.0 - half_sine * half_sine))
    upward = (height_m - site_height_m) - 2.0 * lifted * half_sine ** 2
    return math.atan2(upward, across)


@formula
def local_horizontal(x, y, z, east, north):
    """The offset (x, y, z)'s components along a site's east (3,) and north (3,)."""
    return (x * east[0] + y * east[1] + z * east[2]), (x * north[0] + y * north[1] + z * north[2])


@formula
def bearing(x, y, z, east_x, east_y, east_z, north_x, north_y, north_z):
    """Bearing (rad, [0, 2 pi)) of the offset (x, y, z), clockwise from a site's north."""
    along_east, along_north = local_horizontal(x, y, z, (east_x, east_y, east_z),
                                               (north_x, north_y, north_z))
    return math.atan2(along_east, along_north) % TWO_PI


@formula
def slant_between(ax, ay, az, bx, by, bz):
    """Straight-line distance between two frame positions."""
    return norm3(bx - ax, by - ay, bz - az)


@formula
def central_angle(ax, ay, az, bx, by, bz):
    """Angle at the Earth's centre between two frame positions, accurate when small."""
    cx, cy, cz = ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx
    return math.atan2(norm3(cx, cy, cz), ax * bx + ay * by + az * bz)


@formula
def sees_over_sphere(ax, ay, az, bx, by, bz, earth_radius_m, refraction):
    """Whether two frame positions see each other over the smooth effective Earth: the angle
    between them at the centre is at most the sum of their angles to their own horizons
    (False when either is below the surface, where there is no horizon)."""
    observer_height = norm3(ax, ay, az) - earth_radius_m
    target_height = norm3(bx, by, bz) - earth_radius_m
    if observer_height < 0.0 or target_height < 0.0:
        return False
    effective = refraction * earth_radius_m
    reach = (horizon_angle_at(observer_height, effective)
             + horizon_angle_at(target_height, effective))
    return central_angle(ax, ay, az, bx, by, bz) / refraction <= reach


@formula
def elevation_between(ax, ay, az, bx, by, bz, earth_radius_m, refraction):
    """Apparent elevation of frame position b from frame position a (effective-Earth model)."""
    angle = central_angle(ax, ay, az, bx, by, bz) / refraction
    return elevation_from_ground_angle(angle, norm3(bx, by, bz) - earth_radius_m,
                                       norm3(ax, ay, az) - earth_radius_m,
                                       refraction * earth_radius_m)


@formula
def horizon_range_m(h1_m, h2_m, effective_radius_m):
    """Longest distance at which heights h1 and h2 see each other: the sum of the tangents."""
    return (math.sqrt(2.0 * effective_radius_m * max(h1_m, 0.0))
            + math.sqrt(2.0 * effective_radius_m * max(h2_m, 0.0)))


# -- the array API: the formulas' elementwise forms -------------------------------------------

_slants, _central_angles = elementwise(slant_between), elementwise(central_angle)
_sights, _elevations = elementwise(sees_over_sphere), elementwise(elevation_between)
_ranges, _angles, _bearings = (elementwise(horizon_range_m), elementwise(horizon_angle_at),
                               elementwise(bearing))


def effective_earth_radius(k=STANDARD_REFRACTION):
    """Radius (m) of the effective Earth that straightens rays for refraction factor k."""
    return k * EARTH_RADIUS_M


def slant_range(a, b):
    """Straight-line distance (m) between frame positions (..., 3)."""
    return _slants(*components(a, b))


def ground_angle(a, b):
    """Angle (rad) at the Earth's centre between frame positions (..., 3), accurate when small."""
    return _central_angles(*components(a, b))


def above_smooth_horizon(observer_pos, target_pos, k=STANDARD_REFRACTION):
    """True where the straight ray of the effective-Earth model clears the smooth sphere."""
    return _sights(*components(observer_pos, target_pos), EARTH_RADIUS_M, k)


def elevation_angle(observer_pos, target_pos, k=STANDARD_REFRACTION):
    """Apparent elevation (rad) of the target above the observer's horizontal plane: in the
    effective-Earth model, the angle at which a radar points its beam under refraction."""
    return _elevations(*components(observer_pos, target_pos), EARTH_RADIUS_M, k)


def horizon_range(h1_m, h2_m, k=STANDARD_REFRACTION):
    """Longest distance (m) at which heights h1 and h2 (m) see each other over a smooth Earth:
    sqrt(2 k R h1) + sqrt(2 k R h2), with k = 4/3 the rule of thumb 4.12 (sqrt h1 + sqrt h2) km."""
    return _ranges(h1_m, h2_m, effective_earth_radius(k))


def horizon_angle(height_m, k=STANDARD_REFRACTION):
    """Angle (rad) at the effective Earth's centre from a point at height_m to its horizon;
    NaN below the surface, where there is no horizon."""
    height_m = np.asarray(height_m, dtype=float)
    return np.where(height_m >= 0.0, _angles(height_m, effective_earth_radius(k)), np.nan)[()]


def map_north(position):
    """Unit vectors (..., 3) of the local map north: the direction of increasing north_m.

    On the origin's azimuthal equidistant map a point at ground angle psi and azimuth alpha from
    the origin moves, per metre of north_m, along
    (sin a cos a (cos psi - sinc psi), cos^2 a cos psi + sin^2 a sinc psi, -cos a sin psi),
    a tangent vector that is +y at the origin and stays finite there.
    """
    position = np.asarray(position, dtype=float)
    x, y, z = position[..., 0], position[..., 1], position[..., 2]
    horizontal = np.hypot(x, y)
    psi = np.arctan2(horizontal, z)
    safe = np.where(horizontal > 0.0, horizontal, 1.0)
    sin_azimuth = np.where(horizontal > 0.0, x / safe, 0.0)
    cos_azimuth = np.where(horizontal > 0.0, y / safe, 1.0)
    sinc_psi = np.sinc(psi / np.pi)
    cos_psi = np.cos(psi)
    north = np.stack([sin_azimuth * cos_azimuth * (cos_psi - sinc_psi),
                      cos_azimuth**2 * cos_psi + sin_azimuth**2 * sinc_psi,
                      -cos_azimuth * np.sin(psi)], axis=-1)
    return north / np.linalg.norm(north, axis=-1, keepdims=True)


def local_frame(position):
    """Unit east, north and up vectors (..., 3) at frame positions (..., 3): north is the map's
    (`map_north`) made horizontal, east completes the right-handed frame (east = north x up)."""
    position = np.asarray(position, dtype=float)
    upward = position / np.linalg.norm(position, axis=-1, keepdims=True)
    north = map_north(position)
    north = north - np.sum(north * upward, axis=-1, keepdims=True) * upward
    north = north / np.linalg.norm(north, axis=-1, keepdims=True)
    return np.cross(north, upward), north, upward


def azimuth(observer_pos, target_pos):
    """Bearing (rad, [0, 2 pi)) of the target along the straight ray, clockwise from the
    observer's map north (`local_frame`; true north at the origin and along its meridian)."""
    observer = np.asarray(observer_pos, dtype=float)
    east, north, _ = local_frame(observer)
    return _bearings(*components(np.asarray(target_pos, dtype=float) - observer, east, north))


class Site(NamedTuple):
    """Where a radar looks from: its antenna's frame position, local east, north and up (3,)
    each, and the effective Earth it looks over (the typed state of the look loops)."""

    position: np.ndarray
    east: np.ndarray
    north: np.ndarray
    up: np.ndarray
    height_m: float  # antenna above the sphere
    ground_m: float  # ground under the antenna
    horizon_angle: float  # its own angle to the effective-Earth horizon
    earth_radius_m: float
    refraction: float
    effective_radius_m: float

    @classmethod
    def of(cls, position, ground_m: float) -> "Site":
        position = np.asarray(position, dtype=float)
        up = position / np.linalg.norm(position)
        north = map_north(position)
        north = north - np.dot(north, up) * up
        north /= np.linalg.norm(north)
        height = float(np.linalg.norm(position) - EARTH_RADIUS_M)
        return cls(position, np.cross(north, up), north, up, height, float(ground_m),
                   horizon_angle_at(height, effective_earth_radius()), EARTH_RADIUS_M,
                   STANDARD_REFRACTION, effective_earth_radius())
