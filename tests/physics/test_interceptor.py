"""Interceptor point-mass flight against the rocket equation and conservation laws.

References: Tsiolkovsky's rocket equation and the vertical-ascent gravity loss as given in
Sutton & Biblarz, *Rocket Propulsion Elements*, 9th ed., ch. 4 (eqs. 4-6, 4-20 ff.);
specific orbital energy v^2/2 - mu/r (any orbital mechanics text, e.g. Curtis, *Orbital
Mechanics for Engineering Students*, ch. 2).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zenit.geo.atmosphere import density
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.physics.guidance import EARTH_GRAVITATIONAL_PARAMETER as MU
from zenit.physics.interceptor import InterceptorParameters, InterceptorState, launch_state, step
from zenit.units import STANDARD_GRAVITY

SPECIFIC_IMPULSE = 250.0
EXHAUST_VELOCITY = SPECIFIC_IMPULSE * STANDARD_GRAVITY


def missile(count=1, drag_scale=1.0, boost_time=6.0, sustain_time=9.0, vertical_time=1.0,
            normal_force=20.0, structural=300.0):
    """A 48N6-sized round (1800 kg, 0.515 m calibre); motor split 70/30 boost/sustain at Isp 250 s."""
    propellant = 1000.0
    impulse = propellant * EXHAUST_VELOCITY
    ones = np.ones(count)
    return InterceptorParameters(
        launch_mass_kg=1800.0 * ones, propellant_mass_kg=propellant * ones,
        boost_thrust_n=0.7 * impulse / boost_time * ones, boost_time_s=boost_time * ones,
        sustain_thrust_n=0.3 * impulse / max(sustain_time, 1e-300) * ones, sustain_time_s=sustain_time * ones,
        reference_area_m2=math.pi * 0.2575**2 * ones, max_lateral_acceleration_mps2=structural * ones,
        normal_force_coefficient_max=normal_force * ones, vertical_launch_time_s=vertical_time * ones,
        drag_coefficient_scale=drag_scale * ones)


def fly(state, parameters, duration, dt, command=None, gravitational_parameter=MU):
    command = np.zeros_like(state.position) if command is None else command
    for _ in range(int(round(duration / dt))):
        state = step(state, command, dt, parameters, gravitational_parameter=gravitational_parameter)
    return state


def lateral_acceleration_limit(position, velocity, mass, parameters):
    """min(structural limit, q S CN_max / m) (m/s^2): what the airframe can pull, unpowered."""
    pressure = 0.5 * density(np.linalg.norm(position, axis=-1) - EARTH_RADIUS_M) * np.sum(
        np.square(velocity), axis=-1)
    return np.minimum(parameters.max_lateral_acceleration_mps2, pressure
                      * parameters.reference_area_m2 * parameters.normal_force_coefficient_max / mass)


def pad(count=1):
    return np.tile([0.0, 0.0, EARTH_RADIUS_M], (count, 1))


@pytest.mark.parametrize("dt", [0.05, 0.1, 0.35, 0.5])
def test_burnout_speed_is_tsiolkovsky_without_drag_or_gravity(dt):
    """Sutton & Biblarz eq. 4-6: dv = Isp g0 ln(m0/m1); exact at any step, even across phase changes."""
    parameters = missile(drag_scale=0.0)
    state = launch_state(pad(), np.array([[0.3, 0.0, 1.0]]), parameters, ejection_speed_mps=25.0)
    state = fly(state, parameters, 16.0, dt, gravitational_parameter=0.0)
    expected = 25.0 + EXHAUST_VELOCITY * math.log(1800.0 / 800.0)
    assert np.linalg.norm(state.velocity, axis=1)[0] == pytest.approx(expected, rel=1e-9)
    assert state.mass[0] == pytest.approx(800.0, abs=1e-9)  # kg


def test_vertical_ascent_in_vacuum_pays_the_gravity_loss():
    """Sutton & Biblarz ch. 4: vertical flight, v_b = v0 + c ln(m0/m1) - g t_b and
    h_b = v0 t_b + c t_b - c (m1 / mdot) ln(m0/m1) - g t_b^2 / 2 (constant mass flow, one phase).
    Inverse-square gravity falls 0.6 % over the climb, so g is taken at mid-height."""
    parameters = missile(drag_scale=0.0, boost_time=10.0, sustain_time=1.0)
    parameters = InterceptorParameters(**{**parameters.__dict__, "sustain_thrust_n": np.zeros(1),
                                          "boost_thrust_n": np.array([1000.0 * EXHAUST_VELOCITY / 10.0])})
    state = launch_state(pad(), np.array([[0.0, 0.0, 1.0]]), parameters, ejection_speed_mps=25.0)
    state = fly(state, parameters, 10.0, 0.05)
    flow, burnt_mass = 100.0, 800.0
    log_ratio = math.log(1800.0 / burnt_mass)
    height = 25.0 * 10.0 + EXHAUST_VELOCITY * (10.0 - burnt_mass / flow * log_ratio)
    gravity = MU / (EARTH_RADIUS_M + height / 2) ** 2
    height -= gravity * 50.0
    speed = 25.0 + EXHAUST_VELOCITY * log_ratio - gravity * 10.0
    assert state.velocity[0, 2] == pytest.approx(speed, abs=1.0)  # m/s, of a 98 m/s gravity loss
    assert state.position[0, 2] - EARTH_RADIUS_M == pytest.approx(height, abs=5.0)  # metres of ~8.4 km
    np.testing.assert_allclose(state.velocity[0, :2], 0.0, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 200e3), st.floats(100.0, 4000.0), st.floats(-1.4, 1.4), st.floats(0.05, 0.5))
def test_drag_free_coast_conserves_specific_energy(altitude_m, speed, elevation, dt):
    """Specific orbital energy v^2/2 - mu/r is constant on a drag-free, thrust-free coast."""
    parameters = missile(drag_scale=0.0)
    position = np.array([[0.0, 0.0, EARTH_RADIUS_M + altitude_m]])
    velocity = speed * np.array([[math.cos(elevation), 0.0, math.sin(elevation)]])
    state = InterceptorState(position, velocity, np.array([800.0]), np.array([100.0]))

    def energy(s):
        return 0.5 * np.sum(s.velocity**2) - MU / np.linalg.norm(s.position)

    before = energy(state)
    after = energy(fly(state, parameters, 60.0, dt))
    # 1e-8 of mu/r: 0.6 J/kg, 2e-4 m/s at 3 km/s; a first-order scheme drifts by ~1e3 J/kg here.
    assert after == pytest.approx(before, abs=0.6)  # J/kg


directions = st.tuples(st.floats(-1, 1), st.floats(-1, 1), st.floats(-1, 1)).filter(
    lambda v: np.linalg.norm(v) > 0.1).map(np.array)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0, 40e3), st.floats(200.0, 2500.0), directions, st.floats(0.0, 2000.0),
       st.floats(1.0, 40.0), st.floats(50.0, 400.0))
def test_lateral_acceleration_never_exceeds_the_limit(altitude_m, speed, command_direction, command_size,
                                                      normal_force, structural):
    """The applied lift is min(structural, q S CN_max / m) or less, whatever the command."""
    parameters = missile(drag_scale=0.0, normal_force=normal_force, structural=structural)
    position = np.array([[0.0, 0.0, EARTH_RADIUS_M + altitude_m]])
    velocity = np.array([[speed, 0.0, 0.0]])
    state = InterceptorState(position, velocity, np.array([800.0]), np.array([100.0]))
    command = command_size * command_direction[None, :] / np.linalg.norm(command_direction)
    dt = 0.05
    after = step(state, command, dt, parameters, gravitational_parameter=0.0)
    achieved = np.linalg.norm(after.velocity - velocity) / dt
    limit = max(lateral_acceleration_limit(position, velocity, state.mass, parameters)[0],
                lateral_acceleration_limit(after.position, after.velocity, state.mass, parameters)[0])
    # The corrector's stage sees the predictor's slightly higher speed, a second-order excess.
    assert achieved <= limit * (1 + (limit * dt / speed) ** 2 + 1e-9)
    assert achieved <= structural * (1 + 1e-9)
    # A perpendicular pull changes the speed only to second order in the step.
    assert np.linalg.norm(after.velocity) == pytest.approx(speed, rel=(limit * dt / speed) ** 2 + 1e-12)


def test_aerodynamic_limit_falls_with_altitude():
    """a_max = q S CN_max / m: at 1000 m/s and sea level q = 612.5 kPa (US76 rho0 = 1.225 kg/m^3)."""
    parameters = missile(count=5, structural=1e6)
    altitudes = np.array([0.0, 10e3, 20e3, 30e3, 40e3])
    position = np.stack([np.zeros(5), np.zeros(5), EARTH_RADIUS_M + altitudes], axis=1)
    velocity = np.tile([1000.0, 0.0, 0.0], (5, 1))
    limit = lateral_acceleration_limit(position, velocity, np.full(5, 1000.0), parameters)
    sea_level = 0.5 * 1.225 * 1000.0**2 * math.pi * 0.2575**2 * 20.0 / 1000.0
    assert limit[0] == pytest.approx(sea_level, rel=1e-4)
    assert np.all(np.diff(limit) < 0.0)
    np.testing.assert_allclose(limit / limit[0], density(altitudes) / 1.225, rtol=1e-4)


def test_structural_limit_caps_the_aerodynamic_one():
    parameters = missile(structural=200.0)
    limit = lateral_acceleration_limit(pad() + [0.0, 0.0, 1000.0], np.array([[1500.0, 0.0, 0.0]]),
                                       np.array([900.0]), parameters)
    assert limit[0] == pytest.approx(200.0)


def test_no_turn_during_the_vertical_launch():
    parameters = missile(vertical_time=2.0)
    state = launch_state(pad(), np.array([[0.0, 0.0, 1.0]]), parameters)
    state = fly(state, parameters, 2.0, 0.1, command=np.array([[300.0, 0.0, 0.0]]))
    np.testing.assert_allclose(state.velocity[0, :2], 0.0, atol=1e-9)
    turned = fly(state, parameters, 0.5, 0.1, command=np.array([[300.0, 0.0, 0.0]]))
    assert turned.velocity[0, 0] > 10.0


def test_full_physics_flight_converges_at_second_order_and_stays_stable():
    """Boost, turn-over at the aerodynamic limit, a 10 g pull and a coast for 60 s: against a
    dt = 0.02 s reference, halving dt from 0.5 s to 0.25 s quarters the error (Heun is
    second order), dt = 0.1 s is within 0.1 % of the distance flown and dt = 0.5 s within 2 %."""
    parameters = missile()
    command = np.array([[100.0, 0.0, 0.0]])
    finals = {}
    for dt in (0.02, 0.1, 0.25, 0.5):
        state = launch_state(pad(), np.array([[0.0, 0.0, 1.0]]), parameters)
        finals[dt] = fly(state, parameters, 60.0, dt, command=command).position[0]
    travelled = np.linalg.norm(finals[0.02] - pad()[0])
    error = {dt: np.linalg.norm(finals[dt] - finals[0.02]) for dt in (0.1, 0.25, 0.5)}
    assert 3.0 < error[0.5] / error[0.25] < 5.0
    assert error[0.1] < 0.001 * travelled  # metres
    assert error[0.5] < 0.02 * travelled


def test_batch_rows_fly_independently_and_take_selects_types():
    """One batch of mixed types equals each type flown alone; dt may differ per row (0 = parked)."""
    table = InterceptorParameters(**{**missile(count=2).__dict__,
                                     "launch_mass_kg": np.array([1800.0, 1900.0]),
                                     "reference_area_m2": np.array([0.208, 0.05])})
    kinds = np.array([1, 0, 1])
    rows = table.take(kinds)
    directions = np.array([[0.0, 0.0, 1.0], [0.1, 0.0, 1.0], [0.0, 0.2, 1.0]])
    state = launch_state(pad(3), directions, rows)
    batch = step(state, np.zeros((3, 3)), np.array([0.1, 0.1, 0.0]), rows)
    alone = step(launch_state(pad(), directions[:1], table.take([1])), np.zeros((1, 3)), 0.1, table.take([1]))
    np.testing.assert_allclose(batch.position[0], alone.position[0], rtol=0, atol=1e-9)
    np.testing.assert_array_equal(batch.position[2], state.position[2])
    assert batch.mass[0] < 1900.0 and batch.mass[2] == 1900.0 and batch.mass[1] < 1800.0


def test_rocket_equation_inverted_reaches_the_public_burnout_speed():
    """Sutton & Biblarz eq. 4-6 inverted: 2000 m/s at Isp 250 s from 1800 kg needs
    m_p = 1800 (1 - e^(-2000/2451.7)) = 1003.9 kg; flown in vacuum without gravity, 70/30 boost
    and sustain, the round reaches exactly that speed over its ejection speed."""
    propellant = 1800.0 * -math.expm1(-2000.0 / EXHAUST_VELOCITY)
    assert propellant == pytest.approx(1003.9, abs=0.1)  # kg
    impulse = propellant * EXHAUST_VELOCITY
    parameters = InterceptorParameters(1800.0, propellant, 0.7 * impulse / 6.0, 6.0,
                                       0.3 * impulse / 9.0, 9.0, 0.2, 300.0, 20.0, 1.0,
                                       drag_coefficient_scale=0.0)
    assert parameters.exhaust_velocity() == pytest.approx(EXHAUST_VELOCITY)
    state = launch_state(pad(), np.array([[1.0, 0.0, 1.0]]), parameters, ejection_speed_mps=np.array([0.5]))
    state = fly(state, parameters, 15.0, 0.1, gravitational_parameter=0.0)
    assert np.linalg.norm(state.velocity) == pytest.approx(2000.5, rel=1e-9)  # m/s
