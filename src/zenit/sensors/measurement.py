"""Measurement noise of a detection: thermal error shrinking with SNR, over a fixed floor.

A matched-filter range measurement has a noise error of about the range resolution over
sqrt(2 SNR); a monopulse angle measurement about the 3 dB beamwidth over k_m sqrt(2 SNR),
with k_m ~ 1.6 the normalised monopulse slope (Barton, *Radar System Analysis and Modeling*,
2005, measurement accuracy; Skolnik, *Radar Handbook*, 3rd ed., tracking radar chapter;
Curry, *Radar System Performance Modeling*, measurement accuracy). At high SNR bias and
residual errors dominate: each coordinate's floor adds in quadrature.
"""

from __future__ import annotations

import math

import numpy as np

MONOPULSE_SLOPE = 1.6
TWO_PI = 2.0 * math.pi


def measurement_sigmas(snr_db, range_resolution_m, beamwidth_az_rad, beamwidth_el_rad,
                       range_floor_m=0.0, azimuth_floor_rad=0.0, elevation_floor_rad=0.0,
                       monopulse_slope=MONOPULSE_SLOPE, xp=np):
    """Standard deviations (..., 3) of (range m, azimuth rad, elevation rad) at `snr_db`."""
    root_two_snr = xp.sqrt(2.0 * 10.0 ** (xp.asarray(snr_db) / 10.0))
    range_sigma = xp.hypot(range_resolution_m / root_two_snr, range_floor_m)
    azimuth_sigma = xp.hypot(beamwidth_az_rad / (monopulse_slope * root_two_snr),
                             azimuth_floor_rad)
    elevation_sigma = xp.hypot(beamwidth_el_rad / (monopulse_slope * root_two_snr),
                               elevation_floor_rad)
    return xp.stack(xp.broadcast_arrays(range_sigma, azimuth_sigma, elevation_sigma), axis=-1)


def noisy_spherical(true_range_m, true_azimuth_rad, true_elevation_rad, sigmas,
                    standard_normals, xp=np):
    """Measured (range, azimuth, elevation) (..., 3): truth plus sigma times standard normals.

    `standard_normals` (..., 3) come from the caller's counter-based stream, so a replication's
    measurements do not depend on batching. Range stays non-negative, azimuth is wrapped to
    [0, 2 pi) and elevation clipped to [-pi/2, pi/2].
    """
    noise = sigmas * standard_normals
    measured_range = xp.maximum(true_range_m + noise[..., 0], 0.0)
    measured_azimuth = xp.remainder(true_azimuth_rad + noise[..., 1], TWO_PI)
    measured_elevation = xp.clip(true_elevation_rad + noise[..., 2], -0.5 * math.pi, 0.5 * math.pi)
    return xp.stack([measured_range, measured_azimuth, measured_elevation], axis=-1)
