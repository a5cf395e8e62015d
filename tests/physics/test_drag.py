"""Drag-coefficient curves: the generic Cd0-vs-Mach shape of Fleeman, *Tactical Missile
Design* (2nd ed., AIAA 2006, ch. 2): flat subsonic, a transonic peak just above Mach 1,
then a steady fall; slender-cone re-entry vehicles near 0.1-0.2 hypersonic (Regan &
Anandakrishnan, *Dynamics of Atmospheric Re-Entry*, AIAA 1993, ch. 2)."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from zenit.errors import UserError
from zenit.physics.drag import DRAG_TABLES, drag_coefficient

PROFILES = sorted(DRAG_TABLES)


@pytest.mark.parametrize("profile", PROFILES)
def test_peak_is_transonic_and_about_twice_the_subsonic_value(profile):
    # Fleeman ch. 2: the drag rise roughly doubles Cd0 between Mach 0.8 and the peak.
    mach = np.linspace(0.0, 6.0, 6001)
    coefficient = drag_coefficient(mach, profile)
    peak_mach = mach[np.argmax(coefficient)]
    assert 1.0 <= peak_mach <= 1.25
    assert 1.7 <= coefficient.max() / drag_coefficient(0.5, profile) <= 2.3


@pytest.mark.parametrize("profile", PROFILES)
def test_subsonic_plateau_is_flat(profile):
    values = drag_coefficient(np.linspace(0.0, 0.6, 50), profile)
    assert np.ptp(values) == 0.0


def test_reentry_vehicle_hypersonic_coefficient_in_regan_range():
    # Regan & Anandakrishnan 1993: slender cones Cd about 0.1-0.2 at hypersonic speed.
    values = drag_coefficient(np.array([8.0, 12.0, 20.0, 25.0]), "reentry_vehicle")
    assert np.all((values >= 0.1) & (values <= 0.2))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PROFILES), st.floats(1.25, 40.0), st.floats(0.0, 10.0))
def test_supersonic_branch_never_rises(profile, mach, increase):
    assert drag_coefficient(mach + increase, profile) <= drag_coefficient(mach, profile) + 1e-12


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PROFILES), st.floats(-50.0, 50.0))
def test_coefficient_positive_and_bounded(profile, mach):
    value = drag_coefficient(mach, profile)
    assert 0.09 <= value <= 0.61
    assert value == drag_coefficient(-mach, profile)


def test_shape_is_kept_and_unknown_profile_named():
    assert drag_coefficient(np.ones((4, 3)), "missile").shape == (4, 3)
    with pytest.raises(UserError, match="reentry_vehicle"):
        drag_coefficient(2.0, "reentry-vehicle")


@pytest.mark.parametrize("profile", sorted(DRAG_TABLES))
def test_interpolation_is_numpys_bit_for_bit(profile):
    """The compiled `interp` (zenit.scalars) is np.interp's algorithm, the reference: equal bit
    for bit below, on, between and beyond the knots, and at NaN."""
    knots, values = DRAG_TABLES[profile]
    knots = np.asarray(knots)
    mach = np.concatenate([np.linspace(0.0, 40.0, 4001), knots, np.nextafter(knots, -1.0),
                           np.nextafter(knots, 99.0), [-1.0, np.inf, np.nan]])
    np.testing.assert_array_equal(drag_coefficient(mach, profile=profile),
                                  np.interp(np.abs(mach), knots, values))
