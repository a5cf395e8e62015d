"""The engine frame: round trips and distances on the sphere."""

import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from zenit.geo.frames import (EARTH_RADIUS_M, Origin, altitude, cartesian_to_local,
                              geodetic_to_cartesian, geodetic_to_local, local_to_cartesian,
                              local_to_geodetic)

ORIGIN = Origin(47.1, 31.2)


@given(st.floats(-2e6, 2e6), st.floats(-2e6, 2e6), st.floats(-100, 1e5))
def test_local_round_trip(east, north, height):
    back = cartesian_to_local(local_to_cartesian(east, north, height))
    np.testing.assert_allclose(back, (east, north, height), atol=1e-5)


def test_origin_is_on_plus_z():
    np.testing.assert_allclose(local_to_cartesian(0, 0, 0), (0, 0, EARTH_RADIUS_M), atol=1e-9)
    np.testing.assert_allclose(geodetic_to_cartesian(47.1, 31.2, 0.0, ORIGIN),
                               (0, 0, EARTH_RADIUS_M), atol=1e-6)


def test_map_distance_is_great_circle_distance():
    # Azimuthal equidistant: ground distance from the origin is preserved exactly.
    # One degree of latitude on a sphere of radius R is R * pi / 180.
    east, north, _ = geodetic_to_local(48.1, 31.2, 0.0, ORIGIN)
    assert math.hypot(east, north) == pytest.approx(EARTH_RADIUS_M * math.pi / 180, abs=1e-3)
    assert abs(east) < 1e-6


def test_geodetic_round_trip_and_altitude():
    lat, lon, alt = local_to_geodetic(120e3, -80e3, 9000.0, ORIGIN)
    east, north, height = geodetic_to_local(lat, lon, alt, ORIGIN)
    np.testing.assert_allclose((east, north, height), (120e3, -80e3, 9000.0), atol=1e-4)
    assert altitude(local_to_cartesian(120e3, -80e3, 9000.0)) == pytest.approx(9000.0, abs=1e-6)
