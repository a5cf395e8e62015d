"""Speed and height bounds of the threats' flights against the flights themselves.

`zenit.engine.motion_bounds.motion_bounds` must bound, for every (replication, threat) pair,
the speed and the height above the sphere that `TrajectoryBank.state` gives at any time, and
the distance covered between any two times (what the look kernel relies on), with route
offsets drawn wider than the scenarios' own; and it should not be loose enough to waste the
skipping built on it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

import zenit
from zenit.engine.compile import compile_world
from zenit.engine.motion_bounds import motion_bounds
from zenit.geo.frames import EARTH_RADIUS_M

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DT_S = 0.1


@lru_cache(maxsize=None)
def _world(name):
    return compile_world(zenit.load_scenario(ROOT / "scenarios" / f"{name}.yaml"))


@pytest.mark.parametrize("name", ["regiment-vs-raid", "ballistic", "point-defence",
                                  "terrain-masking"])
def test_bounds_hold_at_every_sampled_time_and_are_close(name):
    bank = _world(name).threats.trajectories
    generator = np.random.default_rng(31)
    shape = (4, bank.threat_count)
    lateral_offset = generator.normal(0.0, 1000.0, shape)
    lateral_offset[0] = 0.0  # the nominal routes too
    speed, height = motion_bounds(bank, lateral_offset)
    assert speed.shape == height.shape == shape

    fastest = np.zeros(shape)
    highest = np.full(shape, -np.inf)
    stride = np.zeros(shape)  # the greatest distance covered per second between samples
    previous = None
    for time_s in np.arange(bank.launch_time_s.min(), bank.end_time_s.max() + SAMPLE_DT_S,
                            SAMPLE_DT_S):
        position, velocity, _ = bank.state(time_s, 0.0, lateral_offset)
        fastest = np.maximum(fastest, np.linalg.norm(velocity, axis=-1))
        highest = np.maximum(highest, np.linalg.norm(position, axis=-1) - EARTH_RADIUS_M)
        if previous is not None:
            stride = np.maximum(stride, np.linalg.norm(position - previous, axis=-1)
                                / SAMPLE_DT_S)
        previous = position
    assert (fastest <= speed).all() and (stride <= speed).all()
    assert (highest <= height).all()
    assert (speed <= 1.5 * fastest).all()
    assert (height <= highest + 100.0).all()


def test_a_threat_with_a_single_sample_gets_no_speed_bound():
    bank = _world("ballistic").threats.trajectories
    times, packed, last_index, row_start, launch, end = bank.samples
    single = last_index.copy()
    single[0] = -1  # one sample: no interval to interpolate

    class OneSample:
        samples = (times, packed, single, row_start, launch, end)

    speed, height = motion_bounds(OneSample(), np.zeros((2, bank.threat_count)))
    assert np.isinf(speed[:, 0]).all() and np.isfinite(speed[:, 1:]).all()
    first = np.linalg.norm(packed[row_start[0], :3]) - EARTH_RADIUS_M
    np.testing.assert_allclose(height[:, 0], first)
