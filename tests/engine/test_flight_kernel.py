"""The compiled flight kernels (zenit.engine.flight) against closed forms and published values.

Each case flies one missile slot through `launch_slots` / `fly_slots` (or scores it through
`endgame`) in a world built here, with the physics switched down to what a closed form
describes: gravity off (`Rules.gravitational_parameter` = 0), drag off (drag scale 0), lift
off (reference area 0, no thrust to vector) where the case wants straight flight.

Sources:
- Tsiolkovsky's rocket equation: Sutton & Biblarz, *Rocket Propulsion Elements*, 9th ed.,
  ch. 4, eq. 4-6.
- Kepler's problem by Lagrange's f and g in eccentric anomaly: Curtis, *Orbital Mechanics for
  Engineering Students*, 3rd ed., ch. 3 (eqs. 3.14, 3.66 ff.).
- Proportional navigation, zero lag, against a heading error: zero miss and
  n_c = N Vm HE (1 - t/tF)^(N-2) / tF (Zarchan, *Tactical and Strategic Missile Guidance*,
  6th ed., ch. 2).
- Closest approach of two straight-line motions: t* = -r.v / |v|^2, miss = |r + v t*|.
- Gaussian damage function Pk = pk_max exp(-r^2 / 2 sigma^2), half of pk_max at the lethal
  radius (Driels, *Weaponeering*, AIAA, ch. on damage functions).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from zenit.engine import flight
from zenit.engine.interceptors import FLIGHT_RULES, FireControl, TrackPicture, _slot_state
from zenit.engine.streams import RandomStreams, stream_key
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.physics.guidance import EARTH_GRAVITATIONAL_PARAMETER
from zenit.physics.guidance_modes import GUIDANCE_ACTIVE_RADAR
from zenit.physics.interceptor import InterceptorParameters
from zenit.units import STANDARD_GRAVITY

EXHAUST_VELOCITY = 250.0 * STANDARD_GRAVITY
UP = np.array([0.0, 0.0, 1.0])


def tables(reference_area=0.0, drag_scale=0.0, gravitational_parameter=0.0, boost_time=6.0,
           sustain_time=9.0, vertical_time=1.0, seeker_range_m=0.0):
    """One missile type of 1800 kg with 1000 kg of propellant at Isp 250 s (70/30 boost and
    sustain), as the kernels' FlightTables."""
    impulse = 1000.0 * EXHAUST_VELOCITY
    parameters = InterceptorParameters(
        1800.0, 1000.0, 0.7 * impulse / boost_time, boost_time, 0.3 * impulse / sustain_time,
        sustain_time, reference_area, 500.0, 20.0, vertical_time, drag_scale)
    missiles = flight.MissileTable(parameters.airframes(1), np.array([GUIDANCE_ACTIVE_RADAR]),
                                   np.array([seeker_range_m]), np.array([4.0]),
                                   np.array([1e4]))
    rules = FLIGHT_RULES._replace(gravitational_parameter=gravitational_parameter)
    return flight.FlightTables(missiles, rules)


class Engagement:
    """One replication, one slot, one threat on a straight line, its track exact."""

    def __init__(self, kernel_tables, threat_position, threat_velocity):
        self.tables = kernel_tables
        self.state = _slot_state(1, 1)
        self.threat_position = np.asarray(threat_position, dtype=float)
        self.threat_velocity = np.asarray(threat_velocity, dtype=float)
        self.time = 0.0
        self.index = np.zeros(1, dtype=np.int64)

    def place(self, position, velocity, mass, time_since_launch, homing=False):
        state = self.state
        state.position[0, 0], state.velocity[0, 0] = position, velocity
        state.mass[0, 0], state.time_since_launch[0, 0] = mass, time_since_launch
        state.active[0, 0], state.homing[0, 0] = True, homing
        state.aim_point[0, 0] = self.threat_position

    def launch(self, site, direction, dt):
        flight.launch_slots(self.index, self.index, self.index, site[None], direction[None],
                            25.0, np.array([dt]), self.threat_position[None], self.state,
                            self.tables)
        self.state.active[0, 0] = True
        self.time = dt

    def fly(self, dt):
        start = self.threat_position + self.threat_velocity * self.time
        end = start + self.threat_velocity * dt
        means = np.concatenate([start, self.threat_velocity])[None, None, None]
        threats = flight.ThreatStep(start[None, None], end[None, None],
                                    self.threat_velocity[None, None])
        picture = TrackPicture(means, np.full((1, 1, 1), self.time), np.ones((1, 1, 1), bool),
                               np.zeros(1, dtype=np.int64))
        fire_control = FireControl(np.full((1, 1, 1), -np.inf), 5.0)
        result = flight.fly_slots(self.index, self.index, dt, self.time, self.state, threats,
                                  picture, fire_control, self.tables)
        self.time += dt
        return [value[0] for value in result]


def test_burnout_speed_is_tsiolkovsky_in_vacuum_without_gravity():
    """Sutton & Biblarz eq. 4-6: v = v0 + c ln(m0 / m1) at burnout, whatever the steps."""
    site = np.array([0.0, 0.0, EARTH_RADIUS_M])
    engagement = Engagement(tables(), site + 200e3 * UP, np.zeros(3))  # straight above: no loft
    engagement.launch(site, UP, 0.1)
    for dt in [0.05] * 100 + [0.35] * 20 + [0.5] * 10:
        engagement.fly(dt)
    speed = np.linalg.norm(engagement.state.velocity[0, 0])
    assert speed == pytest.approx(25.0 + EXHAUST_VELOCITY * math.log(1800.0 / 800.0), rel=1e-12)
    assert engagement.state.mass[0, 0] == pytest.approx(800.0, abs=1e-9)  # kg


def kepler(position, velocity, time_s, mu=EARTH_GRAVITATIONAL_PARAMETER):
    """Position after time_s on an elliptic orbit: Kepler's equation and Lagrange's f, g
    (Curtis ch. 3)."""
    radius, speed = np.linalg.norm(position), np.linalg.norm(velocity)
    semi_major = 1.0 / (2.0 / radius - speed**2 / mu)
    mean_motion = math.sqrt(mu / semi_major**3)
    e_cos = 1.0 - radius / semi_major
    e_sin = position @ velocity / math.sqrt(mu * semi_major)
    anomaly = change = mean_motion * time_s  # solve M = dE - e_cos sin dE + e_sin (1 - cos dE)
    for _ in range(50):
        residual = (anomaly - e_cos * math.sin(anomaly) + e_sin * (1.0 - math.cos(anomaly))
                    - change)
        anomaly -= residual / (1.0 - e_cos * math.cos(anomaly) + e_sin * math.sin(anomaly))
    f = 1.0 - semi_major / radius * (1.0 - math.cos(anomaly))
    g = time_s - (anomaly - math.sin(anomaly)) / mean_motion
    return f * position + g * velocity


def test_a_burnt_out_missile_in_vacuum_follows_the_kepler_ellipse():
    """No thrust, drag or lift: 120 s of coast at 0.25 s from 20 km up at 2 km/s, 30 degrees
    above the horizon, against Kepler's closed form: Heun's error is a few millimetres."""
    position = np.array([0.0, 0.0, EARTH_RADIUS_M + 20e3])
    velocity = 2000.0 * np.array([math.cos(math.radians(30.0)), 0.0, math.sin(math.radians(30.0))])
    engagement = Engagement(tables(gravitational_parameter=EARTH_GRAVITATIONAL_PARAMETER),
                            position + [0.0, 900e3, 0.0], np.zeros(3))
    engagement.place(position, velocity, 800.0, 100.0)
    for _ in range(480):
        engagement.fly(0.25)
    flown = engagement.state.position[0, 0]
    expected = kepler(position, velocity, 120.0)
    assert np.linalg.norm(flown - expected) < 0.05  # metres, of 213 km flown


def test_straight_lines_pass_at_the_closed_form_closest_approach():
    """Missile and target on straight lines (a coasting missile without drag, lift or gravity):
    the pass is scored at t* = -r.v / |v|^2 with miss |r + v t*|."""
    missile_position = np.array([0.0, 0.0, EARTH_RADIUS_M + 10e3])
    missile_velocity = np.array([1500.0, 20.0, -5.0])
    target_position = missile_position + np.array([30e3, 400.0, 35.0])
    target_velocity = np.array([-600.0, 0.0, 3.0])
    engagement = Engagement(tables(), target_position, target_velocity)
    engagement.place(missile_position, missile_velocity, 800.0, 100.0)
    relative_position = target_position - missile_position
    relative_velocity = target_velocity - missile_velocity
    when = -relative_position @ relative_velocity / (relative_velocity @ relative_velocity)
    expected_miss = np.linalg.norm(relative_position + relative_velocity * when)
    for _ in range(200):
        miss, time_s, passed, ended = engagement.fly(0.1)
        if passed:
            break
    assert passed and ended
    assert time_s == pytest.approx(when, abs=1e-9)  # seconds
    assert miss == pytest.approx(expected_miss, abs=1e-6)  # metres


def test_pn_against_a_straight_flying_target_hits_with_zarchans_command_profile():
    """Zarchan ch. 2, zero lag, N = 4: a 5 degree heading error is flown out with
    n_c = N Vm HE (1 - t/tF)^2 / tF and no miss. Head-on, Vm = 1000 m/s, Vt = 300 m/s,
    tF = 10 s, at 5 km where lift is plentiful; no gravity, drag or thrust."""
    heading_error = math.radians(5.0)
    missile_speed, target_speed, flight_time, dt = 1000.0, 300.0, 10.0, 0.01
    missile_position = np.array([0.0, 0.0, EARTH_RADIUS_M + 5e3])
    missile_velocity = missile_speed * np.array([math.cos(heading_error), math.sin(heading_error),
                                                 0.0])
    target_position = missile_position + [(missile_speed + target_speed) * flight_time, 0.0, 0.0]
    engagement = Engagement(tables(reference_area=0.2, seeker_range_m=1e6),
                            target_position, [-target_speed, 0.0, 0.0])
    engagement.place(missile_position, missile_velocity, 800.0, 100.0, homing=True)
    times, commands = [], []
    for step in range(int(1.2 * flight_time / dt)):
        before = engagement.state.velocity[0, 0].copy()
        miss, _, passed, _ = engagement.fly(dt)
        if passed:
            break
        times.append((step + 0.5) * dt)
        commands.append(np.linalg.norm(engagement.state.velocity[0, 0] - before) / dt)
    assert passed
    assert miss < 0.5  # metres
    fraction = np.array(times) / flight_time
    expected = 4.0 * missile_speed * heading_error * (1.0 - fraction) ** 2 / flight_time
    keep = fraction < 0.9
    # Zarchan's form is linearised: within 1 % of the 35 m/s^2 peak at 5 degrees.
    np.testing.assert_allclose(np.array(commands)[keep], expected[keep], atol=0.35)  # m/s^2


def test_endgame_kills_with_the_gaussian_damage_function():
    """With no guidance error, a miss at the lethal radius kills with pk_max / 2 and one at
    twice it with pk_max / 16 (the Gaussian damage function): 20,000 draws each."""
    count, lethal_radius, pk_max = 20_000, 20.0, 0.9
    streams = RandomStreams(5)
    error_key, kill_key = stream_key(streams, "guidance-error"), stream_key(streams, "kill")
    for miss, wanted in ((lethal_radius, pk_max / 2.0), (2.0 * lethal_radius, pk_max / 16.0)):
        _, killed = flight.endgame(
            np.full(count, miss), np.zeros(count, np.int64), np.zeros(count, np.int64),
            np.arange(count, dtype=np.int64), np.zeros(count, np.int64), np.zeros(1),
            np.zeros(1, bool), np.zeros(1), 0.3, np.array([lethal_radius]), np.array([pk_max]),
            2000.0, error_key, kill_key)
        spread = math.sqrt(wanted * (1.0 - wanted) / count)
        assert killed.mean() == pytest.approx(wanted, abs=4.0 * spread)

