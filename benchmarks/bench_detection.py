"""Detection draws per second: the engine's per-dwell radar hot path on NumPy.

For each radar-target pair: SNR from the loop gain, RCS and range; Pd from a tabulated
`DetectionCurve`; a counter-based uniform from `RandomStreams`; detected = uniform < Pd.
Run: python benchmarks/bench_detection.py [--pairs N] [--chunk N] [--repeats N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from zenit.engine.streams import RandomStreams
from zenit.sensors.detection import DetectionCurve, pd
from zenit.sensors.radar_equation import calibrate_loop_gain_db, snr_from_loop_gain_db
from machine import describe


def best_seconds(function, repeats):
    """Shortest of `repeats` timed calls: the figure least disturbed by the machine."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000_000)
    parser.add_argument("--chunk", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    pairs, chunk = arguments.pairs, min(arguments.chunk, arguments.pairs)

    print(f"machine: {describe()}")

    start = time.perf_counter()
    curve = DetectionCurve(pfa=1e-6, n_pulses=10, swerling=1)
    print(f"DetectionCurve(Pfa 1e-6, 10 pulses, Swerling 1): "
          f"{curve.table.size} points built in {1e3 * (time.perf_counter() - start):.1f} ms")

    loop = calibrate_loop_gain_db(250e3, 4.0, 0.5, 1e-6, n_pulses=10, swerling=1)
    setup = np.random.default_rng(0)  # benchmark inputs only; the engine uses RandomStreams
    rcs_m2 = 10.0 ** setup.uniform(-2.0, 1.0, pairs)
    range_m = setup.uniform(5e3, 400e3, pairs)
    entity = np.arange(pairs, dtype=np.uint64)
    streams = RandomStreams(2024)

    def snr_stage(lo, hi):
        return snr_from_loop_gain_db(loop, rcs_m2[lo:hi], range_m[lo:hi])

    def full_chunk(lo, hi):
        probability = curve.pd(snr_stage(lo, hi))
        return streams.uniform("detection", 0, entity[lo:hi], 7) < probability

    def over_chunks(function):
        return lambda: [function(lo, min(lo + chunk, pairs)) for lo in range(0, pairs, chunk)]

    snr_sample = snr_stage(0, chunk)
    stages = {
        "SNR from loop gain": over_chunks(snr_stage),
        "Pd from DetectionCurve": lambda: [curve.pd(snr_sample) for _ in range(pairs // chunk)],
        "RandomStreams uniforms": over_chunks(
            lambda lo, hi: streams.uniform("detection", 0, entity[lo:hi], 7)),
        "full detection draw": over_chunks(full_chunk),
    }
    print(f"{pairs:,} radar-target pairs in chunks of {chunk:,}, best of {arguments.repeats}:")
    for name, function in stages.items():
        seconds = best_seconds(function, arguments.repeats)
        print(f"  {name:<24} {seconds:7.3f} s  {pairs / seconds / 1e6:8.1f} M/s  "
              f"{1e9 * seconds / pairs:6.1f} ns each")

    exact_sample = snr_sample[:20_000]
    error = np.max(np.abs(curve.pd(exact_sample) - pd(exact_sample, 1e-6, 10, 1)))
    exact_seconds = best_seconds(lambda: pd(exact_sample, 1e-6, 10, 1), 1)
    print(f"  table vs exact: max |dPd| = {error:.1e}; exact pd() runs at "
          f"{exact_sample.size / exact_seconds / 1e6:.2f} M/s")
    detected = np.concatenate(over_chunks(full_chunk)())
    print(f"  detected fraction: {detected.mean():.4f}")


if __name__ == "__main__":
    main()
