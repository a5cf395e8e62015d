"""Interceptor flight: a batched 3-DOF point mass in the engine's Earth-centred frame.

Thrust along the velocity, drag (US76 air, Mach-dependent Cd0), point-mass gravity, and the
guidance command as lift across the velocity, clipped to min(structural limit, q S CN_max / m).
A two-level boost/sustain motor with one exhaust velocity c (no public thrust curves) adds
exactly c ln(m_start / m_end) per step (Tsiolkovsky), whatever the step. Heun's method.
Formulas on one missile's scalars; `launch_state` and `step` apply them to batches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from zenit.compiled import array_function, formula, inline_formula, kernel
from zenit.geo.atmosphere import air
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.physics.drag import profile_table, zero_lift_coefficient
from zenit.physics.guidance import EARTH_GRAVITATIONAL_PARAMETER, kinematics, norm
from zenit.scalars import clip, minimum

# Deflection of the thrust by the gas-dynamic / vector control during the burn; an assumption
# (no public figure), typical of jet-vane and TVC systems (Fleeman, Tactical Missile Design, ch. 3).
THRUST_VECTOR_ANGLE_RAD = math.radians(15.0)
THRUST_VECTOR_SINE = math.sin(THRUST_VECTOR_ANGLE_RAD)
# Cold launch: gas throws the round out of its tube at about this speed (an assumption: no
# public figure) before the motor lights.
EJECTION_SPEED_MPS = 25.0
# Lift is locked over [0, vertical_launch_time): a stage at the boundary counts as inside for
# a step that ends there, outside for one that starts there; this slack absorbs the rounding
# of summed steps.
VERTICAL_PHASE_SLACK_S = 1e-6


class Airframes(NamedTuple):
    """The flight formulas' view of missile types: one float64 entry per type (K,), and the
    drag profile all of them share (`zenit.physics.drag.profile_table`)."""

    launch_mass_kg: np.ndarray
    propellant_mass_kg: np.ndarray
    boost_thrust_n: np.ndarray
    boost_time_s: np.ndarray
    sustain_thrust_n: np.ndarray
    sustain_time_s: np.ndarray
    total_impulse_ns: np.ndarray
    exhaust_velocity_mps: np.ndarray
    reference_area_m2: np.ndarray
    max_lateral_acceleration_mps2: np.ndarray
    normal_force_coefficient_max: np.ndarray
    vertical_launch_time_s: np.ndarray
    drag_coefficient_scale: np.ndarray
    drag: np.ndarray  # (2, D): Mach knots and Cd0


@dataclass(frozen=True)
class InterceptorParameters:
    """Airframe and motor, one value per missile row (arrays (...) or scalars that broadcast).

    Build a per-type table once and `take` rows by type index for the missiles in flight.
    """

    launch_mass_kg: ArrayLike
    propellant_mass_kg: ArrayLike
    boost_thrust_n: ArrayLike
    boost_time_s: ArrayLike
    sustain_thrust_n: ArrayLike
    sustain_time_s: ArrayLike
    reference_area_m2: ArrayLike
    max_lateral_acceleration_mps2: ArrayLike
    normal_force_coefficient_max: ArrayLike
    vertical_launch_time_s: ArrayLike
    drag_coefficient_scale: ArrayLike = 1.0
    drag_profile: str = "missile"

    def take(self, indices):
        """Rows of a per-type table (or of one type given as scalars) for the given type indices."""
        indices = np.asarray(indices)
        taken = {field.name: np.reshape(np.asarray(getattr(self, field.name), dtype=float), (-1,))[indices]
                 for field in fields(self) if field.name != "drag_profile"}
        return replace(self, **taken)

    def total_impulse(self):
        """Motor total impulse (N s)."""
        return (np.asarray(self.boost_thrust_n) * np.asarray(self.boost_time_s)
                + np.asarray(self.sustain_thrust_n) * np.asarray(self.sustain_time_s))

    def exhaust_velocity(self):
        """Effective exhaust velocity c = I_total / m_propellant = Isp g0 (m/s); 0 without propellant."""
        propellant = np.asarray(self.propellant_mass_kg, dtype=float)
        return np.where(propellant > 0.0, self.total_impulse() / np.where(propellant > 0.0, propellant, 1.0), 0.0)

    def airframes(self, count: int) -> Airframes:
        """The formulas' table of `count` types (or rows): each figure broadcast to (count,)."""
        values = {field: getattr(self, field, None) for field in Airframes._fields}
        values.update(total_impulse_ns=self.total_impulse(),
                      exhaust_velocity_mps=self.exhaust_velocity())
        columns = {field: np.ascontiguousarray(np.broadcast_to(
            np.reshape(np.asarray(values[field], dtype=np.float64), (-1,)), (count,)))
            for field in Airframes._fields if field != "drag"}
        return Airframes(**columns, drag=profile_table(self.drag_profile))


@dataclass(frozen=True)
class InterceptorState:
    """Missiles in flight: position, velocity (..., 3) in the engine frame, mass and age (...)."""

    position: ArrayLike
    velocity: ArrayLike
    mass: ArrayLike
    time_since_launch: ArrayLike


@formula
def launch_velocity(dx, dy, dz, ejection_speed_mps):
    """A cold launch's first velocity: along the direction d at the ejection speed."""
    length = norm(dx, dy, dz)
    return (dx / length * ejection_speed_mps, dy / length * ejection_speed_mps,
            dz / length * ejection_speed_mps)


@formula
def mass_at(time_s, launch_mass, propellant_mass, boost_thrust, boost_time, sustain_thrust,
            sustain_time, total_impulse):
    """Mass (kg) at a time since launch: the propellant burns in proportion to the impulse
    delivered, boost then sustain."""
    delivered = (boost_thrust * clip(time_s, 0.0, boost_time)
                 + sustain_thrust * clip(time_s - boost_time, 0.0, sustain_time))
    burnt_fraction = delivered / total_impulse if total_impulse > 0.0 else 0.0
    return launch_mass - propellant_mass * burnt_fraction


# One missile type's figures as scalars (`airframe`): what the per-missile formulas read.
Airframe = NamedTuple("Airframe", [(name, float) for name in Airframes._fields[:-1]])


@formula
def airframe(airframes, kind):
    """Type `kind`'s `Airframe`: scalars cost nothing to pass on, unlike the table's arrays."""
    return Airframe(airframes.launch_mass_kg[kind], airframes.propellant_mass_kg[kind],
                    airframes.boost_thrust_n[kind], airframes.boost_time_s[kind],
                    airframes.sustain_thrust_n[kind], airframes.sustain_time_s[kind],
                    airframes.total_impulse_ns[kind], airframes.exhaust_velocity_mps[kind],
                    airframes.reference_area_m2[kind],
                    airframes.max_lateral_acceleration_mps2[kind],
                    airframes.normal_force_coefficient_max[kind],
                    airframes.vertical_launch_time_s[kind], airframes.drag_coefficient_scale[kind])


@formula
def motor(figures, start_time, start_mass, dt):
    """(mass at the step's end, thrust acceleration over the step) of an `Airframe`: the step's
    exact mean, c ln(m_start / m_end) / dt (ln 1 = 0 is not called for: a burnt-out motor)."""
    end_mass = minimum(mass_at(start_time + dt, figures.launch_mass_kg, figures.propellant_mass_kg,
                               figures.boost_thrust_n, figures.boost_time_s,
                               figures.sustain_thrust_n, figures.sustain_time_s,
                               figures.total_impulse_ns), start_mass)
    mass_ratio = start_mass / end_mass
    speed_gain = figures.exhaust_velocity_mps * (math.log(mass_ratio) if mass_ratio != 1.0
                                                 else 0.0)
    return end_mass, speed_gain / (dt if dt > 0.0 else 1.0)


@formula
def lateral_limit(dynamic_pressure, mass, thrust_acceleration, reference_area,
                  normal_force_max, lateral_max):
    """min(structural limit, q S CN_max / m + thrust sin(THRUST_VECTOR_ANGLE_RAD) / m) (m/s^2).

    Right after a vertical launch the missile is too slow for its fins; S-400 rounds turn over
    with gas-dynamic (thrust-vector) control.
    """
    aerodynamic = dynamic_pressure * reference_area * normal_force_max / mass
    return minimum(lateral_max, aerodynamic + thrust_acceleration * THRUST_VECTOR_SINE)


@formula
def acceleration(ux, uy, uz, speed, gx, gy, gz, mass, locked, thrust_acceleration, cx, cy, cz,
                 density, drag_coefficient, reference_area, drag_scale, normal_force_max,
                 lateral_max):
    """Total acceleration of a missile flying at `speed` along u, with gravity g, under the
    command c: thrust - drag along u, plus g, plus the command's part across u clipped to the
    `lateral_limit` (none while `locked`)."""
    dynamic_pressure = 0.5 * density * (speed * speed)
    drag_force = dynamic_pressure * reference_area * drag_scale * drag_coefficient
    along = thrust_acceleration - drag_force / mass
    across = cx * ux + cy * uy + cz * uz
    lx, ly, lz = cx - across * ux, cy - across * uy, cz - across * uz
    limit = lateral_limit(dynamic_pressure, mass, thrust_acceleration, reference_area,
                          normal_force_max, lateral_max)
    if locked:
        limit = 0.0
    magnitude = norm(lx, ly, lz)
    scale = 1.0
    if magnitude > limit:
        scale = limit / (magnitude if magnitude > 0.0 else 1.0)
    return (along * ux + lx * scale + gx, along * uy + ly * scale + gy,
            along * uz + lz * scale + gz)


@inline_formula
def stage_acceleration(state, mass, locked, thrust_acceleration, cx, cy, cz, figures, drag):
    """`acceleration` of a missile (`Airframe` `figures`, drag profile `drag`) whose
    `kinematics` are `state`, in the US76 air at its altitude, with the drag coefficient at
    its Mach number."""
    speed, ux, uy, uz, radius, gx, gy, gz = state
    density, speed_of_sound = air(radius - EARTH_RADIUS_M)
    drag_coefficient = zero_lift_coefficient(speed / speed_of_sound, drag)
    return acceleration(ux, uy, uz, speed, gx, gy, gz, mass, locked, thrust_acceleration, cx, cy,
                        cz, density, drag_coefficient, figures.reference_area_m2,
                        figures.drag_coefficient_scale, figures.normal_force_coefficient_max,
                        figures.max_lateral_acceleration_mps2)


@inline_formula
def heun_step(px, py, pz, vx, vy, vz, state, start_time, start_mass, dt, cx, cy, cz, figures,
              drag, gravitational_parameter):
    """One step of dt for a missile (`Airframe` `figures`, drag profile `drag`) at p with
    velocity v (`kinematics` `state`) under the command c held over the step: Heun's method,
    an Euler predictor, then the mean of the start and predicted-end accelerations. The
    command is ignored during the vertical launch phase. Returns the new position, velocity
    and mass."""
    end_mass, thrust = motor(figures, start_time, start_mass, dt)
    vertical_end = figures.vertical_launch_time_s
    a0x, a0y, a0z = stage_acceleration(state, start_mass,
                                       start_time < vertical_end - VERTICAL_PHASE_SLACK_S,
                                       thrust, cx, cy, cz, figures, drag)
    sx, sy, sz = px + dt * vx, py + dt * vy, pz + dt * vz
    wx, wy, wz = vx + dt * a0x, vy + dt * a0y, vz + dt * a0z
    predicted = kinematics(sx, sy, sz, wx, wy, wz, gravitational_parameter)
    ax, ay, az = stage_acceleration(predicted, end_mass,
                                    start_time + dt < vertical_end + VERTICAL_PHASE_SLACK_S,
                                    thrust, cx, cy, cz, figures, drag)
    half_dt = 0.5 * dt
    return (px + half_dt * (vx + wx), py + half_dt * (vy + wy), pz + half_dt * (vz + wz),
            vx + half_dt * (a0x + ax), vy + half_dt * (a0y + ay), vz + half_dt * (a0z + az),
            end_mass)


# -- the array functions: the formulas over batches of missiles --------------------------------

def _flat(shape, value, width=()):
    full = np.broadcast_to(np.asarray(value, dtype=float), shape + width)
    return np.ascontiguousarray(full).reshape((-1,) + width)


@array_function("(n),()->(n)")
def _launch_velocity(direction, ejection_speed_mps, out):
    out[0], out[1], out[2] = launch_velocity(direction[0], direction[1], direction[2],
                                             ejection_speed_mps)


def launch_state(launcher_position, direction, parameters: InterceptorParameters,
                 ejection_speed_mps=EJECTION_SPEED_MPS):
    """Missiles cold-launched along `direction` (..., 3) at the ejection speed, at full mass."""
    position = np.asarray(launcher_position, dtype=float)
    velocity = _launch_velocity(direction, ejection_speed_mps)
    shape = np.broadcast_shapes(position.shape, velocity.shape)[:-1]
    mass = np.zeros(shape) + np.asarray(parameters.launch_mass_kg, dtype=float)
    return InterceptorState(np.broadcast_to(position, shape + (3,)).copy(),
                            np.broadcast_to(velocity, shape + (3,)).copy(), mass, np.zeros(shape))


@kernel
def _step_loop(position, velocity, mass, start_time, command, dt, airframes,
               gravitational_parameter):
    new_position, new_velocity = np.empty(position.shape), np.empty(position.shape)
    new_mass = np.empty(mass.shape[0])
    for i in range(mass.shape[0]):
        px, py, pz = position[i, 0], position[i, 1], position[i, 2]
        vx, vy, vz = velocity[i, 0], velocity[i, 1], velocity[i, 2]
        (new_position[i, 0], new_position[i, 1], new_position[i, 2], new_velocity[i, 0],
         new_velocity[i, 1], new_velocity[i, 2], new_mass[i]) = heun_step(
            px, py, pz, vx, vy, vz, kinematics(px, py, pz, vx, vy, vz, gravitational_parameter),
            start_time[i], mass[i], dt[i], command[i, 0], command[i, 1], command[i, 2],
            airframe(airframes, i), airframes.drag, gravitational_parameter)
    return new_position, new_velocity, new_mass


def step(state: InterceptorState, commanded_acceleration, dt, parameters: InterceptorParameters,
         gravitational_parameter=EARTH_GRAVITATIONAL_PARAMETER) -> InterceptorState:
    """Advance missiles by dt (s, scalar or per row; 0 parks a row): `heun_step` of each row
    under its guidance command (..., 3, m/s^2) held over the step."""
    shape = np.broadcast_shapes(np.shape(state.position)[:-1], np.shape(state.mass))
    start_time, step_s = _flat(shape, state.time_since_launch), _flat(shape, dt)
    rows = replace(parameters, **{field.name: _flat(shape, getattr(parameters, field.name))
                                  for field in fields(parameters) if field.name != "drag_profile"})
    position, velocity, mass = _step_loop(
        _flat(shape, state.position, (3,)), _flat(shape, state.velocity, (3,)),
        _flat(shape, state.mass), start_time, _flat(shape, commanded_acceleration, (3,)), step_s,
        rows.airframes(start_time.size), float(gravitational_parameter))
    return InterceptorState(position.reshape(shape + (3,)), velocity.reshape(shape + (3,)),
                            mass.reshape(shape), (start_time + step_s).reshape(shape))
