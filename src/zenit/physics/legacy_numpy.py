"""The NumPy arithmetic two build-time tables were made with, kept so that they stay bit-identical.

NumPy's vectorised log, exp, arctan2 and power (its SIMD loops) and the C library's, which the
compiled formulas call, differ in the last bit. Two tables the golden traces depend on were
built by NumPy, and a last-bit change in them moves the traces:

- the flyout tables (`zenit.physics.flyout.FlyoutTable.build` flies its fan with `step`,
  `midcourse_acceleration` and `ground_range_and_height` here);
- the ballistic threats' atmosphere table (`zenit.physics.ballistic.atmosphere_table` reads
  `density` here).

These are the formulas of `zenit.geo.atmosphere` (`air`), `zenit.physics.interceptor`
(`heun_step`), `zenit.physics.guidance` (`gravity`, `midcourse`) and `zenit.physics.flyout`
(`range_and_height`) in NumPy's arithmetic, operand for operand as they were. When the golden
traces are next regenerated on purpose, this module goes and its callers use the formulas.
"""

from __future__ import annotations

import numpy as np

from zenit.geo import atmosphere as us76
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.physics.drag import drag_coefficient
from zenit.physics.interceptor import THRUST_VECTOR_SINE, VERTICAL_PHASE_SLACK_S, InterceptorState


def density(altitude_m):
    """US76 air density (kg/m^3) at geometric altitude (m), as `atmosphere.air` in NumPy."""
    altitude_m = np.asarray(altitude_m, dtype=float)
    clipped = np.minimum(np.maximum(altitude_m, us76.LOWEST_ALTITUDE_M), us76.BAROMETRIC_TOP_M)
    geopotential_m = us76.GEOPOTENTIAL_RADIUS_M * clipped / (us76.GEOPOTENTIAL_RADIUS_M + clipped)
    layer = np.zeros(geopotential_m.shape, dtype=np.int8)
    for base_m in us76._BASE_GEOPOTENTIAL_M[1:]:
        layer += geopotential_m >= base_m
    above_base_m = geopotential_m - np.take(us76._BASE_GEOPOTENTIAL_M, layer)
    base_temperature = np.take(us76._BASE_TEMPERATURE, layer)
    temperature = base_temperature + np.take(us76._LAPSE_RATE, layer) * above_base_m
    exponent = (np.take(us76._POWER, layer) * np.log(temperature / base_temperature)
                + np.take(us76._ISOTHERMAL, layer) * above_base_m)
    pressure = np.take(us76._BASE_PRESSURE, layer) * np.exp(-exponent)
    lower = pressure * (us76.MOLAR_MASS_SEA_LEVEL / us76.GAS_CONSTANT) / temperature
    if not bool(np.any(altitude_m > us76.BAROMETRIC_TOP_M)):
        return lower
    table_m, values = us76._UPPER_DENSITY
    inside = np.clip(altitude_m, table_m[0], table_m[-1])
    beyond_m = np.maximum(altitude_m - table_m[-1], 0.0)
    last_slope = (values[-1] - values[-2]) / (table_m[-1] - table_m[-2])
    upper = np.exp(np.interp(inside, table_m, values) + last_slope * beyond_m)
    return np.where(altitude_m > us76.BAROMETRIC_TOP_M, upper, lower)


def ground_range_and_height(launcher_position, point):
    """`flyout.range_and_height` in NumPy: great-circle ground range (m), height above the
    launcher (m)."""
    launcher = np.asarray(launcher_position, dtype=float)
    point = np.asarray(point, dtype=float)
    across = np.linalg.norm(np.cross(launcher, point), axis=-1)
    along = np.sum(launcher * point, axis=-1)
    height_m = np.linalg.norm(point, axis=-1) - np.linalg.norm(launcher, axis=-1)
    return EARTH_RADIUS_M * np.arctan2(across, along), height_m


def _unit(vector):
    norm = np.linalg.norm(vector, axis=-1, keepdims=True)
    return np.where(norm > 0.0, vector / np.where(norm > 0.0, norm, 1.0), 0.0)


def _gravity(position, gravitational_parameter):
    """`guidance.gravity` with NumPy's power for |r|^3."""
    radius = np.linalg.norm(position, axis=-1, keepdims=True)
    return -gravitational_parameter * position / radius**3


def _across(vector, direction_unit):
    return vector - np.sum(vector * direction_unit, axis=-1)[..., None] * direction_unit


def midcourse_acceleration(position, velocity, aim_point, gain, gravitational_parameter):
    """`guidance.midcourse` over rows (..., 3)."""
    velocity_unit = _unit(velocity)
    speed = np.linalg.norm(velocity, axis=-1)
    steer = _across(_unit(np.asarray(aim_point, dtype=float) - position), velocity_unit)
    compensation = -_across(_gravity(position, gravitational_parameter), velocity_unit)
    return (np.asarray(gain) * speed)[..., None] * steer + compensation


def _acceleration(position, velocity, mass, locked, thrust_acceleration, command, parameters,
                  gravitational_parameter):
    """`interceptor.acceleration` (with `stage_acceleration`) over rows (..., 3)."""
    velocity_unit = _unit(velocity)
    speed = np.linalg.norm(velocity, axis=-1)
    altitude = np.linalg.norm(position, axis=-1) - EARTH_RADIUS_M
    dynamic_pressure = 0.5 * density(altitude) * speed**2
    mach = speed / us76.speed_of_sound(altitude)
    area = np.asarray(parameters.reference_area_m2)
    drag_force = (dynamic_pressure * area * np.asarray(parameters.drag_coefficient_scale)
                  * drag_coefficient(mach, profile=parameters.drag_profile))
    along = (thrust_acceleration - drag_force / mass)[..., None] * velocity_unit
    lateral = command - np.sum(command * velocity_unit, axis=-1, keepdims=True) * velocity_unit
    aerodynamic = (dynamic_pressure * area * np.asarray(parameters.normal_force_coefficient_max)
                   / mass)
    limit = np.minimum(np.asarray(parameters.max_lateral_acceleration_mps2, dtype=float),
                       aerodynamic + np.asarray(thrust_acceleration) * THRUST_VECTOR_SINE)
    limit = np.where(locked, 0.0, limit)
    magnitude = np.linalg.norm(lateral, axis=-1)
    scale = np.where(magnitude > limit, limit / np.where(magnitude > 0.0, magnitude, 1.0), 1.0)
    return along + lateral * scale[..., None] + _gravity(position, gravitational_parameter)


def _mass_at(parameters, time):
    """`interceptor.mass_at` over rows."""
    boost_time = np.asarray(parameters.boost_time_s, dtype=float)
    delivered = (np.asarray(parameters.boost_thrust_n) * np.clip(time, 0.0, boost_time)
                 + np.asarray(parameters.sustain_thrust_n)
                 * np.clip(time - boost_time, 0.0, np.asarray(parameters.sustain_time_s)))
    total = parameters.total_impulse()
    burnt_fraction = np.where(total > 0.0, delivered / np.where(total > 0.0, total, 1.0), 0.0)
    return (np.asarray(parameters.launch_mass_kg)
            - np.asarray(parameters.propellant_mass_kg) * burnt_fraction)


def step(state: InterceptorState, command, dt, parameters, gravitational_parameter):
    """`interceptor.heun_step` over rows: dt (s) scalar, the command (..., 3) held."""
    position, velocity = np.asarray(state.position), np.asarray(state.velocity)
    start_time, start_mass = np.asarray(state.time_since_launch), np.asarray(state.mass)
    dt = np.broadcast_to(np.asarray(dt, dtype=float), start_time.shape)
    end_time = start_time + dt
    end_mass = np.minimum(_mass_at(parameters, end_time), start_mass)
    speed_gain = parameters.exhaust_velocity() * np.log(start_mass / end_mass)
    thrust_acceleration = speed_gain / np.where(dt > 0.0, dt, 1.0)
    vertical_end = np.asarray(parameters.vertical_launch_time_s)
    start = _acceleration(position, velocity, start_mass,
                          start_time < vertical_end - VERTICAL_PHASE_SLACK_S,
                          thrust_acceleration, command, parameters, gravitational_parameter)
    column = dt[..., None]
    predicted_position = position + column * velocity
    predicted_velocity = velocity + column * start
    end = _acceleration(predicted_position, predicted_velocity, end_mass,
                        end_time < vertical_end + VERTICAL_PHASE_SLACK_S, thrust_acceleration,
                        command, parameters, gravitational_parameter)
    return InterceptorState(position + 0.5 * column * (velocity + predicted_velocity),
                            velocity + 0.5 * column * (start + end), end_mass, end_time)
