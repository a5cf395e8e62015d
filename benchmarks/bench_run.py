"""Local scale-out: `zenit.run` of regiment-vs-raid on local worker processes, 1 and 2 workers.

Runs the same replications with the "process" executor and 1, then 2, workers (same seed,
same chunk size, so the same work), and prints replications per second for each, the
scaling ratio (rate with 2 workers / rate with 1; 2.0 would be perfect) and the machine.
Worker start-up (import, catalogue, flyout tables) is inside the timing, as a user sees it.
Run: PYTHONPATH=src python benchmarks/bench_run.py [--replications N] [--chunk-size N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


import zenit
from machine import describe

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "regiment-vs-raid.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=400)
    parser.add_argument("--chunk-size", type=int, default=None,
                        help="replications per chunk (default: replications / 4, at least 1)")
    parser.add_argument("--seed", type=int, default=2)
    arguments = parser.parse_args()
    chunk_size = arguments.chunk_size or max(1, arguments.replications // 4)

    print(f"machine: {describe()}")
    scenario = zenit.load_scenario(SCENARIO)
    rates, outcomes = {}, {}
    for workers in (1, 2):
        start = time.perf_counter()
        result = zenit.run(scenario, replications=arguments.replications, seed=arguments.seed,
                           executor="process", workers=workers, chunk_size=chunk_size)
        seconds = time.perf_counter() - start
        rates[workers] = arguments.replications / seconds
        outcomes[workers] = result.outcomes
        print(f"{workers} worker{'s' if workers > 1 else ''}: {arguments.replications} replications "
              f"in chunks of {chunk_size}: {seconds:.1f} s, {rates[workers]:.2f} replications/s")
    print(f"scaling 1 -> 2 workers: {rates[2] / rates[1]:.2f}x")
    # DataFrame.equals counts NaN == NaN (a threat never fired at has first_launch_s NaN).
    print(f"identical outcome tables with 1 and 2 workers: {outcomes[1].equals(outcomes[2])}")


if __name__ == "__main__":
    main()
