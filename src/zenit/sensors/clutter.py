"""Surface clutter against low-flying targets: constant-gamma backscatter in the range cell.

A target at range R competes with the ground (or sea) in the same range cell. The clutter
radar cross section is sigma_c = sigma0 A: sigma0 = gamma sin(psi) is the constant-gamma
model of surface reflectivity at grazing angle psi (Nathanson, *Radar Design Principles*,
land and sea clutter chapters; Skolnik, *Radar Handbook*, 3rd ed., chs. 15-16), and A is
the illuminated area, the smaller of the range-limited cell R theta_az dR sec(psi) and the
beam-limited footprint pi R^2 theta_az theta_el / (4 sin psi) (Skolnik, *Introduction to
Radar Systems*, 3rd ed., §7.2).

Clutter competes only when the surface sits inside the main beam: with the beam pointed at
the target, the surface at depression angle delta is (elevation + delta) off boresight and
its return is weighted by the two-way pattern (`antenna.pattern_gain_db`), so clutter fades
as the target climbs and is left at the sidelobe level above a few beamwidths. Beyond the
radar horizon (psi <= 0 on the 4/3 Earth) there is no surface in the cell and no clutter.
MTI or pulse-Doppler processing divides the clutter power by the improvement factor I.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from zenit.compiled import elementwise, formula
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.sensors.antenna import MAIN_LOBE_RATE
from zenit.sensors.interference import signal_to_interference_plus_noise_db
from zenit.sensors.radar_equation import TEN_OVER_LN10

EFFECTIVE_EARTH_RADIUS_M = 4.0 / 3.0 * EARTH_RADIUS_M


class ClutterParameters(NamedTuple):
    """One radar's clutter figures, linear (no power of ten per look)."""

    gain: float  # loop gain less the improvement factor, as a power ratio
    antenna_height_m: float  # above the ground under it
    effective_radius_m: float
    beamwidth_azimuth_rad: float
    beamwidth_elevation_rad: float
    range_resolution_m: float
    gamma: float  # constant-gamma reflectivity, power ratio
    sidelobe_two_way: float  # the two-way pattern's floor, power ratio
    low_elevation_rad: float  # above this the ground is in the sidelobes: no clutter counted


@formula
def grazing_sine(antenna_height_m, range_m, effective_radius_m):
    """sin(psi) of the ray from an antenna h up to the surface at slant range R on a sphere of
    radius a: (2 a h + h^2 - R^2) / (2 a R), 0 beyond the horizon."""
    a, h, r = effective_radius_m, antenna_height_m, range_m
    return min(max((2.0 * a * h + h * h - r * r) / (2.0 * a * r), 0.0), 1.0)


@formula
def depression_sine(antenna_height_m, range_m, effective_radius_m):
    """sin(delta), delta the depression at which the antenna sees the surface at slant range R:
    (2 a h + h^2 + R^2) / (2 (a + h) R), the grazing angle plus the curvature over the path."""
    a, h, r = effective_radius_m, antenna_height_m, range_m
    return min(max((2.0 * a * h + h * h + r * r) / (2.0 * (a + h) * r), -1.0), 1.0)


@formula
def cell_area_m2(range_m, sine, beamwidth_azimuth_rad, beamwidth_elevation_rad,
                 range_resolution_m):
    """Illuminated area competing with a target at `range_m`, grazing angle of sine `sine`."""
    range_limited = range_m * beamwidth_azimuth_rad * range_resolution_m / math.sqrt(
        (1.0 - sine) * (1.0 + sine))
    beam_limited = (math.pi / 4.0 * range_m * range_m * beamwidth_azimuth_rad
                    * beamwidth_elevation_rad / max(sine, 1e-300))
    return min(range_limited, beam_limited)


@formula
def clutter_rcs_m2(gamma, sine, area_m2):
    """Clutter cross section of the cell: sigma0 = gamma sin(psi) over `area_m2`."""
    return gamma * sine * area_m2


@formula
def clutter_to_noise(clutter, range_m, elevation_rad):
    """C/N after Doppler processing (power ratio) in the cell of a target at `range_m` and
    `elevation_rad`, beam on it; 0 above `low_elevation_rad` and beyond the horizon."""
    if not elevation_rad < clutter.low_elevation_rad:
        return 0.0
    a, h = clutter.effective_radius_m, clutter.antenna_height_m
    r = max(range_m, 1.0)
    # The grazing angle is needed only through its sine and cosine.
    sine = grazing_sine(h, r, a)
    if sine <= 0.0:
        return 0.0
    rcs = clutter_rcs_m2(clutter.gamma, sine, cell_area_m2(
        r, sine, clutter.beamwidth_azimuth_rad, clutter.beamwidth_elevation_rad,
        clutter.range_resolution_m))
    depression = math.asin(depression_sine(h, r, a))
    off = (elevation_rad + depression) / clutter.beamwidth_elevation_rad
    # Two-way pattern: the square of the one-way gain, floored at the sidelobe level's square.
    pattern = max(math.exp(-2.0 * MAIN_LOBE_RATE * off * off), clutter.sidelobe_two_way)
    square = r * r
    return clutter.gain * rcs * pattern / (square * square)


@formula
def grazing_angle(antenna_height_m, range_m, effective_radius_m):
    """The grazing angle psi (rad) of `grazing_sine`."""
    return math.asin(grazing_sine(antenna_height_m, range_m, effective_radius_m))


@formula
def clutter_to_noise_in_db(loop_gain_db, range_m, elevation_rad, antenna_height_m, gamma_db,
                           beamwidth_azimuth_rad, beamwidth_elevation_rad, range_resolution_m,
                           sidelobe_level_db, effective_radius_m):
    """`clutter_to_noise` in dB, of a radar's figures in dB, with no elevation limit."""
    clutter = ClutterParameters(
        10.0 ** (loop_gain_db / 10.0), antenna_height_m, effective_radius_m,
        beamwidth_azimuth_rad, beamwidth_elevation_rad, range_resolution_m,
        10.0 ** (gamma_db / 10.0), 10.0 ** (2.0 * sidelobe_level_db / 10.0), math.inf)
    return TEN_OVER_LN10 * math.log(clutter_to_noise(clutter, range_m, elevation_rad))


# -- the array API ----------------------------------------------------------------------------

_grazing_angles, _clutter_to_noise_db = (elementwise(grazing_angle),
                                         elementwise(clutter_to_noise_in_db))


def grazing_angle_rad(antenna_height_m, range_m, effective_earth_radius_m=EFFECTIVE_EARTH_RADIUS_M):
    """Grazing angle of the ray from an antenna at `antenna_height_m` to the surface at range R:
    exact on a sphere of radius a, zero beyond the horizon."""
    return _grazing_angles(antenna_height_m, range_m, effective_earth_radius_m)


def clutter_to_noise_db(loop_gain_db, range_m, target_elevation_rad, antenna_height_m, gamma_db,
                        azimuth_beamwidth_rad, elevation_beamwidth_rad, range_resolution_m,
                        sidelobe_level_db=-30.0,
                        effective_earth_radius_m=EFFECTIVE_EARTH_RADIUS_M):
    """Clutter-to-noise ratio (dB) in the target's range cell, beam on the target, before
    Doppler processing, for the radar's loop gain and the surface's gamma; -inf beyond the
    horizon."""
    with np.errstate(divide="ignore"):  # -inf dB where there is no clutter
        return _clutter_to_noise_db(loop_gain_db, range_m, target_elevation_rad,
                                    antenna_height_m, gamma_db, azimuth_beamwidth_rad,
                                    elevation_beamwidth_rad, range_resolution_m,
                                    sidelobe_level_db, effective_earth_radius_m)


def signal_to_clutter_plus_noise_db(snr_db, clutter_to_noise_db, improvement_factor_db=0.0):
    """S / (C/I + N) in dB: clutter left after MTI/Doppler filtering with improvement I (dB)."""
    return signal_to_interference_plus_noise_db(snr_db, clutter_to_noise_db - improvement_factor_db)
