"""Constant-gamma surface clutter (Nathanson, Radar Design Principles; Skolnik, Introduction
to Radar Systems, 3rd ed., §7.2 surface-clutter radar equations)."""

import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from zenit.sensors.clutter import (
    EFFECTIVE_EARTH_RADIUS_M,
    cell_area_m2,
    clutter_rcs_m2,
    clutter_to_noise_db,
    grazing_angle_rad,
    signal_to_clutter_plus_noise_db,
)
from zenit.sensors.radar_equation import snr_from_loop_gain_db

BEAMWIDTH = math.radians(1.0)
RANGE_RESOLUTION_M = 150.0
FLAT_EARTH_RADIUS_M = 1e18
DOUBLING_DB = 10 * math.log10(2.0)


def test_constant_gamma_reflectivity():
    # sigma0 = gamma sin(psi): gamma -10 dB at 30 deg grazing is 0.05 m^2/m^2 (-13.01 dB).
    assert clutter_rcs_m2(10 ** (-10.0 / 10), math.sin(math.radians(30.0)), 1.0) == \
        pytest.approx(0.05, rel=1e-12)


@given(st.floats(2e3, 2e5), st.floats(1e-3, 0.05))
def test_signal_to_clutter_falls_3db_per_range_doubling_in_a_range_limited_cell(range_m, grazing):
    # Range-limited cell A = R theta dR sec(psi), so sigma_c ~ R and, with the target's
    # R^-4 shared, S/C ~ 1/R at a fixed grazing angle.
    def clutter_db(r):
        sine = math.sin(grazing)
        area = cell_area_m2(r, sine, BEAMWIDTH, BEAMWIDTH, RANGE_RESOLUTION_M)
        return 10 * np.log10(clutter_rcs_m2(10 ** (-15.0 / 10), sine, area))
    assert clutter_db(2 * range_m) - clutter_db(range_m) == pytest.approx(DOUBLING_DB, abs=1e-9)


def test_signal_to_clutter_falls_6db_per_range_doubling_in_a_beam_limited_cell():
    # Steep grazing: A = pi R^2 theta_az theta_el / (4 sin psi), so sigma_c ~ R^2.
    grazing = math.radians(60.0)
    area = [cell_area_m2(r, math.sin(grazing), BEAMWIDTH, BEAMWIDTH, RANGE_RESOLUTION_M)
            for r in (1e3, 2e3)]
    assert area[1] / area[0] == pytest.approx(4.0, rel=1e-12)
    assert area[0] == pytest.approx(math.pi / 4 * 1e6 * BEAMWIDTH ** 2 / math.sin(grazing))


def test_clutter_grows_with_tangent_of_grazing_angle_in_range_limited_cell():
    # sigma_c = gamma tan(psi) R theta dR: from 0.5 deg to 1 deg, +10 log10(tan1/tan0.5).
    low, high = math.radians(0.5), math.radians(1.0)
    def rcs(psi):
        area = cell_area_m2(20e3, math.sin(psi), BEAMWIDTH, BEAMWIDTH, RANGE_RESOLUTION_M)
        return clutter_rcs_m2(10 ** (-15 / 10), math.sin(psi), area)
    ratio_db = 10 * math.log10(rcs(high) / rcs(low))
    assert ratio_db == pytest.approx(10 * math.log10(math.tan(high) / math.tan(low)), abs=1e-9)


def test_grazing_angle_flat_earth_limit_and_radar_horizon():
    # Flat Earth: sin psi = h/R. Over the 4/3 Earth the horizon of an antenna at h metres is
    # about 4.12 sqrt(h) km (Skolnik; Fed-Std-1037C "radar line-of-sight").
    assert math.sin(grazing_angle_rad(30.0, 3e3, FLAT_EARTH_RADIUS_M)) == pytest.approx(0.01)
    horizon_m = 4.12e3 * math.sqrt(30.0)
    assert grazing_angle_rad(30.0, 0.98 * horizon_m) > 0.0
    assert grazing_angle_rad(30.0, 1.02 * horizon_m) == 0.0
    exact_horizon = math.sqrt(2 * EFFECTIVE_EARTH_RADIUS_M * 30.0 + 30.0 ** 2)
    assert exact_horizon == pytest.approx(horizon_m, rel=0.01)


LOOP_DB = 222.7  # a long-range search radar: 4 m^2 at 250 km gives 13 dB


def _cnr(range_m, elevation_rad, sidelobe_level_db=-30.0):
    return clutter_to_noise_db(LOOP_DB, range_m, elevation_rad, 30.0, -15.0, BEAMWIDTH,
                               BEAMWIDTH, RANGE_RESOLUTION_M, sidelobe_level_db)


def test_clutter_is_left_at_the_sidelobe_level_for_high_targets():
    # Beam pointed 10 beamwidths up: the two-way pattern toward the ground is 2 x (-30 dB).
    in_beam = _cnr(15e3, 0.0)
    high = _cnr(15e3, 10 * BEAMWIDTH)
    horizon_pattern_db = 2 * -12.041 * (math.asin((2 * EFFECTIVE_EARTH_RADIUS_M * 30 + 900
                                                   + 15e3 ** 2)
                                                  / (2 * (EFFECTIVE_EARTH_RADIUS_M + 30) * 15e3))
                                        / BEAMWIDTH) ** 2
    assert in_beam - high == pytest.approx(60.0 + horizon_pattern_db, abs=1e-3)


def test_clutter_vanishes_for_high_targets_and_beyond_the_horizon():
    signal_db = snr_from_loop_gain_db(LOOP_DB, 0.1, 15e3)
    in_beam = signal_to_clutter_plus_noise_db(signal_db, _cnr(15e3, 0.0), 40.0)
    high = signal_to_clutter_plus_noise_db(signal_db, _cnr(15e3, math.radians(20.0)), 40.0)
    assert signal_db - in_beam > 10.0   # a low 0.1 m^2 target is lost in the clutter
    assert signal_db - high < 0.01      # the same target at 20 deg elevation is not
    beyond = _cnr(30e3, 0.0)
    assert beyond == -np.inf
    assert signal_to_clutter_plus_noise_db(signal_db, beyond) == signal_db


@given(st.floats(0.0, 25.0), st.floats(0.0, 20.0))
def test_improvement_factor_adds_db_for_db_when_clutter_dominates(improvement, extra):
    # With C/I at least 30 dB above noise, S/(C/I + N) ~ S I / C: dB for dB in I.
    cnr_db = 75.0
    base = signal_to_clutter_plus_noise_db(20.0, cnr_db, improvement)
    better = signal_to_clutter_plus_noise_db(20.0, cnr_db, improvement + extra)
    assert better - base == pytest.approx(extra, abs=0.01)


def test_clutter_to_noise_is_the_textbook_sum():
    # Recomputed from the equations of the module docstring (grazing and depression angles on
    # the 4/3 Earth, the smaller cell, gamma sin(psi), the two-way Gaussian pattern, R^-4).
    rng = np.random.default_rng(7)
    range_m = np.exp(rng.uniform(np.log(1e3), np.log(30e3), 500))
    elevation = rng.uniform(-0.01, 0.05, range_m.size)
    a, h = EFFECTIVE_EARTH_RADIUS_M, 30.0
    grazing = np.arcsin(np.clip((2 * a * h + h * h - range_m ** 2) / (2 * a * range_m), 0, 1))
    depression = np.arcsin((2 * a * h + h * h + range_m ** 2) / (2 * (a + h) * range_m))
    off = (elevation + depression) / BEAMWIDTH
    pattern_db = 2 * np.maximum(-40 * math.log10(2.0) * off ** 2, -30.0)
    with np.errstate(divide="ignore"):
        area = np.minimum(range_m * BEAMWIDTH * RANGE_RESOLUTION_M / np.cos(grazing),
                          math.pi / 4 * range_m ** 2 * BEAMWIDTH ** 2 / np.sin(grazing))
        expected = (LOOP_DB + 10 * np.log10(10 ** (-15 / 10) * np.sin(grazing) * area)
                    - 40 * np.log10(range_m) + pattern_db)
    found = _cnr(range_m, elevation)
    assert np.isfinite(expected).sum() > 100 and (expected == -np.inf).sum() > 20
    np.testing.assert_array_equal(found == -np.inf, expected == -np.inf)
    visible = np.isfinite(expected)
    np.testing.assert_allclose(found[visible], expected[visible], rtol=0, atol=1e-9)
