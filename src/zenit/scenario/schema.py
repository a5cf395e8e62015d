"""The scenario file as written: every field declared once, with its type, default, unit and doc.

These models check shape, types, units and simple bounds; the JSON schema and the
`zenit validate` messages for those come from here. Quantities are written as "250 km" or
bare SI numbers and arrive here already in SI (speeds may stay a `Mach` until an altitude
is known). Catalogue names, references between sections, geometry and physics are checked
later, in `resolve`, because they need the catalogue, the terrain and the whole file.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator,
                      WithJsonSchema, model_validator)
from pydantic_core import PydanticCustomError

from zenit.errors import UnitError
from zenit.run_arguments import MAX_SEED
from zenit.units import Kind, Mach, parse_quantity, units_of

POLICIES = ("shoot-look-shoot", "shoot-shoot-look", "salvo")  # fire doctrines
MAX_SALVO = 8  # missiles per engagement


class Unit:
    """Marks a field as a quantity of a kind, so messages can print bounds in its units."""

    def __init__(self, kind: Kind):
        self.kind = kind


def _parser(kind: Kind):
    def parse(value):
        try:
            return parse_quantity(value, kind)
        except UnitError as error:
            raise PydanticCustomError("unit", "{message}", {"message": str(error)}) from None

    return parse


def _json(kind: Kind) -> WithJsonSchema:
    return WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}],
                           "x-unit": kind, "x-units": units_of(kind)})


def _parse_speed(value):
    speed = _parser("speed")(value)
    if not isinstance(speed, Mach) and speed <= 0:
        raise PydanticCustomError("unit", "{message}",
                                  {"message": f"a speed must be positive, got {value!r}"})
    if isinstance(speed, Mach) and speed.number <= 0:
        raise PydanticCustomError("unit", "{message}",
                                  {"message": f"a Mach number must be positive, got {value!r}"})
    return speed


Length = Annotated[float, BeforeValidator(_parser("length")), Unit("length"), _json("length")]
Time = Annotated[float, BeforeValidator(_parser("time")), Unit("time"), _json("time")]
Power = Annotated[float, BeforeValidator(_parser("power")), Unit("power"), _json("power")]
Frequency = Annotated[float, BeforeValidator(_parser("frequency")), Unit("frequency"),
                      _json("frequency")]
Speed = Annotated[float | Mach, PlainValidator(_parse_speed), Unit("speed"), _json("speed")]
Overrides = dict[str, str | float | bool]


def _invalid(message: str, hint: str):
    return PydanticCustomError("zenit", "{message}", {"message": message, "hint": hint})


class Section(BaseModel):
    """Every part of a scenario refuses unknown keys, so a typo cannot pass unnoticed."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)


class Origin(Section):
    """The geodetic point that local east/north coordinates are measured from."""

    latitude: float = Field(ge=-90, le=90, description="Degrees north.")
    longitude: float = Field(ge=-180, le=180, description="Degrees east.")


class Position(Section):
    """A place: east/north of the origin, or latitude/longitude; altitude defaults to ground."""

    east: Length | None = Field(None, description="Ground distance east of the origin.")
    north: Length | None = Field(None, description="Ground distance north of the origin.")
    latitude: float | None = Field(None, ge=-90, le=90, description="Degrees north.")
    longitude: float | None = Field(None, ge=-180, le=180, description="Degrees east.")
    altitude: Length | None = Field(
        None, description="Above sea level; left out, the ground (terrain or sea level).")

    @model_validator(mode="after")
    def _one_form(self):
        local = (self.east is not None, self.north is not None)
        geodetic = (self.latitude is not None, self.longitude is not None)
        if any(local) and any(geodetic):
            raise _invalid("mixes east/north with latitude/longitude",
                           "give either {east, north} or {latitude, longitude}")
        if any(geodetic) and not all(geodetic):
            raise _invalid("needs both latitude and longitude", "add the missing one")
        if not all(geodetic) and not all(local):
            raise _invalid("needs east and north (or latitude and longitude)",
                           "write it as {east: 10 km, north: -5 km}")
        return self


class TerrainSpec(Section):
    """The ground: a synthetic relief or a GeoTIFF elevation model; omitted, a smooth Earth."""

    synthetic: Literal["ridges", "hills", "valleys"] | None = Field(
        None, description="Kind of generated relief.")
    geotiff: str | None = Field(
        None, description="Path of a GeoTIFF DEM, relative to the scenario file.")
    seed: int = Field(0, description="Seed of the synthetic relief.")
    extent: Length = Field(200e3, gt=0, description="Side of the synthetic square map.")
    resolution: Length = Field(500.0, gt=0, description="Grid spacing of the synthetic map.")
    relief: Length = Field(500.0, ge=0, description="Highest elevation of the synthetic map.")

    @model_validator(mode="after")
    def _one_source(self):
        if (self.synthetic is None) == (self.geotiff is None):
            raise _invalid("needs exactly one of 'synthetic' or 'geotiff'",
                           "write {synthetic: ridges, seed: 1} or {geotiff: dem.tif}")
        return self


class Simulation(Section):
    """How the engine steps and how many times it repeats the battle."""

    dt: Time = Field(0.5, gt=0, le=1, description="Time step; events inside it are interpolated.")
    duration: Time = Field(900.0, gt=0, description="Simulated time of one replication.")
    replications: int = Field(100, ge=1, description="Monte Carlo replications.")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="Root of the counter-based random streams.")
    record: list[Annotated[int, Field(ge=0)]] = Field(
        [0], description="Replications whose full event log and trajectories are kept.")


class Doctrine(Section):
    """How the defence fires."""

    policy: Literal[POLICIES] = Field(
        "shoot-look-shoot", description="Fire doctrine.")
    salvo: int = Field(2, ge=1, le=MAX_SALVO, description=(
        "Missiles per engagement under the salvo policy (shoot-look-shoot fires one, "
        "shoot-shoot-look two, before looking)."))
    assignment: Literal["greedy", "optimal"] = Field(
        "greedy", description="Weapon-target assignment: greedy, or optimal (MILP).")
    engage_decoys: bool = Field(True, description="Whether tracks of decoys draw fire.")


class Asset(Section):
    """A defended site: what the raid aims at and what the defence protects."""

    name: str = Field(description="Unique name; threats aim at it with `target`.")
    position: Position
    value: float = Field(1.0, ge=0, description="Relative worth, for weighting outcomes.")
    radius: Length = Field(500.0, gt=0, description="A threat arriving within it hits the asset.")


class CommandPost(Section):
    """A command post (e.g. 55K6E); left out, the catalogue's, at the unit position."""

    type: str | None = Field(None, description="Catalogue name of the command post.")
    position: Position | None = None


class Radar(Section):
    """A radar; on a mast when `mast` names one (e.g. 40V6M)."""

    name: str | None = Field(None, description="Unique name; left out, '<unit>/<type>'.")
    type: str = Field(description="Catalogue name of the radar.")
    mast: str | None = Field(None, description="Catalogue name of the mast it stands on.")
    position: Position | None = Field(None, description="Left out, the unit's position.")
    overrides: Overrides = Field({}, description="Catalogue parameters changed for this radar.")


class Launcher(Section):
    """A group of identical launchers and what each carries."""

    name: str | None = Field(None, description="Unique name; left out, '<battalion>/<type>'.")
    type: str = Field(description="Catalogue name of the launcher.")
    count: int = Field(1, ge=1, description="Launchers in this group.")
    position: Position | None = Field(None, description="Left out, the battalion's position.")
    loadout: list[str] | None = Field(
        None, description="One missile name per tube; a 9M96 name fills its tube with 4 rounds. "
                          "Left out, the battalion's catalogue loadout.")
    overrides: Overrides = Field({}, description="Catalogue parameters changed for them.")


class Battalion(Section):
    """A fire unit: its radars, launchers and command post."""

    name: str = Field(description="Unique name.")
    type: str | None = Field(None, description="Catalogue battalion; left out, the regiment's.")
    position: Position | None = Field(None, description="Left out, the regiment's position.")
    command_post: CommandPost | None = None
    radars: list[Radar] | None = Field(None, description="Left out, the catalogue make-up.")
    launchers: list[Launcher] | None = Field(None, description="Left out, the catalogue make-up.")
    overrides: Overrides = Field({}, description="Battalion parameters (reaction_time, ...).")
    reloads: dict[str, Annotated[int, Field(ge=0)]] = Field(
        {}, description="Spare rounds by missile name, loaded when tubes empty.")


class DefenceUnit(Battalion):
    """A regiment (with battalions) or a battalion standing alone, by its catalogue `type`."""

    type: str = Field(description="Catalogue name: a regiment or a battalion.")
    position: Position = Field(description="Where the unit stands; its parts default to it.")
    battalions: list[Battalion] | None = Field(
        None, description="A regiment's battalions; left out, the catalogue make-up.")


class Spacing(Section):
    """How the members of a raid group are spread."""

    time: Time = Field(0.0, ge=0, description="Between successive launches.")
    lateral: Length = Field(0.0, ge=0, description="Between neighbouring routes, across track.")


class Variation(Section):
    """Per-replication jitter, as standard deviations."""

    launch_time: Time = Field(0.0, ge=0, description="Of each member's launch time.")
    lateral: Length = Field(0.0, ge=0, description="Of each member's route, across track.")


class Launch(Section):
    """Where and when a raid group starts."""

    time: Time = Field(0.0, ge=0, description="Launch of the first member.")
    position: Position


class Waypoint(Section):
    """A point of a route: a position or a `target`, flown at its altitude and speed."""

    position: Position | None = None
    target: str | None = Field(None, description="An asset or defence element to fly to.")
    altitude: Length | None = Field(
        None, description="Above sea level; left out, the threat's cruise altitude.")
    height: Length | None = Field(
        None, ge=0, description="Above the ground instead of `altitude` (terrain following).")
    speed: Speed | None = Field(
        None, description="On the leg to this point; 'Mach 0.8' is read at this altitude. "
                          "Left out, the threat's cruise speed.")

    @model_validator(mode="after")
    def _one_place(self):
        if (self.position is None) == (self.target is None):
            raise _invalid("needs exactly one of 'position' or 'target'",
                           "write {position: {east: 0 km, north: 0 km}} or {target: <asset>}")
        if self.altitude is not None and self.height is not None:
            raise _invalid("gives both 'altitude' and 'height'",
                           "keep 'altitude' (above sea level) or 'height' (above ground)")
        return self


class ThreatGroup(Section):
    """A raid group: `count` threats of one type flying one route."""

    name: str = Field(description="Unique name.")
    type: str = Field(description="Catalogue threat name.")
    count: int = Field(1, ge=1, description="Threats in the group; each gets an index.")
    spacing: Spacing = Field(default_factory=Spacing)
    launch: Launch
    route: list[Waypoint] = Field(min_length=1, description="Waypoints after the launch.")
    variation: Variation = Field(default_factory=Variation)
    overrides: Overrides = Field({}, description="Threat parameters (rcs, cruise_speed, ...).")


class Jammer(Section):
    """A noise jammer: standing off at a position, or screening a group it flies with."""

    name: str = Field(description="Unique name.")
    mode: Literal["stand-off", "self-screening"] = Field(description="How it is employed.")
    position: Position | None = Field(None, description="Stand-off jammers: where it orbits.")
    altitude: Length | None = Field(None, description="Stand-off jammers: flight altitude.")
    escorts: str | None = Field(
        None, description="Self-screening: the threat group or jammer it flies with.")
    erp: Power = Field(gt=0, description="Effective radiated power.")
    bandwidth: Frequency = Field(gt=0, description="Noise bandwidth.")
    start: Time = Field(0.0, ge=0, description="When it starts radiating.")

    @model_validator(mode="after")
    def _placed(self):
        if self.mode == "stand-off" and self.position is None:
            raise _invalid("a stand-off jammer needs a 'position'", "add position: {east, north}")
        if self.mode == "self-screening" and self.escorts is None:
            raise _invalid("a self-screening jammer needs 'escorts'",
                           "name the threat group it flies with")
        if self.mode == "self-screening" and self.position is not None:
            raise _invalid("a self-screening jammer flies with its group and takes no 'position'",
                           "remove 'position' or use mode: stand-off")
        return self


class ScenarioFile(Section):
    """A scenario file: who defends what, who attacks, and how the battle is simulated."""

    name: str = Field(description="Short name, used in results.")
    description: str = Field("", description="What the scenario is for.")
    origin: Origin
    terrain: TerrainSpec | None = Field(None, description="Left out, a smooth spherical Earth.")
    simulation: Simulation = Field(default_factory=Simulation)
    doctrine: Doctrine = Field(default_factory=Doctrine)
    missiles: dict[str, Overrides] = Field(
        {}, description="Catalogue missile parameters changed for the whole scenario.")
    assets: list[Asset] = Field([], description="Defended sites.")
    defence: list[DefenceUnit] = Field(min_length=1, description="Regiments and battalions.")
    threats: list[ThreatGroup] = Field(min_length=1, description="Raid groups.")
    jammers: list[Jammer] = Field([], description="Noise jammers.")


def json_schema() -> dict[str, Any]:
    """The JSON schema of scenario files, for editors and docs."""
    return ScenarioFile.model_json_schema()
