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

import numpy as np

from zenit.geo.frames import EARTH_RADIUS_M
from zenit.sensors.antenna import pattern_gain_db
from zenit.sensors.interference import signal_to_interference_plus_noise_db
from zenit.sensors.radar_equation import snr_from_loop_gain_db

EFFECTIVE_EARTH_RADIUS_M = 4.0 / 3.0 * EARTH_RADIUS_M


def grazing_angle_rad(antenna_height_m, range_m, effective_earth_radius_m=EFFECTIVE_EARTH_RADIUS_M,
                      xp=np):
    """Grazing angle of the ray from an antenna at `antenna_height_m` to the surface at range R.

    Exact on a sphere of radius a: sin psi = (2 a h + h^2 - R^2) / (2 a R). Zero beyond the
    horizon (no surface at that slant range is visible).
    """
    a = effective_earth_radius_m
    h = antenna_height_m
    sine = (2.0 * a * h + h * h - range_m * range_m) / (2.0 * a * range_m)
    return xp.arcsin(xp.clip(sine, 0.0, 1.0))


def depression_angle_rad(antenna_height_m, range_m,
                         effective_earth_radius_m=EFFECTIVE_EARTH_RADIUS_M, xp=np):
    """Angle below the antenna's horizontal at which it sees the surface at slant range R.

    sin delta = (2 a h + h^2 + R^2) / (2 (a + h) R): the grazing angle plus the Earth's
    curvature over the path.
    """
    a = effective_earth_radius_m
    h = antenna_height_m
    sine = (2.0 * a * h + h * h + range_m * range_m) / (2.0 * (a + h) * range_m)
    return xp.arcsin(xp.clip(sine, -1.0, 1.0))


def clutter_cell_area_m2(range_m, grazing_rad, azimuth_beamwidth_rad, elevation_beamwidth_rad,
                         range_resolution_m, xp=np):
    """Illuminated surface area competing with a target at `range_m` (m^2)."""
    range_limited = range_m * azimuth_beamwidth_rad * range_resolution_m / xp.cos(grazing_rad)
    beam_limited = (math.pi / 4.0 * range_m ** 2 * azimuth_beamwidth_rad
                    * elevation_beamwidth_rad / xp.maximum(xp.sin(grazing_rad), 1e-300))
    return xp.minimum(range_limited, beam_limited)


def clutter_rcs_m2(gamma_db, grazing_rad, cell_area_m2, xp=np):
    """Clutter radar cross section of the cell, constant-gamma model sigma0 = gamma sin(psi)."""
    return 10.0 ** (gamma_db / 10.0) * xp.sin(grazing_rad) * cell_area_m2


def clutter_to_noise_db(loop_gain_db, range_m, target_elevation_rad, antenna_height_m, gamma_db,
                        azimuth_beamwidth_rad, elevation_beamwidth_rad, range_resolution_m,
                        sidelobe_level_db=-30.0,
                        effective_earth_radius_m=EFFECTIVE_EARTH_RADIUS_M, xp=np):
    """Clutter-to-noise ratio (dB) in the target's range cell, beam pointed at the target.

    `loop_gain_db` is the radar's loop gain (SNR of 1 m^2 at 1 m on boresight, see
    `radar_equation`); `gamma_db` the surface's constant-gamma reflectivity. Returns -inf dB
    beyond the horizon. Before Doppler processing: subtract the improvement factor.
    """
    grazing = grazing_angle_rad(antenna_height_m, range_m, effective_earth_radius_m, xp)
    area = clutter_cell_area_m2(range_m, grazing, azimuth_beamwidth_rad,
                                elevation_beamwidth_rad, range_resolution_m, xp)
    rcs = clutter_rcs_m2(gamma_db, grazing, area, xp)
    off_boresight = target_elevation_rad + depression_angle_rad(
        antenna_height_m, range_m, effective_earth_radius_m, xp)
    two_way_pattern_db = 2.0 * pattern_gain_db(off_boresight, elevation_beamwidth_rad,
                                               sidelobe_level_db, xp)
    with np.errstate(divide="ignore"):
        return snr_from_loop_gain_db(loop_gain_db, rcs, range_m, xp) + two_way_pattern_db


def signal_to_clutter_plus_noise_db(snr_db, clutter_to_noise_db, improvement_factor_db=0.0,
                                    xp=np):
    """S / (C/I + N) in dB: clutter left after MTI/Doppler filtering with improvement I (dB)."""
    return signal_to_interference_plus_noise_db(
        snr_db, clutter_to_noise_db - improvement_factor_db, xp=xp)
