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

The clocks and the coverage tests are scalar formulas, compiled into the engine's look loop;
the public functions are their `elementwise` forms.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from zenit.compiled import elementwise, formula

TWO_PI = 2.0 * math.pi


class RadarSchedule(NamedTuple):
    """When a radar looks: a rotating beam's period, or a phased array's revisit intervals."""

    rotating: bool
    period_s: float
    search_frame_s: float
    track_revisit_s: float  # the battalion's own engagements
    maintenance_s: float  # other confirmed tracks


class RadarCoverage(NamedTuple):
    """Where a radar looks: range, elevation, altitude and azimuth-sector limits."""

    minimum_range_m: float
    maximum_range_m: float
    minimum_elevation_rad: float
    maximum_elevation_rad: float
    maximum_altitude_m: float
    azimuth_centre_rad: float
    azimuth_width_rad: float


# -- formulas ---------------------------------------------------------------------------------

@formula
def looks_in_step(step_start_s, step_end_s, revisit_s, offset_s):
    """Number of looks of the schedule offset + k revisit in [start, end)."""
    return (math.ceil((step_end_s - offset_s) / revisit_s)
            - math.ceil((step_start_s - offset_s) / revisit_s))


@formula
def dwell_time(step_start_s, step_end_s, revisit_s, offset_s):
    """The first look in [start, end) of the schedule offset + k revisit (the step's start
    where there is none)."""
    if looks_in_step(step_start_s, step_end_s, revisit_s, offset_s) > 0:
        first_turn = math.ceil((step_start_s - offset_s) / revisit_s)
        return min(max(offset_s + first_turn * revisit_s, step_start_s), step_end_s)
    return step_start_s


@formula
def first_dwell(step_start_s, step_end_s, revisit_s, offset_s):
    """(looked, dwell_s): whether the schedule looks in [start, end), and when first."""
    return (looks_in_step(step_start_s, step_end_s, revisit_s, offset_s) > 0,
            dwell_time(step_start_s, step_end_s, revisit_s, offset_s))


@formula
def next_turn(time_s, revisit_s, offset_s):
    """The schedule's first look at or after `time_s`."""
    return offset_s + revisit_s * math.ceil((time_s - offset_s) / revisit_s)


@formula
def beam_crossing(bearing_rad, period_s):
    """When, within a turn, a clockwise beam at 2 pi t / period crosses `bearing_rad`."""
    return period_s * ((bearing_rad / TWO_PI) % 1.0)


@formula
def distance_to_sector(toward, across, ground, half_width_cosine, half_width_sine):
    """Horizontal distance from an offset outside an azimuth sector to the sector's wedge:
    `toward` and `across` (unsigned) the offset along and across the sector's centre, `ground`
    their length; ground sin(angle outside), or ground once that angle passes a right angle."""
    if toward * half_width_cosine + across * half_width_sine <= 0.0:
        return ground
    return across * half_width_cosine - toward * half_width_sine


@formula
def sector_shape(centre_rad, width_rad):
    """An azimuth sector as `outside_sector` takes it: sine and cosine of its centre, cosine
    and sine of its half width."""
    half_width = 0.5 * width_rad
    return math.sin(centre_rad), math.cos(centre_rad), math.cos(half_width), math.sin(half_width)


@formula
def outside_sector(along_east, along_north, sector):
    """(outside, distance): whether a horizontal offset lies outside the sector (`sector_shape`),
    its direction's cosine to the centre below cos(w/2), and then its distance to the wedge."""
    centre_sine, centre_cosine, half_width_cosine, half_width_sine = sector
    toward = along_east * centre_sine + along_north * centre_cosine
    ground = math.sqrt(along_east * along_east + along_north * along_north)
    if not toward < half_width_cosine * ground:
        return False, 0.0
    return True, distance_to_sector(toward, abs(along_east * centre_cosine
                                                - along_north * centre_sine),
                                    ground, half_width_cosine, half_width_sine)


@formula
def azimuth_in_sector(azimuth_rad, centre_rad, width_rad):
    """Whether an azimuth lies in the sector `centre +/- width/2` (wrapping through north)."""
    return width_rad >= TWO_PI or not outside_sector(
        math.sin(azimuth_rad), math.cos(azimuth_rad), sector_shape(centre_rad, width_rad))[0]


@formula
def in_elevation_band(elevation_rad, minimum_rad, maximum_rad):
    """Whether an elevation lies in the radar's elevation coverage [minimum, maximum]."""
    return not (elevation_rad < minimum_rad or elevation_rad > maximum_rad)


# -- the array API ----------------------------------------------------------------------------

_looks, _dwells, _crossings = (elementwise(looks_in_step), elementwise(dwell_time),
                               elementwise(beam_crossing))
in_azimuth_sector = elementwise(azimuth_in_sector)
in_elevation_coverage = elementwise(in_elevation_band)


def rotating_dwell(target_azimuth_rad, step_start_s, step_end_s, period_s, phase_rad=0.0):
    """(looked, dwell_time_s): whether a clockwise beam at azimuth `phase_rad + 2 pi t /
    period_s` crosses the target's azimuth in [start, end), and when first (else the start)."""
    bearing = np.asarray(target_azimuth_rad, dtype=float) - phase_rad
    return periodic_dwell(step_start_s, step_end_s, period_s, _crossings(bearing, period_s))


def periodic_dwell(step_start_s, step_end_s, revisit_s, offset_s=0.0):
    """First scheduled look in [start, end) of a schedule at `offset_s + k revisit_s` (a
    phased-array search frame or track revisit): (looked, dwell_time_s) as `rotating_dwell`."""
    return (_looks(step_start_s, step_end_s, revisit_s, offset_s) > 0,
            _dwells(step_start_s, step_end_s, revisit_s, offset_s))


def look_count(step_start_s, step_end_s, revisit_s, offset_s=0.0):
    """Number of scheduled looks in [start, end): 0 or 1 for steps shorter than a revisit."""
    return _looks(step_start_s, step_end_s, revisit_s, offset_s)
