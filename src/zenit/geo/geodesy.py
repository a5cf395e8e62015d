"""Great-circle distance, bearing and destination on Zenit's spherical Earth.

Scenario authors give places in degrees; the engine wants metres. These go through pymap3d's
Vincenty routines on the IUGG mean sphere (`frames.SPHERE`), so the geodesy is the library's,
not hand-written (on a sphere Vincenty's iteration reduces to the great circle). Latitudes,
longitudes and bearings are degrees, bearings clockwise from true north; distances are metres.
Arguments broadcast like numpy arrays.
"""

from __future__ import annotations

import numpy as np
from pymap3d import vincenty

from zenit.geo.frames import SPHERE


def _broadcast(*values):
    return np.broadcast_arrays(*(np.asarray(value, dtype=float) for value in values))


def distance(latitude1_deg, longitude1_deg, latitude2_deg, longitude2_deg):
    """Great-circle distance (m) between two places."""
    arrays = _broadcast(latitude1_deg, longitude1_deg, latitude2_deg, longitude2_deg)
    distance_m, _ = vincenty.vdist(*(array.ravel() for array in arrays), ell=SPHERE)
    return np.asarray(distance_m, dtype=float).reshape(arrays[0].shape)


def initial_bearing(latitude1_deg, longitude1_deg, latitude2_deg, longitude2_deg):
    """Bearing (deg, [0, 360)) at the first place of the great circle toward the second."""
    arrays = _broadcast(latitude1_deg, longitude1_deg, latitude2_deg, longitude2_deg)
    _, bearing_deg = vincenty.vdist(*(array.ravel() for array in arrays), ell=SPHERE)
    return np.mod(np.asarray(bearing_deg, dtype=float), 360.0).reshape(arrays[0].shape)


def destination(latitude_deg, longitude_deg, bearing_deg, distance_m):
    """The place (latitude_deg, longitude_deg) reached along a great circle.

    Longitudes come back in [-180, 180).
    """
    arrays = _broadcast(latitude_deg, longitude_deg, distance_m, bearing_deg)
    latitude2, longitude2 = vincenty.vreckon(*(array.ravel() for array in arrays), ell=SPHERE)
    shape = arrays[0].shape
    longitude2 = np.mod(np.asarray(longitude2, dtype=float) + 180.0, 360.0) - 180.0
    return np.asarray(latitude2, dtype=float).reshape(shape), longitude2.reshape(shape)
