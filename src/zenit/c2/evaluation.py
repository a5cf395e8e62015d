"""Threat evaluation: which defended asset a track threatens, how much, and how soon.

The command post does not know where a threat is going; it extrapolates each track in a
straight line and asks which defended assets it passes close to. A threat is worth the value
of the most valuable asset it threatens; one that threatens none (a fighter on a combat air
patrol, a decoy flying past) keeps a small residual value so that it is still engaged when
nothing better is on offer. Urgency grows as the time to the asset shrinks.
"""

from __future__ import annotations

import numpy as np

THREAT_MARGIN_M = 5_000.0  # a track passing this close to an asset's edge threatens it
RESIDUAL_VALUE_FRACTION = 0.1
URGENCY_TIME_S = 60.0


def threat_values(position, velocity, asset_position, asset_value, asset_radius_m):
    """Value (C,) and time to the threatened asset (C,) of tracks with states (C, 3).

    Straight-line closest approach to each asset (A, 3); time is +inf where nothing is
    threatened.
    """
    offset = asset_position[None, :, :] - position[:, None, :]  # (C, A, 3)
    speed_squared = np.maximum(np.sum(velocity * velocity, axis=-1), 1e-9)[:, None]
    time_to_closest = np.maximum(np.sum(offset * velocity[:, None, :], axis=-1) / speed_squared, 0.0)
    closest = offset - velocity[:, None, :] * time_to_closest[..., None]
    threatened = np.linalg.norm(closest, axis=-1) <= asset_radius_m[None, :] + THREAT_MARGIN_M
    if asset_value.size == 0:
        return np.ones(position.shape[0]), np.full(position.shape[0], np.inf)
    value = np.max(np.where(threatened, asset_value[None, :], 0.0), axis=-1)
    residual = residual_value(asset_value)
    time_to_asset = np.min(np.where(threatened, time_to_closest, np.inf), axis=-1)
    return np.where(value > 0.0, value, residual), time_to_asset


def residual_value(asset_value) -> float:
    """The value of a threat that threatens no asset (1 where there are no assets)."""
    return RESIDUAL_VALUE_FRACTION * float(np.min(asset_value)) if np.size(asset_value) else 1.0


def urgency(time_to_asset_s):
    """A weight between 1 (far in time) and 2 (arriving now) on a threat's value."""
    return 1.0 + URGENCY_TIME_S / (np.asarray(time_to_asset_s) + URGENCY_TIME_S)
