"""Scheduled dwells placed inside engine steps: every look counted once, at its exact time.

The property checked is the one Al Rowaei, Buss & Lieberman (WSC 2011) show fixed-step
simulations break when they round events to the step: the looks a radar makes over a run,
and their times, must not depend on the step size.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from zenit.sensors.scan import (
    in_azimuth_sector,
    in_elevation_coverage,
    look_count,
    periodic_dwell,
    rotating_dwell,
)


def test_rotating_dwell_time_is_exact():
    # Beam clockwise from north at 2 pi / 10 s: east (90 deg) is crossed at 2.5 s, 12.5 s, ...
    looked, time_s = rotating_dwell(math.pi / 2, 12.4, 12.6, 10.0)
    assert looked and time_s == pytest.approx(12.5, abs=1e-12)
    looked, _ = rotating_dwell(math.pi / 2, 12.6, 12.7, 10.0)
    assert not looked
    # With the beam starting at 45 deg, south (180 deg) is 135 deg of turn away: 3.75 s.
    looked, time_s = rotating_dwell(math.pi, 3.7, 3.8, 10.0, phase_rad=math.pi / 4)
    assert looked and time_s == pytest.approx(3.75, abs=1e-12)


def test_step_is_half_open():
    # A crossing exactly at a step boundary belongs to the step that starts there.
    assert not rotating_dwell(math.pi / 2, 2.0, 2.5, 10.0)[0]
    looked, time_s = rotating_dwell(math.pi / 2, 2.5, 3.0, 10.0)
    assert looked and time_s == 2.5


def test_vectorised_over_targets_and_radars():
    azimuths = np.radians([0.0, 90.0, 180.0, 270.0])[None, :]
    periods = np.array([[10.0], [4.0]])
    looked, time_s = rotating_dwell(azimuths, 2.4, 2.6, periods)
    # Radar 1 (10 s) reaches 90 deg at 2.5 s; radar 2 (4 s) reaches 225 deg at 2.5 s,
    # so none of these targets; in [2.9, 3.1) it reaches 270 deg at 3.0 s.
    np.testing.assert_array_equal(looked, [[False, True, False, False], [False] * 4])
    looked, time_s = rotating_dwell(azimuths, 2.9, 3.1, periods)
    np.testing.assert_array_equal(looked, [[False] * 4, [False, False, False, True]])
    assert time_s[1, 3] == pytest.approx(3.0)


@settings(deadline=None, max_examples=80)
@given(st.floats(0.01, 0.999), st.floats(0.0, 2 * math.pi, exclude_max=True),
       st.floats(0.0, 2 * math.pi, exclude_max=True), st.floats(2.0, 12.0),
       st.integers(20, 400))
def test_rotating_looks_independent_of_step(step_fraction, target_azimuth, phase, period,
                                            steps):
    # Steps of any size below the period: looks over the run equal the number of beam
    # crossings, duration/period to within the one the run's ends can cut, and each look
    # lands on its exact time phase/period offset + k period.
    step = step_fraction * period
    edges = np.arange(steps + 1) * step
    looked, times = rotating_dwell(target_azimuth, edges[:-1], edges[1:], period, phase)
    crossing_offset = period * (((target_azimuth - phase) / (2 * math.pi)) % 1.0)
    exact_times = crossing_offset + period * np.arange(-1, int(edges[-1] / period) + 2)
    exact_times = exact_times[(exact_times >= 0.0) & (exact_times < edges[-1])]
    assert looked.sum() == len(exact_times)
    assert abs(looked.sum() - edges[-1] / period) <= 1.0
    np.testing.assert_allclose(times[looked], exact_times, atol=1e-9 * period * steps)


@settings(deadline=None, max_examples=60)
@given(st.floats(0.01, 3.0), st.floats(0.05, 5.0), st.floats(0.0, 10.0), st.integers(1, 500))
def test_periodic_looks_count_for_any_step(step, revisit, offset, steps):
    # Any step size, also longer than the revisit: the counts telescope to the exact total.
    edges = np.arange(steps + 1) * step
    counts = look_count(edges[:-1], edges[1:], revisit, offset)
    expected = math.ceil((edges[-1] - offset) / revisit) - math.ceil((0.0 - offset) / revisit)
    assert counts.sum() == expected


def test_periodic_dwell_times():
    looked, time_s = periodic_dwell(np.array([0.0, 0.5, 1.0, 1.5]),
                                    np.array([0.5, 1.0, 1.5, 2.0]), 1.2, 0.3)
    # Looks at 0.3 s and 1.5 s: the second opens the last step.
    np.testing.assert_array_equal(looked, [True, False, False, True])
    np.testing.assert_allclose(time_s, [0.3, 0.5, 1.0, 1.5])


def test_azimuth_sector_wraps_through_north():
    azimuths = np.radians([350.0, 10.0, 21.0, 180.0, 339.0])
    np.testing.assert_array_equal(in_azimuth_sector(azimuths, 0.0, np.radians(40.0)),
                                  [True, True, False, False, False])
    assert in_azimuth_sector(np.radians(180.0), np.radians(10.0), 2 * math.pi)


def test_elevation_coverage():
    np.testing.assert_array_equal(
        in_elevation_coverage(np.radians([-1.0, 0.0, 30.0, 75.0]), np.radians(-0.5),
                              np.radians(60.0)),
        [False, True, True, False])
