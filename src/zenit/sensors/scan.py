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
the public functions are thin loops over them for arrays.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from zenit.compiled import formula, kernel
from zenit.geo.horizon import broadcast_flat

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
def first_dwell(step_start_s, step_end_s, revisit_s, offset_s):
    """(looked, dwell_s): the first look in [start, end) of the schedule offset + k revisit
    (the step's start where there is none)."""
    first_turn = math.ceil((step_start_s - offset_s) / revisit_s)
    after_last_turn = math.ceil((step_end_s - offset_s) / revisit_s)
    if after_last_turn - first_turn > 0:
        return True, min(max(offset_s + first_turn * revisit_s, step_start_s), step_end_s)
    return False, step_start_s


@formula
def looks_in_step(step_start_s, step_end_s, revisit_s, offset_s):
    """Number of looks of the schedule offset + k revisit in [start, end)."""
    return (math.ceil((step_end_s - offset_s) / revisit_s)
            - math.ceil((step_start_s - offset_s) / revisit_s))


@formula
def next_turn(time_s, revisit_s, offset_s):
    """The schedule's first look at or after `time_s`."""
    return offset_s + revisit_s * math.ceil((time_s - offset_s) / revisit_s)


@formula
def beam_crossing(bearing_rad, period_s):
    """When, within a turn, a clockwise beam at 2 pi t / period crosses `bearing_rad`."""
    return period_s * ((bearing_rad / TWO_PI) % 1.0)


@formula
def sector_toward(along_east, along_north, centre_sine, centre_cosine):
    """A horizontal offset's component along a sector's centre line (sine and cosine of its
    azimuth)."""
    return along_east * centre_sine + along_north * centre_cosine


@formula
def sector_across(along_east, along_north, centre_sine, centre_cosine):
    """A horizontal offset's (unsigned) component across a sector's centre line."""
    return abs(along_east * centre_cosine - along_north * centre_sine)


@formula
def in_sector(toward, ground, half_width_cosine):
    """Whether a horizontal offset `ground` long, `toward` along the centre line, lies in the
    sector centre +/- w/2: its direction's cosine to the centre is at least cos(w/2)."""
    return not toward < half_width_cosine * ground


@formula
def distance_to_sector(toward, across, ground, half_width_cosine, half_width_sine):
    """Horizontal distance from an offset outside an azimuth sector to the sector's wedge.

    `toward` and `across` are the offset along and (unsigned) across the sector's centre,
    `ground` their length: ground * sin(angle outside the sector), or the distance to the
    radar itself once that angle passes a right angle.
    """
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
    and then its horizontal distance to the sector's wedge."""
    centre_sine, centre_cosine, half_width_cosine, half_width_sine = sector
    toward = sector_toward(along_east, along_north, centre_sine, centre_cosine)
    ground = math.sqrt(along_east * along_east + along_north * along_north)
    if in_sector(toward, ground, half_width_cosine):
        return False, 0.0
    return True, distance_to_sector(
        toward, sector_across(along_east, along_north, centre_sine, centre_cosine), ground,
        half_width_cosine, half_width_sine)


@formula
def in_elevation_band(elevation_rad, minimum_rad, maximum_rad):
    """Whether an elevation lies in the radar's elevation coverage [minimum, maximum]."""
    return not (elevation_rad < minimum_rad or elevation_rad > maximum_rad)


# -- the array API ----------------------------------------------------------------------------

@kernel
def _dwells(start, end, revisit, offset, crossing, looked, dwell):
    for i in range(dwell.shape[0]):
        turn_offset = beam_crossing(offset[i], revisit[i]) if crossing else offset[i]
        looked[i], dwell[i] = first_dwell(start[i], end[i], revisit[i], turn_offset)


def _dwell(start, end, revisit, offset, crossing):
    shape, arrays = broadcast_flat(start, end, revisit, offset)
    looked, dwell = np.empty(arrays[0].size, dtype=bool), np.empty(arrays[0].size)
    _dwells(*arrays, crossing, looked, dwell)
    return looked.reshape(shape)[()], dwell.reshape(shape)[()]


def rotating_dwell(target_azimuth_rad, step_start_s, step_end_s, period_s, phase_rad=0.0):
    """First crossing of a clockwise-rotating beam over the target's azimuth in [start, end).

    The beam points at azimuth `phase_rad + 2 pi t / period_s` (radians clockwise from north)
    at time t. Returns (looked, dwell_time_s): whether the beam crossed the target's azimuth
    during the step, and when (the first crossing; the step's start where there is none).
    Steps longer than a period would hold several crossings: only the first is returned.
    """
    bearing = np.asarray(target_azimuth_rad, dtype=float) - phase_rad
    return _dwell(step_start_s, step_end_s, period_s, bearing, True)


def periodic_dwell(step_start_s, step_end_s, revisit_s, offset_s=0.0):
    """First scheduled look in [start, end) of a schedule at `offset_s + k revisit_s`.

    For a phased-array search frame or a track revisit. Returns (looked, dwell_time_s) as
    `rotating_dwell` does.
    """
    return _dwell(step_start_s, step_end_s, revisit_s, offset_s, False)


@kernel
def _counts(start, end, revisit, offset, out):
    for i in range(out.shape[0]):
        out[i] = looks_in_step(start[i], end[i], revisit[i], offset[i])


def look_count(step_start_s, step_end_s, revisit_s, offset_s=0.0):
    """Number of scheduled looks in [start, end): 0 or 1 for steps shorter than a revisit."""
    shape, arrays = broadcast_flat(step_start_s, step_end_s, revisit_s, offset_s)
    out = np.empty(arrays[0].size)
    _counts(*arrays, out)
    return out.reshape(shape)[()]


@kernel
def _sectors(azimuth, centre, width, out):
    for i in range(out.shape[0]):
        if width[i] >= TWO_PI:
            out[i] = True
            continue
        toward = sector_toward(math.sin(azimuth[i]), math.cos(azimuth[i]),
                               math.sin(centre[i]), math.cos(centre[i]))
        out[i] = in_sector(toward, 1.0, math.cos(0.5 * width[i]))


def in_azimuth_sector(azimuth_rad, centre_rad, width_rad):
    """Whether an azimuth lies in the sector `centre +/- width/2` (wrapping through north)."""
    shape, arrays = broadcast_flat(azimuth_rad, centre_rad, width_rad)
    out = np.empty(arrays[0].size, dtype=bool)
    _sectors(*arrays, out)
    return out.reshape(shape)[()]


@kernel
def _bands(elevation, minimum, maximum, out):
    for i in range(out.shape[0]):
        out[i] = in_elevation_band(elevation[i], minimum[i], maximum[i])


def in_elevation_coverage(elevation_rad, minimum_rad, maximum_rad):
    """Whether an elevation lies in the radar's elevation coverage [minimum, maximum]."""
    shape, arrays = broadcast_flat(elevation_rad, minimum_rad, maximum_rad)
    out = np.empty(arrays[0].size, dtype=bool)
    _bands(*arrays, out)
    return out.reshape(shape)[()]
