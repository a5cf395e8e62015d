"""US Standard Atmosphere 1976 against the report's own tables.

Source: U.S. Standard Atmosphere, 1976 (NOAA-S/T 76-1562, NOAA/NASA/USAF), Part 4 tables by
geometric altitude, as reprinted at https://www.pdas.com/bigtables.html. The brief's speed of
sound "295.07 m/s at 11 km" is the tropopause, 11 km GEOPOTENTIAL = 11,019 m geometric.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zenit.geo import atmosphere

# geometric altitude (m), temperature (K), pressure (Pa), density (kg/m^3) -- US76 Part 4.
TABLE = [
    (0.0, 288.150, 1.01325e5, 1.2250),
    (5_000.0, 255.676, 5.4048e4, 0.73643),
    (10_000.0, 223.252, 2.6500e4, 0.41351),
    (20_000.0, 216.650, 5.5293e3, 8.8910e-2),
    (32_000.0, 228.490, 8.8906e2, 1.3555e-2),
    (47_000.0, 269.684, 1.1585e2, 1.4965e-3),
    (86_000.0, 186.867, 3.7338e-1, 6.9579e-6),
]


@pytest.mark.parametrize("altitude_m, temperature_k, pressure_pa, density_kg_m3", TABLE)
def test_layer_formulas_match_us76_tables(altitude_m, temperature_k, pressure_pa, density_kg_m3):
    assert atmosphere.temperature(altitude_m) == pytest.approx(temperature_k, abs=0.002)
    assert atmosphere.pressure(altitude_m) == pytest.approx(pressure_pa, rel=1e-4)
    assert atmosphere.density(altitude_m) == pytest.approx(density_kg_m3, rel=1e-4)


def test_molecular_weight_ratio_between_80_and_86_km():
    # At 85 km the tables give T_M = 188.893 K, pressure and density; the kinetic temperature
    # is T_M * M/M0 with M/M0 = 0.999681 (US76 Table 8), and P, rho do not depend on it.
    assert atmosphere.pressure(85_000.0) == pytest.approx(4.4568e-1, rel=1e-4)
    assert atmosphere.density(85_000.0) == pytest.approx(8.2195e-6, rel=1e-4)
    assert atmosphere.temperature(85_000.0) == pytest.approx(188.893 * 0.999681, abs=0.002)


@pytest.mark.parametrize(
    "altitude_m, speed_m_s",
    [
        (0.0, 340.29),
        (10_000.0, 299.53),
        (11_019.0, 295.07),
        (20_000.0, 295.07),
        (86_000.0, 274.10),
    ],
)
def test_speed_of_sound_matches_us76_tables(altitude_m, speed_m_s):
    assert atmosphere.speed_of_sound(altitude_m) == pytest.approx(speed_m_s, abs=0.01)


@pytest.mark.parametrize(
    "altitude_m, temperature_k",
    [
        (100_000.0, 195.081),
        (110_000.0, 240.000),
        (130_000.0, 469.268),
        (300_000.0, 976.008),
        (500_000.0, 999.236),
    ],
)
def test_thermosphere_temperature_matches_us76_tables(altitude_m, temperature_k):
    assert atmosphere.temperature(altitude_m) == pytest.approx(temperature_k, abs=0.01)


@pytest.mark.parametrize(
    "altitude_m, density_kg_m3",
    [
        # between the anchors the interpolation is used, so these test it, not the anchors
        (155_000.0, 1.5848e-9),
        (230_000.0, 1.0290e-10),
        (375_000.0, 4.3914e-12),
        (625_000.0, 7.9981e-14),
        (1_000_000.0, 3.5611e-15),
    ],
)
def test_upper_density_follows_us76_tables(altitude_m, density_kg_m3):
    assert atmosphere.density(altitude_m) == pytest.approx(density_kg_m3, rel=0.015)


def test_first_layer_extends_below_sea_level():
    # Layer-1 formula at geopotential -5003.9 m: T = 288.15 + 0.0065 * 5003.9 (US76 eq. 23).
    assert atmosphere.temperature(-5_000.0) == pytest.approx(320.676, abs=0.002)
    assert atmosphere.temperature(-9_000.0) == atmosphere.temperature(-5_000.0)


def test_agrees_with_ambiance_package_when_installed():
    ambiance = pytest.importorskip("ambiance")
    altitude_m = np.linspace(-5_000.0, 80_000.0, 200)  # ambiance leaves out M/M0 above 80 km
    reference = ambiance.Atmosphere(altitude_m)
    np.testing.assert_allclose(atmosphere.temperature(altitude_m), reference.temperature, atol=1e-3)
    np.testing.assert_allclose(atmosphere.pressure(altitude_m), reference.pressure, rtol=1e-5)
    np.testing.assert_allclose(atmosphere.density(altitude_m), reference.density, rtol=1e-5)
    np.testing.assert_allclose(
        atmosphere.speed_of_sound(altitude_m), reference.speed_of_sound, atol=1e-3
    )


def test_shapes_follow_the_input():
    grid = np.full((3, 4), 1_000.0)
    for function in (
        atmosphere.temperature,
        atmosphere.pressure,
        atmosphere.density,
        atmosphere.speed_of_sound,
    ):
        assert np.shape(function(grid)) == (3, 4)
        assert np.ndim(function(1_000.0)) == 0
        assert np.shape(function(np.array([1e3, 2e5]))) == (2,)


@settings(max_examples=200, deadline=None)
@given(st.floats(-5_000.0, 999_000.0), st.floats(1.0, 1_000.0))
def test_density_and_pressure_fall_with_altitude(altitude_m, rise_m):
    assert atmosphere.density(altitude_m + rise_m) < atmosphere.density(altitude_m)
    assert atmosphere.pressure(altitude_m + rise_m) < atmosphere.pressure(altitude_m)


@settings(max_examples=200, deadline=None)
@given(st.floats(-5_000.0, 86_000.0))
def test_ideal_gas_law_holds_in_the_layers(altitude_m):
    # rho = P M0 / (R* T_M), and the speed of sound squared is gamma P / rho (US76 eqs. 42, 50).
    pressure_pa, density_kg_m3 = atmosphere.pressure(altitude_m), atmosphere.density(altitude_m)
    assert atmosphere.speed_of_sound(altitude_m) ** 2 == pytest.approx(
        1.4 * pressure_pa / density_kg_m3, rel=1e-12
    )


@pytest.mark.parametrize(
    "boundary_m", [11_019.0, 20_063.0, 32_162.0, 47_350.0, 51_413.0, 71_802.0, 86_000.0]
)
def test_continuous_across_layer_boundaries(boundary_m):
    below, above = boundary_m - 0.01, boundary_m + 0.01
    assert atmosphere.pressure(above) == pytest.approx(atmosphere.pressure(below), rel=1e-5)
    assert atmosphere.density(above) == pytest.approx(atmosphere.density(below), rel=1e-5)
    assert atmosphere.temperature(above) == pytest.approx(atmosphere.temperature(below), abs=0.01)
