"""The resolved scenario: what the engine compiles into arrays.

Everything here is checked, catalogue-resolved and in SI units: metres, seconds, m/s, watts,
hertz. Positions are on the origin's local map (`zenit.geo.frames`: east and north are ground
distances along the great circle from the origin, altitude is above the sphere). Catalogue
entries carry the scenario's overrides already applied. Field names end in their unit
(`_m`, `_s`, `_mps`, `_w`, `_hz`) wherever a number could be misread.

Equality compares what a scenario means, not how it was written: two files that resolve to
the same battle compare equal, which is what the load -> dump -> load round trip relies on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from zenit.geo.frames import Origin


@dataclass(frozen=True)
class Point:
    """A place on the local map."""

    east_m: float
    north_m: float
    altitude_m: float  # above the sphere (sea level)


@dataclass(frozen=True)
class TerrainSource:
    """Where the ground comes from; `Scenario.ground` holds the elevation model it built."""

    synthetic: Literal["ridges", "hills", "valleys"] | None
    geotiff: str | None  # absolute path of the DEM
    seed: int
    extent_m: float
    resolution_m: float
    relief_m: float


@dataclass(frozen=True)
class Simulation:
    dt_s: float  # engine step, 0 < dt <= 1 s
    duration_s: float  # simulated time of one replication
    replications: int
    seed: int  # root of the counter-based random streams
    record: tuple[int, ...]  # replications whose event log and trajectories are kept


@dataclass(frozen=True)
class Doctrine:
    policy: Literal["shoot-look-shoot", "shoot-shoot-look", "salvo"]
    salvo: int  # missiles per engagement
    assignment: Literal["greedy", "optimal"]
    engage_decoys: bool


@dataclass(frozen=True)
class Asset:
    name: str
    position: Point
    value: float  # relative worth
    radius_m: float  # a threat arriving within this ground distance hits the asset


@dataclass(frozen=True)
class CommandPost:
    name: str
    type: str  # catalogue name
    position: Point
    entry: Any = field(compare=False, repr=False)  # catalogue Entry


@dataclass(frozen=True)
class Radar:
    name: str
    type: str  # catalogue name
    position: Point  # the foot of the radar (or of its mast)
    mast: str | None  # catalogue name of the mast, None on its own vehicle
    overrides: dict[str, Any]  # as written, applied in `entry`
    entry: Any = field(compare=False, repr=False)  # catalogue Entry, overrides applied
    mast_entry: Any = field(compare=False, repr=False, default=None)


@dataclass(frozen=True)
class Launcher:
    """`count` identical launchers, each loaded alike."""

    name: str
    type: str  # catalogue name
    count: int
    position: Point
    loadout: tuple[str, ...]  # missile name in each tube
    rounds: dict[str, int]  # ready rounds on ONE launcher, by missile name
    overrides: dict[str, Any]
    entry: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class Battalion:
    """A fire unit."""

    name: str
    type: str  # catalogue battalion name
    regiment: str | None  # the regiment it belongs to, None when standing alone
    position: Point
    command_post: CommandPost | None
    radars: tuple[Radar, ...]
    launchers: tuple[Launcher, ...]
    reloads: dict[str, int]  # spare rounds by missile name
    overrides: dict[str, Any]
    entry: Any = field(compare=False, repr=False)

    def ready_rounds(self) -> dict[str, int]:
        """Rounds in the tubes of all launchers, by missile name."""
        total: dict[str, int] = {}
        for launcher in self.launchers:
            for missile, rounds in launcher.rounds.items():
                total[missile] = total.get(missile, 0) + rounds * launcher.count
        return total


@dataclass(frozen=True)
class Regiment:
    name: str
    type: str
    position: Point
    command_post: CommandPost | None
    radars: tuple[Radar, ...]  # regiment-level radars (acquisition, low-altitude)
    battalions: tuple[Battalion, ...]
    overrides: dict[str, Any]
    entry: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class Waypoint:
    position: Point
    speed_mps: float  # on the leg that ends here; Mach read at this altitude
    target: str | None  # the asset or defence element this point is, if named so
    height_m: float | None  # above the ground when given so (terrain following), else None


@dataclass(frozen=True)
class ThreatGroup:
    """A raid group as written: `count` threats of one type sharing one route."""

    name: str
    type: str  # catalogue threat name
    count: int
    launch_time_s: float  # of the first member
    launch: Point
    launch_height_m: float | None  # above ground when the launch altitude was left out
    route: tuple[Waypoint, ...]
    spacing_time_s: float  # between successive members' launches
    spacing_lateral_m: float  # between neighbouring members' routes, across track
    launch_time_sigma_s: float  # per-replication jitter of each launch time
    lateral_sigma_m: float  # per-replication jitter of each route, across track
    overrides: dict[str, Any]
    entry: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class Threat:
    """One member of a raid group, with its own launch time and laterally offset route."""

    group: str
    index: int  # 0-based within the group
    name: str  # "<group>#<index>"
    type: str
    launch_time_s: float
    launch: Point
    route: tuple[Waypoint, ...]
    launch_time_sigma_s: float
    lateral_sigma_m: float
    entry: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class Jammer:
    name: str
    mode: Literal["stand-off", "self-screening"]
    position: Point | None  # stand-off only
    escorts: str | None  # self-screening: the threat group or jammer it flies with
    erp_w: float  # effective radiated power
    bandwidth_hz: float
    start_s: float


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    origin: Origin
    terrain: TerrainSource | None  # None: a smooth sphere
    simulation: Simulation
    doctrine: Doctrine
    missile_overrides: dict[str, dict[str, Any]]  # as written, scenario-wide
    assets: tuple[Asset, ...]
    defence: tuple[Regiment | Battalion, ...]
    threats: tuple[ThreatGroup, ...]
    jammers: tuple[Jammer, ...]
    missiles: dict[str, Any] = field(compare=False, repr=False)  # loaded missile Entries by name
    ground: Any = field(compare=False, repr=False, default=None)  # zenit.geo.terrain.Terrain
    source_path: str | None = field(compare=False, default=None)
    source_text: str = field(compare=False, repr=False, default="")
    source_hash: str = field(compare=False, default="")  # sha256 of source_text, hex

    def battalions(self) -> list[Battalion]:
        """Every fire unit, standing alone or in a regiment."""
        found: list[Battalion] = []
        for unit in self.defence:
            found += list(unit.battalions) if isinstance(unit, Regiment) else [unit]
        return found

    def radars(self) -> list[Radar]:
        """Every radar: regiment-level first, then each battalion's."""
        found: list[Radar] = []
        for unit in self.defence:
            if isinstance(unit, Regiment):
                found += unit.radars
        for battalion in self.battalions():
            found += battalion.radars
        return found

    def asset(self, name: str) -> Asset:
        return next(asset for asset in self.assets if asset.name == name)

    def threat_count(self) -> int:
        return sum(group.count for group in self.threats)

    def expanded_threats(self) -> list[Threat]:
        """One record per threat: spacing applied to launch times and routes."""
        return [threat for group in self.threats for threat in _expand(group, self.ground)]

    def to_yaml(self) -> str:
        """The scenario as a file that loads back to an equal Scenario (SI values, units shown)."""
        from zenit.scenario.dump import scenario_to_yaml

        return scenario_to_yaml(self)


def _expand(group: ThreatGroup, ground) -> list[Threat]:
    threats = []
    for index in range(group.count):
        offset_m = (index - (group.count - 1) / 2) * group.spacing_lateral_m
        launch, route = _offset_route(group, offset_m, ground)
        threats.append(Threat(group=group.name, index=index, name=f"{group.name}#{index}",
                              type=group.type,
                              launch_time_s=group.launch_time_s + index * group.spacing_time_s,
                              launch=launch, route=route,
                              launch_time_sigma_s=group.launch_time_sigma_s,
                              lateral_sigma_m=group.lateral_sigma_m, entry=group.entry))
    return threats


def _offset_route(group: ThreatGroup, offset_m: float, ground):
    """Shift a route sideways (to the left of travel for positive offsets).

    Points named as a `target` are not moved: every member converges on what it attacks.
    """
    if offset_m == 0.0:
        return group.launch, group.route
    points = [group.launch] + [waypoint.position for waypoint in group.route]
    heights = [group.launch_height_m] + [waypoint.height_m for waypoint in group.route]
    targets = [None] + [waypoint.target for waypoint in group.route]
    moved = []
    for index, point in enumerate(points):
        if targets[index] is not None:
            moved.append(point)
            continue
        before = points[index - 1] if index > 0 else point
        after = points[index + 1] if index + 1 < len(points) else point
        left_east, left_north = _left_of(before, after)
        east = point.east_m + offset_m * left_east
        north = point.north_m + offset_m * left_north
        altitude = point.altitude_m
        if heights[index] is not None:
            altitude = heights[index] + (float(ground.elevation(east, north)) if ground else 0.0)
        moved.append(Point(east, north, altitude))
    route = tuple(replace(waypoint, position=position)
                  for waypoint, position in zip(group.route, moved[1:]))
    return moved[0], route


def _left_of(start: Point, end: Point) -> tuple[float, float]:
    east, north = end.east_m - start.east_m, end.north_m - start.north_m
    length = math.hypot(east, north)
    if length == 0.0:
        return 0.0, 0.0
    return -north / length, east / length
