"""Antenna gain away from boresight: a Gaussian main lobe floored at the sidelobe level.

The main lobe of a pencil beam is close to Gaussian, G(theta)/G0 = exp(-4 ln 2 (theta/B)^2):
3 dB down at theta = B/2, which in dB is -40 log10(2) (theta/B)^2 = -12.04 (theta/B)^2
(Barton, *Radar System Analysis and Modeling*, 2005, antenna patterns; Skolnik, *Radar
Handbook*, 3rd ed., antenna chapters). Beyond the main lobe the gain is held at the mean
sidelobe level. Used for clutter entering the main beam near the horizon and for jammers
seen off boresight.
"""

from __future__ import annotations

import math

import numpy as np

GAUSSIAN_LOSS_DB_PER_BEAMWIDTH_SQUARED = 40.0 * math.log10(2.0)


def pattern_gain_db(off_boresight_rad, beamwidth_rad, sidelobe_level_db=-30.0, xp=np):
    """One-way gain in dB relative to the peak, `off_boresight_rad` from the beam axis.

    `beamwidth_rad` is the 3 dB beamwidth in that plane; `sidelobe_level_db` (negative) is
    the floor reached outside the main lobe.
    """
    beamwidths_off = off_boresight_rad / beamwidth_rad
    main_lobe_db = -GAUSSIAN_LOSS_DB_PER_BEAMWIDTH_SQUARED * beamwidths_off ** 2
    return xp.maximum(main_lobe_db, sidelobe_level_db)
