"""Interceptor flight: a batched 3-DOF point mass in the engine's Earth-centred frame.

One row per missile in flight, across all replications (leading axes are free: (M,) or
(R, M)). Forces: thrust along the velocity, drag from the US 1976 atmosphere and a Mach-
dependent drag coefficient, point-mass gravity toward the Earth's centre, and the guidance
command turned into lift: projected across the velocity (a point mass cannot be told to
speed up) and clipped to the smaller of the structural limit and the aerodynamic limit
q S CN_max / m, which falls with dynamic pressure as the missile climbs into thin air.

Thrust curves of S-400 missiles are not public. A two-level boost/sustain motor with one
specific impulse for both phases stands in for them; `derive_motor` gets its figures from
what is public (launch mass, top speed) through the rocket equation.

Integration is Heun's second-order method. Because both motor phases share one exhaust
velocity c, the speed the motor adds over any step is exactly c ln(m_start / m_end)
(Tsiolkovsky), even across a phase change inside the step, so burnout speed does not depend
on the step length.
"""

from __future__ import annotations

import math

from dataclasses import dataclass, fields, replace

import numpy as np
from numpy.typing import ArrayLike

from zenit.geo.atmosphere import density, speed_of_sound
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.physics.drag import drag_coefficient
from zenit.physics.guidance import EARTH_GRAVITATIONAL_PARAMETER, gravity_acceleration
from zenit.units import STANDARD_GRAVITY


# Deflection of the thrust by the gas-dynamic / vector control during the burn; an assumption
# (no public figure), typical of jet-vane and TVC systems (Fleeman, Tactical Missile Design, ch. 3).
THRUST_VECTOR_ANGLE_RAD = math.radians(15.0)
# Cold launch: gas throws the round out of its tube at about this speed (an assumption: no
# public figure) before the motor lights.
EJECTION_SPEED_MPS = 25.0


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

    def take(self, indices, xp=np):
        """Rows of a per-type table (or of one type given as scalars) for the given type indices."""
        indices = xp.asarray(indices)
        taken = {field.name: xp.reshape(xp.asarray(getattr(self, field.name), dtype=float), (-1,))[indices]
                 for field in fields(self) if field.name != "drag_profile"}
        return replace(self, **taken)

    def total_impulse(self, xp=np):
        """Motor total impulse (N s)."""
        return (xp.asarray(self.boost_thrust_n) * xp.asarray(self.boost_time_s)
                + xp.asarray(self.sustain_thrust_n) * xp.asarray(self.sustain_time_s))

    def exhaust_velocity(self, xp=np):
        """Effective exhaust velocity c = I_total / m_propellant = Isp g0 (m/s); 0 without propellant."""
        propellant = xp.asarray(self.propellant_mass_kg, dtype=float)
        return xp.where(propellant > 0.0, self.total_impulse(xp) / xp.where(propellant > 0.0, propellant, 1.0), 0.0)

    def thrust_at(self, time_since_launch, xp=np):
        """Thrust (N) at a time since launch: boost, then sustain, then none."""
        time = xp.asarray(time_since_launch, dtype=float)
        boost_end = xp.asarray(self.boost_time_s)
        sustain_end = boost_end + xp.asarray(self.sustain_time_s)
        return xp.where((time >= 0.0) & (time < boost_end), xp.asarray(self.boost_thrust_n, dtype=float),
                        xp.where((time >= boost_end) & (time < sustain_end),
                                 xp.asarray(self.sustain_thrust_n, dtype=float), 0.0))

    def mass_at(self, time_since_launch, xp=np):
        """Mass (kg) at a time since launch; the propellant burns in proportion to impulse delivered."""
        time = xp.asarray(time_since_launch, dtype=float)
        boost_time = xp.asarray(self.boost_time_s, dtype=float)
        delivered = (xp.asarray(self.boost_thrust_n) * xp.clip(time, 0.0, boost_time)
                     + xp.asarray(self.sustain_thrust_n)
                     * xp.clip(time - boost_time, 0.0, xp.asarray(self.sustain_time_s)))
        total = self.total_impulse(xp)
        burnt_fraction = xp.where(total > 0.0, delivered / xp.where(total > 0.0, total, 1.0), 0.0)
        return xp.asarray(self.launch_mass_kg) - xp.asarray(self.propellant_mass_kg) * burnt_fraction


@dataclass(frozen=True)
class InterceptorState:
    """Missiles in flight: position, velocity (..., 3) in the engine frame, mass and age (...)."""

    position: ArrayLike
    velocity: ArrayLike
    mass: ArrayLike
    time_since_launch: ArrayLike


@dataclass(frozen=True)
class MotorFigures:
    """A motor derived from public figures (see `derive_motor`)."""

    propellant_mass_kg: ArrayLike
    boost_thrust_n: ArrayLike
    sustain_thrust_n: ArrayLike
    exhaust_velocity_mps: ArrayLike


def derive_motor(launch_mass_kg, burnout_speed_mps, boost_time_s, specific_impulse_s=250.0,
                 sustain_time_s=0.0, sustain_impulse_fraction=0.0, velocity_losses_mps=0.0):
    """Propellant and thrust levels that give a public burnout speed, by the rocket equation.

    Public sources give launch mass and top speed, not thrust curves. With an assumed specific
    impulse (about 250 s for a composite solid propellant at sea level; Sutton & Biblarz,
    *Rocket Propulsion Elements*, 9th ed., ch. 12) the ideal speed gain
    dv = burnout speed + velocity losses (drag and gravity, an allowance the caller states)
    fixes the propellant: m_p = m0 (1 - exp(-dv / (Isp g0))). The total impulse m_p Isp g0 is
    split between boost and sustain by `sustain_impulse_fraction` and spread evenly over each
    phase's burn time. Works elementwise on arrays.
    """
    exhaust_velocity = np.asarray(specific_impulse_s, dtype=float) * STANDARD_GRAVITY
    ideal_gain = np.asarray(burnout_speed_mps, dtype=float) + np.asarray(velocity_losses_mps, dtype=float)
    propellant = np.asarray(launch_mass_kg, dtype=float) * -np.expm1(-ideal_gain / exhaust_velocity)
    impulse = propellant * exhaust_velocity
    sustain_fraction = np.asarray(sustain_impulse_fraction, dtype=float)
    sustain_time = np.asarray(sustain_time_s, dtype=float)
    sustain_thrust = np.where(sustain_time > 0.0,
                              sustain_fraction * impulse / np.where(sustain_time > 0.0, sustain_time, 1.0), 0.0)
    boost_thrust = (1.0 - sustain_fraction) * impulse / np.asarray(boost_time_s, dtype=float)
    return MotorFigures(propellant, boost_thrust, sustain_thrust, exhaust_velocity)


def launch_state(launcher_position, direction, parameters: InterceptorParameters,
                 ejection_speed_mps=EJECTION_SPEED_MPS, xp=np):
    """Missiles leaving their launchers along `direction` (..., 3) at the ejection speed.

    S-400 rounds are cold-launched: gas throws the missile up out of its tube before the motor
    lights. The small ejection speed (m/s, an assumption: no public figure) also gives the
    thrust a direction from the first step.
    """
    position = xp.asarray(launcher_position, dtype=float)
    direction = xp.asarray(direction, dtype=float)
    direction = direction / xp.linalg.norm(direction, axis=-1, keepdims=True)
    shape = position.shape[:-1]
    velocity = xp.zeros_like(position) + direction * xp.asarray(ejection_speed_mps, dtype=float)[..., None]
    mass = xp.zeros(shape) + xp.asarray(parameters.launch_mass_kg, dtype=float)
    return InterceptorState(position, velocity, mass, xp.zeros(shape))


def lateral_acceleration_limit(position, velocity, mass, parameters: InterceptorParameters, xp=np):
    """min(structural limit, q S CN_max / m) (m/s^2): what the airframe can pull here."""
    altitude = xp.linalg.norm(position, axis=-1) - EARTH_RADIUS_M
    speed = xp.linalg.norm(velocity, axis=-1)
    return _limit(0.5 * density(altitude, xp=xp) * speed**2, mass, parameters, xp)


def _limit(dynamic_pressure, mass, parameters: InterceptorParameters, xp, thrust_acceleration=0.0):
    """min(structural limit, aerodynamic lift + thrust turned by the vector control).

    Right after a vertical launch the missile is too slow for its fins; S-400 rounds turn over
    with gas-dynamic (thrust-vector) control, worth thrust * sin(THRUST_VECTOR_ANGLE_RAD).
    """
    aerodynamic = (dynamic_pressure * xp.asarray(parameters.reference_area_m2)
                   * xp.asarray(parameters.normal_force_coefficient_max) / mass)
    vectored = xp.asarray(thrust_acceleration) * math.sin(THRUST_VECTOR_ANGLE_RAD)
    return xp.minimum(xp.asarray(parameters.max_lateral_acceleration_mps2, dtype=float),
                      aerodynamic + vectored)


def _unit(vector, xp):
    norm = xp.linalg.norm(vector, axis=-1, keepdims=True)
    return xp.where(norm > 0.0, vector / xp.where(norm > 0.0, norm, 1.0), 0.0)


def _acceleration(position, velocity, mass, locked, thrust_acceleration, commanded_acceleration,
                  parameters: InterceptorParameters, gravitational_parameter, xp):
    """Total acceleration (..., 3): thrust + drag + gravity + lift (none where `locked`)."""
    velocity_unit = _unit(velocity, xp)
    speed = xp.linalg.norm(velocity, axis=-1)
    altitude = xp.linalg.norm(position, axis=-1) - EARTH_RADIUS_M
    dynamic_pressure = 0.5 * density(altitude, xp=xp) * speed**2
    mach = speed / speed_of_sound(altitude, xp=xp)
    drag_force = (dynamic_pressure * xp.asarray(parameters.reference_area_m2)
                  * xp.asarray(parameters.drag_coefficient_scale)
                  * drag_coefficient(mach, profile=parameters.drag_profile, xp=xp))
    along = (thrust_acceleration - drag_force / mass)[..., None] * velocity_unit

    lateral = commanded_acceleration - xp.sum(commanded_acceleration * velocity_unit, axis=-1,
                                              keepdims=True) * velocity_unit
    limit = _limit(dynamic_pressure, mass, parameters, xp, thrust_acceleration)
    limit = xp.where(locked, 0.0, limit)
    magnitude = xp.linalg.norm(lateral, axis=-1)
    scale = xp.where(magnitude > limit, limit / xp.where(magnitude > 0.0, magnitude, 1.0), 1.0)
    lateral = lateral * scale[..., None]

    gravity = gravity_acceleration(position, gravitational_parameter, xp)
    return along + lateral + gravity


def step(state: InterceptorState, commanded_acceleration, dt, parameters: InterceptorParameters,
         xp=np, gravitational_parameter=EARTH_GRAVITATIONAL_PARAMETER) -> InterceptorState:
    """Advance missiles by dt (s, scalar or one per row; 0 leaves a row in place).

    The guidance command (..., 3, m/s^2) is held over the step; during the vertical launch
    phase it is ignored. Heun's method: an Euler predictor, then the mean of the start and
    predicted-end accelerations. Thrust enters as its exact step-averaged value
    c ln(m_start / m_end) / dt.
    """
    position = xp.asarray(state.position, dtype=float)
    velocity = xp.asarray(state.velocity, dtype=float)
    command = xp.asarray(commanded_acceleration, dtype=float)
    start_time = xp.asarray(state.time_since_launch, dtype=float)
    dt = xp.broadcast_to(xp.asarray(dt, dtype=float), start_time.shape)
    end_time = start_time + dt

    start_mass = xp.asarray(state.mass, dtype=float)
    end_mass = xp.minimum(parameters.mass_at(end_time, xp), start_mass)
    speed_gain = parameters.exhaust_velocity(xp) * xp.log(start_mass / end_mass)
    thrust_acceleration = speed_gain / xp.where(dt > 0.0, dt, 1.0)

    # Lift is locked over [0, vertical_launch_time): a stage at the boundary counts as inside
    # for a step that ends there, outside for one that starts there; the microsecond of
    # slack absorbs the rounding of summed steps.
    vertical_end = xp.asarray(parameters.vertical_launch_time_s)
    start_acceleration = _acceleration(position, velocity, start_mass, start_time < vertical_end - 1e-6,
                                       thrust_acceleration, command, parameters, gravitational_parameter, xp)
    step_column = dt[..., None]
    predicted_position = position + step_column * velocity
    predicted_velocity = velocity + step_column * start_acceleration
    end_acceleration = _acceleration(predicted_position, predicted_velocity, end_mass,
                                     end_time < vertical_end + 1e-6, thrust_acceleration, command,
                                     parameters, gravitational_parameter, xp)
    new_position = position + 0.5 * step_column * (velocity + predicted_velocity)
    new_velocity = velocity + 0.5 * step_column * (start_acceleration + end_acceleration)
    return InterceptorState(new_position, new_velocity, end_mass, end_time)
