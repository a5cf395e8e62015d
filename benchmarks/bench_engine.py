"""Engine throughput: replications per second of regiment-vs-raid, in this process.

Runs `zenit.run(..., executor="inprocess")` on the reference scenario (100 threats, two
battalions, 15 min at 0.5 s) after one untimed warm-up replication (catalogue loading,
flyout tables), and prints replications per second, the peak resident memory of the
process (`resource.getrusage(...).ru_maxrss`) and the machine.
Run: PYTHONPATH=src python benchmarks/bench_engine.py [--replications N] [--chunk-size N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path


import zenit
from machine import describe

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "regiment-vs-raid.yaml"


def peak_memory_mib() -> float:
    """Peak resident set size of this process, MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=1000)
    parser.add_argument("--chunk-size", type=int, default=None,
                        help="replications per chunk (default: zenit's choice)")
    parser.add_argument("--seed", type=int, default=2)
    arguments = parser.parse_args()

    print(f"machine: {describe()}")
    scenario = zenit.load_scenario(SCENARIO)
    warm_start = time.perf_counter()
    zenit.run(scenario, replications=1, seed=arguments.seed, executor="inprocess")
    print(f"warm-up (load, compile, 1 replication): {time.perf_counter() - warm_start:.1f} s")

    start = time.perf_counter()
    result = zenit.run(scenario, replications=arguments.replications, seed=arguments.seed,
                       executor="inprocess", chunk_size=arguments.chunk_size)
    seconds = time.perf_counter() - start
    summary = result.summary()
    print(f"scenario: {scenario.name}, {result.threats_total} threats, "
          f"{arguments.replications} replications, chunk size {result.timings['chunk_size']}")
    print(f"wall time: {seconds:.1f} s")
    print(f"replications per second: {arguments.replications / seconds:.2f}")
    print(f"peak memory (ru_maxrss): {peak_memory_mib():.0f} MiB")
    print(f"check: leaked {summary['leaked']['mean']:.2f}, killed {summary['killed']['mean']:.2f}, "
          f"missiles fired {summary['missiles_fired']['mean']:.2f} per replication")


if __name__ == "__main__":
    main()
