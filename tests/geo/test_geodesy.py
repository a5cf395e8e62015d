"""Great-circle geodesy on the IUGG mean sphere (R = 6,371,008.8 m).

References: the haversine distance and the initial-bearing formula (Sinnott, "Virtues of the
Haversine", Sky & Telescope 68(2), 1984; Williams, Aviation Formulary), recomputed inline.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zenit.geo.frames import EARTH_RADIUS_M
from zenit.geo.geodesy import destination, distance, initial_bearing

LONDON = (51.5074, -0.1278)
PARIS = (48.8566, 2.3522)


def haversine_m(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


def bearing_deg(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    y = np.sin(lon2 - lon1) * np.cos(lat2)
    x = np.cos(lat1) * np.sin(lat2) - np.sin(lat1) * np.cos(lat2) * np.cos(lon2 - lon1)
    return np.degrees(np.arctan2(y, x)) % 360


def test_quarter_meridian_is_pi_r_over_two():
    assert distance(0.0, 0.0, 90.0, 0.0) == pytest.approx(np.pi * EARTH_RADIUS_M / 2, abs=0.01)


def test_half_equator_is_pi_r():
    assert distance(0.0, 0.0, 0.0, 180.0) == pytest.approx(np.pi * EARTH_RADIUS_M, abs=0.01)


def test_london_paris_matches_haversine():
    assert distance(*LONDON, *PARIS) == pytest.approx(haversine_m(*LONDON, *PARIS), abs=0.01)
    assert distance(*LONDON, *PARIS) == pytest.approx(343.56e3, abs=0.01e3)
    assert initial_bearing(*LONDON, *PARIS) == pytest.approx(bearing_deg(*LONDON, *PARIS), abs=1e-6)


def test_one_degree_east_on_the_equator():
    latitude, longitude = destination(0.0, 10.0, 90.0, np.pi * EARTH_RADIUS_M / 180)
    assert latitude == pytest.approx(0.0, abs=1e-9)
    assert longitude == pytest.approx(11.0, abs=1e-9)


def test_vectorised_and_broadcast():
    distances = distance(np.zeros(3), 0.0, np.array([0.0, 1.0, 2.0]), 0.0)
    np.testing.assert_allclose(distances, np.arange(3) * np.pi * EARTH_RADIUS_M / 180, atol=0.01)
    assert distance(0.0, np.zeros((2, 1)), 1.0, np.zeros(4)).shape == (2, 4)


places = st.tuples(st.floats(-80, 80), st.floats(-180, 180))


@settings(max_examples=100, deadline=None)
@given(places, places)
def test_distance_and_bearing_match_the_formulas(first, second):
    if haversine_m(*first, *second) < 1.0 or haversine_m(*first, *second) > 19_000e3:
        return  # bearing undefined at a point; near-antipodes are ill-conditioned
    assert distance(*first, *second) == pytest.approx(haversine_m(*first, *second), abs=0.01)
    assert np.cos(
        np.radians(initial_bearing(*first, *second) - bearing_deg(*first, *second))
    ) == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(places, st.floats(0, 360), st.floats(1.0, 5_000e3))
def test_destination_lands_at_the_distance_and_bearing(start, bearing, distance_m):
    latitude, longitude = destination(*start, bearing, distance_m)
    assert distance(*start, latitude, longitude) == pytest.approx(distance_m, abs=0.01)
    if abs(start[0]) < 89.0:
        assert np.cos(
            np.radians(initial_bearing(*start, latitude, longitude) - bearing)
        ) == pytest.approx(1.0, abs=1e-10)
