"""Vacuum Kepler arcs over the round Earth: the closed forms that seed ballistic aiming.

Burnout speed and flight-path angle of the minimum-energy arc over a range, and of the arc
peaking at a given apogee (Zarchan, Tactical and Strategic Missile Guidance, ch. 12; Regan &
Anandakrishnan, Dynamics of Atmospheric Re-Entry, 1993, sec. 2).
"""

from __future__ import annotations

import numpy as np

from zenit.geo.frames import EARTH_RADIUS_M

GRAVITATIONAL_PARAMETER = 3.986004418e14   # m^3/s^2, WGS 84 GM (NIMA TR8350.2)


def minimum_energy_vacuum(range_m, launch_altitude_m=0.0):
    """Burnout speed and flight-path angle of the least-energy vacuum arc over `range_m`.

    gamma = (pi - phi) / 4 and v^2 = (mu / r) 2 sin(phi/2) / (1 + sin(phi/2)), phi the range
    angle (Zarchan, ch. 12, "minimum-energy trajectories").
    """
    angle = np.asarray(range_m, dtype=float) / EARTH_RADIUS_M
    radius = EARTH_RADIUS_M + np.asarray(launch_altitude_m, dtype=float)
    half_sine = np.sin(angle / 2.0)
    speed = np.sqrt(GRAVITATIONAL_PARAMETER / radius * 2.0 * half_sine / (1.0 + half_sine))
    return speed, (np.pi - angle) / 4.0


def vacuum_burnout_for_apogee(range_m, apogee_m, launch_altitude_m=0.0):
    """Burnout speed and flight-path angle of the vacuum arc over `range_m` peaking at `apogee_m`.

    The symmetric Kepler ellipse with apogee radius r_a over the mid-range point has
    e = (r_a - r0) / (r_a - r0 cos(phi/2)), p = r_a (1 - e); then v^2 = mu (2/r0 - 1/a) and
    cos(gamma) = sqrt(mu p) / (r0 v).
    """
    half_angle = np.asarray(range_m, dtype=float) / EARTH_RADIUS_M / 2.0
    launch_radius = EARTH_RADIUS_M + np.asarray(launch_altitude_m, dtype=float)
    apogee_radius = EARTH_RADIUS_M + np.asarray(apogee_m, dtype=float)
    eccentricity = ((apogee_radius - launch_radius)
                    / (apogee_radius - launch_radius * np.cos(half_angle)))
    semi_latus = apogee_radius * (1.0 - eccentricity)
    semi_major = semi_latus / (1.0 - eccentricity**2)
    speed = np.sqrt(GRAVITATIONAL_PARAMETER * (2.0 / launch_radius - 1.0 / semi_major))
    cosine = np.sqrt(GRAVITATIONAL_PARAMETER * semi_latus) / (launch_radius * speed)
    return speed, np.arccos(np.clip(cosine, -1.0, 1.0))
