"""When a radar looks at a target: scheduled dwells placed exactly inside an engine step.

A rotating search radar sees a target once a turn, when its beam crosses the target's
azimuth; a phased array revisits a search frame or a track on a fixed period. Rounding these
looks to the engine step biases detection outcomes (Al Rowaei, Buss & Lieberman, WSC 2011),
so each look is placed at its own time: the engine evaluates SNR and the detection draw at
the returned dwell time, interpolating the target's position inside the step.

Each schedule is a clock that counts "turns" (beam crossings or revisits). A look happens at
each whole turn count; a step [start, end) holds ceil(turns(end)) - ceil(turns(start)) of
them. Because the count telescopes, consecutive steps that share their boundary times count
every look exactly once, whatever the step size and however floating point rounds.
"""

from __future__ import annotations

import math

import numpy as np

TWO_PI = 2.0 * math.pi


def rotating_dwell(target_azimuth_rad, step_start_s, step_end_s, period_s, phase_rad=0.0,
                   xp=np):
    """First crossing of a clockwise-rotating beam over the target's azimuth in [start, end).

    The beam points at azimuth `phase_rad + 2 pi t / period_s` (radians clockwise from north)
    at time t. Returns (looked, dwell_time_s): whether the beam crossed the target's azimuth
    during the step, and when (the first crossing; the step's start where there is none).
    Steps longer than a period would hold several crossings: only the first is returned.
    """
    crossing_offset_s = period_s * xp.remainder(
        (target_azimuth_rad - phase_rad) / TWO_PI, 1.0)
    return periodic_dwell(step_start_s, step_end_s, period_s, crossing_offset_s, xp)


def periodic_dwell(step_start_s, step_end_s, revisit_s, offset_s=0.0, xp=np):
    """First scheduled look in [start, end) of a schedule at `offset_s + k revisit_s`.

    For a phased-array search frame or a track revisit. Returns (looked, dwell_time_s) as
    `rotating_dwell` does.
    """
    count, first_turn = _looks_in_step(step_start_s, step_end_s, revisit_s, offset_s, xp)
    looked = count > 0
    dwell_time_s = xp.clip(offset_s + first_turn * revisit_s, step_start_s, step_end_s)
    return looked, xp.where(looked, dwell_time_s, step_start_s)


def look_count(step_start_s, step_end_s, revisit_s, offset_s=0.0, xp=np):
    """Number of scheduled looks in [start, end): 0 or 1 for steps shorter than a revisit."""
    count, _ = _looks_in_step(step_start_s, step_end_s, revisit_s, offset_s, xp)
    return count


def _looks_in_step(step_start_s, step_end_s, revisit_s, offset_s, xp):
    first_turn = xp.ceil((step_start_s - offset_s) / revisit_s)
    after_last_turn = xp.ceil((step_end_s - offset_s) / revisit_s)
    return after_last_turn - first_turn, first_turn


def in_azimuth_sector(azimuth_rad, centre_rad, width_rad, xp=np):
    """Whether an azimuth lies in the sector `centre +/- width/2` (wrapping through north)."""
    offset = xp.remainder(azimuth_rad - centre_rad + math.pi, TWO_PI) - math.pi
    return (xp.abs(offset) <= 0.5 * width_rad) | (width_rad >= TWO_PI)


def in_elevation_coverage(elevation_rad, minimum_rad, maximum_rad):
    """Whether an elevation lies in the radar's elevation coverage [minimum, maximum]."""
    return (elevation_rad >= minimum_rad) & (elevation_rad <= maximum_rad)
