"""Threats and jammers: threat groups with their routes and targets, and the jammers escorting them.

An omitted waypoint altitude comes from the threat's profile (cruise altitude, or its height
over the terrain for terrain followers); Mach numbers become m/s at the waypoint's altitude.
"""

from __future__ import annotations

from zenit.errors import did_you_mean
from zenit.scenario import model, schema
from zenit.scenario.loader import FieldPath
from zenit.scenario.resolve.catalogue import CatalogueLookups
from zenit.units import Mach


class ThreatResolution(CatalogueLookups):
    """Threat groups and jammers of the file, resolved against the catalogue and the places."""

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
        self.check_ceiling(altitude, path + ("altitude",))
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


def _speed_at(speed, altitude_m: float) -> float:
    return float(speed.to_mps(altitude_m)) if isinstance(speed, Mach) else float(speed)
