"""Toy work functions for the Monte Carlo tests.

Each (replication, threat) row is drawn from `RandomStreams`, so it depends only on the seed
and its coordinates: any chunking must give the same rows. The classes are module-level and
frozen so they pickle into worker processes; failures that must happen once per chunk are
remembered in marker files, which every process sees.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from zenit.engine.streams import RandomStreams
from zenit.montecarlo.chunking import Chunk


@dataclass(frozen=True)
class ToyWork:
    """Each threat is killed with probability 0.7, after an exponential time, by 1-3 missiles.

    Rows come back threat-major (all replications of threat 0 first), so the runner's
    ordering is what makes merged tables comparable.
    """

    seed: int = 11
    threats: int = 3

    def __call__(self, chunk: Chunk) -> pa.Table:
        streams = RandomStreams(self.seed)
        threat, replication = np.meshgrid(
            np.arange(self.threats), np.arange(chunk.start, chunk.stop), indexing="ij"
        )
        replication, threat = replication.ravel(), threat.ravel()
        killed = streams.uniform("fate", replication, threat) < 0.7
        time_s = np.where(killed, -60.0 * np.log(streams.uniform("time", replication, threat)),
                          np.nan)
        missiles = 1 + np.floor(3 * streams.uniform("missiles", replication, threat))
        return pa.table({
            "replication": pa.array(replication, pa.int64()),
            "threat": pa.array(threat, pa.int64()),
            "killed": pa.array(killed),
            "time_s": pa.array(time_s),
            "missiles": pa.array(missiles.astype(np.int64)),
        })


def _first_time(directory: str, chunk: Chunk) -> bool:
    """True exactly once per chunk index across all processes (an O_EXCL marker file)."""
    try:
        with open(Path(directory) / f"attempted-{chunk.index}", "x"):
            return True
    except FileExistsError:
        return False


@dataclass(frozen=True)
class FlakyWork:
    """Raises on the first attempt of every chunk, succeeds on the next."""

    directory: str
    base: ToyWork = field(default_factory=ToyWork)

    def __call__(self, chunk: Chunk) -> pa.Table:
        if _first_time(self.directory, chunk):
            raise RuntimeError(f"flaky failure of chunk {chunk.index}")
        return self.base(chunk)


@dataclass(frozen=True)
class WorkerKillingWork:
    """Kills its worker process on the first attempt of chunk `victim` (a lost worker)."""

    directory: str
    victim: int
    base: ToyWork = field(default_factory=ToyWork)

    def __call__(self, chunk: Chunk) -> pa.Table:
        if chunk.index == self.victim and _first_time(self.directory, chunk):
            os._exit(13)
        return self.base(chunk)


@dataclass(frozen=True)
class StoppingWork:
    """Works for chunks below `stop_at`, then raises `error` (an exception or KeyboardInterrupt)."""

    stop_at: int
    error: type = RuntimeError
    base: ToyWork = field(default_factory=ToyWork)

    def __call__(self, chunk: Chunk) -> pa.Table:
        if chunk.index >= self.stop_at:
            raise self.error(f"stopped at chunk {chunk.index}")
        return self.base(chunk)


@dataclass(frozen=True)
class AlwaysFailingWork:
    """Fails on every attempt of chunk `victim`."""

    victim: int
    base: ToyWork = field(default_factory=ToyWork)

    def __call__(self, chunk: Chunk) -> pa.Table:
        if chunk.index == self.victim:
            raise ValueError("this chunk never works")
        return self.base(chunk)


def identical(first: pa.Table, second: pa.Table) -> bool:
    """Same schema and same values, NaN equal to NaN (Arrow's `equals` says NaN != NaN)."""
    return first.schema.equals(second.schema) and first.to_pandas().equals(second.to_pandas())


# What `PrimedWork.worker_setup` left in the worker process that runs it.
_primed_with: list = []


def _prime(token: str) -> None:
    _primed_with.append(token)


@dataclass(frozen=True)
class PrimedWork:
    """Returns, per chunk, what its worker was primed with (by `worker_setup`) and its pid."""

    token: str

    def __call__(self, chunk: Chunk):
        return list(_primed_with), os.getpid()

    def worker_setup(self):
        return _prime, (self.token,)
