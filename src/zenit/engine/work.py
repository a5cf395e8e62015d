"""The unit of Monte Carlo work: one chunk of replications of one scenario, as a pure function.

`EngineWork` is a small frozen value (the scenario's text, the seed, the replications to
record) that pickles to any worker; calling it on a chunk loads and compiles the scenario
once per process (or takes the world a local parent handed its workers, `worker_setup`) and
returns the chunk's tables. Nothing in it depends on which process,
machine or chunk size runs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from zenit.errors import ScenarioError
from zenit.engine.compile import compile_world
from zenit.engine.simulation import ChunkSimulation


@dataclass(frozen=True)
class EngineWork:
    scenario_text: str
    scenario_file: str
    seed: int
    record: tuple[int, ...] = ()

    def __call__(self, chunk) -> dict:
        world = compiled_world(self.scenario_text, self.scenario_file)
        replications = np.arange(chunk.start, chunk.stop, dtype=np.int64)
        return ChunkSimulation(world, self.seed, replications, self.record).run().tables()

    def worker_setup(self):
        """What a local worker runs as it starts: install the world this process compiled
        (flyout tables and ballistic trajectories take seconds; a pickled world, milliseconds)."""
        world = compiled_world(self.scenario_text, self.scenario_file)
        return install_world, (self.scenario_text, self.scenario_file, world)


# Worlds handed over by the parent process, by (scenario text, file name).
_installed_worlds: dict = {}


def install_world(scenario_text: str, scenario_file: str, world) -> None:
    """Make `compiled_world(scenario_text, scenario_file)` return `world` in this process."""
    _installed_worlds.clear()
    _installed_worlds[(scenario_text, scenario_file)] = world


def compiled_world(scenario_text: str, scenario_file: str):
    """The scenario compiled once per process (workers run many chunks of the same world),
    or the world the parent installed."""
    installed = _installed_worlds.get((scenario_text, scenario_file))
    return installed if installed is not None else _compile(scenario_text, scenario_file)


@lru_cache(maxsize=4)
def _compile(scenario_text: str, scenario_file: str):
    from zenit.scenario import load_text

    scenario, problems = load_text(scenario_text, scenario_file)
    if problems:
        raise ScenarioError(problems)
    return compile_world(scenario)
