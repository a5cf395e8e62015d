"""The compiled flight kernel (zenit.engine.flight) against the NumPy path it replaced.

The reference is `reference_fly` below: `InterceptorSlots.fly` as it was before the kernel
(commit 908671e), word for word, built on the xp-parameterised reference implementations
zenit.physics.guidance (predicted_intercept_point, pn_acceleration, midcourse_acceleration),
zenit.physics.interceptor.step, zenit.physics.endgame.closest_approach,
zenit.geo.atmosphere and zenit.physics.drag, and on `interceptors.lofted`. Every engine step
of a regiment-vs-raid run is flown twice from the same state, once by each, and the slot
state and the returned `Flight` must agree to 1e-9 relative (1e-6 m on miss distances, which
are differences of frame positions of 6.4e6 m). NumPy's SIMD log, exp and power and the
C library's differ in the last bit, so exact equality is not expected.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from zenit.engine import flight, interceptors
from zenit.engine.interceptors import (FUZE_REACH_M, MIDCOURSE_GAIN, MINIMUM_USEFUL_SPEED_MPS,
                                       SEEKER_GIMBAL_COSINE, TERMINAL_RANGE_TVM_M, Flight,
                                       InterceptorSlots, lofted)
from zenit.engine.simulation import FIRE_CONTROL_HOLD_S, ChunkSimulation
from zenit.engine.world import GUIDANCE_ACTIVE_RADAR, GUIDANCE_TRACK_VIA_MISSILE
from zenit.geo.atmosphere import density, speed_of_sound
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.physics import endgame, guidance, interceptor
from zenit.physics.drag import DRAG_TABLES, drag_coefficient

from engine_scenarios import REGIMENT_VS_RAID, _bundled, load, world_of

RELATIVE = 1e-9
MISS_ABSOLUTE_M = 1e-6


def reference_callbacks(simulation, time_start):
    """The simulation's callbacks to `fly` before the kernel (908671e): the track estimate
    of the battalion's network (`ChunkSimulation._track_estimate` then) and the fire-control
    hold at the step's start."""

    def track_estimate(rows, battalions, threats, time_s):
        network = simulation._network_of_battalion[battalions]
        index = (rows, network, threats)
        means, elapsed = simulation.tracks.means[index], time_s - simulation.tracks.time[index]
        position, velocity = means[:, :3] + elapsed[:, None] * means[:, 3:], means[:, 3:]
        return position, velocity, simulation.tracks.exists[index]

    def fire_control_holds(rows, battalions, threats):
        return (time_start - simulation.fire_control_time[rows, battalions, threats]
                <= FIRE_CONTROL_HOLD_S)

    return track_estimate, fire_control_holds


def reference_fly(slots, world, step, time_start, time_end, target_start, target_end,
                  target_velocity, track_estimate, fire_control_holds, streams, replication_ids):
    """`InterceptorSlots.fly` before the compiled kernel (908671e), plus what it flew through.

    Returns (Flight or None, phases): phases are masks over the flown slots, for coverage.
    """
    self = slots
    rows, slots = np.nonzero(self.active & (self.launch_step < step))
    if rows.size == 0:
        return None, None
    index = (rows, slots)
    missiles = world.missiles
    kind = self.missile_type[index]
    target = self.target[index]
    dt = time_end - time_start
    position, velocity = self.position[index], self.velocity[index]
    threat_start = target_start[rows, target]
    threat_end = target_end[rows, target]
    relative = threat_start - position
    distance = np.linalg.norm(relative, axis=-1)

    guidance_kind = missiles.guidance[kind]
    holds = fire_control_holds(rows, self.battalion[index], target)
    speed = np.linalg.norm(velocity, axis=-1)
    boresight = np.sum(relative * velocity, axis=-1) / np.maximum(distance * speed, 1e-9)
    in_view = boresight >= SEEKER_GIMBAL_COSINE
    seeker_on = np.where(guidance_kind == GUIDANCE_ACTIVE_RADAR,
                         distance <= missiles.seeker_acquisition_range_m[kind],
                         (distance <= TERMINAL_RANGE_TVM_M) & holds)
    self.homing[index] |= seeker_on & in_view
    homing = self.homing[index] & in_view
    homing &= (guidance_kind != GUIDANCE_TRACK_VIA_MISSILE) | holds

    estimate_position, estimate_velocity, known = track_estimate(rows, self.battalion[index],
                                                                 target, time_start)
    aim, _ = guidance.predicted_intercept_point(estimate_position, estimate_velocity,
                                                position, np.maximum(speed, 600.0))
    aim = np.where((known & np.isfinite(aim).all(axis=-1))[:, None], aim, self.aim_point[index])
    self.aim_point[index] = aim
    aim = lofted(position, aim)
    command = np.where(
        homing[:, None],
        guidance.pn_acceleration(relative, target_velocity[rows, target] - velocity,
                                 missiles.navigation_constant[kind]),
        guidance.midcourse_acceleration(position, velocity, aim, MIDCOURSE_GAIN))
    parameters = missiles.parameters.take(kind)
    start_time = self.time_since_launch[index]
    state = interceptor.InterceptorState(position, velocity, self.mass[index], start_time)
    state = interceptor.step(state, command, dt, parameters)

    miss, time_in_step = endgame.closest_approach(relative, threat_end - state.position, dt)
    passed = (time_in_step < dt) & (distance < FUZE_REACH_M + 2.0 * dt * (speed + 3000.0))
    killed = np.zeros(passed.shape, dtype=bool)
    if passed.any():
        at = np.flatnonzero(passed)
        sub = (rows[at], slots[at])
        miss[at] = reference_guidance_error(self, world, miss[at], kind[at], target[at],
                                            rows[at], sub, streams, replication_ids)
        probability = endgame.kill_probability(miss[at], missiles.lethal_radius_m[kind[at]],
                                               missiles.pk_max[kind[at]])
        draw = streams.uniform("kill", replication_ids[rows[at]], self.serial[sub], 0)
        killed[at] = (miss[at] <= FUZE_REACH_M) & (draw < probability)

    new_speed = np.linalg.norm(state.velocity, axis=-1)
    altitude = np.linalg.norm(state.position, axis=-1) - EARTH_RADIUS_M
    spent = ((state.time_since_launch > missiles.maximum_flight_time_s[kind])
             | (altitude < 0.0)
             | ((new_speed < MINIMUM_USEFUL_SPEED_MPS) & (state.time_since_launch > 5.0)))
    ended = passed | spent
    self.closest_m[index] = np.minimum(self.closest_m[index], np.where(passed, miss, distance))
    self.position[index] = state.position
    self.velocity[index] = state.velocity
    self.mass[index] = state.mass
    self.time_since_launch[index] = state.time_since_launch
    self.active[index] = ~ended
    phases = {
        "vertical launch": start_time < np.asarray(parameters.vertical_launch_time_s),
        "boost": start_time < np.asarray(parameters.boost_time_s),
        "midcourse": ~homing,
        "homing, active radar": homing & (guidance_kind == GUIDANCE_ACTIVE_RADAR),
        "homing, track via missile": homing & (guidance_kind == GUIDANCE_TRACK_VIA_MISSILE),
        "lofted": ~homing & (np.linalg.norm(aim - self.aim_point[index], axis=-1) > 0.0),
        "passed": passed,
        "killed": killed,
        "spent": spent & ~passed,
    }
    return Flight(rows, slots, killed, ended, np.where(passed, miss, self.closest_m[index]),
                  time_start + np.where(passed, time_in_step, dt)), phases


def reference_guidance_error(self, world, miss, kind, target, rows, index, streams,
                             replication_ids):
    """`InterceptorSlots._with_guidance_error` before it was compiled (`flight.endgame`)."""
    seeker = interceptors.GUIDANCE_ERROR_M[world.missiles.guidance[kind]]
    threats = world.threats
    lag = np.where(threats.manoeuvring[target],
                   threats.manoeuvre_acceleration[target] * interceptors.AUTOPILOT_LAG_S**2, 0.0)
    sigma = np.hypot(seeker, lag)
    serial = self.serial[index]
    ids = replication_ids[rows]
    across = sigma * streams.normal("guidance-error", ids, serial, 0, 0)
    along = sigma * streams.normal("guidance-error", ids, serial, 0, 1)
    return np.hypot(miss + across, along)


class _Stop(Exception):
    pass


def _copy(slots: InterceptorSlots) -> InterceptorSlots:
    """The slots with their state arrays copied (the packed world tables shared)."""
    twin = copy.copy(slots)
    for name, value in vars(slots).items():
        if isinstance(value, np.ndarray):
            setattr(twin, name, value.copy())
    return twin


SLOT_FIELDS = ("active", "homing", "position", "velocity", "mass", "time_since_launch",
               "aim_point", "closest_m")


def _differences(expected: InterceptorSlots, actual: InterceptorSlots, wanted, got):
    """Readable mismatches between two slot sets and two Flights, empty when they agree."""
    problems = []
    for name in SLOT_FIELDS:
        a, b = getattr(expected, name), getattr(actual, name)
        if a.dtype == bool:
            if not np.array_equal(a, b):
                problems.append(f"slots.{name}: {np.argwhere(a != b)[:3].tolist()} differ")
            continue
        absolute = MISS_ABSOLUTE_M if name == "closest_m" else 0.0
        close = np.isclose(b, a, rtol=RELATIVE, atol=absolute)
        close |= np.isinf(a) & (a == b)
        if not close.all():
            where = tuple(np.argwhere(~close)[0])
            problems.append(f"slots.{name}{list(where)}: {b[where]!r} != reference {a[where]!r}")
    if (wanted is None) != (got is None):
        return problems + [f"flight: {got!r} where the reference gave {wanted!r}"]
    if wanted is None:
        return problems
    for name in ("rows", "slots", "killed", "ended"):
        if not np.array_equal(getattr(wanted, name), getattr(got, name)):
            problems.append(f"flight.{name} differs")
    for name, absolute in (("miss_distance_m", MISS_ABSOLUTE_M), ("time_s", 0.0)):
        a, b = getattr(wanted, name), getattr(got, name)
        close = np.isclose(b, a, rtol=RELATIVE, atol=absolute) | (np.isinf(a) & (a == b))
        if not close.all():
            at = int(np.flatnonzero(~close)[0])
            problems.append(f"flight.{name}[{at}]: {b[at]!r} != reference {a[at]!r}")
    return problems


@pytest.fixture(scope="module")
def raid_world():
    data = copy.deepcopy(_bundled(REGIMENT_VS_RAID))
    data["simulation"]["record"] = []
    return world_of(load(data, "regiment-vs-raid.yaml"))


def test_every_step_of_a_raid_matches_the_numpy_reference(raid_world, monkeypatch):
    """Each engine step of regiment-vs-raid flown by the kernel and by `reference_fly`.

    Both start every step from the same slot state (the reference flies a copy); the run goes
    on with the kernel's. The phases the reference saw are counted so that the test
    shows what it covered: vertical launch, boost, midcourse (lofted), homing on the seeker
    (active radar) and on track-via-missile, passes with kills and misses, spent missiles.
    """
    seen = {}
    problems = []
    fly = InterceptorSlots.fly
    simulation = ChunkSimulation(raid_world, 2, np.arange(2))

    def checked(slots, world, step, time_start, time_end, *arguments):
        reference = _copy(slots)
        threats, rest = arguments[:3], arguments[5:]
        wanted, phases = reference_fly(reference, world, step, time_start, time_end, *threats,
                                       *reference_callbacks(simulation, time_start), *rest)
        got = fly(slots, world, step, time_start, time_end, *arguments)
        for problem in _differences(reference, slots, wanted, got):
            problems.append(f"step {step}: {problem}")
        for name, mask in (phases or {}).items():
            seen[name] = seen.get(name, 0) + int(np.count_nonzero(mask))
        return got

    monkeypatch.setattr(InterceptorSlots, "fly", checked)
    simulation.run()
    assert not problems, "\n".join(problems[:20])
    missing = [name for name in ("vertical launch", "boost", "midcourse", "lofted",
                                 "homing, active radar", "homing, track via missile", "passed",
                                 "killed", "spent") if not seen.get(name)]
    assert not missing, f"the run never flew through {missing}: {seen}"


def test_a_changed_rule_is_caught(raid_world, monkeypatch):
    """The comparison above can fail: a kernel flown with a slightly different midcourse gain
    (1.001 instead of 1.0 per second) departs from the reference once a missile is out of
    its vertical launch."""
    rules = interceptors.FLIGHT_RULES._replace(midcourse_gain=MIDCOURSE_GAIN * 1.001)
    monkeypatch.setattr(interceptors, "FLIGHT_RULES", rules)
    simulation = ChunkSimulation(raid_world, 2, np.arange(1))
    seen = []
    fly = InterceptorSlots.fly

    def checked(slots, world, step, time_start, time_end, *arguments):
        reference = _copy(slots)
        threats, rest = arguments[:3], arguments[5:]
        wanted, _ = reference_fly(reference, world, step, time_start, time_end, *threats,
                                  *reference_callbacks(simulation, time_start), *rest)
        got = fly(slots, world, step, time_start, time_end, *arguments)
        problems = _differences(reference, slots, wanted, got)
        if problems:
            seen.extend(problems)
            raise _Stop
        return got

    monkeypatch.setattr(InterceptorSlots, "fly", checked)
    with pytest.raises(_Stop):
        simulation.run()
    assert any("velocity" in problem for problem in seen), seen


def test_compiled_atmosphere_matches_the_us76_module():
    """`flight.air` against zenit.geo.atmosphere's density and speed_of_sound, from below the
    -5 km floor through the layer bases and the 86 km join to beyond the last table row."""
    layers, upper, constants = tables = flight.atmosphere_tables()
    radius_m = constants[flight.AIR_GEOPOTENTIAL_RADIUS_M]
    base_geopotential_m = layers[flight.LAYER_BASE_GEOPOTENTIAL]
    bases = radius_m * base_geopotential_m / (radius_m - base_geopotential_m)
    altitudes = np.concatenate([np.linspace(-8e3, 130e3, 2001), np.linspace(130e3, 1.3e6, 301),
                                bases, bases - 1e-3, bases + 1e-3, upper[0],
                                [-5e3, 86e3, 86e3 + 1e-6, 1e6, np.nan]])
    compiled = np.array([flight.air(altitude, *tables) for altitude in altitudes])
    np.testing.assert_allclose(compiled[:, 0], density(altitudes), rtol=1e-12)
    np.testing.assert_allclose(compiled[:, 1], speed_of_sound(altitudes), rtol=1e-12)


@pytest.mark.parametrize("profile", sorted(DRAG_TABLES))
def test_compiled_interpolation_is_numpys(profile):
    """`flight.interp` is np.interp bit for bit on the drag profiles: below, on, between and
    beyond the knots, and at NaN."""
    table = flight.drag_table(profile)
    knots = table[0]
    mach = np.concatenate([np.linspace(0.0, 40.0, 4001), knots, np.nextafter(knots, -1.0),
                           np.nextafter(knots, 99.0), [-1.0, np.inf, np.nan]])
    compiled = np.array([flight.interp(abs(value), table) for value in mach])
    np.testing.assert_array_equal(compiled, drag_coefficient(mach, profile=profile))
