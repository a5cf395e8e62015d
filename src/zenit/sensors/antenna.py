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

from zenit.compiled import elementwise, formula
from zenit.sensors.radar_equation import TEN_OVER_LN10

GAUSSIAN_LOSS_DB_PER_BEAMWIDTH_SQUARED = 40.0 * math.log10(2.0)
# The same loss in nepers: gain = exp(-rate off^2) = 10 ** (-loss_db off^2 / 10), off in
# beamwidths.
MAIN_LOBE_RATE = GAUSSIAN_LOSS_DB_PER_BEAMWIDTH_SQUARED * math.log(10.0) / 10.0


@formula
def main_lobe_rate(beamwidth_rad):
    """The main lobe's one-way loss rate, nepers per squared radian off boresight."""
    return MAIN_LOBE_RATE / (beamwidth_rad * beamwidth_rad)


@formula
def main_lobe_gain(rate, squared_off_boresight_rad):
    """One-way main-lobe gain, a power ratio to the peak, at an angle off boresight (given
    squared) for the loss rate `main_lobe_rate`."""
    return math.exp(-rate * squared_off_boresight_rad)


@formula
def main_lobe_half_width_rad(beamwidth_rad, sidelobe_level_db):
    """Angle off boresight where the main lobe falls to the sidelobe level."""
    return beamwidth_rad * math.sqrt(-sidelobe_level_db / GAUSSIAN_LOSS_DB_PER_BEAMWIDTH_SQUARED)


@formula
def pattern_db(off_boresight_rad, beamwidth_rad, sidelobe_level_db):
    """One-way gain (dB to the peak) off boresight: the main lobe floored at the sidelobes."""
    gain = main_lobe_gain(main_lobe_rate(beamwidth_rad), off_boresight_rad * off_boresight_rad)
    return max(TEN_OVER_LN10 * math.log(gain), sidelobe_level_db)


_patterns = elementwise(pattern_db)


def pattern_gain_db(off_boresight_rad, beamwidth_rad, sidelobe_level_db=-30.0):
    """One-way gain in dB relative to the peak, `off_boresight_rad` from the beam axis, for
    the 3 dB `beamwidth_rad` in that plane and the (negative) sidelobe floor."""
    with np.errstate(divide="ignore"):  # the main lobe's log(0) far off, floored
        return _patterns(off_boresight_rad, beamwidth_rad, sidelobe_level_db)
