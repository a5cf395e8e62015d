"""The compiled threat-motion kernel against the trajectory bank it replaces.

`zenit.engine.motion.move_threats` must give `TrajectoryBank.state`'s phase for every pair and
its position and velocity for the pairs alive and flying, and leave every other pair exactly as
it came in (the engine's `_move` contract). Both read the same formulas
(`zenit.physics.threats.threat_state`); tests/physics/test_threats.py checks those against
the Hermite interpolation's properties. The bundled scenarios cover routes,
pop-up dives, weaves and ballistic arcs; random launch delays and route offsets move each
pair's clock and path, and the times asked for fall before launch, in flight, on the first
and last sample, and after the end.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

import zenit
from zenit.engine.compile import compile_world
from zenit.engine.motion import move_threats
from zenit.engine.simulation import ChunkSimulation
from zenit.physics.threats import FLYING

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ["regiment-vs-raid", "ballistic", "point-defence", "terrain-masking"]


@lru_cache(maxsize=None)
def _world(name):
    return compile_world(zenit.load_scenario(ROOT / "scenarios" / f"{name}.yaml"))


def _pairs(bank, replications, seed):
    """Random time offsets (s), lateral offsets (m), alive mask and incoming states (R, N)."""
    rng = np.random.default_rng(seed)
    shape = (replications, bank.threat_count)
    time_offset = rng.normal(0.0, 40.0, shape)
    lateral_offset = rng.normal(0.0, 3000.0, shape)
    alive = rng.random(shape) > 0.25
    # Incoming states that no interpolation would give: a pair left alone is recognisable.
    position = rng.normal(0.0, 1e5, shape + (3,))
    velocity = rng.normal(0.0, 300.0, shape + (3,))
    return time_offset, lateral_offset, alive, position, velocity


def _times(bank):
    """Before any launch, several in flight, and after every threat has ended."""
    launch, end = bank.launch_time_s, bank.end_time_s
    return [launch.min() - 500.0, *np.linspace(launch.min(), end.max(), 7)[1:-1],
            float(np.median(end)), end.max() + 500.0]


def _check(bank, time_s, time_offset, lateral_offset, alive, position, velocity):
    """Compare one call of the kernel with `bank.state`; return the phase for coverage checks."""
    inputs = [array.copy() for array in (time_offset, lateral_offset, alive, position, velocity)]
    new_position, new_velocity, phase = move_threats(bank, time_s, time_offset, lateral_offset,
                                                     alive, position, velocity)
    for before, after in zip(inputs, (time_offset, lateral_offset, alive, position, velocity)):
        np.testing.assert_array_equal(before, after)  # the inputs are not written to

    expected_position, expected_velocity, expected_phase = bank.state(
        time_s, time_offset, lateral_offset)
    assert phase.dtype == np.int8 and phase.shape == alive.shape
    np.testing.assert_array_equal(phase, expected_phase)

    moved = alive & (phase == FLYING)
    np.testing.assert_array_equal(new_position[moved], expected_position[moved])
    np.testing.assert_array_equal(new_velocity[moved], expected_velocity[moved])
    # Everyone else keeps the incoming state exactly, velocity included (state would zero it).
    np.testing.assert_array_equal(new_position[~moved], position[~moved])
    np.testing.assert_array_equal(new_velocity[~moved], velocity[~moved])
    return phase, moved


@pytest.mark.parametrize("name", SCENARIOS)
def test_kernel_matches_the_bank_before_during_and_after_flight(name):
    bank = _world(name).threats.trajectories
    time_offset, lateral_offset, alive, position, velocity = _pairs(bank, 24, seed=7)
    seen = np.zeros(3, dtype=np.int64)
    moved_count = dead_in_flight = 0
    for time_s in _times(bank):
        phase, moved = _check(bank, time_s, time_offset, lateral_offset, alive, position,
                              velocity)
        seen += np.bincount(phase.ravel(), minlength=3)
        moved_count += moved.sum()
        dead_in_flight += ((phase == FLYING) & ~alive).sum()
    # Every phase occurs, many pairs are interpolated, and some dead pairs are in flight (so
    # "left untouched" is tested where a kernel could get it wrong).
    assert (seen > 0).all(), f"phases not all exercised: {seen}"
    assert moved_count > 100 and dead_in_flight > 10


@pytest.mark.parametrize("name", SCENARIOS)
def test_kernel_matches_on_sample_boundaries(name):
    """Clocks exactly at launch, at the end and on an inner sample: u = 0 or 1, clipped index."""
    bank = _world(name).threats.trajectories
    n = bank.threat_count
    inner = bank.times[np.arange(n), bank.sample_count // 2]
    # time 0 minus offset -t gives the clock t exactly.
    time_offset = -np.stack([bank.launch_time_s, bank.end_time_s, inner])
    lateral_offset = np.random.default_rng(3).normal(0.0, 2000.0, time_offset.shape)
    alive = np.ones(time_offset.shape, dtype=bool)
    position, velocity = np.zeros(time_offset.shape + (3,)), np.zeros(time_offset.shape + (3,))
    phase, moved = _check(bank, 0.0, time_offset, lateral_offset, alive, position, velocity)
    assert moved.all()  # launch and end count as flying


def test_the_offsets_move_the_pairs():
    """Each pair's own launch delay and route offset are applied: without either the
    positions differ by far more than rounding."""
    bank = _world("regiment-vs-raid").threats.trajectories
    time_offset, lateral_offset, alive, position, velocity = _pairs(bank, 16, seed=11)
    time_s = float(np.median(bank.launch_time_s + bank.end_time_s) / 2.0)
    moved, _, phase = move_threats(bank, time_s, time_offset, lateral_offset, alive, position,
                                   velocity)
    flying = alive & (phase == FLYING)
    assert flying.sum() > 50
    plain, _, _ = move_threats(bank, time_s, time_offset, 0.0 * lateral_offset, alive, position,
                               velocity)
    undelayed, _, _ = move_threats(bank, time_s, 0.0 * time_offset, lateral_offset, alive,
                                   position, velocity)
    assert np.linalg.norm(plain - moved, axis=-1)[flying].max() > 100.0
    assert np.linalg.norm(undelayed - moved, axis=-1)[flying].max() > 100.0


def test_a_replication_moves_the_same_in_any_chunk():
    bank = _world("regiment-vs-raid").threats.trajectories
    arrays = _pairs(bank, 12, seed=5)
    time_s = float(np.median(bank.end_time_s) / 2.0)
    whole = move_threats(bank, time_s, *arrays)
    for row in (0, 7, 11):
        alone = move_threats(bank, time_s, *(array[row:row + 1] for array in arrays))
        for full, single in zip(whole, alone):
            np.testing.assert_array_equal(full[row:row + 1], single)


def test_engine_move_matches_the_bank():
    """ChunkSimulation._move against `TrajectoryBank.state`, some threats dead."""
    world = _world("regiment-vs-raid")
    bank = world.threats.trajectories
    simulation = ChunkSimulation(world, 2, np.arange(30))
    alive = simulation.outcome.alive
    alive &= np.random.default_rng(9).random(alive.shape) > 0.3
    offsets = (simulation.time_offset, simulation.lateral_offset)
    position, velocity, _ = bank.state(0.0, *offsets)
    for step in (0, 200, 600, 1200, world.steps - 1):
        time_s = (step + 1) * world.dt_s
        new_position, new_velocity, phase = simulation._move(bank, time_s, position, velocity)
        expected_position, expected_velocity, expected_phase = bank.state(time_s, *offsets)
        moved = alive & (expected_phase == FLYING)
        expected_position[~moved], expected_velocity[~moved] = position[~moved], velocity[~moved]
        assert phase.dtype == np.int8
        np.testing.assert_array_equal(phase, expected_phase)
        np.testing.assert_array_equal(new_position, expected_position)
        np.testing.assert_array_equal(new_velocity, expected_velocity)
        position, velocity = new_position, new_velocity
