"""Zenit: an open simulator of layered surface-to-air missile defence, built from public data.

    >>> import zenit
    >>> scenario = zenit.load_scenario("scenarios/point-defence.yaml")
    >>> result = zenit.run(scenario, replications=200, seed=1)
    >>> result.summary()["p_asset_hit"]

Simulation and analysis only: Zenit has no interface to real sensors, weapons or command
systems, every figure comes from a public source, and bundled scenarios use fictional
geography.
"""

__version__ = "0.1.0"


def load_scenario(path):
    """Load, check and resolve a scenario file (raises ScenarioError with every problem)."""
    from zenit.scenario import load_scenario as load

    return load(path)


def run(scenario, replications=None, seed=None, **options):
    """Run a scenario's Monte Carlo replications; see `zenit.api.run`."""
    from zenit.api import run as run_scenario

    return run_scenario(scenario, replications, seed, **options)


__all__ = ["__version__", "load_scenario", "run"]
