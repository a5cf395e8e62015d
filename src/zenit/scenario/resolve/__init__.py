"""From the file as written to the resolved Scenario: names, places, physics.

Every catalogue name is looked up here, overrides are applied, positions become local
metres, omitted altitudes become the ground, Mach numbers become m/s at their altitude, and
everything that needs the whole file (references, duplicates, cycles) is checked. Problems
are collected, never raised one by one, so a user sees them all at once.

The resolver is built in layers, one concept per module: `context` (the file, its problems,
names and places), `catalogue` (entries, overrides and the scenario's missiles), `defence`
(regiments, battalions, radars, launchers, loadouts, reloads), `threats` (threat groups,
waypoints, targets, jammers), and `resolver`, which resolves the whole file with them.
"""

from zenit.scenario.resolve.resolver import Resolver

__all__ = ["Resolver"]
