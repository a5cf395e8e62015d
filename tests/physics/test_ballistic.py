"""Ballistic flight: RK4 point mass over the round Earth against closed forms.

Sources: flat-Earth vacuum range v^2 sin(2 gamma) / g (any mechanics text, e.g. Halliday,
Resnick & Walker, *Fundamentals of Physics*, ch. 4); spherical-Earth vacuum range and the
minimum-energy trajectory gamma = 45 deg - phi/4, v^2 = (mu/r) 2 sin(phi/2)/(1 + sin(phi/2))
(Zarchan, *Tactical and Strategic Missile Guidance*, ch. 12 "Ballistic missile guidance";
Regan & Anandakrishnan, *Dynamics of Atmospheric Re-Entry*, 1993, sec. 2); burnout speeds of
about 1.7, 3.0 and 5.2 km/s for 300, 1,000 and 3,500 km (Zenit refs s400-public-data.md,
section 7, "Derived").
"""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from zenit.errors import UserError
from zenit.geo.frames import EARTH_RADIUS_M, altitude, cartesian_to_local
from zenit.physics.ballistic import BallisticPlan, sample_ballistic
from zenit.physics.ballistic_aiming import Geometry, solve_burnout
from zenit.physics.ballistic_flight import Airframes, fly
from zenit.physics.vacuum_arcs import (GRAVITATIONAL_PARAMETER, minimum_energy_vacuum,
                                       vacuum_burnout_for_apogee)

SURFACE_GRAVITY = GRAVITATIONAL_PARAMETER / EARTH_RADIUS_M**2


def flat_earth_range(speed, flight_path_angle, gravity):
    """Range over flat ground in uniform gravity: v^2 sin(2 gamma) / g."""
    return np.asarray(speed) ** 2 * np.sin(2.0 * np.asarray(flight_path_angle)) / gravity


def vacuum_range(speed, flight_path_angle, launch_altitude_m=0.0):
    """Ground range (m, on the sphere) of a vacuum Kepler arc that lands at its launch altitude.

    tan(phi / 2) = nu sin(gamma) cos(gamma) / (1 - nu cos^2(gamma)) with nu = v^2 r / mu
    (Regan & Anandakrishnan 1993, sec. 2; Zarchan, Tactical and Strategic Missile Guidance,
    ch. 12). NaN when the speed escapes (nu >= 2).
    """
    radius = EARTH_RADIUS_M + np.asarray(launch_altitude_m, dtype=float)
    nu = np.asarray(speed, dtype=float) ** 2 * radius / GRAVITATIONAL_PARAMETER
    cosine, sine = np.cos(flight_path_angle), np.sin(flight_path_angle)
    angle = 2.0 * np.arctan2(nu * sine * cosine, 1.0 - nu * cosine**2)
    return np.where(nu < 2.0, angle * EARTH_RADIUS_M, np.nan)


def plan_to(range_m, apogee_m=None, aim_altitude_m=0.0, mass_kg=1500.0, area_m2=0.66):
    return BallisticPlan(0.0, np.zeros(3), np.array([range_m, 0.0, aim_altitude_m]), mass_kg,
                         area_m2, apogee_m)


def flown_range(speed, angle, range_m=5e3, drag=False, record=False, plans=None):
    plans = plans or [plan_to(range_m)] * len(np.atleast_1d(speed))
    geometry = Geometry.of(plans)
    flight = fly(geometry.launch_positions,
                 geometry.burnout_velocities(np.atleast_1d(speed), np.atleast_1d(angle)),
                 geometry.impact_altitude_m, Airframes.of(plans, drag), 0.25, record=record)
    return geometry.ground_range(flight.impact_positions), flight


@pytest.mark.parametrize("angle_deg", [20.0, 45.0, 70.0])
def test_short_range_vacuum_matches_flat_earth_formula(angle_deg):
    # v^2 sin(2 gamma) / g, g = mu / R^2; the round Earth adds < 4 m at these ranges.
    speed, angle = np.array([150.0, 200.0, 250.0]), np.radians(angle_deg)
    ranges, _ = flown_range(speed, np.full(3, angle))
    expected = flat_earth_range(speed, angle, SURFACE_GRAVITY)
    assert expected[-1] > 1_000.0
    np.testing.assert_allclose(ranges, expected, atol=4.0)


@pytest.mark.parametrize("speed, angle_deg", [(1_700.0, 44.0), (3_000.0, 40.0),
                                              (5_200.0, 30.0), (6_500.0, 25.0)])
def test_long_range_vacuum_matches_spherical_earth_formula(speed, angle_deg):
    ranges, _ = flown_range(speed, np.radians(angle_deg))
    expected = vacuum_range(speed, np.radians(angle_deg))
    assert expected > 250e3
    assert abs(ranges[0] - expected) < 0.5


@settings(max_examples=30, deadline=None)
@given(st.floats(10.0, 400.0), st.floats(0.01, 1.5))
def test_vacuum_range_tends_to_flat_earth_limit(speed, angle):
    # The round-Earth correction is first order in nu = v^2 / (g R) (Regan sec. 2).
    flat = flat_earth_range(speed, angle, SURFACE_GRAVITY)
    nu = speed**2 / (SURFACE_GRAVITY * EARTH_RADIUS_M)
    assert abs(vacuum_range(speed, angle) - flat) <= 2.0 * flat * nu + 1e-9
    assert vacuum_range(speed, angle) >= flat


def test_minimum_energy_angle_45_deg_short_and_45_minus_phi_over_4_long():
    # Zarchan ch. 12: gamma* = 45 deg - phi/4; at 3 km phi/4 is 0.007 deg.
    speed, angle = minimum_energy_vacuum(np.array([3e3, 300e3, 1_000e3, 3_500e3]))
    phi = np.array([3e3, 300e3, 1_000e3, 3_500e3]) / EARTH_RADIUS_M
    np.testing.assert_allclose(np.degrees(angle), 45.0 - np.degrees(phi) / 4.0, atol=1e-12)
    assert abs(np.degrees(angle[0]) - 45.0) < 0.01
    assert np.degrees(angle[-1]) < 38.0
    # refs s400-public-data.md section 7: about 1.7, 3.0 and 5.2 km/s.
    np.testing.assert_allclose(speed[1:], [1_700.0, 3_000.0, 5_200.0], atol=50.0)


@pytest.mark.parametrize("range_m", [3e3, 1_000e3])
def test_minimum_energy_angle_gives_greatest_range_in_flight(range_m):
    speed, angle = minimum_energy_vacuum(range_m)
    ranges, _ = flown_range(np.full(3, speed), angle + np.array([0.0, 0.01, -0.01]))
    assert abs(ranges[0] - range_m) < 0.5
    assert ranges[1] < ranges[0] and ranges[2] < ranges[0]


def test_vacuum_solver_recovers_closed_form():
    plans = [plan_to(300e3), plan_to(3_500e3)]
    speed, angle = solve_burnout(plans, drag=False)
    expected_speed, expected_angle = minimum_energy_vacuum(np.array([300e3, 3_500e3]))
    np.testing.assert_allclose(speed, expected_speed, atol=0.01)
    np.testing.assert_allclose(angle, expected_angle, atol=1e-5)


def test_apogee_closed_form_flies_to_range_and_apogee():
    speed, angle = vacuum_burnout_for_apogee(600e3, 80e3)
    ranges, flight = flown_range(speed, angle)
    assert abs(ranges[0] - 600e3) < 0.5
    assert abs(flight.apogee_m[0] - 80e3) < 0.5


@settings(max_examples=15, deadline=None)
@given(st.floats(500.0, 6_000.0), st.floats(0.2, 1.3))
def test_energy_conserved_in_vacuum(speed, angle):
    _, flight = flown_range(speed, angle, record=True)
    energy = (0.5 * np.sum(flight.velocities**2, axis=-1)
              - GRAVITATIONAL_PARAMETER / np.linalg.norm(flight.positions, axis=-1))
    assert np.ptp(energy) < 1e-3   # J/kg, against |energy| ~ 6e7 J/kg


def test_drag_shortens_range_and_costs_speed():
    speed, angle = minimum_energy_vacuum(np.array([300e3]))
    plans = [plan_to(300e3)]
    vacuum, _ = flown_range(speed, angle, plans=plans)
    with_drag, _ = flown_range(speed, angle, drag=True, plans=plans)
    assert with_drag[0] < vacuum[0] - 10e3
    drag_speed, _ = solve_burnout(plans, drag=True)
    assert drag_speed[0] > speed[0] + 100.0


def test_aimed_missiles_land_on_aim_points_with_requested_apogee():
    plans = [plan_to(300e3), plan_to(250e3, apogee_m=40e3),
             BallisticPlan(5.0, np.array([-20e3, 10e3, 200.0]), np.array([150e3, -60e3, 500.0]),
                           1_000.0, 0.5, drag_profile="missile")]
    trajectories = sample_ballistic(plans, 0.5)
    for plan, trajectory in zip(plans, trajectories):
        east, north, height = cartesian_to_local(trajectory.positions[-1])
        assert np.hypot(east - plan.aim_point[0], north - plan.aim_point[1]) < 1.0
        assert abs(height - plan.aim_point[2]) < 1e-3
        assert trajectory.times_s[0] == plan.launch_time_s
        assert np.all(np.diff(trajectory.times_s) <= 0.5 + 1e-9)
    heights = altitude(trajectories[1].positions)
    assert abs(heights.max() - 40e3) < 5.0


def test_bad_plans_are_refused_with_a_fix():
    with pytest.raises(UserError, match="apogee"):
        plan_to(300e3, apogee_m=-5.0)
    with pytest.raises(UserError, match="1 km"):
        plan_to(10.0)
    with pytest.raises(UserError, match="drag profile"):
        BallisticPlan(0.0, np.zeros(3), np.array([1e5, 0, 0]), 1.0, 1.0, drag_profile="brick")
