"""Guarded A/B: two commits' engine throughput, measured alternately in one sitting.

These shared machines drift by 30-60 % from hour to hour, so a figure from another day says
nothing about a change. This script checks both commits out side by side (git worktrees
under a temporary directory), warms each up once (catalogue, flyout tables, the Numba
compile), then runs each commit's own `benchmarks/bench_engine.py` alternately, A B A B ...,
and compares the best of each: the best run is the one the machine disturbed least.

Run: python benchmarks/ab_compare.py OLD NEW [--runs 3] [--replications 1000]
(OLD and NEW: anything `git rev-parse` understands, e.g. fab0e94 HEAD.)
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from machine import describe

ROOT = Path(__file__).resolve().parents[1]
RATE = re.compile(r"replications per second: ([0-9.]+)")
CHECK = re.compile(r"check: (.*)")


def commit_id(revision: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", revision],
                          check=True, capture_output=True, text=True).stdout.strip()


def bench(tree: Path, replications: int) -> tuple[float, str]:
    """One run of the tree's own bench_engine.py: (replications/s, its check line)."""
    environment = dict(os.environ, PYTHONPATH=str(tree / "src"))
    output = subprocess.run(
        [sys.executable, str(tree / "benchmarks" / "bench_engine.py"),
         "--replications", str(replications)],
        cwd=tree, env=environment, check=True, capture_output=True, text=True).stdout
    return float(RATE.search(output).group(1)), CHECK.search(output).group(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--replications", type=int, default=1000)
    arguments = parser.parse_args()
    commits = [commit_id(arguments.old), commit_id(arguments.new)]
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="zenit-ab-") as scratch:
        trees = [Path(scratch) / commit for commit in commits]
        for commit, tree in zip(commits, trees):
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q",
                            str(tree), commit], check=True)
        try:
            rates = {commit: [] for commit in commits}
            for commit, tree in zip(commits, trees):
                bench(tree, 1)  # warm-up: compile and cache
            for run in range(arguments.runs):
                for commit, tree in zip(commits, trees):
                    rate, check = bench(tree, arguments.replications)
                    rates[commit].append(rate)
                    print(f"run {run + 1} {commit}: {rate:.2f} replications/s ({check})",
                          flush=True)
        finally:
            for tree in trees:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                                str(tree)], check=False)
    best = {commit: max(values) for commit, values in rates.items()}
    old, new = commits
    print(f"best of {arguments.runs}: {old} {best[old]:.2f}, {new} {best[new]:.2f} "
          f"replications/s; new/old = {best[new] / best[old]:.3f}")


if __name__ == "__main__":
    main()
