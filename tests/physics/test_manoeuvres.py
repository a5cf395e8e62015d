"""Terminal manoeuvres: weave and pop-up-and-dive against their defining geometry.

Sources: a weave is the sinusoidal lateral manoeuvre of Zarchan, *Tactical and Strategic
Missile Guidance* (ch. 20, "weaving targets": y = A sin(omega t), lateral acceleration
A omega^2); the pop-up is a climb at the climb angle, level flight and a straight dive at the
dive angle onto the target (Fleeman, *Tactical Missile Design*, ch. 6, flight-trajectory
shaping). Velocities are checked as time derivatives of positions (central differences).
"""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from zenit.errors import UserError
from zenit.geo.frames import altitude, cartesian_to_local, up
from zenit.physics.manoeuvres import (PopUpDive, Weave, lateral_directions, smoothstep,
                                      smoothstep_slope)
from zenit.physics.routes import RoutePlan, sample_route

WAYPOINTS = np.array([[0.0, -80e3, 60.0], [0.0, 0.0, 60.0]])


def flown(manoeuvre, dt=0.05):
    return sample_route(RoutePlan(0.0, WAYPOINTS, np.full(2, 250.0), 0.3, manoeuvre=manoeuvre), dt)


def assert_velocities_are_derivatives(trajectory, tolerance_mps):
    times = trajectory.times_s[:-1]
    interior = slice(1, -2)
    finite = ((trajectory.positions[2:-1] - trajectory.positions[:-3])
              / (times[2:] - times[:-2])[:, None])
    assert np.abs(finite - trajectory.velocities[interior]).max() < tolerance_mps


def test_weave_amplitude_period_and_arrival():
    weave = Weave(amplitude_m=150.0, period_s=12.0, start_distance_m=20e3)
    nominal, weaving = flown(None), flown(weave)
    left = lateral_directions(nominal.positions, nominal.velocities)
    offset = np.sum((weaving.positions - nominal.positions) * left, axis=-1)
    assert np.abs(offset).max() == pytest.approx(150.0, abs=1.0)
    before = nominal.distance_m < nominal.distance_m[-1] - 20e3
    assert np.abs(offset[before]).max() < 1e-9
    assert np.linalg.norm(weaving.positions[-1] - nominal.positions[-1]) < 1e-6
    # zero crossings of the full-amplitude part are half a period apart
    full = (~before) & (np.abs(np.r_[offset[1:], 0.0]) > 0) & (weaving.times_s
                                                                < weaving.times_s[-1] - 12.0)
    crossings = weaving.times_s[:-1][full[:-1] & (np.sign(offset[:-1]) != np.sign(offset[1:]))]
    np.testing.assert_allclose(np.diff(crossings[1:]), 6.0, atol=0.05)
    # lateral acceleration A omega^2 (Zarchan ch. 20)
    acceleration = np.gradient(weaving.velocities, weaving.times_s, axis=0)
    lateral = np.abs(np.sum(acceleration * left, axis=-1))
    ramp_end = weaving.times_s[~before][0] + 12.0
    steady = (weaving.times_s > ramp_end) & (weaving.times_s < weaving.times_s[-1] - 12.0)
    peak = 150.0 * (2 * np.pi / 12.0) ** 2
    assert lateral[steady].max() == pytest.approx(peak, rel=0.01)
    assert lateral.max() < 1.5 * peak
    assert_velocities_are_derivatives(weaving, 0.1)


def test_pop_up_climbs_then_dives_onto_the_target_at_the_dive_angle():
    pop_up = PopUpDive(climb_m=1_500.0, start_distance_m=15e3, dive_angle_rad=0.6)
    trajectory = flown(pop_up)
    height = altitude(trajectory.positions)
    assert height.max() == pytest.approx(60.0 + 1_500.0, abs=1.0)
    east, north, final_height = cartesian_to_local(trajectory.positions[-1])
    assert np.hypot(east, north) < 1e-3 and abs(final_height - 60.0) < 1e-6
    velocity = trajectory.velocities
    path_angle = np.arcsin(np.sum(velocity * up(trajectory.positions), -1)
                           / np.linalg.norm(velocity, axis=-1))
    assert path_angle[-1] == pytest.approx(-0.6, abs=1e-3)
    assert path_angle.max() == pytest.approx(0.26, abs=1e-3)   # RoutePlan's climb angle
    early = trajectory.distance_m < trajectory.distance_m[-1] - 16e3
    np.testing.assert_allclose(height[early], 60.0, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(velocity, axis=-1), 250.0, atol=1e-6)
    # rounded corners: pitch rate within the route's rate limit (0.3 rad/s)
    pitch_rate = np.abs(path_angle[10:] - path_angle[:-10]) / (
        trajectory.times_s[10:] - trajectory.times_s[:-10])
    assert pitch_rate.max() <= 0.3 * 1.03
    assert pitch_rate.max() >= 0.3 * 0.9
    # central differences err by a dt / 4 where the acceleration jumps (corner entries):
    # 0.3 rad/s x 250 m/s x 0.01 s / 4 = 0.19 m/s
    assert_velocities_are_derivatives(flown(pop_up, dt=0.01), 0.25)


@settings(max_examples=100, deadline=None)
@given(st.floats(-2.0, 3.0), st.floats(1e-3, 0.5))
def test_smoothstep_is_a_monotone_ramp_with_matching_slope(x, step):
    assert 0.0 <= smoothstep(x) <= 1.0
    assert smoothstep(x + step) >= smoothstep(x)
    slope = (smoothstep(x + 1e-6) - smoothstep(x - 1e-6)) / 2e-6
    assert slope == pytest.approx(smoothstep_slope(x), abs=1e-5)


def test_bad_manoeuvres_are_refused():
    with pytest.raises(UserError, match="period_s"):
        Weave(100.0, 0.0, 1e3)
    with pytest.raises(UserError, match="dive_angle_rad"):
        PopUpDive(500.0, 5e3, 2.0)
