"""Line-of-sight throughput: 1e6 random radar-target pairs, with and without terrain.

Radars stand on masts of 10-40 m on the ground within 100 km of the origin; targets fly
15 m - 10 km above sea level (log-uniform), up to 300 km from their radar, uniformly over the
disc. Terrain is Terrain.synthetic(seed=1, kind="ridges") over 600 km x 600 km at 500 m.
Run:  PYTHONPATH=src python benchmarks/bench_line_of_sight.py [--pairs N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from zenit.geo import Terrain, line_of_sight
from zenit.geo.frames import local_to_cartesian
from zenit.geo.horizon import above_smooth_horizon
from machine import describe


def random_pairs(count: int, terrain: Terrain, seed: int = 2024):
    rng = np.random.default_rng(seed)
    east_m, north_m = rng.uniform(-100e3, 100e3, (2, count))
    radar = local_to_cartesian(
        east_m, north_m, terrain.elevation(east_m, north_m) + rng.uniform(10.0, 40.0, count)
    )
    bearing = rng.uniform(0.0, 2 * np.pi, count)
    distance_m = 300e3 * np.sqrt(rng.uniform(0.0, 1.0, count))
    altitude_m = np.exp(rng.uniform(np.log(15.0), np.log(10e3), count))
    target = local_to_cartesian(
        east_m + distance_m * np.sin(bearing), north_m + distance_m * np.cos(bearing), altitude_m
    )
    return radar, target


def timed(function, repeats: int = 3):
    best, result = np.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    print(f"machine: {describe()}")
    terrain = Terrain.synthetic(
        1, extent_m=600e3, resolution_m=500.0, relief_m=800.0, kind="ridges"
    )
    radar, target = random_pairs(arguments.pairs, terrain)
    print(f"pairs: {arguments.pairs:,}; terrain: {terrain}")
    smooth_s, smooth = timed(lambda: line_of_sight(radar, target), arguments.repeats)
    terrain_s, masked = timed(lambda: line_of_sight(radar, target, terrain), arguments.repeats)
    assert np.array_equal(smooth, above_smooth_horizon(radar, target))
    for name, seconds, visible in (("no terrain", smooth_s, smooth), ("ridges", terrain_s, masked)):
        rate = arguments.pairs / seconds
        print(f"{name:11s}: {seconds:7.3f} s  {rate:12,.0f} pairs/s  visible {visible.mean():6.1%}")


if __name__ == "__main__":
    main()
