"""Engine throughput: replications per second of regiment-vs-raid.

Runs `zenit.run` on the reference scenario (100 threats, two battalions, 15 min at 0.5 s)
after one untimed warm-up replication (catalogue loading, flyout tables, compiled kernels),
in this process or, with --workers W > 1, on W local worker processes, and prints
replications per second, the peak resident memory of this process
(`resource.getrusage(...).ru_maxrss`: the whole engine with --workers 1, the parent that
merges the chunks' tables otherwise; a worker's peak is that of a --workers 1 run at the same
chunk size) and the machine.
Run: PYTHONPATH=src python benchmarks/bench_engine.py [--replications N] [--workers W]
     [--chunk-size N]
The engine issue's target: --replications 10000 --workers 2 in under 120 s on 2 cores.
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
    parser.add_argument("--workers", type=int, default=1,
                        help="local worker processes (1: run in this process)")
    parser.add_argument("--seed", type=int, default=2)
    arguments = parser.parse_args()

    print(f"machine: {describe()}")
    scenario = zenit.load_scenario(SCENARIO)
    warm_start = time.perf_counter()
    zenit.run(scenario, replications=1, seed=arguments.seed, executor="inprocess")
    print(f"warm-up (load, compile, 1 replication): {time.perf_counter() - warm_start:.1f} s")

    start = time.perf_counter()
    executor = "inprocess" if arguments.workers <= 1 else "process"
    result = zenit.run(scenario, replications=arguments.replications, seed=arguments.seed,
                       executor=executor, workers=max(arguments.workers, 1),
                       chunk_size=arguments.chunk_size)
    seconds = time.perf_counter() - start
    summary = result.summary()
    print(f"scenario: {scenario.name}, {result.threats_total} threats, "
          f"{arguments.replications} replications, chunk size {result.timings['chunk_size']}, "
          f"{executor} executor with {max(arguments.workers, 1)} worker(s)")
    print(f"wall time: {seconds:.1f} s")
    print(f"replications per second: {arguments.replications / seconds:.2f}")
    print(f"peak memory (ru_maxrss of this process): {peak_memory_mib():.0f} MiB")
    print(f"check: leaked {summary['leaked']['mean']:.2f}, killed {summary['killed']['mean']:.2f}, "
          f"missiles fired {summary['missiles_fired']['mean']:.2f} per replication")


if __name__ == "__main__":
    main()
