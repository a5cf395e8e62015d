"""Line of sight over a smooth Earth and terrain, for many observer-target pairs at once.

Two stages. The smooth sphere decides first (`above_smooth_horizon`, exact in the 4/3
effective-Earth model); only the pairs it passes go on to the terrain. There each pair's ray is
laid out in the effective-Earth plane: observer at P1 = (0, a + h1), target at
P2 = ((a + h2) sin(theta/k), (a + h2) cos(theta/k)), with a = k R and theta the ground angle
between them. Along the straight ray Q(s) = P1 + s (P2 - P1), 0 <= s <= 1,

    ray height      = |Q(s)| - a                      (exact, no small-angle expansion)
    ground fraction = atan2(Q_x, Q_y) / (theta / k)   (how far along the ground path)

For small angles this is the textbook profile h1 + (h2 - h1) d1/D - d1 d2 / (2 k R), with d1,
d2 the ground distances to the two ends; the exact form keeps the terrain stage consistent
with the smooth-Earth stage at grazing incidence. A pair is hidden when the terrain at some
sample reaches the ray.

The ground path (the great circle under the ray) is walked on the origin's map as a quadratic
through its two ends and its exact midpoint, within 0.1 m of the great circle for paths of
1000 km within 1000 km of the origin.

What keeps it fast: the ray is sampled only where it is lower than the terrain's highest point
(a line-circle intersection gives that stretch in closed form) and only over the terrain grid
when off-grid ground is at or below sea level; samples are spaced about one terrain cell,
at most `max_samples` a pair; pairs are processed in chunks of bounded memory, as flat arrays
of samples, with no Python loop over pairs.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from zenit.geo.frames import EARTH_RADIUS_M, cartesian_to_local
from zenit.geo.horizon import (STANDARD_REFRACTION, above_smooth_horizon, effective_earth_radius,
                               ground_angle)
from zenit.geo.terrain import Terrain

DEFAULT_MAX_SAMPLES = 1024
SAMPLES_PER_CHUNK = 1 << 18
PAIRS_PER_CHUNK = 1 << 16


def line_of_sight(observer_pos, target_pos, terrain: Terrain | None = None,
                  k=STANDARD_REFRACTION, max_samples: int = DEFAULT_MAX_SAMPLES):
    """True where each target is visible from its observer; frame positions (..., 3) broadcast."""
    observer_pos, target_pos = np.asarray(observer_pos, float), np.asarray(target_pos, float)
    shape = np.broadcast_shapes(observer_pos.shape, target_pos.shape)
    observer_pos = np.broadcast_to(observer_pos, shape).reshape(-1, 3)
    target_pos = np.broadcast_to(target_pos, shape).reshape(-1, 3)
    visible = above_smooth_horizon(observer_pos, target_pos, k)
    if terrain is None or terrain.max_elevation <= 0.0:
        return visible.reshape(shape[:-1])
    candidates = np.nonzero(visible)[0]
    for start in range(0, int(candidates.shape[0]), PAIRS_PER_CHUNK):
        pairs = candidates[start : start + PAIRS_PER_CHUNK]
        blocked = _terrain_blocks(observer_pos[pairs], target_pos[pairs], terrain, k, max_samples)
        visible[pairs[blocked]] = False
    return visible.reshape(shape[:-1])


class _Rays:
    """Per-pair constants of the rays in the effective-Earth plane and on the map."""

    def __init__(self, observer_pos, target_pos, k):
        self.radius_m = effective_earth_radius(k)
        observer_height_m = np.linalg.norm(observer_pos, axis=-1) - EARTH_RADIUS_M
        target_height_m = np.linalg.norm(target_pos, axis=-1) - EARTH_RADIUS_M
        self.effective_angle = ground_angle(observer_pos, target_pos) / k
        self.observer_radius_m = self.radius_m + observer_height_m
        target_radius_m = self.radius_m + target_height_m
        self.across_m = target_radius_m * np.sin(self.effective_angle)
        self.upward_m = ((target_height_m - observer_height_m)
                         - 2.0 * target_radius_m * np.sin(self.effective_angle / 2.0) ** 2)
        self.length_m = np.hypot(self.across_m, self.upward_m)
        self.observer_height_m = observer_height_m
        east1, north1, _ = cartesian_to_local(observer_pos)
        east2, north2, _ = cartesian_to_local(target_pos)
        middle = (observer_pos / np.linalg.norm(observer_pos, axis=-1, keepdims=True)
                  + target_pos / np.linalg.norm(target_pos, axis=-1, keepdims=True))
        east_middle, north_middle, _ = cartesian_to_local(
            EARTH_RADIUS_M * middle / np.linalg.norm(middle, axis=-1, keepdims=True))
        self.east_m, self.north_m = east1, north1
        self.east_step_m, self.north_step_m = east2 - east1, north2 - north1
        self.east_bow_m = 4.0 * (east_middle - 0.5 * (east1 + east2))
        self.north_bow_m = 4.0 * (north_middle - 0.5 * (north1 + north2))

    def below(self, ceiling_m):
        """The stretch [low, high] of each ray lower than ceiling_m above the effective Earth."""
        ceiling_radius_m = self.radius_m + ceiling_m
        quadratic = self.length_m**2
        half_linear = self.observer_radius_m * self.upward_m
        constant = ((self.observer_height_m - ceiling_m)
                    * (self.observer_radius_m + ceiling_radius_m))
        discriminant = half_linear**2 - quadratic * constant
        root = np.sqrt(np.maximum(discriminant, 0.0))
        # Stable roots: q / A and C / q with q = -(b' + sign(b') sqrt(disc)).
        q = -(half_linear + np.where(half_linear >= 0.0, root, -root))
        safe_q = np.where(q == 0.0, 1.0, q)
        first, second = q / quadratic, constant / safe_q
        low = np.maximum(np.minimum(first, second), 0.0)
        high = np.minimum(np.maximum(first, second), 1.0)
        return low, np.where(discriminant > 0.0, high, low)

    def ground_fraction(self, along):
        """Fraction of the ground path under the ray point Q(along)."""
        return np.arctan2(along * self.across_m,
                          self.observer_radius_m + along * self.upward_m) / self.effective_angle

    def ray_parameter(self, fraction):
        """Inverse of ground_fraction: the s whose ray point lies over that fraction of the path."""
        polar = fraction * self.effective_angle
        return (self.observer_radius_m * np.sin(polar)
                / (self.across_m * np.cos(polar) - self.upward_m * np.sin(polar)))


def _clip_to_grid(rays: _Rays, low, high, terrain: Terrain):
    """Shrink [low, high] to the part of the ground path over the grid (Liang-Barsky on the map)."""
    fraction_low = rays.ground_fraction(low)
    fraction_high = rays.ground_fraction(high)
    margin_m = np.hypot(rays.east_bow_m, rays.north_bow_m) / 4.0  # the quadratic strays so far
    bounds = ((rays.east_m, rays.east_step_m, terrain.east_min_m, terrain.east_max_m),
              (rays.north_m, rays.north_step_m, terrain.north_min_m, terrain.north_max_m))
    for start_m, step_m, minimum_m, maximum_m in bounds:
        safe_step = np.where(step_m == 0.0, 1e-300, step_m)
        enter = (minimum_m - margin_m - start_m) / safe_step
        leave = (maximum_m + margin_m - start_m) / safe_step
        fraction_low = np.maximum(fraction_low, np.minimum(enter, leave))
        fraction_high = np.minimum(fraction_high, np.maximum(enter, leave))
    clipped_low = np.maximum(low, rays.ray_parameter(np.clip(fraction_low, 0.0, 1.0)))
    clipped_high = np.minimum(high, rays.ray_parameter(np.clip(fraction_high, 0.0, 1.0)))
    return clipped_low, np.where(fraction_low < fraction_high, clipped_high, clipped_low)


def _terrain_blocks(observer_pos, target_pos, terrain: Terrain, k, max_samples):
    """For pairs already clear of the smooth Earth: True where the terrain reaches the ray."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rays = _Rays(observer_pos, target_pos, k)
        low, high = rays.below(terrain.max_elevation)
        if terrain.outside_m <= 0.0:
            low, high = _clip_to_grid(rays, low, high, terrain)
    spanned = (high > low) & (rays.effective_angle > 1e-12)
    counts = np.where(spanned, np.ceil((high - low) * rays.length_m / terrain.resolution_m), 0.0)
    counts = np.minimum(np.maximum(counts, np.where(spanned, 1.0, 0.0)),
                        max_samples).astype(np.int64)
    blocked = np.zeros(counts.shape, dtype=bool)
    sampled = np.nonzero(counts)[0]
    if sampled.shape[0] == 0:
        return blocked
    ends = np.cumsum(counts[sampled])
    bounds = np.searchsorted(ends, np.arange(SAMPLES_PER_CHUNK, int(ends[-1]), SAMPLES_PER_CHUNK),
                             side="left")
    starts = [0] + [int(bound) for bound in bounds] + [int(sampled.shape[0])]
    for first, last in pairwise(starts):
        if last > first:
            chunk = sampled[first:last]
            blocked[chunk] = _sampled_blocks(rays, chunk, low[chunk], high[chunk], counts[chunk],
                                             terrain)
    return blocked


def _sampled_blocks(rays: _Rays, pairs, low, high, counts, terrain: Terrain):
    """Walk each ray at `counts` midpoints of [low, high]; True where terrain meets it."""
    ends = np.cumsum(counts)
    total = int(ends[-1])
    starts = ends - counts
    pair_of_sample = np.zeros(total, dtype=np.int64)
    pair_of_sample[starts[1:]] = 1
    pair_of_sample = np.cumsum(pair_of_sample)
    step = (high - low) / counts
    along = low[pair_of_sample] + (np.arange(total) - starts[pair_of_sample] + 0.5) * step[
        pair_of_sample]
    pair = pairs[pair_of_sample]
    across_m = along * rays.across_m[pair]
    upward_m = rays.observer_radius_m[pair] + along * rays.upward_m[pair]
    ray_height_m = np.sqrt(across_m * across_m + upward_m * upward_m) - rays.radius_m
    fraction = np.arctan2(across_m, upward_m) / rays.effective_angle[pair]
    bow = fraction * (1.0 - fraction)
    east_m = rays.east_m[pair] + fraction * rays.east_step_m[pair] + bow * rays.east_bow_m[pair]
    north_m = rays.north_m[pair] + fraction * rays.north_step_m[pair] + bow * rays.north_bow_m[pair]
    reached = terrain.elevation(east_m, north_m) >= ray_height_m
    reached_before = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(reached)])
    return reached_before[ends] > reached_before[starts]
