"""Upper bounds on each threat's speed and height over its whole flight, for a chunk's pairs.

The look kernel skips work it can prove useless: a target out of a radar's coverage cannot be
back in it sooner than its distance to the coverage over its greatest speed, and cannot rise
above the horizon of its greatest height. `motion_bounds` gives those two figures per
(replication, threat) pair, from the same cubic Hermite samples `move_threats` interpolates.

Between samples p0, p1 (velocities s0, s1, `step` seconds apart) the Hermite curve at u in
[0, 1] is, with e = (p1 - p0) - step (s0 + s1) / 2 the chord's departure from the mean
velocity's,

    position  (1 - u) p0 + u p1 + u (1 - u) [step (s0 - s1) / 2 - (1 - 2u) e]
    velocity  (1 - u) s0 + u s1 + 6 u (1 - u) e / step

so |velocity| <= max(|s0|, |s1|) + 1.5 |e| / step and |position| <= max(|p0|, |p1|)
+ step |s0 - s1| / 8 + (sqrt(3) / 18) |e| (u (1 - u) <= 1/4, u (1 - u) |1 - 2u| <= sqrt(3)/18):
tight for smooth paths, where e and s0 - s1 are small. The engine's positions between steps
are chords of this curve, no faster and no higher.

A pair's route offset z moves every sample along the lateral basis (p + z lateral, s + z
lateral rate), so each interval's bound is a maximum of norms of vectors affine in z: convex in
z, and so is the maximum over the intervals. The bounds are computed per threat at a few
offsets spanning the chunk's, and each pair takes the chord between the two around its own
offset, which lies above a convex function. The look scheduler's proofs from them:
`time_to_cover` and `earliest_crossing`.
"""

from __future__ import annotations

import math

import numpy as np

from zenit.compiled import formula, kernel
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.geo.horizon import norm3

TWO_PI = 2.0 * math.pi
# Slack the proofs behind the look scheduler's skips leave for rounding: seconds on a crossing
# time (`earliest_crossing`), metres on a distance to coverage (`time_to_cover`).
BOUND_SLACK_S = 1e-3
BOUND_SLACK_M = 1.0
OFFSET_NODES = 9  # offsets per threat at which the bounds are computed exactly
POSITION_BULGE = math.sqrt(3.0) / 18.0  # max of u (1 - u) |1 - 2u| on [0, 1]


def motion_bounds(bank, lateral_offset, earth_radius_m: float = EARTH_RADIUS_M):
    """Upper bounds on each pair's speed (R, N) m/s and height (R, N) m over its flight, for
    the chunk's `TrajectoryBank` and its pairs' route offsets (R, N) (m); a threat with fewer
    than two samples gets an infinite speed bound, which disables every bound that uses it."""
    times, packed, last_index, row_start, _, _ = bank.samples
    lateral_offset = np.asarray(lateral_offset, dtype=np.float64)
    low, high = lateral_offset.min(axis=0), lateral_offset.max(axis=0)
    nodes = low[:, None] + (high - low)[:, None] * np.linspace(0.0, 1.0, OFFSET_NODES)[None, :]
    speed_at, radius_at = _bounds_at_offsets(times, packed, last_index.astype(np.int64),
                                             row_start.astype(np.int64), nodes)
    speed = _between_nodes(speed_at, low, high, lateral_offset)
    height = _between_nodes(radius_at, low, high, lateral_offset) - earth_radius_m
    return speed, height


def _between_nodes(values, low, high, offset):
    """Each pair's value on the chord between the two nodes around its offset (R, N)."""
    last = values.shape[1] - 1
    width = np.where(high > low, high - low, 1.0)
    place = np.clip((offset - low) / width * last, 0.0, last)
    left = np.minimum(np.floor(place).astype(np.int64), last - 1)
    fraction = place - left
    threat = np.arange(values.shape[0])[None, :]
    before, after = values[threat, left], values[threat, left + 1]
    with np.errstate(invalid="ignore"):
        chord = (1.0 - fraction) * before + fraction * after
    return np.where(np.isnan(chord), np.maximum(before, after), chord)  # inf nodes stay inf


@kernel
def _bounds_at_offsets(times, packed, last_index, row_start, nodes):
    """Speed and distance-from-centre bounds (N, K) of each threat at each offset node."""
    threats, count = nodes.shape
    speed = np.zeros((threats, count))
    radius = np.zeros((threats, count))
    shifted = np.empty((2, 6))
    for n in range(threats):
        if last_index[n] < 0:
            speed[n, :] = np.inf
            radius[n, :] = norm3(packed[row_start[n], 0], packed[row_start[n], 1],
                                 packed[row_start[n], 2])
            continue
        for k in range(count):
            offset = nodes[n, k]
            if k > 0 and offset == nodes[n, k - 1]:  # a threat flown without route offsets
                speed[n, k], radius[n, k] = speed[n, k - 1], radius[n, k - 1]
                continue
            fastest = 0.0
            farthest = 0.0
            for flat in range(row_start[n], row_start[n] + last_index[n] + 1):
                for end in range(2):
                    for axis in range(6):
                        shifted[end, axis] = (packed[flat + end, axis]
                                              + offset * packed[flat + end, 6 + axis])
                step = times[flat + 1] - times[flat]
                ex = (shifted[1, 0] - shifted[0, 0]) - 0.5 * step * (shifted[0, 3] + shifted[1, 3])
                ey = (shifted[1, 1] - shifted[0, 1]) - 0.5 * step * (shifted[0, 4] + shifted[1, 4])
                ez = (shifted[1, 2] - shifted[0, 2]) - 0.5 * step * (shifted[0, 5] + shifted[1, 5])
                departure = norm3(ex, ey, ez)
                ends = max(norm3(shifted[0, 3], shifted[0, 4], shifted[0, 5]),
                           norm3(shifted[1, 3], shifted[1, 4], shifted[1, 5]))
                # A zero-length interval is never interpolated inside: its ends suffice.
                fastest = max(fastest, ends + (1.5 * departure / step if step > 0.0 else 0.0))
                turn = norm3(shifted[0, 3] - shifted[1, 3], shifted[0, 4] - shifted[1, 4],
                             shifted[0, 5] - shifted[1, 5])
                farthest = max(farthest,
                               max(norm3(shifted[0, 0], shifted[0, 1], shifted[0, 2]),
                                   norm3(shifted[1, 0], shifted[1, 1], shifted[1, 2]))
                               + 0.125 * abs(step) * turn + POSITION_BULGE * departure)
            speed[n, k] = fastest
            radius[n, k] = farthest
    return speed, radius


@formula
def earliest_crossing(period, margin, step_s, time_end, wait, ground, speed):
    """No step ending before this time can see the beam cross the target again (-inf: no
    bound), from the crossing predicted `wait` s after `time_end` (T0) for a target `ground` m
    from the radar, no faster than `speed`; `step_s` is the longest step."""
    if not ground > speed * period:
        return -math.inf
    drift = speed * period / (TWO_PI * (ground - speed * period))
    # Within a turn the target stays beyond ground - speed * period, so its bearing turns at
    # most kappa (`drift`) times as fast as the beam. A later step [s, e) looks when the beam,
    # at 2 pi t / period, meets the bearing taken at e at some t in [s, e). The gap from beam
    # to bearing, 2 pi wait / period at T0, closes at most (1 + kappa) times as fast as the
    # beam turns and b(e) is within kappa (e - t) of b(t), so the beam meets b(e) only if
    # e > T0 + wait / (1 + kappa). Meeting it from behind (the bearing taken at e overtaking
    # the beam) needs wait + kappa step_s >= period, a look just made; a turn later is later
    # still. The margin rule at a step skipped (no look there) would put the next examination
    # at most T0 + wait + kappa (e - T0) - margin, not past the bound when
    # 2 wait kappa / (1 + kappa) <= margin: skipping those steps changes no look.
    if (drift > 0.5 or wait + drift * step_s + BOUND_SLACK_S >= period
            or 2.0 * wait * drift / (1.0 + drift) > margin - BOUND_SLACK_S):
        return -math.inf
    return time_end + wait / (1.0 + drift) - BOUND_SLACK_S


@formula
def time_to_cover(distance, speed):
    """Least time for a target `distance` m from a region to enter it, moving at most `speed`
    m/s (nan where it cannot be bounded, which skips nothing)."""
    return max(distance - BOUND_SLACK_M, 0.0) / speed
