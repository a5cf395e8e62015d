"""Threat evaluation: which defended asset a track threatens, how much, and how soon.

The command post does not know where a threat is going; it extrapolates each track in a
straight line and asks which defended assets it passes close to. A threat is worth the value
of the most valuable asset it threatens; one that threatens none (a fighter on a combat air
patrol, a decoy flying past) keeps a small residual value so that it is still engaged when
nothing better is on offer. Urgency grows as the time to the asset shrinks.
The formulas are the engine planning loop's; `threat_values` and `urgency` are their array forms.
"""

from __future__ import annotations

import math

import numpy as np

from zenit.compiled import array_function, elementwise, formula
from zenit.physics.guidance import norm

THREAT_MARGIN_M = 5_000.0  # a track passing this close to an asset's edge threatens it
RESIDUAL_VALUE_FRACTION = 0.1
URGENCY_TIME_S = 60.0
MINIMUM_SPEED_SQUARED = 1e-9  # m²/s²: a track at rest is judged where it is


@formula
def threat_value(x, y, z, vx, vy, vz, asset_position, asset_value, asset_radius_m):
    """(value, time to the asset) of a track at p moving at v: its closest approach to each
    asset a (A, 3) at t* = max(0, (a - p).v / |v|²). The most valuable asset missed by at most
    its radius + THREAT_MARGIN_M gives the value (else `residual_value`), the soonest the time."""
    speed_squared = max(vx * vx + vy * vy + vz * vz, MINIMUM_SPEED_SQUARED)
    value = 0.0
    time_to_asset = math.inf
    for asset in range(asset_value.shape[0]):
        ox = asset_position[asset, 0] - x
        oy = asset_position[asset, 1] - y
        oz = asset_position[asset, 2] - z
        time_to_closest = max((ox * vx + oy * vy + oz * vz) / speed_squared, 0.0)
        cx = ox - vx * time_to_closest
        cy = oy - vy * time_to_closest
        cz = oz - vz * time_to_closest
        if norm(cx, cy, cz) <= asset_radius_m[asset] + THREAT_MARGIN_M:
            value = max(value, asset_value[asset])
            time_to_asset = min(time_to_asset, time_to_closest)
    return (value if value > 0.0 else residual_value(asset_value)), time_to_asset


@formula
def residual_value(asset_value):
    """The value of a threat that threatens no asset: a fraction of the least valuable asset's
    (1 where there are no assets)."""
    if asset_value.shape[0] == 0:
        return 1.0
    least = asset_value[0]
    for asset in range(1, asset_value.shape[0]):
        least = min(least, asset_value[asset])
    return RESIDUAL_VALUE_FRACTION * least


@formula
def threat_urgency(time_to_asset_s):
    """A weight between 1 (far in time) and 2 (arriving now) on a threat's value."""
    return 1.0 + URGENCY_TIME_S / (time_to_asset_s + URGENCY_TIME_S)


_urgency = elementwise(threat_urgency)


def urgency(time_to_asset_s):
    """`threat_urgency` of each time to the asset (any shape)."""
    return _urgency(np.asarray(time_to_asset_s, dtype=float))


@array_function("(n),(n),(a,n),(a),(a)->(),()")
def threat_values(position, velocity, asset_position, asset_value, asset_radius_m, value, time):
    """Value (C,) and time to the threatened asset (C,) of tracks with states (C, 3):
    `threat_value` of each (time +inf where nothing is threatened)."""
    value[0], time[0] = threat_value(position[0], position[1], position[2], velocity[0],
                                     velocity[1], velocity[2], asset_position, asset_value,
                                     asset_radius_m)
