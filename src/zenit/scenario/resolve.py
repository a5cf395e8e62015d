"""From the file as written to the resolved Scenario: names, places, physics.

Every catalogue name is looked up here, overrides are applied, positions become local
metres, omitted altitudes become the ground, Mach numbers become m/s at their altitude, and
everything that needs the whole file (references, duplicates, cycles) is checked. Problems
are collected, never raised one by one, so a user sees them all at once.
"""

from __future__ import annotations

import math
from pathlib import Path

from zenit.catalog.quantities import read_value, show_value
from zenit.catalog.schema import parameter as catalogue_parameter
from zenit.errors import CatalogError, Problem, UnitError, did_you_mean
from zenit.geo.frames import Origin, geodetic_to_local
from zenit.scenario import model, schema
from zenit.scenario.loader import Document, FieldPath, render_path
from zenit.units import Mach, format_quantity

WORLD_RADIUS_M = 3_000e3  # farther than this from the origin, the local map is not trusted
CEILING_M = 1_000e3  # nothing Zenit models flies higher
SPEED_OF_SOUND_SEA_LEVEL_MPS = 340.3  # ISA, 15 degC


class Resolver:
    """Resolves one validated file; `problems` holds everything found wrong."""

    def __init__(self, document: Document, spec: schema.ScenarioFile, catalog,
                 skipped_names: set[str], kept: dict[str, list[int]]):
        self.document = document
        self.spec = spec
        self.catalog = catalog
        self.skipped_names = skipped_names  # names of parts set aside for schema errors
        self.kept = kept  # original indices of the items of lists that lost some
        self.problems: list[Problem] = []
        self.origin = Origin(spec.origin.latitude, spec.origin.longitude)
        self.ground = None
        self.places: dict[str, tuple[model.Point, FieldPath]] = {}  # targetable names
        self.names: dict[str, FieldPath] = {}
        self.missiles: dict[str, object] = {}

    # -- problems -------------------------------------------------------------------------

    def problem(self, path: FieldPath, message: str, hint: str | None = None,
                key: bool = False) -> None:
        line, column = self.document.marks.of(path, key=key)
        self.problems.append(Problem(message, file=self.document.file, line=line,
                                     column=column, path=render_path(path) or None, hint=hint))

    # -- the whole file -------------------------------------------------------------------

    def resolve(self) -> model.Scenario | None:
        spec = self.spec
        terrain = self.terrain()
        simulation = self.simulation()
        self.scenario_missiles()
        assets = tuple(self.asset(asset, path) for asset, path in self.items("assets"))
        defence = tuple(unit for unit in (self.defence_unit(unit, path)
                                          for unit, path in self.items("defence")) if unit)
        threats = tuple(group for group in (self.threat_group(group, path)
                                            for group, path in self.items("threats")) if group)
        jammers = tuple(self.jammer(jammer, path) for jammer, path in self.items("jammers"))
        self.check_escorts()
        if self.problems:
            return None
        doctrine = model.Doctrine(**spec.doctrine.model_dump())
        return model.Scenario(
            name=spec.name, description=spec.description, origin=self.origin, terrain=terrain,
            simulation=simulation, doctrine=doctrine,
            missile_overrides={name: dict(values) for name, values in spec.missiles.items()},
            assets=assets, defence=defence, threats=threats, jammers=jammers,
            missiles=dict(self.missiles), ground=self.ground)

    def items(self, section: str) -> list[tuple[object, FieldPath]]:
        """A list section's items with their paths as written (counting parts set aside)."""
        items = getattr(self.spec, section)
        indices = self.kept.get(section, range(len(items)))
        return [(item, (section, index)) for item, index in zip(items, indices)]

    def terrain(self) -> model.TerrainSource | None:
        given = self.spec.terrain
        if given is None:
            return None
        from zenit.geo.terrain import Terrain

        geotiff = None
        if given.geotiff is not None:
            base = Path(self.document.file).parent
            path = base / given.geotiff  # an absolute path replaces the base
            if not path.is_file():
                self.problem(("terrain", "geotiff"), f"terrain file {given.geotiff!r} not found "
                             f"(looked for {path})",
                             "give the DEM's path relative to the scenario file, "
                             "or use {synthetic: ridges}")
                return None
            geotiff = str(path.resolve())
            try:
                self.ground = Terrain.from_geotiff(geotiff, self.origin)
            except Exception as error:  # rasterio raises many kinds; all mean "unreadable"
                self.problem(("terrain", "geotiff"), f"cannot read terrain file: {error}",
                             "give a single-band GeoTIFF elevation model")
                return None
        else:
            self.ground = Terrain.synthetic(seed=given.seed, extent_m=given.extent,
                                            resolution_m=given.resolution,
                                            relief_m=given.relief, kind=given.synthetic)
        return model.TerrainSource(synthetic=given.synthetic, geotiff=geotiff, seed=given.seed,
                                   extent_m=given.extent, resolution_m=given.resolution,
                                   relief_m=given.relief)

    def simulation(self) -> model.Simulation:
        given = self.spec.simulation
        for index, replication in enumerate(given.record):
            if replication >= given.replications:
                self.problem(("simulation", "record", index),
                             f"replication {replication} is not run: there are "
                             f"{given.replications} (0 to {given.replications - 1})",
                             "record a replication below simulation.replications")
        return model.Simulation(dt_s=given.dt, duration_s=given.duration,
                                replications=given.replications, seed=given.seed,
                                record=tuple(given.record))

    # -- names and places -----------------------------------------------------------------

    def claim(self, name: str, path: FieldPath) -> None:
        """Names are one namespace: targets and escorts refer to them without a kind."""
        if name in self.names:
            self.problem(path, f"the name {name!r} is already used at "
                         f"{render_path(self.names[name])}", "give each part its own name")
        else:
            self.names[name] = path

    def ground_at(self, east_m: float, north_m: float) -> float:
        return float(self.ground.elevation(east_m, north_m)) if self.ground is not None else 0.0

    def point(self, given: schema.Position | None, path: FieldPath,
              default: model.Point | None = None, height_m: float = 0.0) -> model.Point | None:
        """A position in local metres; an omitted altitude is `height_m` above the ground."""
        if given is None:
            return default
        if given.latitude is not None:
            east, north, _ = geodetic_to_local(given.latitude, given.longitude, 0.0, self.origin)
            east, north = float(east), float(north)
        else:
            east, north = given.east, given.north
        altitude = given.altitude
        if altitude is None:
            altitude = self.ground_at(east, north) + height_m
        distance = math.hypot(east, north)
        if distance > WORLD_RADIUS_M:
            self.problem(path, f"is {distance / 1e3:,.0f} km from the origin, outside the world "
                         f"(at most {WORLD_RADIUS_M / 1e3:,.0f} km)",
                         "check the unit (km or m) and the sign")
        if altitude > CEILING_M:
            self.problem(path + ("altitude",), f"{format_quantity(altitude, 'length')} is above "
                         f"the {CEILING_M / 1e3:,.0f} km ceiling of the world",
                         "check the unit (km or m)")
        return model.Point(east, north, altitude)

    def check_above_ground(self, point: model.Point, path: FieldPath) -> None:
        ground = self.ground_at(point.east_m, point.north_m)
        if point.altitude_m >= ground:
            return
        if self.ground is None:
            self.problem(path, f"altitude {format_quantity(point.altitude_m, 'length')} is below "
                         "sea level, and the scenario has no terrain",
                         "give a positive altitude, or 'height' above the ground")
        else:
            self.problem(path, f"altitude {format_quantity(point.altitude_m, 'length')} is below "
                         f"the ground ({format_quantity(ground, 'length')} here)",
                         "fly higher, or give 'height' to follow the terrain")

    # -- catalogue --------------------------------------------------------------------------

    def entry(self, name: str, kinds: tuple[str, ...], path: FieldPath):
        """The catalogue entry `name` of one of `kinds`, or None with a problem."""
        try:
            found = self.catalog.get(name)
        except CatalogError:
            names = [known for kind in kinds for known in self.catalog.names(kind)]
            self.problem(path, f"unknown {' or '.join(kinds)} {name!r}",
                         did_you_mean(name, names) or "list the names with `zenit catalog`")
            return None
        if found.kind not in kinds:
            names = [known for kind in kinds for known in self.catalog.names(kind)]
            self.problem(path, f"{found.name!r} is a {found.kind}, not a {' or '.join(kinds)}",
                         "choose one of: " + ", ".join(names))
            return None
        return found

    def overridden(self, entry, overrides: dict, path: FieldPath):
        """The entry with `overrides` applied; each bad one is a problem at its own key."""
        good = {}
        for name, given in overrides.items():
            where = path + (name,)
            declared = catalogue_parameter(entry.kind, name)
            if declared is None:
                self.problem(where, f"{entry.name} has no parameter {name!r}",
                             did_you_mean(name, _parameter_names(entry.kind))
                             or f"list its parameters with `zenit catalog {entry.name}`",
                             key=True)
                continue
            try:
                value = read_value(given, declared, _cruise_altitude(entry, overrides))
            except (UnitError, CatalogError) as error:
                self.problem(where, str(error), _override_hint(entry, name))
                continue
            if self.contradicts(entry, name, given, value, where):
                continue
            try:
                entry.with_overrides({name: given}, self.origin_of(where))
            except (UnitError, CatalogError) as error:
                self.problem(where, _without_place(str(error), entry), _override_hint(entry, name))
                continue
            good[name] = given
        if not good:
            return entry
        try:
            return entry.with_overrides(good, self.origin_of(path))
        except (UnitError, CatalogError) as error:
            self.problem(path, _without_place(str(error), entry), "change them together")
            return entry

    def origin_of(self, path: FieldPath) -> str:
        line, _ = self.document.marks.of(path)
        return f"{self.document.file}:{line} {render_path(path)}"

    def contradicts(self, entry, name: str, given, value, path: FieldPath) -> bool:
        """Overrides that cannot be meant: sign flips, subsonic Mach-6 missiles, m for km."""
        declared = catalogue_parameter(entry.kind, name)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return False
        before = entry.value(name) if entry.has(name) else None
        was = f"the catalogue gives {entry.name} {show_value(before, declared)}" \
            if before is not None else None
        if declared.sign == "positive" and value <= 0:
            self.problem(path, f"{name} {given!r} must be positive", was)
            return True
        if declared.sign == "nonnegative" and value < 0:
            self.problem(path, f"{name} {given!r} cannot be negative", was)
            return True
        if not isinstance(before, (int, float)) or before <= 0:
            return False
        if (declared.kind == "speed" and before > 1.5 * SPEED_OF_SOUND_SEA_LEVEL_MPS
                and value < SPEED_OF_SOUND_SEA_LEVEL_MPS):
            self.problem(path, f"{name} {given!r} is below Mach 1 but the catalogue gives "
                         f"{entry.name} ~{before:.0f} m/s", "check the unit")
            return True
        if declared.kind == "length" and not 0.01 < value / before < 100:
            self.problem(path, f"{name} {given!r} is {value / before:.3g} times the "
                         f"catalogue's {show_value(before, declared)} for {entry.name}",
                         "check the unit (km or m)")
            return True
        return False

    # -- missiles -------------------------------------------------------------------------

    def scenario_missiles(self) -> None:
        for name, overrides in self.spec.missiles.items():
            found = self.entry(name, ("missile",), ("missiles", name))
            if found is not None:
                self.missiles[found.name] = self.overridden(found, overrides, ("missiles", name))

    def missile(self, name: str, path: FieldPath):
        found = self.entry(name, ("missile",), path)
        if found is None:
            return None
        return self.missiles.setdefault(found.name, found)

    # -- assets -----------------------------------------------------------------------------

    def asset(self, given: schema.Asset, path: FieldPath) -> model.Asset:
        self.claim(given.name, path + ("name",))
        position = self.point(given.position, path + ("position",))
        self.places[given.name] = (position, path)
        return model.Asset(name=given.name, position=position, value=given.value,
                           radius_m=given.radius)

    # -- defence ----------------------------------------------------------------------------

    def defence_unit(self, given: schema.DefenceUnit, path: FieldPath):
        entry = self.entry(given.type, ("regiment", "battalion"), path + ("type",))
        self.claim(given.name, path + ("name",))
        position = self.point(given.position, path + ("position",))
        if entry is None or position is None:
            return None
        self.places[given.name] = (position, path)
        if entry.kind == "battalion":
            if given.battalions is not None:
                self.problem(path + ("battalions",), f"{entry.name} is a battalion and has no "
                             "battalions", "use a regiment type, or remove 'battalions'",
                             key=True)
            return self.battalion(given, path, None, entry, position)
        for field in ("launchers", "reloads"):
            if field in given.model_fields_set:
                self.problem(path + (field,), f"a regiment has no {field} of its own",
                             "put them under one of its battalions", key=True)
        entry = self.overridden(entry, given.overrides, path + ("overrides",))
        command_post = self.command_post(given, path, entry, position)
        radars = self.radars(given.radars, entry, given.name, position, path)
        battalions = self.regiment_battalions(given, entry, position, path)
        return model.Regiment(name=given.name, type=entry.name, position=position,
                              command_post=command_post, radars=radars,
                              battalions=battalions, overrides=dict(given.overrides),
                              entry=entry)

    def regiment_battalions(self, given, entry, position, path) -> tuple[model.Battalion, ...]:
        components = list(entry.battalions)
        default_type = components[0].type if components else None
        if given.battalions is None:
            resolved = []
            number = 0
            for component in components:
                battalion_entry = self.catalog.get(component.type)
                for _ in range(component.count):
                    number += 1
                    spec = schema.Battalion(name=f"{given.name} battalion {number}")
                    self.claim(spec.name, path)
                    resolved.append(self.battalion(spec, path, given.name, battalion_entry,
                                                   position))
            return tuple(unit for unit in resolved if unit)
        resolved = []
        for index, battalion in enumerate(given.battalions):
            where = path + ("battalions", index)
            self.claim(battalion.name, where + ("name",))
            name = battalion.type or default_type
            battalion_entry = self.entry(name, ("battalion",), where + ("type",))
            place = self.point(battalion.position, where + ("position",), default=position)
            if battalion_entry is not None:
                resolved.append(self.battalion(battalion, where, given.name, battalion_entry,
                                               place))
        return tuple(unit for unit in resolved if unit)

    def battalion(self, given: schema.Battalion, path: FieldPath, regiment: str | None,
                  entry, position: model.Point) -> model.Battalion:
        """A battalion whose name its caller has claimed."""
        self.places[given.name] = (position, path)
        entry = self.overridden(entry, given.overrides, path + ("overrides",))
        command_post = (self.command_post(given, path, None, position)
                        if given.command_post is not None else None)
        radars = self.radars(given.radars, entry, given.name, position, path)
        launchers = self.launchers(given, entry, position, path)
        reloads = self.reloads(given, entry, launchers, path)
        return model.Battalion(name=given.name, type=entry.name, regiment=regiment,
                               position=position, command_post=command_post, radars=radars,
                               launchers=launchers, reloads=reloads,
                               overrides=dict(given.overrides), entry=entry)

    def command_post(self, given, path, regiment_entry, position) -> model.CommandPost | None:
        written = given.command_post
        name = written.type if written is not None and written.type else None
        if name is None and regiment_entry is not None and regiment_entry.has("command_post"):
            name = regiment_entry.value("command_post")
        if name is None:
            self.problem(path + ("command_post",), "the command post needs a 'type'",
                         "write {type: 55K6E}")
            return None
        where = path + ("command_post",)
        entry = self.entry(name, ("command_post",), where + ("type",))
        place = self.point(written.position if written else None, where + ("position",),
                           default=position)
        if entry is None:
            return None
        cp_name = f"{given.name}/{entry.name}"
        self.claim(cp_name, where)
        self.places[cp_name] = (place, where)
        return model.CommandPost(name=cp_name, type=entry.name, position=place, entry=entry)

    def radars(self, written, entry, unit: str, position, path) -> tuple[model.Radar, ...]:
        if written is None:
            written = _from_components(entry.radars, schema.Radar, unit)
            path = path + ("radars",)
            return tuple(radar for radar in (self.radar(radar, path, unit, position)
                                             for radar in written) if radar)
        return tuple(radar for radar in (self.radar(radar, path + ("radars", index), unit,
                                                    position)
                                         for index, radar in enumerate(written)) if radar)

    def radar(self, given: schema.Radar, path, unit: str, position) -> model.Radar | None:
        entry = self.entry(given.type, ("radar",), path + ("type",))
        mast = None
        if given.mast is not None:
            mast = self.entry(given.mast, ("mast",), path + ("mast",))
        place = self.point(given.position, path + ("position",), default=position)
        if entry is None or (given.mast is not None and mast is None):
            return None
        name = given.name or f"{unit}/{entry.name}"
        self.claim(name, path + ("name",) if given.name else path)
        self.places[name] = (place, path)
        return model.Radar(name=name, type=entry.name, position=place,
                           mast=mast.name if mast else None,
                           overrides=dict(given.overrides),
                           entry=self.overridden(entry, given.overrides, path + ("overrides",)),
                           mast_entry=mast)

    def launchers(self, given: schema.Battalion, entry, position, path):
        written = given.launchers
        if written is None:
            written = _from_components(entry.launchers, schema.Launcher, given.name)
            paths = [path + ("launchers",)] * len(written)
        else:
            paths = [path + ("launchers", index) for index in range(len(written))]
        default_loadout = list(entry.default_loadout) if entry.has("default_loadout") else None
        return tuple(launcher for launcher in (
            self.launcher(launcher, where, given.name, position, default_loadout)
            for launcher, where in zip(written, paths)) if launcher)

    def launcher(self, given: schema.Launcher, path, unit: str, position, default_loadout):
        entry = self.entry(given.type, ("launcher",), path + ("type",))
        place = self.point(given.position, path + ("position",), default=position)
        if entry is None:
            return None
        entry = self.overridden(entry, given.overrides, path + ("overrides",))
        name = given.name or f"{unit}/{entry.name}"
        self.claim(name, path + ("name",) if given.name else path)
        self.places[name] = (place, path)
        loadout = self.loadout(given.loadout if given.loadout is not None else default_loadout,
                               entry, path + ("loadout",))
        if loadout is None:
            return None
        rounds: dict[str, int] = {}
        for missile in loadout:
            rounds[missile] = rounds.get(missile, 0) + int(self.missiles[missile].value(
                "tube_capacity"))
        return model.Launcher(name=name, type=entry.name, count=given.count, position=place,
                              loadout=tuple(loadout), rounds=rounds,
                              overrides=dict(given.overrides), entry=entry)

    def loadout(self, names, launcher, path) -> list[str] | None:
        tubes = int(launcher.value("tubes"))
        if names is None:
            self.problem(path, f"{launcher.name} needs a loadout",
                         f"give one missile name per tube ({tubes} tubes)")
            return None
        if len(names) != tubes:
            self.problem(path, f"{len(names)} missiles for the {tubes} tubes of {launcher.name}",
                         f"give exactly one missile name per tube ({tubes})")
            return None
        resolved = []
        for index, name in enumerate(names):
            missile = self.missile(name, path + (index,))
            if missile is None:
                continue
            if missile.system != launcher.system:
                fitting = [entry.name for entry in self.catalog.entries("missile")
                           if entry.system == launcher.system]
                self.problem(path + (index,), f"{missile.name} ({missile.system}) does not fit "
                             f"the {launcher.name} launcher ({launcher.system})",
                             "choose one of: " + ", ".join(fitting))
                continue
            resolved.append(missile.name)
        return resolved if len(resolved) == tubes else None

    def reloads(self, given: schema.Battalion, entry, launchers, path) -> dict[str, int]:
        if "reloads" not in given.model_fields_set:
            return _catalogue_reloads(entry, launchers)
        resolved: dict[str, int] = {}
        for name, rounds in given.reloads.items():
            missile = self.missile(name, path + ("reloads", name))
            if missile is None:
                continue
            if not any(missile.name in launcher.loadout for launcher in launchers):
                carried = sorted({name for launcher in launchers for name in launcher.loadout})
                self.problem(path + ("reloads", name), f"{given.name}'s launchers carry no "
                             f"{missile.name} to reload", "reload with a missile they carry: "
                             + ", ".join(carried), key=True)
                continue
            resolved[missile.name] = resolved.get(missile.name, 0) + rounds
        return resolved

    # -- threats ------------------------------------------------------------------------------

    def threat_group(self, given: schema.ThreatGroup, path: FieldPath):
        self.claim(given.name, path + ("name",))
        entry = self.entry(given.type, ("threat",), path + ("type",))
        launch = self.point(given.launch.position, path + ("launch", "position"))
        if entry is None or launch is None:
            return None
        entry = self.overridden(entry, given.overrides, path + ("overrides",))
        if given.launch.position.altitude is not None:
            self.check_above_ground(launch, path + ("launch", "position", "altitude"))
        route = []
        for index, waypoint in enumerate(given.route):
            resolved = self.waypoint(waypoint, given, entry, path + ("route", index))
            if resolved is not None:
                route.append(resolved)
        if len(route) != len(given.route):
            return None
        return model.ThreatGroup(
            name=given.name, type=entry.name, count=given.count,
            launch_time_s=given.launch.time, launch=launch,
            launch_height_m=0.0 if given.launch.position.altitude is None else None,
            route=tuple(route), spacing_time_s=given.spacing.time,
            spacing_lateral_m=given.spacing.lateral,
            launch_time_sigma_s=given.variation.launch_time,
            lateral_sigma_m=given.variation.lateral, overrides=dict(given.overrides),
            entry=entry)

    def waypoint(self, given: schema.Waypoint, group: schema.ThreatGroup, entry, path):
        if given.target is not None:
            place = self.target(given.target, group, path + ("target",))
            if place is None:
                return None
            east, north = place.east_m, place.north_m
        else:
            place = self.point(given.position, path + ("position",))
            east, north = place.east_m, place.north_m
        profile = entry.value("profile") if entry.has("profile") else "route"
        height = given.height
        if given.altitude is not None:
            altitude = given.altitude
        elif height is not None:
            altitude = self.ground_at(east, north) + height
        elif given.position is not None and given.position.altitude is not None:
            altitude = place.altitude_m
        elif given.target is not None and profile == "ballistic":
            altitude = place.altitude_m
        elif profile == "terrain_following":
            height = float(entry.value("cruise_altitude"))
            altitude = self.ground_at(east, north) + height
        else:
            altitude = float(entry.value("cruise_altitude"))
        point = model.Point(east, north, altitude)
        self.check_above_ground(point, path + ("altitude",))
        if altitude > CEILING_M:
            self.problem(path + ("altitude",), f"{format_quantity(altitude, 'length')} is above "
                         f"the {CEILING_M / 1e3:,.0f} km ceiling of the world",
                         "check the unit (km or m)")
        speed = given.speed if given.speed is not None else entry.value("cruise_speed")
        speed_mps = _speed_at(speed, altitude)
        return model.Waypoint(position=point, speed_mps=speed_mps, target=given.target,
                              height_m=height)

    def target(self, name: str, group: schema.ThreatGroup, path) -> model.Point | None:
        if name == group.name:
            self.problem(path, f"the target {name!r} is the group's own name: a route cannot "
                         "lead to itself", "name an asset or a defence unit")
            return None
        if name in self.places:
            return self.places[name][0]
        if name in self.skipped_names:
            return None
        threat_names = {threat.name for threat in self.spec.threats}
        jammer_names = {jammer.name for jammer in self.spec.jammers}
        if name in threat_names | jammer_names:
            self.problem(path, f"the target {name!r} is a threat group or jammer",
                         "a target must be an asset or a defence unit")
            return None
        self.problem(path, f"unknown target {name!r}",
                     did_you_mean(name, self.places) or "name one of the scenario's assets")
        return None

    # -- jammers ------------------------------------------------------------------------------

    def jammer(self, given: schema.Jammer, path: FieldPath) -> model.Jammer:
        self.claim(given.name, path + ("name",))
        position = None
        if given.position is not None:
            position = self.point(given.position, path + ("position",))
            if given.altitude is not None:
                if given.position.altitude is not None:
                    self.problem(path + ("altitude",), "the altitude is given twice, here and "
                                 "in 'position'", "keep one of them")
                position = model.Point(position.east_m, position.north_m, given.altitude)
        if given.altitude is not None and given.mode == "self-screening":
            self.problem(path + ("altitude",), "a self-screening jammer flies with its group "
                         "and takes no 'altitude'", "remove 'altitude'", key=True)
        return model.Jammer(name=given.name, mode=given.mode, position=position,
                            escorts=given.escorts, erp_w=given.erp,
                            bandwidth_hz=given.bandwidth, start_s=given.start)

    def check_escorts(self) -> None:
        jammers = {jammer.name: jammer for jammer in self.spec.jammers}
        groups = {group.name for group in self.spec.threats}
        for jammer, where in self.items("jammers"):
            if jammer.escorts is None:
                continue
            path = where + ("escorts",)
            if jammer.escorts in jammers:
                chain = [jammer.name]
                current = jammer.escorts
                while current in jammers and current not in chain:
                    chain.append(current)
                    current = jammers[current].escorts
                if current in chain:
                    loop = " -> ".join(chain[chain.index(current):] + [current])
                    self.problem(path, f"circular escort: {loop}",
                                 "make the chain end at a threat group")
            elif jammer.escorts not in groups and jammer.escorts not in self.skipped_names:
                self.problem(path, f"unknown threat group {jammer.escorts!r}",
                             did_you_mean(jammer.escorts, groups | set(jammers))
                             or "name one of the scenario's threat groups")


def _from_components(components, model_class, unit: str) -> list:
    """Catalogue make-up ([Component(type, count, mast)]) as written parts of a unit."""
    made = []
    for component in components:
        mast = getattr(component, "mast", None)
        if model_class is schema.Radar:
            for number in range(component.count):
                suffix = f" {number + 1}" if component.count > 1 else ""
                made.append(schema.Radar(name=f"{unit}/{component.type}{suffix}",
                                         type=component.type, mast=mast))
        else:
            made.append(model_class(name=f"{unit}/{component.type}", type=component.type,
                                    count=component.count))
    return made


def _catalogue_reloads(entry, launchers) -> dict[str, int]:
    """The catalogue's spare rounds, split in the mix of the battalion's ready rounds."""
    spare = int(entry.value("reload_missiles")) if entry.has("reload_missiles") else 0
    ready: dict[str, int] = {}
    for launcher in launchers:
        for missile, rounds in launcher.rounds.items():
            ready[missile] = ready.get(missile, 0) + rounds * launcher.count
    total = sum(ready.values())
    if spare == 0 or total == 0:
        return {}
    shares = {missile: spare * rounds // total for missile, rounds in ready.items()}
    first = next(iter(shares))
    shares[first] += spare - sum(shares.values())
    return {missile: rounds for missile, rounds in shares.items() if rounds > 0}


def _speed_at(speed, altitude_m: float) -> float:
    return float(speed.to_mps(altitude_m)) if isinstance(speed, Mach) else float(speed)


def _parameter_names(kind: str) -> list[str]:
    from zenit.catalog.schema import PARAMETERS

    return list(PARAMETERS[kind])


def _override_hint(entry, name: str) -> str:
    declared = catalogue_parameter(entry.kind, name)
    if entry.has(name):
        return f"the catalogue gives {entry.name} {show_value(entry.value(name), declared)}"
    return f"give a {declared.kind}"


def _cruise_altitude(entry, overrides: dict) -> float:
    """The altitude at which a Mach number in a threat override becomes a speed."""
    if "cruise_altitude" in overrides:
        try:
            return read_value(overrides["cruise_altitude"],
                              catalogue_parameter("threat", "cruise_altitude"))
        except UnitError:
            return 0.0
    return entry.value("cruise_altitude") if entry.has("cruise_altitude") else 0.0


def _without_place(message: str, entry) -> str:
    """The catalogue prefixes its file and entry name; here the place is the scenario's."""
    marker = f"{entry.name}: "
    return message.split(marker, 1)[1] if marker in message else message
