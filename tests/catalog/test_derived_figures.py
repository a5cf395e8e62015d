"""The engineering assumptions agree with the physics they were derived from, so that an edit
to one figure that breaks another shows up here. Each test names its textbook relation."""

import math

import pytest

from zenit.catalog import load_catalog

CATALOG = load_catalog()
STANDARD_GRAVITY = 9.80665
MISSILES = CATALOG.entries("missile")
SPEED_OF_LIGHT = 299_792_458.0


@pytest.mark.parametrize("missile", MISSILES, ids=lambda entry: entry.name)
def test_rocket_equation_reaches_maximum_speed(missile):
    """Tsiolkovsky: ideal Δv = Isp g0 ln(m0 / (m0 - m_p)) must exceed the published speed
    (the catalogue allows 15 % for gravity and drag losses)."""
    exhaust = missile.value("specific_impulse") * STANDARD_GRAVITY
    mass = missile.value("launch_mass")
    ideal = exhaust * math.log(mass / (mass - missile.value("propellant_mass")))
    assert ideal == pytest.approx(1.15 * missile.value("maximum_speed"), rel=0.01)


@pytest.mark.parametrize("missile", MISSILES, ids=lambda entry: entry.name)
def test_thrust_profile_burns_the_propellant(missile):
    """Total impulse: F_boost t_boost + f F_boost t_sustain = m_p Isp g0
    (Sutton & Biblarz, Rocket Propulsion Elements, ch. 2)."""
    thrust = missile.value("boost_thrust")
    impulse = thrust * (missile.value("boost_time") + missile.value("sustain_thrust_fraction")
                        * missile.value("sustain_time"))
    expected = (missile.value("propellant_mass") * missile.value("specific_impulse")
                * STANDARD_GRAVITY)
    assert impulse == pytest.approx(expected, rel=0.01)
    assert thrust > missile.value("launch_mass") * STANDARD_GRAVITY  # it leaves the ground


@pytest.mark.parametrize("missile", MISSILES, ids=lambda entry: entry.name)
def test_reference_area_is_the_body_cross_section(missile):
    area = math.pi * missile.value("diameter") ** 2 / 4
    assert missile.value("reference_area") == pytest.approx(area, rel=1e-3)


@pytest.mark.parametrize("radar", CATALOG.entries("radar"), ids=lambda entry: entry.name)
def test_noise_bandwidth_matches_range_resolution(radar):
    """Matched filter: B = c / (2 ΔR) (Skolnik, Introduction to Radar Systems, ch. 6)."""
    bandwidth = SPEED_OF_LIGHT / (2 * radar.value("range_resolution"))
    assert radar.value("noise_bandwidth") == pytest.approx(bandwidth, rel=0.01)


@pytest.mark.parametrize("radar", CATALOG.entries("radar"), ids=lambda entry: entry.name)
def test_gain_matches_beamwidths(radar):
    """G ≈ 4π η A / λ² and θ ≈ 70 λ / D give G ≈ 4π η 4900 / (θaz θel), beamwidths in
    degrees, η = 0.6 (Skolnik, Introduction to Radar Systems, ch. 9)."""
    product = math.degrees(radar.value("beamwidth_azimuth")) * \
        math.degrees(radar.value("beamwidth_elevation"))
    gain_db = 10 * math.log10(4 * math.pi * 0.6 * 4900 / product)
    assert radar.value("antenna_gain") == pytest.approx(gain_db, abs=0.1)


def test_s400_radar_ranges_scale_with_fourth_root_of_rcs():
    """Sheet §2: R2 = R1 (σ2/σ1)^(1/4); a 0.003 m² target is seen by the 91N6E at about
    600 km × (0.003/3)^(1/4) ≈ 107 km with the catalogue's calibration point."""
    radar = CATALOG.get("91N6E")
    stealthy = CATALOG.get("low-observable fighter").value("rcs")
    scaled = radar.value("reference_range") * (stealthy / radar.value("reference_rcs")) ** 0.25
    assert scaled == pytest.approx(106.7e3, rel=0.01)
