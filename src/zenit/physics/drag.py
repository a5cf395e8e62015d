"""Zero-lift drag coefficient against Mach number, one generic curve per body kind.

Public data give no drag polars for the missiles Zenit models, so each body kind gets a
documented generic curve with the shape every textbook shows for a slender body
(Fleeman, *Tactical Missile Design*, 2nd ed., AIAA 2006, ch. 2, "typical zero-lift drag
coefficient vs Mach"): flat while subsonic, a sharp rise through the transonic drag
divergence to a peak just above Mach 1, then a fall of roughly 1/M towards a hypersonic
plateau. The numbers are modelling assumptions fitted to that shape, not digitised values:

- ``missile``: a slender tactical missile body with fins, power off (base drag included);
  Cd0 about 0.3 subsonic, peak about 0.6 near Mach 1.1, about 0.25 at Mach 5.
- ``reentry_vehicle``: a slender sharp cone of the kind flown by ballistic re-entry
  vehicles; hypersonic Cd about 0.1 (Regan & Anandakrishnan, *Dynamics of Atmospheric
  Re-Entry*, AIAA 1993, ch. 2, quote 0.1-0.2 for slender cones).
- ``cruise``: a winged subsonic cruise missile at cruise trim; drag rises steeply past
  Mach 0.85.

Each coefficient goes with the body's reference area (its largest cross-section). Between
knots the curve is linear; beyond the last knot it is held constant.
"""

from __future__ import annotations

import numpy as np

from zenit.compiled import array_function, formula
from zenit.errors import UserError, did_you_mean
from zenit.scalars import interp

# profile -> (Mach knots, zero-lift drag coefficient at each knot)
DRAG_TABLES: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "missile": (
        (0.0, 0.6, 0.8, 0.95, 1.05, 1.2, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0),
        (0.30, 0.30, 0.32, 0.45, 0.60, 0.58, 0.50, 0.42, 0.33, 0.28, 0.25, 0.23),
    ),
    "reentry_vehicle": (
        (0.0, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0, 5.0, 8.0, 12.0, 20.0, 30.0),
        (0.25, 0.25, 0.45, 0.50, 0.42, 0.33, 0.24, 0.17, 0.13, 0.11, 0.10, 0.10),
    ),
    "cruise": (
        (0.0, 0.7, 0.85, 0.95, 1.05, 1.5, 2.0, 3.0, 4.0),
        (0.25, 0.25, 0.30, 0.45, 0.55, 0.45, 0.38, 0.30, 0.26),
    ),
}


def check_profile(profile: str) -> str:
    """The profile name if it is known; otherwise a UserError that names the valid ones."""
    if profile not in DRAG_TABLES:
        hint = did_you_mean(profile, DRAG_TABLES) or "choose one of " + ", ".join(DRAG_TABLES)
        raise UserError(f"unknown drag profile {profile!r}; {hint}")
    return profile


def profile_table(profile: str) -> np.ndarray:
    """(2, D) float64: a profile's Mach knots and the drag coefficient at each, for
    `zero_lift_coefficient`."""
    mach, coefficient = DRAG_TABLES[check_profile(profile)]
    return np.ascontiguousarray(np.array([mach, coefficient], dtype=np.float64))


@formula
def zero_lift_coefficient(mach, table):
    """Cd0 at a Mach number (either sign) from a `profile_table`: linear between knots, held
    beyond the last (np.interp)."""
    return interp(abs(mach), table)


@array_function("(),(m,n)->()")
def _coefficients(mach, table, out):
    out[0] = zero_lift_coefficient(mach, table)


def drag_coefficient(mach, profile: str = "missile"):
    """Zero-lift drag coefficient at Mach number(s) `mach` (any shape) for a body kind."""
    return _coefficients(mach, profile_table(profile))
