"""The physics core as CUDA device functions, run under Numba's CUDA simulator.

Run with NUMBA_ENABLE_CUDASIM=1 (set before Numba is imported; `test_cuda_simulator.py` does
it in a subprocess). Two small kernels call the same formulas the CPU engine calls:

- the threat-motion step (`physics.threats.flight_phase`, `threat_state`) for every
  (replication, threat) pair of a bundled scenario, against the engine's `move_threats`;
- the look chain of one radar: 4/3-Earth geometry (`geo.horizon`), the SNR
  (`sensors.radar_equation`), Pd from the tabulated curve (`sensors.detection`) and the
  counter-based detection draw (`engine.streams`, Philox4x32-10), against the same chain
  compiled for the CPU and against `RandomStreams.uniform`.

Both must agree draw for draw: every output equal, bit for bit. Prints "identical" and exits
0 when they do; raises otherwise.
"""

from __future__ import annotations

import math
import os
import warnings
from pathlib import Path

import numpy as np

assert os.environ.get("NUMBA_ENABLE_CUDASIM") == "1", "run with NUMBA_ENABLE_CUDASIM=1"

from numba import cuda  # noqa: E402

import zenit  # noqa: E402
from zenit.compiled import formula, kernel  # noqa: E402
from zenit.engine.compile import compile_world  # noqa: E402
from zenit.engine.motion import move_threats  # noqa: E402
from zenit.engine.streams import RandomStreams, stream_key, uniform_at  # noqa: E402
from zenit.geo.frames import EARTH_RADIUS_M  # noqa: E402
from zenit.geo.horizon import (STANDARD_REFRACTION, above_horizon,  # noqa: E402
                               effective_ground_angle, elevation_from_ground_angle,
                               horizon_angle_at)
from zenit.physics.threats import flight_phase, threat_state  # noqa: E402
from zenit.sensors.detection import DetectionCurve, tabulated_pd  # noqa: E402
from zenit.sensors.radar_equation import signal_to_noise_db  # noqa: E402

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "point-defence.yaml"
THREADS_PER_BLOCK = 32


@formula
def look_chain(site, up, target, rcs_db, loop_gain_db, tables, slopes, case, lowest_snr_db,
               step_db, key, replication, entity, step):
    """One look: (slant m, in view, elevation rad, SNR dB, Pd, draw, detected)."""
    x, y, z = target[0], target[1], target[2]
    ox, oy, oz = x - site[0], y - site[1], z - site[2]
    slant = math.sqrt(ox * ox + oy * oy + oz * oz)
    height = math.sqrt(x * x + y * y + z * z) - EARTH_RADIUS_M
    effective = STANDARD_REFRACTION * EARTH_RADIUS_M
    site_height = math.sqrt(site[0] ** 2 + site[1] ** 2 + site[2] ** 2) - EARTH_RADIUS_M
    angle = effective_ground_angle(up, x, y, z, EARTH_RADIUS_M + height, STANDARD_REFRACTION)
    visible = above_horizon(angle, horizon_angle_at(site_height, effective), height, effective)
    elevation = elevation_from_ground_angle(angle, height, site_height, effective)
    snr = signal_to_noise_db(loop_gain_db, rcs_db, slant, 0.0)
    probability = tabulated_pd(snr, tables, slopes, case, lowest_snr_db, step_db)
    draw = uniform_at(key, replication, entity, step, 0)
    return slant, visible, elevation, snr, probability, draw, visible and draw < probability


@formula
def _store(out, i, slant, visible, elevation, snr, probability, draw, detected):
    out[i, 0], out[i, 1], out[i, 2], out[i, 3] = slant, visible, elevation, snr
    out[i, 4], out[i, 5], out[i, 6] = probability, draw, detected


@kernel
def looks_on_cpu(site, up, targets, rcs_db, loop_gain_db, tables, slopes, case, lowest,
                 step_db, key, replications, step, out):
    for i in range(targets.shape[0]):
        values = look_chain(site, up, targets[i], rcs_db, loop_gain_db, tables, slopes, case,
                            lowest, step_db, key, replications[i], i, step)
        _store(out, i, *values)


look_on_device = cuda.jit(device=True)(look_chain)
flight_phase_on_device = cuda.jit(device=True)(flight_phase)
threat_state_on_device = cuda.jit(device=True)(threat_state)


@cuda.jit
def looks_on_gpu(site, up, targets, rcs_db, loop_gain_db, tables, slopes, case, lowest,
                 step_db, key, replications, step, out):
    i = cuda.grid(1)
    if i < targets.shape[0]:
        values = look_on_device(site, up, targets[i], rcs_db, loop_gain_db, tables, slopes,
                                case, lowest, step_db, key, replications[i], i, step)
        _store(out, i, *values)


@cuda.jit
def motion_on_gpu(time_s, time_offset, lateral_offset, times, packed, row_start, last_index,
                  launch, end, sample_dt_s, position, velocity, phase):
    i = cuda.grid(1)
    threats = time_offset.shape[1]
    if i < time_offset.size:
        r, n = i // threats, i % threats
        clock = time_s - time_offset[r, n]
        phase[r, n] = flight_phase_on_device(clock, launch[n], end[n])
        state = threat_state_on_device(times, packed, row_start[n], last_index[n], launch[n],
                                       sample_dt_s, clock, lateral_offset[r, n])
        for axis in range(3):
            position[r, n, axis] = state[axis]
            velocity[r, n, axis] = state[3 + axis]


def _blocks(count: int) -> int:
    return (count + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK


def check_motion() -> None:
    world = compile_world(zenit.load_scenario(SCENARIO))
    bank, streams = world.threats.trajectories, RandomStreams(5)
    replications, threats = 3, world.threats.count
    rows, entity = np.arange(replications)[:, None], np.arange(threats)
    time_offset = 20.0 * streams.normal("launch-jitter", rows, entity)
    lateral_offset = 300.0 * streams.normal("route-offset", rows, entity)
    samples = bank.samples
    for time_s in (1.0, 0.5 * float(samples.end_time_s.max()), float(samples.end_time_s.max())):
        alive = np.ones((replications, threats), dtype=bool)
        zeros = np.zeros((replications, threats, 3))
        want_position, want_velocity, want_phase = move_threats(
            bank, time_s, time_offset, lateral_offset, alive, zeros, zeros)
        position, velocity = np.zeros_like(zeros), np.zeros_like(zeros)
        phase = np.zeros((replications, threats), dtype=np.int8)
        motion_on_gpu[_blocks(time_offset.size), THREADS_PER_BLOCK](
            time_s, time_offset, lateral_offset, samples.times, samples.packed,
            samples.row_start, samples.last_index, samples.launch_time_s, samples.end_time_s,
            bank.sample_dt_s, position, velocity, phase)
        np.testing.assert_array_equal(phase, want_phase)
        flying = want_phase == 1
        np.testing.assert_array_equal(position[flying], want_position[flying])
        np.testing.assert_array_equal(velocity[flying], want_velocity[flying])
        assert flying.any()


def _targets(count: int):
    """Targets from 2 to 400 km out at 15 m to 25 km: some below the radar's horizon."""
    generator = np.random.default_rng(11)
    bearing = generator.uniform(0.0, 2.0 * np.pi, count)
    ground = generator.uniform(2e3, 400e3, count) / EARTH_RADIUS_M
    height = np.exp(generator.uniform(np.log(15.0), np.log(25e3), count))
    radius = EARTH_RADIUS_M + height
    return np.stack([radius * np.sin(ground) * np.sin(bearing),
                     radius * np.sin(ground) * np.cos(bearing), radius * np.cos(ground)], axis=1)


def check_looks() -> None:
    site = np.array([0.0, 0.0, EARTH_RADIUS_M + 30.0])
    up = site / np.linalg.norm(site)
    curve = DetectionCurve(1e-6, 10, 1)
    tables, slopes = np.stack([curve.table] * 5), np.stack([curve.slopes] * 5)
    streams = RandomStreams(3)
    key = stream_key(streams, "detection")
    targets = _targets(200)
    replications = np.arange(200) % 7
    arguments = (site, up, targets, -10.0, 190.0, tables, slopes, 1, curve.lowest_snr_db,
                 curve.step_db, key, replications, 12)
    on_cpu, on_gpu = np.zeros((200, 7)), np.zeros((200, 7))
    looks_on_cpu(*arguments, on_cpu)
    looks_on_gpu[_blocks(200), THREADS_PER_BLOCK](*arguments, on_gpu)
    np.testing.assert_array_equal(on_gpu, on_cpu)
    draws = streams.uniform("detection", replications, np.arange(200), 12)
    np.testing.assert_array_equal(on_gpu[:, 5], draws)
    visible, detected = on_gpu[:, 1].astype(bool), on_gpu[:, 6].astype(bool)
    assert 0 < visible.sum() < 200 and 0 < detected.sum() < visible.sum()


if __name__ == "__main__":
    warnings.simplefilter("ignore")  # the simulator's occupancy and uint64 overflow notes
    check_motion()
    check_looks()
    print("identical")
