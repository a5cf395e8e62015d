"""Guidance laws against Zarchan's zero-lag closed forms.

Reference: P. Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed. (AIAA 2012):
ch. 2 (proportional navigation, closed-form solutions without guidance lag: heading error
and step target manoeuvre), ch. 8 (augmented proportional navigation).

The engagement is Zarchan's head-on planar one (missile 3000 ft/s, target 1000 ft/s, flight
time 10 s) in SI units and embedded in 3-D: the range closes at constant Vc along x, the
relative lateral motion y is integrated with RK4 at 1 ms, and the missile's acceleration
is the kernel's command, so the geometry is the kernel's own, non-linear one. Zarchan's
forms are linear, so the cases are kept at small angles (a 0.3 g manoeuvre, a 2 degree
heading error) where the two agree to well under 0.1 %.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zenit.physics.guidance import (midcourse_acceleration, pn_acceleration,
                                    predicted_intercept_point)
from zenit.units import STANDARD_GRAVITY

MISSILE_SPEED = 914.4  # 3000 ft/s
TARGET_SPEED = 304.8  # 1000 ft/s
CLOSING_SPEED = MISSILE_SPEED + TARGET_SPEED
FLIGHT_TIME = 10.0
STEP = 1e-3
TARGET_MANOEUVRE = 0.3 * STANDARD_GRAVITY


def _command(time, lateral, navigation_constants, target_acceleration=None):
    """Missile lateral acceleration (y) from the kernel, for a batch of navigation constants."""
    count = lateral.shape[0]
    relative_position = np.zeros((count, 3))
    relative_position[:, 0] = CLOSING_SPEED * (FLIGHT_TIME - time)
    relative_position[:, 1] = lateral[:, 0]
    relative_velocity = np.zeros((count, 3))
    relative_velocity[:, 0] = -CLOSING_SPEED
    relative_velocity[:, 1] = lateral[:, 1]
    command = pn_acceleration(relative_position, relative_velocity, navigation_constants)[:, 1]
    if target_acceleration is not None:  # augmented PN (Zarchan ch. 8): + N/2 a_T across the LOS
        line_of_sight = relative_position[:, 1] / np.linalg.norm(relative_position, axis=1)
        command += 0.5 * navigation_constants * target_acceleration * (1 - line_of_sight**2)
    return command


def _fly(navigation_constants, initial_rate, target_acceleration, augmented=False, end_fraction=1.0):
    """Integrate y'' = nT - nc to t = end_fraction tF; returns times, commands (T, B), final y."""
    constants = np.asarray(navigation_constants, dtype=float)
    lateral = np.zeros((constants.size, 2))
    lateral[:, 1] = initial_rate
    known = target_acceleration if augmented else None
    steps = int(round(end_fraction * FLIGHT_TIME / STEP))
    times, commands = [], []

    def derivative(time, state):
        command = _command(time, state, constants, known)
        return np.stack([state[:, 1], target_acceleration - command], axis=1), command

    for index in range(steps):
        time = index * STEP
        k1, command = derivative(time, lateral)
        times.append(time)
        commands.append(command)
        k2, _ = derivative(time + STEP / 2, lateral + STEP / 2 * k1)
        k3, _ = derivative(time + STEP / 2, lateral + STEP / 2 * k2)
        k4, _ = derivative(time + STEP, lateral + STEP * k3)
        lateral = lateral + STEP / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return np.array(times), np.array(commands), lateral[:, 0]


@pytest.fixture(scope="module")
def step_manoeuvre():
    return _fly([3.0, 4.0, 5.0], 0.0, TARGET_MANOEUVRE)


def test_step_target_manoeuvre_matches_zarchan_closed_form(step_manoeuvre):
    """Zarchan ch. 2: nc / nT = N/(N-2) (1 - (1 - t/tF)^(N-2)), zero guidance lag."""
    times, commands, _ = step_manoeuvre
    target_acceleration = TARGET_MANOEUVRE
    fraction = times / FLIGHT_TIME
    keep = fraction <= 0.95
    for column, n in enumerate([3.0, 4.0, 5.0]):
        expected = target_acceleration * n / (n - 2) * (1 - (1 - fraction) ** (n - 2))
        np.testing.assert_allclose(commands[keep, column], expected[keep], atol=0.01)  # m/s^2
    # N = 3 ends at three times the target's acceleration.
    assert commands[keep, 0][-1] == pytest.approx(3 * target_acceleration * 0.95, abs=0.01)


def test_step_target_manoeuvre_has_near_zero_miss(step_manoeuvre):
    """Zarchan ch. 2: without guidance lag, PN (N > 2) has zero miss against a step manoeuvre."""
    _, _, final_lateral = step_manoeuvre
    assert np.all(np.abs(final_lateral) < 0.01)  # metres, against a 147 m target displacement


def test_heading_error_response_matches_zarchan_closed_form():
    """Zarchan ch. 2: nc = -Vm HE N (1 - t/tF)^(N-2) / tF, zero lag, and no miss."""
    heading_error = np.radians(-2.0)
    times, commands, final_lateral = _fly([3.0, 4.0, 5.0], -MISSILE_SPEED * heading_error, 0.0)
    fraction = times / FLIGHT_TIME
    keep = fraction <= 0.95
    for column, n in enumerate([3.0, 4.0, 5.0]):
        expected = -MISSILE_SPEED * heading_error * n * (1 - fraction) ** (n - 2) / FLIGHT_TIME
        np.testing.assert_allclose(commands[keep, column], expected[keep], atol=0.01)  # m/s^2
    assert np.all(np.abs(final_lateral) < 0.01)  # metres


def test_augmented_pn_against_step_manoeuvre():
    """Zarchan ch. 8: APN, zero lag: nc / nT = (N/2) (1 - t/tF)^(N-2); peak at launch, not at hit."""
    target_acceleration = TARGET_MANOEUVRE
    times, commands, _ = _fly([3.0, 4.0], 0.0, target_acceleration, augmented=True,
                                          end_fraction=0.5)
    fraction = times / FLIGHT_TIME
    for column, n in enumerate([3.0, 4.0]):
        expected = target_acceleration * n / 2 * (1 - fraction) ** (n - 2)
        np.testing.assert_allclose(commands[:, column], expected, atol=0.01)  # m/s^2


vectors = st.lists(st.floats(-1e5, 1e5, allow_nan=False), min_size=3, max_size=3).map(np.array)


@settings(max_examples=200, deadline=None)
@given(vectors, vectors, st.floats(2.0, 6.0))
def test_pn_command_is_perpendicular_to_line_of_sight(position, velocity, navigation_constant):
    """True PN acts across the line of sight only (Zarchan ch. 2)."""
    range_m = np.linalg.norm(position)
    if range_m < 1.0:
        return
    command = pn_acceleration(position, velocity, navigation_constant)
    scale = navigation_constant * np.linalg.norm(velocity) ** 2 / range_m + 1e-9
    assert abs(command @ position / range_m) <= 1e-9 * scale


def test_pn_is_zero_when_opening():
    position = np.array([1000.0, 0.0, 0.0])
    velocity = np.array([100.0, 50.0, 0.0])
    assert np.all(pn_acceleration(position, velocity, 4.0) == 0.0)


def test_pn_equals_n_times_zero_effort_miss_over_time_to_go_squared():
    """Zarchan ch. 8: PN written as nc = N ZEM / t_go^2 (same law as N Vc lambda-dot)."""
    position = np.array([[8000.0, 300.0, -200.0], [5000.0, -40.0, 10.0]])
    velocity = np.array([[-1200.0, 30.0, 15.0], [-700.0, 2.0, -9.0]])
    range_m = np.linalg.norm(position, axis=1)
    closing = -np.sum(position * velocity, axis=1) / range_m  # Vc = -dR/dt
    go = range_m / closing  # t_go = R / Vc
    zero_effort_miss = position + velocity * go[:, None]  # ZEM = r + v t_go
    expected = 4.0 * zero_effort_miss / go[:, None] ** 2
    np.testing.assert_allclose(pn_acceleration(position, velocity, 4.0), expected, rtol=1e-12, atol=1e-12)


def test_predicted_intercept_point_closes_the_triangle():
    """Head-on and crossing cases: the interceptor's straight path length equals speed * time."""
    target = np.array([[100e3, 0.0, 10e3], [50e3, 50e3, 5e3]])
    target_velocity = np.array([[-300.0, 0.0, 0.0], [0.0, -250.0, 0.0]])
    launcher = np.zeros((2, 3))
    point, time = predicted_intercept_point(target, target_velocity, launcher, np.array([1200.0, 1000.0]))
    # Head-on: distance shrinks at 1500 m/s along x (altitude fixed): closed form for case 0.
    head_on = (-100e3 * 300.0 + np.sqrt((100e3 * 300.0) ** 2 + (1200.0**2 - 300.0**2) * (100e3**2 + 10e3**2))) \
        / (1200.0**2 - 300.0**2)
    assert time[0] == pytest.approx(head_on, abs=1e-6)
    np.testing.assert_allclose(np.linalg.norm(point - launcher, axis=1), time * np.array([1200.0, 1000.0]),
                               atol=1e-6)  # metres


def test_predicted_intercept_point_is_nan_for_unreachable_target():
    point, time = predicted_intercept_point(np.array([10e3, 0.0, 0.0]), np.array([2000.0, 0.0, 0.0]),
                                            np.zeros(3), 1000.0)
    assert np.isnan(time) and np.all(np.isnan(point))


def test_predicted_intercept_point_with_equal_speeds():
    """Target as fast as the interceptor, coming head-on: the quadratic degenerates to t = d / 2v."""
    _, time = predicted_intercept_point(np.array([10e3, 0.0, 0.0]), np.array([-1000.0, 0.0, 0.0]),
                                        np.zeros(3), 1000.0)
    assert time == pytest.approx(5.0, abs=1e-9)


def test_midcourse_holds_a_straight_line_against_gravity():
    """On the line to the aim point the command is only the gravity cancellation."""
    position = np.array([0.0, 0.0, 6_371_008.8 + 5_000.0])
    velocity = np.array([1000.0, 0.0, 0.0])
    aim_point = position + np.array([50e3, 0.0, 0.0])
    command = midcourse_acceleration(position, velocity, aim_point, gain=1.0)
    gravity = 3.986004418e14 / position[2] ** 2
    np.testing.assert_allclose(command, [0.0, 0.0, gravity], atol=1e-9)


def test_midcourse_turn_rate_is_gain_times_heading_error():
    """Small heading error theta: turn rate = gain * sin(theta) (the documented first-order law)."""
    position = np.array([0.0, 0.0, 6_371_008.8])
    velocity = np.array([1000.0, 0.0, 0.0])
    angle = np.radians(2.0)
    aim_point = position + 1e5 * np.array([np.cos(angle), np.sin(angle), 0.0])
    command = midcourse_acceleration(position, velocity, aim_point, gain=0.5, gravitational_parameter=0.0)
    assert command[1] / 1000.0 == pytest.approx(0.5 * np.sin(angle), rel=1e-12)
    assert command[0] == pytest.approx(0.0, abs=1e-9)
