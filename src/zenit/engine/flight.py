"""Flying the interceptor slots one step: the per-slot work of `InterceptorSlots.fly`, compiled.

For every missile in flight: the seeker's view and the homing decision, the predicted
intercept point on its network's track and the loft, the guidance command (true PN when
homing, command guidance toward the lofted PIP otherwise), one Heun step of the 3-DOF model,
the closest approach inside the step, and whether the missile is spent. The state is read
from and written back to the slots' (replication, slot) arrays in place. What each missile
reads of its target, its track and its fire-control radar is gathered in a loop of its own
first: those reads land all over large arrays, and there many of them are in flight at once.

The formulas, and the order of their arithmetic, are those of the reference
implementations, which stay the definition (and the route to a GPU):
`zenit.physics.guidance` (`predicted_intercept_point`, `pn_acceleration`,
`midcourse_acceleration`, `gravity_acceleration`), `zenit.physics.interceptor.step`,
`zenit.physics.endgame.closest_approach`, `zenit.geo.atmosphere` (`density`,
`speed_of_sound`), `zenit.physics.drag.drag_coefficient`, `FusedTracks.estimate` and
`interceptors.lofted`. Two departures, both below the last bit NumPy itself guarantees:
|r|^3 is r r r rather than pow(r, 3), and ln(1) is not called for. Quantities both
guidance and the first Heun stage need are computed once. The tables and constants come
in as arguments (`FlightTables`), never as compiled-in globals, so a change to them is never
hidden by a stale compiled cache. Each slot's work depends on that slot alone, so the result
does not depend on the chunk.

What stays in NumPy: the random draws for the few missiles that passed their target, after
the call (they are addressed by missile serial, so drawing for those alone gives the numbers
a full draw would).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from zenit.engine.jit import inline_kernel, kernel
from zenit.engine.reach import ground_range_and_height
from zenit.engine.streams import normal_at, uniform_at
from zenit.geo import atmosphere
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.physics.drag import DRAG_TABLES, check_profile
from zenit.physics.guidance import EARTH_GRAVITATIONAL_PARAMETER
from zenit.physics.endgame import HALF_POWER_SIGMA
from zenit.physics.interceptor import THRUST_VECTOR_ANGLE_RAD


# Rows of FlightTables.air_layers, one column per layer of the 1976 atmosphere.
LAYER_BASE_GEOPOTENTIAL, LAYER_BASE_TEMPERATURE, LAYER_LAPSE, LAYER_BASE_PRESSURE, LAYER_POWER, \
    LAYER_ISOTHERMAL = range(6)
# FlightTables.air_constants.
AIR_LOWEST_M, AIR_BAROMETRIC_TOP_M, AIR_GEOPOTENTIAL_RADIUS_M, AIR_DENSITY_FACTOR, \
    AIR_SOUND_FACTOR = range(5)
# Columns of FlightTables.missiles, one row per missile type.
MISSILE_COLUMNS = ("launch_mass_kg", "propellant_mass_kg", "boost_thrust_n", "boost_time_s",
                   "sustain_thrust_n", "sustain_time_s", "total_impulse_ns",
                   "exhaust_velocity_mps", "reference_area_m2", "max_lateral_acceleration_mps2",
                   "normal_force_coefficient_max", "vertical_launch_time_s",
                   "drag_coefficient_scale", "guidance", "seeker_acquisition_range_m",
                   "navigation_constant", "maximum_flight_time_s")
LAUNCH_MASS, PROPELLANT_MASS, BOOST_THRUST, BOOST_TIME, SUSTAIN_THRUST, SUSTAIN_TIME, \
    TOTAL_IMPULSE, EXHAUST_VELOCITY, REFERENCE_AREA, MAX_LATERAL_ACCELERATION, \
    NORMAL_FORCE_COEFFICIENT_MAX, VERTICAL_LAUNCH_TIME, DRAG_COEFFICIENT_SCALE, GUIDANCE, \
    SEEKER_ACQUISITION_RANGE, NAVIGATION_CONSTANT, MAXIMUM_FLIGHT_TIME = range(len(MISSILE_COLUMNS))
# Columns of what `fly_slots` gathers per missile before flying it.
THREAT_START, THREAT_END, THREAT_VELOCITY, TRACK_POSITION, TRACK_VELOCITY = 0, 3, 6, 9, 12
TRACK_EXISTS, HOLDS, GATHERED = 15, 16, 17


class Rules(NamedTuple):
    """The guidance and endgame constants of `zenit.engine.interceptors` and the frame's."""

    guidance_track_via_missile: int
    guidance_active_radar: int
    midcourse_gain: float
    terminal_range_tvm_m: float
    seeker_gimbal_cosine: float
    fuze_reach_m: float
    minimum_useful_speed_mps: float
    loft_ratio: float
    loft_fade_m: float
    earth_radius_m: float
    gravitational_parameter: float
    thrust_vector_sine: float


class FlightTables(NamedTuple):
    """What the kernel reads besides the slots and the threats: contiguous float64 arrays
    (and the rules' scalars), built once per world by `flight_tables`."""

    missiles: np.ndarray  # (K, len(MISSILE_COLUMNS)) per missile type
    drag: np.ndarray  # (2, D): the missiles' drag profile, Mach knots and Cd0 at each
    air_layers: np.ndarray  # (6, L): the LAYER_* figures of each atmosphere layer
    air_upper: np.ndarray  # (2, U): geometric altitude (m) and log density above 86 km
    air_constants: np.ndarray  # (5,): the AIR_* constants
    rules: Rules


def _floats(values) -> np.ndarray:
    return np.ascontiguousarray(np.reshape(np.asarray(values, dtype=np.float64), (-1,)))


def atmosphere_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(layers, upper, constants) for `air`: what `zenit.geo.atmosphere` computes density and
    the speed of sound from."""
    layers = np.stack([_floats(atmosphere._BASE_GEOPOTENTIAL_M),
                       _floats(atmosphere._BASE_TEMPERATURE), _floats(atmosphere._LAPSE_RATE),
                       _floats(atmosphere._BASE_PRESSURE), _floats(atmosphere._POWER),
                       _floats(atmosphere._ISOTHERMAL)])
    upper = np.stack([_floats(atmosphere._UPPER_ALTITUDE_M),
                      _floats(atmosphere._UPPER_LOG_DENSITY)])
    constants = np.zeros(5)
    constants[AIR_LOWEST_M] = atmosphere.LOWEST_ALTITUDE_M
    constants[AIR_BAROMETRIC_TOP_M] = atmosphere.BAROMETRIC_TOP_M
    constants[AIR_GEOPOTENTIAL_RADIUS_M] = atmosphere.GEOPOTENTIAL_RADIUS_M
    constants[AIR_DENSITY_FACTOR] = atmosphere.MOLAR_MASS_SEA_LEVEL / atmosphere.GAS_CONSTANT
    constants[AIR_SOUND_FACTOR] = (atmosphere.HEAT_CAPACITY_RATIO * atmosphere.GAS_CONSTANT
                                   / atmosphere.MOLAR_MASS_SEA_LEVEL)
    return np.ascontiguousarray(layers), np.ascontiguousarray(upper), constants


def drag_table(profile: str) -> np.ndarray:
    """(2, D): Mach knots and drag coefficients of a `zenit.physics.drag` profile."""
    mach, coefficient = DRAG_TABLES[check_profile(profile)]
    return np.ascontiguousarray(np.stack([_floats(mach), _floats(coefficient)]))


def missile_table(missiles) -> np.ndarray:
    """(K, len(MISSILE_COLUMNS)): a world's `MissileTypeArrays` and `InterceptorParameters`."""
    parameters = missiles.parameters
    values = {field: getattr(parameters, field, None) for field in MISSILE_COLUMNS}
    values.update(total_impulse_ns=parameters.total_impulse(),
                  exhaust_velocity_mps=parameters.exhaust_velocity(),
                  guidance=missiles.guidance,
                  seeker_acquisition_range_m=missiles.seeker_acquisition_range_m,
                  navigation_constant=missiles.navigation_constant,
                  maximum_flight_time_s=missiles.maximum_flight_time_s)
    return np.ascontiguousarray(np.stack([np.broadcast_to(_floats(values[field]), (missiles.count,))
                                          for field in MISSILE_COLUMNS], axis=1))


def flight_tables(missiles, rules: Rules) -> FlightTables:
    """Everything the kernel reads besides the slots and the threats, built once per world."""
    layers, upper, constants = atmosphere_tables()
    return FlightTables(missile_table(missiles), drag_table(missiles.parameters.drag_profile),
                        layers, upper, constants, rules)


def rules(guidance_track_via_missile, guidance_active_radar, midcourse_gain,
          terminal_range_tvm_m, seeker_gimbal_cosine, fuze_reach_m, minimum_useful_speed_mps,
          loft_ratio, loft_fade_m) -> Rules:
    return Rules(int(guidance_track_via_missile), int(guidance_active_radar),
                 float(midcourse_gain), float(terminal_range_tvm_m), float(seeker_gimbal_cosine),
                 float(fuze_reach_m), float(minimum_useful_speed_mps), float(loft_ratio),
                 float(loft_fade_m), float(EARTH_RADIUS_M), float(EARTH_GRAVITATIONAL_PARAMETER),
                 math.sin(THRUST_VECTOR_ANGLE_RAD))


# -- scalar helpers: NumPy's semantics (NaN propagates through min, max and clip) ------------

@kernel
def _minimum(a, b):
    if a != a or b != b:
        return a + b
    return a if a <= b else b


@kernel
def _maximum(a, b):
    if a != a or b != b:
        return a + b
    return a if a >= b else b


@kernel
def _clip(x, low, high):
    return _minimum(_maximum(x, low), high)


@kernel
def _norm(x, y, z):
    return math.sqrt(x * x + y * y + z * z)


@kernel
def _between(x, x0, x1, y0, y1):
    """arr_interp's step between two knots, with its retry from the right on a NaN."""
    if x0 == x:
        return y0
    slope = (y1 - y0) / (x1 - x0)
    y = slope * (x - x0) + y0
    if y != y:
        y = slope * (x - x1) + y1
        if y != y and y0 == y1:
            y = y0
    return y


@kernel
def interp(x, table):
    """np.interp(x, table[0], table[1]) for one x: NumPy's algorithm (compiled_base.c,
    arr_interp), the same arithmetic in the same order."""
    last = table.shape[1] - 1
    if x != x:
        return x
    if x > table[0, last]:
        return table[1, last]
    if x < table[0, 0]:
        return table[1, 0]
    j = 0
    while j < last and table[0, j + 1] <= x:
        j += 1
    if j == last:
        return table[1, last]
    return _between(x, table[0, j], table[0, j + 1], table[1, j], table[1, j + 1])


@kernel
def _upper_density(altitude_m, upper):
    """Density above 86 km: log-linear in the 1976 tables, the last slope continued beyond."""
    last = upper.shape[1] - 1
    beyond_m = _maximum(altitude_m - upper[0, last], 0.0)
    last_slope = (upper[1, last] - upper[1, last - 1]) / (upper[0, last] - upper[0, last - 1])
    inside = _clip(altitude_m, upper[0, 0], upper[0, last])
    return math.exp(interp(inside, upper) + last_slope * beyond_m)


@kernel
def _geopotential(altitude_m, constants):
    """Geopotential altitude (m') of a geometric one, clipped to [-5 km, 86 km] first."""
    radius_m = constants[AIR_GEOPOTENTIAL_RADIUS_M]
    clipped = _minimum(_maximum(altitude_m, constants[AIR_LOWEST_M]),
                       constants[AIR_BAROMETRIC_TOP_M])
    return radius_m * clipped / (radius_m + clipped)


@kernel
def _layer(geopotential_m, layers):
    """The atmosphere layer holding a geopotential altitude: a count of the bases passed."""
    layer = 0
    for base in range(1, layers.shape[1]):
        if geopotential_m >= layers[LAYER_BASE_GEOPOTENTIAL, base]:
            layer += 1
    return layer


@kernel
def _air_in_layer(altitude_m, geopotential_m, base_geopotential_m, base_temperature, lapse,
                  base_pressure, power, isothermal, barometric_top_m, density_factor,
                  sound_factor):
    """(density or NaN above 86 km, speed of sound) from one layer's figures."""
    above_base_m = geopotential_m - base_geopotential_m
    molecular_temperature = base_temperature + lapse * above_base_m
    speed_of_sound = math.sqrt(sound_factor * molecular_temperature)
    if altitude_m > barometric_top_m:
        return np.nan, speed_of_sound
    # An isothermal layer's T / Tb is exactly 1, and ln(1) = 0 needs no logarithm.
    ratio = molecular_temperature / base_temperature
    exponent = (power * (math.log(ratio) if ratio != 1.0 else 0.0) + isothermal * above_base_m)
    pressure = base_pressure * math.exp(-exponent)
    return pressure * density_factor / molecular_temperature, speed_of_sound


@kernel
def _air(altitude_m, layer, geopotential_m, layers, constants):
    """`air`, the layer found: the arguments the helpers above need, in one place."""
    return _air_in_layer(altitude_m, geopotential_m, layers[LAYER_BASE_GEOPOTENTIAL, layer],
                         layers[LAYER_BASE_TEMPERATURE, layer], layers[LAYER_LAPSE, layer],
                         layers[LAYER_BASE_PRESSURE, layer], layers[LAYER_POWER, layer],
                         layers[LAYER_ISOTHERMAL, layer], constants[AIR_BAROMETRIC_TOP_M],
                         constants[AIR_DENSITY_FACTOR], constants[AIR_SOUND_FACTOR])


@kernel
def air(altitude_m, layers, upper, constants):
    """(density kg/m^3, speed of sound m/s) at a geometric altitude (m), as
    zenit.geo.atmosphere's `density` and `speed_of_sound` compute them (`atmosphere_tables`).

    `fly_slots` strings the same pieces together itself, where the compiler inlines them.
    """
    geopotential_m = _geopotential(altitude_m, constants)
    density, speed_of_sound = _air(altitude_m, _layer(geopotential_m, layers), geopotential_m,
                                   layers, constants)
    if altitude_m > constants[AIR_BAROMETRIC_TOP_M]:
        density = _upper_density(altitude_m, upper)
    return density, speed_of_sound


@kernel
def _gravity(x, y, z, radius, mu):
    """guidance.gravity_acceleration at r = (x, y, z), |r| = radius: -mu r / |r|^3.

    |r|^3 as two products, not pow(): a third of the cost, and no less faithful, since NumPy's
    own `radius**3` (its SIMD power) and the C library's pow differ in the last bit anyway.
    """
    radius_cubed = radius * radius * radius
    return -mu * x / radius_cubed, -mu * y / radius_cubed, -mu * z / radius_cubed


@kernel
def _unit(x, y, z, norm):
    """(x, y, z) / norm, zero where the norm is."""
    if norm > 0.0:
        return x / norm, y / norm, z / norm
    return 0.0, 0.0, 0.0


@kernel
def _acceleration(ux, uy, uz, speed, gx, gy, gz, mass, locked, thrust_acceleration, cx, cy, cz,
                  density, drag_coefficient, reference_area, drag_scale, normal_force_max,
                  lateral_max, thrust_vector_sine):
    """interceptor._acceleration for one missile, given its velocity's direction and size,
    gravity where it is, the air's density and the drag coefficient at its Mach number:
    thrust + drag + gravity + limited lift."""
    dynamic_pressure = 0.5 * density * (speed * speed)
    drag_force = dynamic_pressure * reference_area * drag_scale * drag_coefficient
    along = thrust_acceleration - drag_force / mass

    across = cx * ux + cy * uy + cz * uz
    lx, ly, lz = cx - across * ux, cy - across * uy, cz - across * uz
    aerodynamic = dynamic_pressure * reference_area * normal_force_max / mass
    limit = _minimum(lateral_max, aerodynamic + thrust_acceleration * thrust_vector_sine)
    if locked:
        limit = 0.0
    magnitude = _norm(lx, ly, lz)
    scale = 1.0
    if magnitude > limit:
        scale = limit / (magnitude if magnitude > 0.0 else 1.0)
    return (along * ux + lx * scale + gx, along * uy + ly * scale + gy,
            along * uz + lz * scale + gz)


@kernel
def _mass_at(time, launch_mass, propellant_mass, boost_thrust, boost_time, sustain_thrust,
             sustain_time, total_impulse):
    """InterceptorParameters.mass_at for one missile."""
    delivered = (boost_thrust * _clip(time, 0.0, boost_time)
                 + sustain_thrust * _clip(time - boost_time, 0.0, sustain_time))
    burnt_fraction = delivered / total_impulse if total_impulse > 0.0 else 0.0
    return launch_mass - propellant_mass * burnt_fraction


@kernel
def _predicted_intercept_point(tx, ty, tz, wx, wy, wz, mx, my, mz, speed):
    """guidance.predicted_intercept_point for one target (t, velocity w) and missile (m)."""
    ox, oy, oz = tx - mx, ty - my, tz - mz
    quadratic = (wx * wx + wy * wy + wz * wz) - speed * speed
    linear = 2.0 * (ox * wx + oy * wy + oz * wz)
    constant = ox * ox + oy * oy + oz * oz
    discriminant = linear * linear - 4.0 * quadratic * constant
    solvable = discriminant >= 0.0
    root = math.sqrt(discriminant if solvable else 0.0)
    time = np.inf
    for denominator in (-linear + root, -linear - root):
        usable = solvable and denominator != 0.0
        candidate = 2.0 * constant / (denominator if usable else 1.0)
        if usable and candidate >= 0.0:
            time = _minimum(time, candidate)
    if not math.isfinite(time):
        time = np.nan
    return tx + wx * time, ty + wy * time, tz + wz * time


@inline_kernel
def _heun_step(px, py, pz, vx, vy, vz, speed, ux, uy, uz, radius, gx, gy, gz, start_time,
               start_mass, dt, cx, cy, cz, missiles, kind, tables):
    """interceptor.step for one missile of type `kind` under the command (cx, cy, cz) held
    over dt: Heun's method, thrust as the step's exact mean. The missile is at p with
    velocity v (speed, direction u), radius from the Earth's centre and gravity g.

    Returns the new position, velocity and mass.
    """
    drag = tables.drag
    layers, upper, air_constants = tables.air_layers, tables.air_upper, tables.air_constants
    rules = tables.rules
    earth_radius_m, mu = rules.earth_radius_m, rules.gravitational_parameter
    thrust_vector_sine = rules.thrust_vector_sine
    safe_dt = dt if dt > 0.0 else 1.0
    half_dt = 0.5 * dt
    end_time = start_time + dt
    end_mass = _minimum(_mass_at(end_time, missiles[kind, LAUNCH_MASS],
                                 missiles[kind, PROPELLANT_MASS], missiles[kind, BOOST_THRUST],
                                 missiles[kind, BOOST_TIME], missiles[kind, SUSTAIN_THRUST],
                                 missiles[kind, SUSTAIN_TIME], missiles[kind, TOTAL_IMPULSE]),
                        start_mass)
    # ln(1) = 0 exactly: a burnt-out motor (most of the flight) needs no logarithm.
    mass_ratio = start_mass / end_mass
    speed_gain = missiles[kind, EXHAUST_VELOCITY] * (math.log(mass_ratio) if mass_ratio != 1.0
                                                     else 0.0)
    thrust_acceleration = speed_gain / safe_dt
    vertical_end = missiles[kind, VERTICAL_LAUNCH_TIME]
    reference_area = missiles[kind, REFERENCE_AREA]
    drag_scale = missiles[kind, DRAG_COEFFICIENT_SCALE]
    normal_force_max = missiles[kind, NORMAL_FORCE_COEFFICIENT_MAX]
    lateral_max = missiles[kind, MAX_LATERAL_ACCELERATION]
    # The acceleration at the start, then at the Euler-predicted end: taken where the
    # missile is (sx..) at a velocity (wx.., of size w and direction ex..) and mass.
    sx, sy, sz, wx, wy, wz = px, py, pz, vx, vy, vz
    w, ex, ey, ez, where, hx, hy, hz = speed, ux, uy, uz, radius, gx, gy, gz
    stage_mass, locked = start_mass, start_time < vertical_end - 1e-6
    a0x = a0y = a0z = ax = ay = az = 0.0
    for stage in range(2):
        if stage == 1:
            w = _norm(wx, wy, wz)
            ex, ey, ez = _unit(wx, wy, wz, w)
            where = _norm(sx, sy, sz)
            hx, hy, hz = _gravity(sx, sy, sz, where, mu)
        # air(), its pieces strung together here where the compiler inlines them.
        altitude_m = where - earth_radius_m
        geopotential_m = _geopotential(altitude_m, air_constants)
        density, speed_of_sound = _air(altitude_m, _layer(geopotential_m, layers),
                                       geopotential_m, layers, air_constants)
        if altitude_m > air_constants[AIR_BAROMETRIC_TOP_M]:
            density = _upper_density(altitude_m, upper)
        drag_coefficient = interp(abs(w / speed_of_sound), drag)
        ax, ay, az = _acceleration(ex, ey, ez, w, hx, hy, hz, stage_mass, locked,
                                   thrust_acceleration, cx, cy, cz, density,
                                   drag_coefficient, reference_area, drag_scale,
                                   normal_force_max, lateral_max, thrust_vector_sine)
        if stage == 0:
            a0x, a0y, a0z = ax, ay, az
            sx, sy, sz = px + dt * vx, py + dt * vy, pz + dt * vz
            wx, wy, wz = vx + dt * ax, vy + dt * ay, vz + dt * az
            stage_mass, locked = end_mass, end_time < vertical_end + 1e-6
    return (px + half_dt * (vx + wx), py + half_dt * (vy + wy), pz + half_dt * (vz + wz),
            vx + half_dt * (a0x + ax), vy + half_dt * (a0y + ay), vz + half_dt * (a0z + az),
            end_mass)


@kernel
def launch_slots(rows, slots, missile_type, site, direction, ejection_speed_mps, dt,
                 aim, position, velocity, mass, time_since_launch, aim_point,
                 intercept_range_m, intercept_altitude_m, tables):
    """Missiles leaving their launchers, flown to the end of their launch step.

    interceptor.launch_state (at `site` (C, 3), along `direction` (C, 3) at the ejection
    speed, full mass), then interceptor.step under no command for each missile's `dt` (C,)
    to the step's end. Fills the slots (rows[i], slots[i]) of the (R, S) state arrays, with
    the aim point `aim` (C, 3) and, for the record, its ground range from the launcher
    (`zenit.physics.flyout.ground_range_and_height`) and its altitude.
    """
    missiles, mu = tables.missiles, tables.rules.gravitational_parameter
    for i in range(rows.shape[0]):
        r, s, kind = rows[i], slots[i], missile_type[i]
        norm = _norm(direction[i, 0], direction[i, 1], direction[i, 2])
        vx = direction[i, 0] / norm * ejection_speed_mps
        vy = direction[i, 1] / norm * ejection_speed_mps
        vz = direction[i, 2] / norm * ejection_speed_mps
        px, py, pz = site[i, 0], site[i, 1], site[i, 2]
        speed = _norm(vx, vy, vz)
        ux, uy, uz = _unit(vx, vy, vz, speed)
        radius = _norm(px, py, pz)
        gx, gy, gz = _gravity(px, py, pz, radius, mu)
        nx, ny, nz, nvx, nvy, nvz, end_mass = _heun_step(
            px, py, pz, vx, vy, vz, speed, ux, uy, uz, radius, gx, gy, gz, 0.0,
            missiles[kind, LAUNCH_MASS], dt[i], 0.0, 0.0, 0.0, missiles, kind, tables)
        position[r, s, 0], position[r, s, 1], position[r, s, 2] = nx, ny, nz
        velocity[r, s, 0], velocity[r, s, 1], velocity[r, s, 2] = nvx, nvy, nvz
        mass[r, s] = end_mass
        time_since_launch[r, s] = dt[i]
        ax, ay, az = aim[i, 0], aim[i, 1], aim[i, 2]
        aim_point[r, s, 0], aim_point[r, s, 1], aim_point[r, s, 2] = ax, ay, az
        intercept_range_m[r, s] = ground_range_and_height(site[i], ax, ay, az)[0]
        intercept_altitude_m[r, s] = _norm(ax, ay, az) - tables.rules.earth_radius_m


@kernel
def fly_slots(rows, slots, dt, time_start, missile_type, target, battalion, position, velocity,
              mass, time_since_launch, homing, aim_point, closest_m, active, threat_start,
              threat_end, threat_velocity, track_means, track_time, track_exists,
              network_of_battalion, fire_control_time, hold_s, tables):
    """Guide, fly one step of dt (s) from time_start (s) and score the slots (rows[i], slots[i]).

    Slot state ((R, S) and (R, S, 3) arrays) is updated in place: homing, aim_point (the
    unlofted PIP), position, velocity, mass, time_since_launch, active (False once ended) and
    closest_m (for slots that did not pass their target: a passed slot's miss gets its
    guidance error first, which the caller adds). Threat states are (R, N, 3). The fused
    tracks (means (R, Q, N, 6), time and exists (R, Q, N)) are read on the network of the
    missile's battalion and extrapolated to time_start, as `FusedTracks.estimate` does; the
    battalion's fire-control radar holds the target while time_start - fire_control_time
    (R, B, N) <= hold_s.

    Returns per flown slot: miss (m, the closest approach of a slot that passed its target,
    before guidance error; else its closest distance so far), time_s (when it ended if it
    did: at closest approach for a pass, the step's end otherwise), passed and ended.
    """
    missiles, rules = tables.missiles, tables.rules
    earth_radius_m, mu = rules.earth_radius_m, rules.gravitational_parameter
    count = rows.shape[0]
    miss = np.empty(count)
    time_s = np.empty(count)
    passed = np.zeros(count, dtype=np.bool_)
    ended = np.zeros(count, dtype=np.bool_)
    safe_dt = dt if dt > 0.0 else 1.0
    end_time_of_step = time_start + dt

    # What each missile reads of its target, its network's track of it and its fire-control
    # radar, gathered in a loop of its own so that many of these scattered reads overlap.
    seen = np.empty((count, GATHERED))
    for i in range(count):
        r, s = rows[i], slots[i]
        threat, unit = target[r, s], battalion[r, s]
        network = network_of_battalion[unit]
        elapsed = time_start - track_time[r, network, threat]
        for axis in range(3):
            seen[i, THREAT_START + axis] = threat_start[r, threat, axis]
            seen[i, THREAT_END + axis] = threat_end[r, threat, axis]
            seen[i, THREAT_VELOCITY + axis] = threat_velocity[r, threat, axis]
            # FusedTracks.estimate: the track extrapolated to the step's start.
            seen[i, TRACK_POSITION + axis] = (track_means[r, network, threat, axis]
                                              + elapsed * track_means[r, network, threat, 3 + axis])
            seen[i, TRACK_VELOCITY + axis] = track_means[r, network, threat, 3 + axis]
        seen[i, TRACK_EXISTS] = 1.0 if track_exists[r, network, threat] else 0.0
        seen[i, HOLDS] = 1.0 if time_start - fire_control_time[r, unit, threat] <= hold_s else 0.0

    for i in range(count):
        r, s = rows[i], slots[i]
        kind = missile_type[r, s]
        px, py, pz = position[r, s, 0], position[r, s, 1], position[r, s, 2]
        vx, vy, vz = velocity[r, s, 0], velocity[r, s, 1], velocity[r, s, 2]
        rx = seen[i, THREAT_START] - px
        ry = seen[i, THREAT_START + 1] - py
        rz = seen[i, THREAT_START + 2] - pz
        distance = _norm(rx, ry, rz)

        # What the guidance and the first stage of the flight model share: the velocity's
        # size and direction, the distance from the Earth's centre, gravity.
        speed = _norm(vx, vy, vz)
        ux, uy, uz = _unit(vx, vy, vz, speed)
        radius = _norm(px, py, pz)
        gx, gy, gz = _gravity(px, py, pz, radius, mu)

        # Seeker and homing. The seeker sees the target only inside its gimbal limits, and PN
        # steers only a missile already roughly on a collision course: after a vertical launch
        # the missile is first turned toward the intercept point by command guidance.
        guidance_kind = int(missiles[kind, GUIDANCE])
        hold = seen[i, HOLDS] > 0.0
        boresight = (rx * vx + ry * vy + rz * vz) / _maximum(distance * speed, 1e-9)
        in_view = boresight >= rules.seeker_gimbal_cosine
        if guidance_kind == rules.guidance_active_radar:
            seeker_on = distance <= missiles[kind, SEEKER_ACQUISITION_RANGE]
        else:
            seeker_on = (distance <= rules.terminal_range_tvm_m) and hold
        is_homing = homing[r, s] or (seeker_on and in_view)
        homing[r, s] = is_homing
        is_homing = (is_homing and in_view
                     and (guidance_kind != rules.guidance_track_via_missile or hold))

        # The aim point: the PIP on the network track, kept from before where there is none.
        qx, qy, qz = _predicted_intercept_point(
            seen[i, TRACK_POSITION], seen[i, TRACK_POSITION + 1], seen[i, TRACK_POSITION + 2],
            seen[i, TRACK_VELOCITY], seen[i, TRACK_VELOCITY + 1], seen[i, TRACK_VELOCITY + 2],
            px, py, pz, _maximum(speed, 600.0))
        if (seen[i, TRACK_EXISTS] > 0.0 and math.isfinite(qx) and math.isfinite(qy)
                and math.isfinite(qz)):
            aim_point[r, s, 0], aim_point[r, s, 1], aim_point[r, s, 2] = qx, qy, qz
        else:
            qx, qy, qz = aim_point[r, s, 0], aim_point[r, s, 1], aim_point[r, s, 2]

        # The command.
        if is_homing:
            # guidance.pn_acceleration on the true relative state.
            wx = seen[i, THREAT_VELOCITY] - vx
            wy = seen[i, THREAT_VELOCITY + 1] - vy
            wz = seen[i, THREAT_VELOCITY + 2] - vz
            lx, ly, lz = _unit(rx, ry, rz, distance)
            closing = -(lx * wx + ly * wy + lz * wz)
            range_squared = rx * rx + ry * ry + rz * rz
            safe = range_squared if range_squared > 0.0 else 1.0
            ox = (ry * wz - rz * wy) / safe
            oy = (rz * wx - rx * wz) / safe
            oz = (rx * wy - ry * wx) / safe
            if not range_squared > 0.0:
                ox, oy, oz = 0.0, 0.0, 0.0
            gain = missiles[kind, NAVIGATION_CONSTANT] * closing
            if closing > 0.0:
                cx = gain * (oy * lz - oz * ly)
                cy = gain * (oz * lx - ox * lz)
                cz = gain * (ox * ly - oy * lx)
            else:
                cx, cy, cz = 0.0, 0.0, 0.0
        else:
            # interceptors.lofted: raise the aim while far out ...
            aim_norm = _norm(qx, qy, qz)
            upx, upy, upz = qx / aim_norm, qy / aim_norm, qz / aim_norm
            fx, fy, fz = qx - px, qy - py, qz - pz
            vertical = fx * upx + fy * upy + fz * upz
            horizontal = _norm(fx - vertical * upx, fy - vertical * upy, fz - vertical * upz)
            raise_m = rules.loft_ratio * _maximum(horizontal - rules.loft_fade_m, 0.0)
            qx, qy, qz = qx + upx * raise_m, qy + upy * raise_m, qz + upz * raise_m
            # ... and guidance.midcourse_acceleration toward it.
            fx, fy, fz = qx - px, qy - py, qz - pz
            bx, by, bz = _unit(fx, fy, fz, _norm(fx, fy, fz))
            along = bx * ux + by * uy + bz * uz
            sx, sy, sz = bx - along * ux, by - along * uy, bz - along * uz
            along = gx * ux + gy * uy + gz * uz
            gain = rules.midcourse_gain * speed
            cx = gain * sx + -(gx - along * ux)
            cy = gain * sy + -(gy - along * uy)
            cz = gain * sz + -(gz - along * uz)

        # interceptor.step: Heun's method, thrust as the step's exact mean.
        start_time = time_since_launch[r, s]
        end_time = start_time + dt
        nx, ny, nz, nvx, nvy, nvz, end_mass = _heun_step(
            px, py, pz, vx, vy, vz, speed, ux, uy, uz, radius, gx, gy, gz, start_time,
            mass[r, s], dt, cx, cy, cz, missiles, kind, tables)

        # endgame.closest_approach over the step, the threat moving from start to end.
        wx = (seen[i, THREAT_END] - nx - rx) / safe_dt
        wy = (seen[i, THREAT_END + 1] - ny - ry) / safe_dt
        wz = (seen[i, THREAT_END + 2] - nz - rz) / safe_dt
        speed_squared = wx * wx + wy * wy + wz * wz
        moving = speed_squared > 0.0 and dt > 0.0
        unclipped = -(rx * wx + ry * wy + rz * wz) / (speed_squared if moving else 1.0)
        time_in_step = _clip(unclipped, 0.0, dt) if moving else 0.0
        closest = _norm(rx + wx * time_in_step, ry + wy * time_in_step, rz + wz * time_in_step)
        did_pass = ((time_in_step < dt)
                    and (distance < rules.fuze_reach_m + 2.0 * dt * (speed + 3000.0)))

        new_speed = _norm(nvx, nvy, nvz)
        altitude = _norm(nx, ny, nz) - earth_radius_m
        spent = ((end_time > missiles[kind, MAXIMUM_FLIGHT_TIME]) or (altitude < 0.0)
                 or ((new_speed < rules.minimum_useful_speed_mps) and (end_time > 5.0)))
        position[r, s, 0], position[r, s, 1], position[r, s, 2] = nx, ny, nz
        velocity[r, s, 0], velocity[r, s, 1], velocity[r, s, 2] = nvx, nvy, nvz
        mass[r, s] = end_mass
        time_since_launch[r, s] = end_time
        active[r, s] = not (did_pass or spent)
        passed[i] = did_pass
        ended[i] = did_pass or spent
        if did_pass:
            miss[i] = closest
            time_s[i] = time_start + time_in_step
        else:
            closest_m[r, s] = _minimum(closest_m[r, s], distance)
            miss[i] = closest_m[r, s]
            time_s[i] = end_time_of_step
    return miss, time_s, passed, ended


@kernel
def endgame(miss, missile_type, target, serial, replication, guidance_error_m, manoeuvring,
            manoeuvre_acceleration, autopilot_lag_s, lethal_radius_m, pk_max, fuze_reach_m,
            error_key, kill_key):
    """Miss distance with guidance error, and kill, of missiles that passed their target.

    The flight model homes perfectly, so its miss (C,) is purely kinematic. Real misses add
    seeker noise (`guidance_error_m` of the missile's guidance kind, per type) and, against a
    threat that manoeuvres (weaves, pops up, or is a fighter), the autopilot's lag behind it,
    about a_T tau^2 for a lag tau (Zarchan, Tactical and Strategic Missile Guidance, ch. 6,
    single-lag miss from a step manoeuvre). The two add in quadrature as a Gaussian error in
    the miss plane, drawn per missile on the "guidance-error" stream (draws 0 and 1 at the
    missile's serial). Then Pk from `zenit.physics.endgame.kill_probability` and a uniform on
    the "kill" stream: a kill needs the warhead's fuze within reach too.

    Returns (miss with guidance error (C,), killed (C,)).
    """
    count = miss.shape[0]
    total = np.empty(count)
    killed = np.zeros(count, np.bool_)
    for i in range(count):
        kind, threat = missile_type[i], target[i]
        lag = (manoeuvre_acceleration[threat] * autopilot_lag_s ** 2 if manoeuvring[threat]
               else 0.0)
        sigma = math.hypot(guidance_error_m[kind], lag)
        across = sigma * normal_at(error_key, replication[i], serial[i], 0, 0)
        along = sigma * normal_at(error_key, replication[i], serial[i], 0, 1)
        total[i] = math.hypot(miss[i] + across, along)
        spread = lethal_radius_m[kind] * HALF_POWER_SIGMA
        probability = pk_max[kind] * math.exp(-0.5 * (total[i] / spread) ** 2)
        killed[i] = (total[i] <= fuze_reach_m
                     and uniform_at(kill_key, replication[i], serial[i], 0, 0) < probability)
    return total, killed
