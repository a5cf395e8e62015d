"""The trajectory bank: phases, cubic Hermite reading between samples, offsets.

Sources: cubic Hermite interpolation reproduces its end values and derivatives and is
third-order accurate (de Boor, *A Practical Guide to Splines*, 2001, ch. IV); the lateral
route offset is a smoothstep-faded shift perpendicular to the velocity (Zenit design,
physics/threats.py); impact on the aim point follows the closed-form ballistic tests.
"""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from zenit.geo.frames import EARTH_RADIUS_M, cartesian_to_local, local_to_cartesian, up
from zenit.physics.manoeuvres import SampledTrajectory
from zenit.physics.threats import (ENDED, FLYING, NOT_LAUNCHED, BallisticPlan, PopUpDive,
                                   RoutePlan, TrajectoryBank, Weave, flight_phase, threat_state)

STRAIGHT = RoutePlan(30.0, np.array([[0.0, -100e3, 200.0], [0.0, 0.0, 200.0]]),
                     np.array([250.0, 250.0]), 0.2)
TURNING = RoutePlan(0.0, np.array([[-80e3, -80e3, 500.0], [0.0, -80e3, 500.0],
                                   [0.0, 0.0, 300.0], [40e3, 40e3, 100.0]]),
                    np.array([230.0, 250.0, 260.0, 240.0]), 0.15)
MANOEUVRING = [
    RoutePlan(5.0, np.array([[60e3, -60e3, 50.0], [0.0, 0.0, 50.0]]), np.full(2, 240.0), 0.3,
              manoeuvre=Weave(100.0, 10.0, 15e3)),
    RoutePlan(5.0, np.array([[-60e3, -60e3, 50.0], [0.0, 0.0, 50.0]]), np.full(2, 280.0), 0.3,
              manoeuvre=PopUpDive(1_000.0, 10e3, 0.5)),
]


@pytest.fixture(scope="module")
def banks():
    plans = [STRAIGHT, TURNING] + MANOEUVRING
    return TrajectoryBank.build(plans, sample_dt_s=0.5), TrajectoryBank.build(plans,
                                                                              sample_dt_s=0.1)


def test_positions_barely_depend_on_the_sample_step(banks):
    coarse, fine = banks
    times = np.linspace(0.0, 1_500.0, 15_001)[:, None]
    coarse_position, coarse_velocity, _ = coarse.state(times)
    fine_position, fine_velocity, _ = fine.state(times)
    error = np.linalg.norm(coarse_position - fine_position, axis=-1)
    assert error[:, 0].max() < 1e-3     # straight leg: within a millimetre (spec: a metre)
    assert error[:, 1].max() < 3.0      # turns of radius 1.7 km: within a few metres
    assert error[:, 2:].max() < 3.0     # weave and pop-up
    assert np.linalg.norm(coarse_velocity - fine_velocity, axis=-1).max() < 5.0


def test_samples_are_reproduced_exactly(banks):
    coarse, _ = banks
    count = coarse.sample_count[1]
    position, velocity, phase = coarse.state(coarse.times[1, :count][:, None])
    np.testing.assert_allclose(position[:, 1], coarse.positions[1, :count], atol=1e-6)
    np.testing.assert_allclose(velocity[1:-1, 1], coarse.velocities[1, 1:count - 1], atol=1e-9)
    assert np.all(phase[:, 1] == FLYING)


def test_phase_codes_around_launch_and_end(banks):
    bank, _ = banks
    launch, end = bank.launch_time_s, bank.end_time_s
    length = 100e3 * (EARTH_RADIUS_M + 200.0) / EARTH_RADIUS_M   # flown at 200 m
    assert launch[0] == 30.0 and end[0] == pytest.approx(30.0 + length / 250.0, abs=1e-4)
    for offset, expected in [(-1e-6, NOT_LAUNCHED), (1e-6, FLYING)]:
        position, velocity, phase = bank.state(launch + offset)
        assert np.all(phase == expected)
        np.testing.assert_allclose(position, bank.positions[:, 0], atol=1e-3)
        assert np.all((np.linalg.norm(velocity, axis=-1) > 200.0) == (expected == FLYING))
    position, velocity, phase = bank.state(end + 1e-6)
    assert np.all(phase == ENDED) and np.all(velocity == 0.0)
    np.testing.assert_allclose(position, bank.positions[np.arange(4), bank.sample_count - 1],
                               rtol=0, atol=1e-6)
    _, _, phase = bank.state(end - 1e-6)
    assert np.all(phase == FLYING)


def test_time_offset_delays_the_flight(banks):
    bank, _ = banks
    delays = np.array([[0.0, 3.0, -2.0, 7.5]])
    shifted = bank.state(np.array([[400.0]]), time_offset_s=delays)
    reference = bank.state(400.0 - delays)
    for a, b in zip(shifted, reference):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-6)
    _, _, phase = bank.state(30.5, time_offset_s=np.array([[0.0, 0, 0, 0], [1.0, 0, 0, 0]]))
    assert phase[0, 0] == FLYING and phase[1, 0] == NOT_LAUNCHED


@settings(max_examples=30, deadline=None)
@given(st.floats(-3_000.0, 3_000.0), st.floats(0.25, 0.75))   # fades: first and last 20 km
def test_lateral_offset_shifts_sideways_and_fades_at_both_ends(offset, fraction):
    bank = TrajectoryBank.build([STRAIGHT], sample_dt_s=0.5)
    time = bank.launch_time_s[0] + fraction * (bank.end_time_s[0] - bank.launch_time_s[0])
    nominal, nominal_velocity, _ = bank.state(time)
    shifted, shifted_velocity, _ = bank.state(time, lateral_offset_m=offset)
    shift = shifted - nominal
    assert np.linalg.norm(shift) == pytest.approx(abs(offset), abs=1e-3)
    assert abs(np.sum(shift * up(nominal))) < 1e-3 * abs(offset) + 1e-6    # horizontal
    assert abs(np.sum(shift * nominal_velocity)) < 1e-6 * abs(offset) * 250.0 + 1e-6
    np.testing.assert_allclose(shifted_velocity, nominal_velocity, atol=1e-6)  # fade done
    for at in (bank.launch_time_s, bank.end_time_s):
        position, _, _ = bank.state(at, lateral_offset_m=offset)
        np.testing.assert_allclose(position, bank.state(at)[0], atol=1e-6)


def test_shifted_velocity_is_the_rate_of_the_shifted_position(banks):
    bank, _ = banks
    times = np.linspace(31.0, 300.0, 2_000)[:, None]   # through the fade-in
    offsets = np.full((1, 4), 2_000.0)
    position, velocity, phase = bank.state(times, lateral_offset_m=offsets)
    step = 1e-3
    ahead, _, _ = bank.state(times + step, lateral_offset_m=offsets)
    behind, _, _ = bank.state(times - step, lateral_offset_m=offsets)
    finite = (ahead - behind) / (2 * step)
    flying = phase == FLYING
    assert np.abs(finite - velocity)[flying].max() < 0.05


def test_mixed_bank_lands_ballistic_missile_on_its_aim_point():
    aim = np.array([20e3, 250e3, 0.0])
    plans = [STRAIGHT, BallisticPlan(60.0, np.array([0.0, -50e3, 0.0]), aim, 1_500.0, 0.66)]
    bank = TrajectoryBank.build(plans, sample_dt_s=0.5)
    assert bank.is_ballistic.tolist() == [False, True]
    position, _, phase = bank.state(bank.end_time_s[1])
    east, north, height = cartesian_to_local(position[1])
    assert np.hypot(east - aim[0], north - aim[1]) < 1.0 and abs(height) < 1e-3
    assert phase[1] == FLYING
    position, _, phase = bank.state(np.full((5, 1), 59.0), lateral_offset_m=np.ones((5, 2)))
    assert position.shape == (5, 2, 3) and phase.shape == (5, 2)
    np.testing.assert_allclose(position[:, 1],
                               np.broadcast_to(local_to_cartesian(0.0, -50e3, 0.0), (5, 3)),
                               atol=1e-6)
    assert np.all(phase[:, 1] == NOT_LAUNCHED)


def test_hermite_reading_reproduces_a_cubic_path_exactly():
    """Cubic Hermite interpolation with the true end velocities is exact for a cubic (de Boor,
    ch. IV): a path p(t) = a + b t + c t^2 + d t^3 sampled every 2 s reads back to rounding
    anywhere between the samples, with velocity p'(t)."""
    a, b = np.array([1e3, -2e3, 6.4e6]), np.array([200.0, 50.0, 10.0])
    c, d = np.array([0.5, -0.2, 0.01]), np.array([-0.003, 0.001, 0.0])
    times = np.arange(0.0, 61.0, 2.0)
    path = a + b * times[:, None] + c * times[:, None] ** 2 + d * times[:, None] ** 3
    rate = b + 2 * c * times[:, None] + 3 * d * times[:, None] ** 2
    distance = np.r_[0.0, np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=-1))]
    bank = TrajectoryBank([SampledTrajectory(times, path, rate, distance)], sample_dt_s=2.0)
    samples = bank.samples
    for clock in (0.0, 0.7, 13.3, 31.0, 59.9, 60.0):
        state = threat_state(samples.times, samples.packed, 0, samples.last_index[0],
                             samples.launch_time_s[0], 2.0, clock, 0.0)
        want = (a + b * clock + c * clock**2 + d * clock**3, b + 2 * c * clock + 3 * d * clock**2)
        np.testing.assert_allclose(state[:3], want[0], rtol=0, atol=1e-6)
        np.testing.assert_allclose(state[3:], want[1], rtol=0, atol=1e-9)
        position, velocity, phase = bank.state(clock)
        np.testing.assert_array_equal(position[0], state[:3])
        np.testing.assert_array_equal(velocity[0], state[3:])
        assert phase[0] == flight_phase(clock, 0.0, 60.0) == FLYING
    assert flight_phase(-0.1, 0.0, 60.0) == NOT_LAUNCHED and flight_phase(60.1, 0.0, 60.0) == ENDED
