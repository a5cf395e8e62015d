"""Converted measurements: radar (range, azimuth from north, elevation) to an east-north-up
position with a covariance, batched over leading axes (Bar-Shalom, Li, Kirubarajan 2001 (BLK
2001), section 10.4):

* linearised: covariance J diag(sigma^2) J^T, consistent while cross-range errors are small;
* unbiased: the position divided by the angle errors' mean factors exp(-sigma^2 / 2), with the
  exact covariance given the measurement (Lerro and Bar-Shalom 1993, IEEE TAES 29(4); 3-D as
  in Longbin, Xiaoquan, Yiyu, Kirubarajan, Bar-Shalom 1998, IEEE TAES 34(3)): long range, wide
  beams.
"""

from __future__ import annotations

import numpy as np


def spherical_to_enu(range_m, azimuth, elevation):
    """(east, north, up) position (..., 3) of a range, azimuth (from north) and elevation."""
    ground = range_m * np.cos(elevation)
    return np.stack([ground * np.sin(azimuth), ground * np.cos(azimuth),
                     range_m * np.sin(elevation)], axis=-1)


def spherical_jacobian(range_m, azimuth, elevation):
    """d(east, north, up) / d(range, azimuth, elevation), shaped (..., 3, 3)."""
    sin_az, cos_az = np.sin(azimuth), np.cos(azimuth)
    sin_el, cos_el = np.sin(elevation), np.cos(elevation)
    zero = np.zeros_like(sin_az * range_m)
    rows = [
        [cos_el * sin_az, range_m * cos_el * cos_az, -range_m * sin_el * sin_az],
        [cos_el * cos_az, -range_m * cos_el * sin_az, -range_m * sin_el * cos_az],
        [sin_el + zero, zero, range_m * cos_el],
    ]
    return np.stack([np.stack(row, axis=-1) for row in rows], axis=-2)


def linearised_covariance(range_m, azimuth, elevation, sigma_range_m, sigma_azimuth,
                          sigma_elevation):
    """J diag(sigma_r^2, sigma_az^2, sigma_el^2) J^T (..., 3, 3) at the given point."""
    jacobian = spherical_jacobian(range_m, azimuth, elevation)
    variances = np.stack(np.broadcast_arrays(*(np.asarray(s, dtype=np.float64) ** 2 for s in
                                               (sigma_range_m, sigma_azimuth, sigma_elevation))),
                         axis=-1)
    return np.matmul(jacobian * variances[..., None, :], np.swapaxes(jacobian, -1, -2))


def _second_moments(range_m, azimuth, elevation, sigma_range_m, sigma_azimuth, sigma_elevation):
    """E[p p^T] (..., 3, 3) for p = spherical_to_enu of independent Gaussian r, az, el.

    Uses E[cos(2 a)] = exp(-2 sigma^2) cos(2 a0) and E[sin(2 a)] = exp(-2 sigma^2) sin(2 a0)
    for a ~ N(a0, sigma^2).
    """
    range_square = range_m**2 + sigma_range_m**2
    azimuth_decay = np.exp(-sigma_azimuth**2 / 2)
    azimuth_decay4 = azimuth_decay**4
    elevation_decay = np.exp(-sigma_elevation**2 / 2)
    elevation_decay4 = elevation_decay**4
    sin_sq_az = (1 - azimuth_decay4 * np.cos(2 * azimuth)) / 2
    cos_sq_az = (1 + azimuth_decay4 * np.cos(2 * azimuth)) / 2
    sin_cos_az = azimuth_decay4 * np.sin(2 * azimuth) / 2
    cos_sq_el = (1 + elevation_decay4 * np.cos(2 * elevation)) / 2
    sin_sq_el = (1 - elevation_decay4 * np.cos(2 * elevation)) / 2
    sin_cos_el = elevation_decay4 * np.sin(2 * elevation) / 2
    mean_sin_az = azimuth_decay * np.sin(azimuth)
    mean_cos_az = azimuth_decay * np.cos(azimuth)
    xx = range_square * cos_sq_el * sin_sq_az
    yy = range_square * cos_sq_el * cos_sq_az
    zz = range_square * sin_sq_el
    xy = range_square * cos_sq_el * sin_cos_az
    xz = range_square * sin_cos_el * mean_sin_az
    yz = range_square * sin_cos_el * mean_cos_az
    rows = [[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]]
    rows = [np.broadcast_arrays(*row) for row in rows]
    return np.stack([np.stack(row, axis=-1) for row in rows], axis=-2)


def _bias_factors(sigma_azimuth, sigma_elevation):
    """E[converted] / true per axis: lambda_az lambda_el for east and north, lambda_el for up."""
    azimuth_decay = np.exp(-np.asarray(sigma_azimuth, dtype=np.float64) ** 2 / 2)
    elevation_decay = np.exp(-np.asarray(sigma_elevation, dtype=np.float64) ** 2 / 2)
    horizontal = azimuth_decay * elevation_decay
    horizontal, elevation_decay = np.broadcast_arrays(horizontal, elevation_decay)
    return np.stack([horizontal, horizontal, elevation_decay], axis=-1)


def _as_floats(values):
    return tuple(np.asarray(value, dtype=np.float64) for value in values)


def unbiased_position(range_m, azimuth, elevation, sigma_azimuth, sigma_elevation):
    """Measured position divided by the angle-error bias factors (Lerro & Bar-Shalom 1993)."""
    return (spherical_to_enu(range_m, azimuth, elevation)
            / _bias_factors(sigma_azimuth, sigma_elevation))


def unbiased_covariance_given_measurement(range_m, azimuth, elevation, sigma_range_m,
                                          sigma_azimuth, sigma_elevation):
    """Covariance of (unbiased converted - true) given the measurement, the filter's R.

    With u the unbiased position, c the bias factors squared and M = E[p p^T] of the true
    position given the measurement (true = measured - noise):
    R_ij = u_i u_j (1 - c_i - c_j) + M_ij  (3-D form of Lerro & Bar-Shalom 1993).
    """
    range_m, azimuth, elevation, sigma_range_m, sigma_azimuth, sigma_elevation = _as_floats(
        (range_m, azimuth, elevation, sigma_range_m, sigma_azimuth, sigma_elevation))
    position = unbiased_position(range_m, azimuth, elevation, sigma_azimuth, sigma_elevation)
    squared = _bias_factors(sigma_azimuth, sigma_elevation) ** 2
    moments = _second_moments(range_m, azimuth, elevation, sigma_range_m, sigma_azimuth,
                              sigma_elevation)
    outer = position[..., :, None] * position[..., None, :]
    return outer * (1 - squared[..., :, None] - squared[..., None, :]) + moments


def unbiased_covariance_given_truth(range_m, azimuth, elevation, sigma_range_m, sigma_azimuth,
                                    sigma_elevation):
    """Covariance of the unbiased converted measurement of a target at a known true point.

    E[u u^T] - p p^T with u = converted / bias factors; the quantity a Monte Carlo over
    measurement noise at a fixed target estimates.
    """
    range_m, azimuth, elevation, sigma_range_m, sigma_azimuth, sigma_elevation = _as_floats(
        (range_m, azimuth, elevation, sigma_range_m, sigma_azimuth, sigma_elevation))
    factors = _bias_factors(sigma_azimuth, sigma_elevation)
    moments = _second_moments(range_m, azimuth, elevation, sigma_range_m, sigma_azimuth,
                              sigma_elevation)
    moments = moments / (factors[..., :, None] * factors[..., None, :])
    position = spherical_to_enu(range_m, azimuth, elevation)
    return moments - position[..., :, None] * position[..., None, :]


def convert_measurement(range_m, azimuth, elevation, sigma_range_m, sigma_azimuth,
                        sigma_elevation, unbiased: bool = False):
    """Position (..., 3) and covariance (..., 3, 3) in the sensor's east-north-up frame.

    `unbiased=False`: linearised conversion; `unbiased=True`: debiased position with the
    measurement-conditioned covariance (module docstring).
    """
    values = _as_floats((range_m, azimuth, elevation, sigma_range_m, sigma_azimuth,
                         sigma_elevation))
    if unbiased:
        return (unbiased_position(values[0], values[1], values[2], values[4], values[5]),
                unbiased_covariance_given_measurement(*values))
    return (spherical_to_enu(values[0], values[1], values[2]),
            linearised_covariance(*values))
