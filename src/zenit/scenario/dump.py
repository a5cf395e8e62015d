"""Writing a resolved Scenario back as a scenario file.

Everything is written out in full (catalogue make-ups, default altitudes and speeds), in SI
with the unit shown ("12500.0 m"), so the file loads back to an equal Scenario without
depending on defaults that might change. `repr` of a float reads back to the same float.
"""

from __future__ import annotations

import yaml

from zenit.scenario import model


def scenario_to_yaml(scenario: model.Scenario) -> str:
    document = {
        "name": scenario.name,
        "description": scenario.description,
        "origin": {"latitude": scenario.origin.latitude_deg,
                   "longitude": scenario.origin.longitude_deg},
    }
    if scenario.terrain is not None:
        document["terrain"] = _terrain(scenario.terrain)
    simulation = scenario.simulation
    document["simulation"] = {"dt": _q(simulation.dt_s, "s"),
                              "duration": _q(simulation.duration_s, "s"),
                              "replications": simulation.replications, "seed": simulation.seed,
                              "record": list(simulation.record)}
    doctrine = scenario.doctrine
    document["doctrine"] = {"policy": doctrine.policy, "salvo": doctrine.salvo,
                            "assignment": doctrine.assignment,
                            "engage_decoys": doctrine.engage_decoys}
    if scenario.missile_overrides:
        document["missiles"] = {name: dict(values)
                                for name, values in scenario.missile_overrides.items()}
    document["assets"] = [{"name": asset.name, "position": _point(asset.position),
                           "value": asset.value, "radius": _q(asset.radius_m, "m")}
                          for asset in scenario.assets]
    document["defence"] = [_unit(unit) for unit in scenario.defence]
    document["threats"] = [_group(group) for group in scenario.threats]
    if scenario.jammers:
        document["jammers"] = [_jammer(jammer) for jammer in scenario.jammers]
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def _q(value: float, unit: str) -> str:
    return f"{float(value)!r} {unit}"


def _point(point: model.Point, with_altitude: bool = True) -> dict:
    written = {"east": _q(point.east_m, "m"), "north": _q(point.north_m, "m")}
    if with_altitude:
        written["altitude"] = _q(point.altitude_m, "m")
    return written


def _terrain(terrain: model.TerrainSource) -> dict:
    if terrain.geotiff is not None:
        return {"geotiff": terrain.geotiff}
    return {"synthetic": terrain.synthetic, "seed": terrain.seed,
            "extent": _q(terrain.extent_m, "m"), "resolution": _q(terrain.resolution_m, "m"),
            "relief": _q(terrain.relief_m, "m")}


def _with_overrides(written: dict, overrides: dict) -> dict:
    if overrides:
        written["overrides"] = dict(overrides)
    return written


def _command_post(post: model.CommandPost | None) -> dict:
    return {"command_post": {"type": post.type, "position": _point(post.position)}} if post else {}


def _radar(radar: model.Radar) -> dict:
    written = {"name": radar.name, "type": radar.type}
    if radar.mast:
        written["mast"] = radar.mast
    written["position"] = _point(radar.position)
    return _with_overrides(written, radar.overrides)


def _launcher(launcher: model.Launcher) -> dict:
    written = {"name": launcher.name, "type": launcher.type, "count": launcher.count,
               "position": _point(launcher.position), "loadout": list(launcher.loadout)}
    return _with_overrides(written, launcher.overrides)


def _battalion(battalion: model.Battalion) -> dict:
    written = {"name": battalion.name, "type": battalion.type,
               "position": _point(battalion.position), **_command_post(battalion.command_post),
               "radars": [_radar(radar) for radar in battalion.radars],
               "launchers": [_launcher(launcher) for launcher in battalion.launchers]}
    written["reloads"] = dict(battalion.reloads)
    return _with_overrides(written, battalion.overrides)


def _unit(unit: model.Regiment | model.Battalion) -> dict:
    if isinstance(unit, model.Battalion):
        return _battalion(unit)
    written = {"name": unit.name, "type": unit.type, "position": _point(unit.position),
               **_command_post(unit.command_post),
               "radars": [_radar(radar) for radar in unit.radars],
               "battalions": [_battalion(battalion) for battalion in unit.battalions]}
    return _with_overrides(written, unit.overrides)


def _waypoint(waypoint: model.Waypoint) -> dict:
    written = ({"target": waypoint.target} if waypoint.target is not None
               else {"position": _point(waypoint.position, with_altitude=False)})
    if waypoint.height_m is not None:
        written["height"] = _q(waypoint.height_m, "m")
    else:
        written["altitude"] = _q(waypoint.position.altitude_m, "m")
    written["speed"] = _q(waypoint.speed_mps, "m/s")
    return written


def _group(group: model.ThreatGroup) -> dict:
    written = {
        "name": group.name, "type": group.type, "count": group.count,
        "spacing": {"time": _q(group.spacing_time_s, "s"),
                    "lateral": _q(group.spacing_lateral_m, "m")},
        "launch": {"time": _q(group.launch_time_s, "s"),
                   "position": _point(group.launch, with_altitude=group.launch_height_m is None)},
        "route": [_waypoint(waypoint) for waypoint in group.route],
        "variation": {"launch_time": _q(group.launch_time_sigma_s, "s"),
                      "lateral": _q(group.lateral_sigma_m, "m")},
    }
    return _with_overrides(written, group.overrides)


def _jammer(jammer: model.Jammer) -> dict:
    written = {"name": jammer.name, "mode": jammer.mode}
    if jammer.position is not None:
        written["position"] = _point(jammer.position)
    if jammer.escorts is not None:
        written["escorts"] = jammer.escorts
    written.update({"erp": _q(jammer.erp_w, "W"), "bandwidth": _q(jammer.bandwidth_hz, "Hz"),
                    "start": _q(jammer.start_s, "s")})
    return written
