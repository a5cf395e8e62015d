"""The one Earth: a sphere, and the Earth-centred frame every kernel works in.

Zenit's kinematics frame is Earth-centred Cartesian, its axes turned so that the scenario
origin lies on +z: at the origin, x points east, y north and z up. Gravity points to (0, 0, 0)
and altitude is |r| - R. Near the origin (x, y) reads as a local map, which keeps numbers and
plots legible, while the physics is that of a round Earth everywhere.

"km east/north of the origin" in a scenario means the azimuthal equidistant projection about
the origin: the ground distance along the great circle, in the direction east/north gives.
Geodetic latitudes and longitudes go through pymap3d with a spherical "ellipsoid".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pymap3d

# IUGG mean Earth radius R1 (Moritz 1980, Geodetic Reference System 1980).
EARTH_RADIUS_M = 6_371_008.8
SPHERE = pymap3d.Ellipsoid(EARTH_RADIUS_M, EARTH_RADIUS_M, name="sphere", model="IUGG mean sphere")


@dataclass(frozen=True)
class Origin:
    """The scenario's geodetic origin (degrees), the tangent point of the frame."""

    latitude_deg: float
    longitude_deg: float


def local_to_cartesian(east_m, north_m, altitude_m):
    """(east, north) on the azimuthal equidistant map and altitude -> frame position (..., 3)."""
    east_m, north_m, altitude_m = (np.asarray(a, float) for a in (east_m, north_m, altitude_m))
    ground_m = np.hypot(east_m, north_m)
    angle = ground_m / EARTH_RADIUS_M
    azimuth = np.arctan2(east_m, north_m)
    radius = EARTH_RADIUS_M + altitude_m
    sin_angle = np.sin(angle)
    return np.stack([radius * sin_angle * np.sin(azimuth),
                     radius * sin_angle * np.cos(azimuth),
                     radius * np.cos(angle)], axis=-1)


def cartesian_to_local(position):
    """Frame position (..., 3) -> (east_m, north_m, altitude_m) on the equidistant map."""
    position = np.asarray(position, dtype=float)
    x, y, z = position[..., 0], position[..., 1], position[..., 2]
    horizontal = np.hypot(x, y)
    ground_m = EARTH_RADIUS_M * np.arctan2(horizontal, z)
    azimuth = np.arctan2(x, y)
    altitude_m = np.sqrt(horizontal**2 + z**2) - EARTH_RADIUS_M
    return ground_m * np.sin(azimuth), ground_m * np.cos(azimuth), altitude_m


def altitude(position):
    """Height above the sphere of frame positions (..., 3)."""
    return np.linalg.norm(np.asarray(position, dtype=float), axis=-1) - EARTH_RADIUS_M


def up(position):
    """Unit vectors away from the Earth's centre at frame positions (..., 3)."""
    position = np.asarray(position, dtype=float)
    return position / np.linalg.norm(position, axis=-1, keepdims=True)


def geodetic_to_cartesian(latitude_deg, longitude_deg, altitude_m, origin: Origin):
    """Geodetic (on the sphere) -> frame position (..., 3)."""
    east, north, up_m = pymap3d.geodetic2enu(latitude_deg, longitude_deg, altitude_m,
                                             origin.latitude_deg, origin.longitude_deg, 0.0,
                                             ell=SPHERE)
    return np.stack([np.asarray(east, float), np.asarray(north, float),
                     np.asarray(up_m, float) + EARTH_RADIUS_M], axis=-1)


def cartesian_to_geodetic(position, origin: Origin):
    """Frame position (..., 3) -> (latitude_deg, longitude_deg, altitude_m) on the sphere."""
    position = np.asarray(position, dtype=float)
    lat, lon, alt = pymap3d.enu2geodetic(position[..., 0], position[..., 1],
                                         position[..., 2] - EARTH_RADIUS_M,
                                         origin.latitude_deg, origin.longitude_deg, 0.0,
                                         ell=SPHERE)
    return np.asarray(lat, float), np.asarray(lon, float), np.asarray(alt, float)


def geodetic_to_local(latitude_deg, longitude_deg, altitude_m, origin: Origin):
    """Geodetic -> (east_m, north_m, altitude_m) on the origin's equidistant map."""
    return cartesian_to_local(geodetic_to_cartesian(latitude_deg, longitude_deg, altitude_m,
                                                    origin))


def local_to_geodetic(east_m, north_m, altitude_m, origin: Origin):
    return cartesian_to_geodetic(local_to_cartesian(east_m, north_m, altitude_m), origin)
