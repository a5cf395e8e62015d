"""US Standard Atmosphere 1976, by geometric altitude above mean sea level.

Drag, Mach number and dynamic pressure all start here. Every function takes GEOMETRIC
altitude in metres (what the engine's `altitude(position)` gives) and converts it to
geopotential altitude internally with the 1976 report's own radius, r0 = 6,356,766 m
(U.S. Standard Atmosphere 1976, eq. 18); that radius belongs to the standard and is unrelated
to Zenit's spherical Earth.

- From -5 km to 86 km the exact layer formulas of the 1976 report (eqs. 23, 33a, 33b, 42)
  with its seven lapse-rate layers; the first layer is extended below sea level to -5 km, and
  altitudes below -5 km read as -5 km. Kinetic temperature between 80 and 86 km applies the
  report's molecular-weight ratio M/M0 (Table 8).
- Above 86 km the report's closed forms give the kinetic temperature (isothermal to 91 km,
  elliptical to 110 km, +12 K/km to 120 km, then the exponential approach to 1000 K), and
  pressure and density are interpolated log-linearly between the report's tabulated values
  (Part 4 tables as reprinted by PDAS, https://www.pdas.com/bigtables.html), which keeps them
  continuous and within about 1 % of the tables. Above 1000 km they continue the last
  tabulated scale height.
- The speed of sound is defined by the report only up to 86 km (eq. 50); above that it is held
  at its 86 km value, 274.10 m/s, so Mach numbers stay finite where drag no longer matters.
"""

from __future__ import annotations

import math

import numpy as np

from zenit.compiled import elementwise, formula
from zenit.scalars import clip, interp, maximum, minimum

GAS_CONSTANT = 8.31432  # J/(mol K), the 1976 report's R*
MOLAR_MASS_SEA_LEVEL = 28.9644e-3  # kg/mol, M0
GRAVITY_SEA_LEVEL = 9.80665  # m/s^2, g0
GEOPOTENTIAL_RADIUS_M = 6_356_766.0  # r0 of the 1976 report
HEAT_CAPACITY_RATIO = 1.4
LOWEST_ALTITUDE_M = -5_000.0
BAROMETRIC_TOP_M = 86_000.0

# Layer bases in geopotential metres, molecular-scale temperature lapse rates (K per m').
_BASE_GEOPOTENTIAL_M = np.array([0.0, 11_000.0, 20_000.0, 32_000.0, 47_000.0, 51_000.0, 71_000.0])
_LAPSE_RATE = np.array([-6.5e-3, 0.0, 1.0e-3, 2.8e-3, 0.0, -2.8e-3, -2.0e-3])
_HYDROSTATIC = GRAVITY_SEA_LEVEL * MOLAR_MASS_SEA_LEVEL / GAS_CONSTANT  # K per m'


def _layer_bases():
    """Base temperature and pressure of each layer, integrated up from 288.15 K, 101,325 Pa."""
    temperatures, pressures = [288.15], [101_325.0]
    for layer in range(len(_BASE_GEOPOTENTIAL_M) - 1):
        thickness = _BASE_GEOPOTENTIAL_M[layer + 1] - _BASE_GEOPOTENTIAL_M[layer]
        base_temperature, lapse = temperatures[-1], _LAPSE_RATE[layer]
        top_temperature = base_temperature + lapse * thickness
        if lapse == 0.0:
            ratio = np.exp(-_HYDROSTATIC * thickness / base_temperature)
        else:
            ratio = (base_temperature / top_temperature) ** (_HYDROSTATIC / lapse)
        temperatures.append(top_temperature)
        pressures.append(pressures[-1] * ratio)
    return np.array(temperatures), np.array(pressures)


_BASE_TEMPERATURE, _BASE_PRESSURE = _layer_bases()
_DENSITY_FACTOR = MOLAR_MASS_SEA_LEVEL / GAS_CONSTANT  # density = pressure * this / T_M
_SOUND_FACTOR = HEAT_CAPACITY_RATIO * GAS_CONSTANT / MOLAR_MASS_SEA_LEVEL  # c^2 = this * T_M
_SAFE_LAPSE = np.where(_LAPSE_RATE == 0.0, 1.0, _LAPSE_RATE)
# exponent of P/Pb = -(power * log(T/Tb) + isothermal * dH): one form for both layer kinds.
_POWER = np.where(_LAPSE_RATE == 0.0, 0.0, _HYDROSTATIC / _SAFE_LAPSE)
_ISOTHERMAL = np.where(_LAPSE_RATE == 0.0, _HYDROSTATIC / _BASE_TEMPERATURE, 0.0)

# Table 8 of the 1976 report: M/M0 from 80 to 86 km geometric (kinetic T = T_M * M/M0).
_WEIGHT_RATIO_TABLE = np.array([
    np.arange(80_000.0, 86_001.0, 500.0),
    [1.000000, 0.999996, 0.999988, 0.999969, 0.999938, 0.999904, 0.999864, 0.999822, 0.999778,
     0.999731, 0.999681, 0.999626, 0.999579],
])

# Part 4 tables of the 1976 report above 86 km: geometric altitude (km), pressure (Pa),
# density (kg/m^3). The 86 km row is computed from the layer formulas so the join is exact.
_UPPER_TABLE = np.array([
    (90, 1.8435e-1, 3.4400e-6), (95, 7.5775e-2, 1.3873e-6), (100, 3.2012e-2, 5.6044e-7),
    (105, 1.4423e-2, 2.3325e-7), (110, 7.1493e-3, 9.6734e-8), (115, 4.0037e-3, 4.2794e-8),
    (120, 2.5366e-3, 2.2199e-8), (125, 1.7360e-3, 1.2918e-8), (130, 1.2503e-3, 8.1494e-9),
    (135, 9.3569e-4, 5.4647e-9), (140, 7.2029e-4, 3.8313e-9), (145, 5.6690e-4, 2.7805e-9),
    (150, 4.5422e-4, 2.0752e-9), (160, 3.0394e-4, 1.2336e-9), (170, 2.1210e-4, 7.8155e-10),
    (180, 1.5272e-4, 5.1940e-10), (190, 1.1265e-4, 3.5807e-10), (200, 8.4736e-5, 2.5407e-10),
    (220, 5.0150e-5, 1.3671e-10), (240, 3.1051e-5, 7.8550e-11), (260, 1.9894e-5, 4.7420e-11),
    (280, 1.3078e-5, 2.9710e-11), (300, 8.7704e-6, 1.9159e-11), (350, 3.4446e-6, 7.0011e-12),
    (400, 1.4518e-6, 2.8028e-12), (450, 6.4452e-7, 1.1843e-12), (500, 3.0235e-7, 5.2148e-13),
    (550, 1.5137e-7, 2.3832e-13), (600, 8.2130e-8, 1.1367e-13), (650, 4.8917e-8, 5.7114e-14),
    (700, 3.1908e-8, 3.0698e-14), (750, 2.2595e-8, 1.7900e-14), (800, 1.7036e-8, 1.1358e-14),
    (850, 1.3403e-8, 7.8223e-15), (900, 1.0873e-8, 5.7587e-15), (950, 9.0013e-9, 4.4525e-15),
    (1000, 7.5138e-9, 3.5611e-15),
])


# The layer formulas, one altitude at a time (compiled into their callers; see zenit.compiled).

@formula
def geopotential(altitude_m):
    """Geopotential altitude (m') of a geometric one (m), clipped to [-5 km, 86 km] first."""
    clipped = minimum(maximum(altitude_m, LOWEST_ALTITUDE_M), BAROMETRIC_TOP_M)
    return GEOPOTENTIAL_RADIUS_M * clipped / (GEOPOTENTIAL_RADIUS_M + clipped)


@formula
def layer(geopotential_m):
    """The layer holding a geopotential altitude: a count of the layer bases passed."""
    index = 0
    for base in range(1, _BASE_GEOPOTENTIAL_M.shape[0]):
        if geopotential_m >= _BASE_GEOPOTENTIAL_M[base]:
            index += 1
    return index


@formula
def layer_state(altitude_m):
    """(layer, geopotential height above its base (m'), molecular-scale temperature (K))."""
    geopotential_m = geopotential(altitude_m)
    index = layer(geopotential_m)
    above_base_m = geopotential_m - _BASE_GEOPOTENTIAL_M[index]
    return index, above_base_m, _BASE_TEMPERATURE[index] + _LAPSE_RATE[index] * above_base_m


@formula
def barometric_pressure(index, above_base_m, molecular_temperature):
    """Pressure (Pa) by the layer formulas (eqs. 33a, 33b) in one form for both layer kinds:
    P = Pb exp(-(power ln(T/Tb) + isothermal dH)), ln(1) = 0 not called for."""
    ratio = molecular_temperature / _BASE_TEMPERATURE[index]
    exponent = (_POWER[index] * (math.log(ratio) if ratio != 1.0 else 0.0)
                + _ISOTHERMAL[index] * above_base_m)
    return _BASE_PRESSURE[index] * math.exp(-exponent)


@formula
def upper_value(altitude_m, table):
    """exp of a log-linear table above 86 km (`_UPPER_DENSITY` or `_UPPER_PRESSURE`), the last
    slope continued beyond its last row."""
    last = table.shape[1] - 1
    beyond_m = maximum(altitude_m - table[0, last], 0.0)
    last_slope = (table[1, last] - table[1, last - 1]) / (table[0, last] - table[0, last - 1])
    inside = clip(altitude_m, table[0, 0], table[0, last])
    return math.exp(interp(inside, table) + last_slope * beyond_m)


@formula
def air(altitude_m):
    """(density kg/m^3, speed of sound m/s) at a geometric altitude (m): what drag needs,
    from one layer lookup."""
    index, above_base_m, molecular_temperature = layer_state(altitude_m)
    speed_of_sound_mps = math.sqrt(_SOUND_FACTOR * molecular_temperature)
    if altitude_m > BAROMETRIC_TOP_M:
        return upper_value(altitude_m, _UPPER_DENSITY), speed_of_sound_mps
    pressure_pa = barometric_pressure(index, above_base_m, molecular_temperature)
    return pressure_pa * _DENSITY_FACTOR / molecular_temperature, speed_of_sound_mps


@formula
def upper_temperature(altitude_m):
    """Kinetic temperature (K) above 86 km: the 1976 report's closed forms (eqs. 25-31)."""
    altitude_km = maximum(altitude_m, BAROMETRIC_TOP_M) / 1e3
    if altitude_km < 91.0:
        return 186.8673
    if altitude_km < 110.0:
        across = (clip(altitude_km, 91.0, 110.0) - 91.0) / 19.9429
        return 263.1905 - 76.3232 * math.sqrt(clip(1.0 - across * across, 0.0, 1.0))
    if altitude_km < 120.0:
        return 240.0 + 12.0 * (altitude_km - 110.0)
    radius_km = GEOPOTENTIAL_RADIUS_M / 1e3
    xi = (altitude_km - 120.0) * (radius_km + 120.0) / (radius_km + altitude_km)
    return 1000.0 - 640.0 * math.exp(-0.01875 * xi)


@formula
def kinetic_temperature(altitude_m):
    """Kinetic temperature (K): T_M times M/M0 from 80 km (Table 8), closed forms above 86 km."""
    if altitude_m > BAROMETRIC_TOP_M:
        return upper_temperature(altitude_m)
    molecular_temperature = layer_state(altitude_m)[2]
    if altitude_m > _WEIGHT_RATIO_TABLE[0, 0]:
        return molecular_temperature * interp(altitude_m, _WEIGHT_RATIO_TABLE)
    return molecular_temperature


@formula
def static_pressure(altitude_m):
    """Static pressure (Pa): the layer formulas to 86 km, the tables above."""
    if altitude_m > BAROMETRIC_TOP_M:
        return upper_value(altitude_m, _UPPER_PRESSURE)
    index, above_base_m, molecular_temperature = layer_state(altitude_m)
    return barometric_pressure(index, above_base_m, molecular_temperature)


def _upper_tables():
    """(2, U) tables above 86 km: geometric altitude (m) and log pressure, log density, their
    first row (86 km) from the layer formulas so that the join is exact."""
    index, above_base_m, molecular_temperature = layer_state(BAROMETRIC_TOP_M)
    pressure_pa = barometric_pressure(index, above_base_m, molecular_temperature)
    density = pressure_pa * MOLAR_MASS_SEA_LEVEL / (GAS_CONSTANT * molecular_temperature)
    altitude_m = np.concatenate([[BAROMETRIC_TOP_M], _UPPER_TABLE[:, 0] * 1e3])
    log_pressure = np.concatenate([[math.log(pressure_pa)], np.log(_UPPER_TABLE[:, 1])])
    log_density = np.concatenate([[math.log(density)], np.log(_UPPER_TABLE[:, 2])])
    return np.stack([altitude_m, log_pressure]), np.stack([altitude_m, log_density])


_UPPER_PRESSURE, _UPPER_DENSITY = _upper_tables()


@formula
def air_density(altitude_m):
    """Air density (kg/m^3) at geometric altitude (m)."""
    return air(altitude_m)[0]


@formula
def sound_speed(altitude_m):
    """Speed of sound (m/s) at geometric altitude (m); held at its 86 km value above 86 km."""
    return air(altitude_m)[1]


# The public array functions: the formulas' elementwise forms, of geometric altitude (m).
temperature = elementwise(kinetic_temperature)
pressure = elementwise(static_pressure)
density = elementwise(air_density)
speed_of_sound = elementwise(sound_speed)
