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

from typing import NamedTuple

import numpy as np

from zenit.compiled import elementwise, formula
from zenit.sensors.radar_equation import LN10_OVER_10

MONOPULSE_SLOPE = 1.6
TWO_PI = 2.0 * math.pi
# The least cos(elevation) a plot's azimuth axis is scaled by (a look straight up has none).
LEAST_HORIZONTAL = 1e-3


class PlotAccuracy(NamedTuple):
    """What a radar's plot errors scale with."""

    range_resolution_m: float
    beamwidth_azimuth_rad: float
    beamwidth_elevation_rad: float
    monopulse_slope: float
    range_floor_m: float
    angle_floor_rad: float


@formula
def half_inverse_snr(snr_db):
    """1 / (2 SNR) at `snr_db`."""
    return 0.5 * math.exp(-LN10_OVER_10 * snr_db)


@formula
def measurement_sigma(width, half_inverse_snr, floor):
    """One coordinate's error: sqrt(width^2 / (2 SNR) + floor^2), `width` the range resolution
    (m) or a beamwidth over the monopulse slope (rad)."""
    return math.sqrt(width * width * half_inverse_snr + floor * floor)


@formula
def plot_axes(up, rx, ry, rz):
    """(ax, ay, az, bx, by, bz, horizontal): a plot's unit error axes across (horizontal) and
    above the unit line of sight (rx, ry, rz) from a site of up `up` (3,), and cos(elevation)."""
    ax, ay, az = up[1] * rz - up[2] * ry, up[2] * rx - up[0] * rz, up[0] * ry - up[1] * rx
    horizontal = max(math.sqrt(ax * ax + ay * ay + az * az), LEAST_HORIZONTAL)
    ax, ay, az = ax / horizontal, ay / horizontal, az / horizontal
    return ax, ay, az, ry * az - rz * ay, rz * ax - rx * az, rx * ay - ry * ax, horizontal


@formula
def plot_sigmas(accuracy, half_inverse_snr, slant_m, horizontal):
    """A plot's error sigmas (m) along the line of sight and `plot_axes` at SNR
    1 / (2 half_inverse_snr), slant range `slant_m` and cos(elevation) `horizontal`."""
    return (measurement_sigma(accuracy.range_resolution_m, half_inverse_snr,
                              accuracy.range_floor_m),
            slant_m * measurement_sigma(accuracy.beamwidth_azimuth_rad / accuracy.monopulse_slope,
                                        half_inverse_snr, accuracy.angle_floor_rad) * horizontal,
            slant_m * measurement_sigma(
                accuracy.beamwidth_elevation_rad / accuracy.monopulse_slope, half_inverse_snr,
                accuracy.angle_floor_rad))


@formula
def covariance_entry(scale, axes, k, m):
    """Entry (k, m) of a plot's covariance: the sum over its `axes` (3, 3) of
    scale^2 axis axis^T, `scale` (3,) the sigmas (m) along them."""
    total = 0.0
    for axis in range(3):
        total += scale[axis] * scale[axis] * axes[axis, k] * axes[axis, m]
    return total


_half_inverse_snrs, _sigmas = elementwise(half_inverse_snr), elementwise(measurement_sigma)


def measurement_sigmas(snr_db, range_resolution_m, beamwidth_az_rad, beamwidth_el_rad,
                       range_floor_m=0.0, azimuth_floor_rad=0.0, elevation_floor_rad=0.0,
                       monopulse_slope=MONOPULSE_SLOPE):
    """Standard deviations (..., 3) of (range m, azimuth rad, elevation rad) at `snr_db`."""
    inverse = _half_inverse_snrs(snr_db)
    return np.stack(np.broadcast_arrays(
        _sigmas(range_resolution_m, inverse, range_floor_m),
        _sigmas(np.divide(beamwidth_az_rad, monopulse_slope), inverse, azimuth_floor_rad),
        _sigmas(np.divide(beamwidth_el_rad, monopulse_slope), inverse, elevation_floor_rad)),
        axis=-1)


def noisy_spherical(true_range_m, true_azimuth_rad, true_elevation_rad, sigmas,
                    standard_normals):
    """Measured (range, azimuth, elevation) (..., 3): truth plus sigma times standard normals
    (..., 3); range kept non-negative, azimuth wrapped to [0, 2 pi), elevation clipped."""
    noise = sigmas * standard_normals
    measured_range = np.maximum(true_range_m + noise[..., 0], 0.0)
    measured_azimuth = np.remainder(true_azimuth_rad + noise[..., 1], TWO_PI)
    measured_elevation = np.clip(true_elevation_rad + noise[..., 2], -0.5 * math.pi, 0.5 * math.pi)
    return np.stack([measured_range, measured_azimuth, measured_elevation], axis=-1)
