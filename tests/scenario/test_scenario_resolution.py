"""What resolution makes of a file: SI values, catalogue make-ups, raid expansion."""

from __future__ import annotations

import math

import pytest

from scenario_helpers import BASE, changed
from zenit.geo.atmosphere import speed_of_sound
from zenit.geo.frames import Origin, geodetic_to_local
from zenit.scenario import Regiment, load_scenario


def load(tmp_path, text):
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


def test_units_become_si(tmp_path):
    scenario = load(tmp_path, BASE)
    assert scenario.simulation.dt_s == 0.5
    assert scenario.simulation.duration_s == 600.0
    group = scenario.threats[0]
    assert group.launch.east_m == -200e3
    assert group.launch.altitude_m == 50.0
    assert group.route[0].speed_mps == pytest.approx(880 / 3.6)
    assert group.route[0].position.altitude_m == 20.0


def test_mach_is_read_at_the_waypoint_altitude(tmp_path):
    text = changed(18, "      - {target: base, altitude: 11 km, speed: Mach 0.8}")
    waypoint = load(tmp_path, text).threats[0].route[0]
    assert waypoint.speed_mps == pytest.approx(0.8 * float(speed_of_sound(11e3)))
    assert waypoint.speed_mps < 0.8 * 340.0  # colder air at 11 km: ISA gives 295 m/s


def test_target_is_the_asset_position(tmp_path):
    text = changed(5, "  - {name: base, position: {east: 3 km, north: -4 km}}")
    waypoint = load(tmp_path, text).threats[0].route[0]
    assert (waypoint.position.east_m, waypoint.position.north_m) == (3e3, -4e3)
    assert waypoint.target == "base"


def test_latitude_longitude_positions(tmp_path):
    text = changed(5, "  - {name: base, position: {latitude: 45.1, longitude: -29.9}}")
    asset = load(tmp_path, text).assets[0]
    east, north, _ = geodetic_to_local(45.1, -29.9, 0.0, Origin(45.0, -30.0))
    assert (asset.position.east_m, asset.position.north_m) == pytest.approx(
        (float(east), float(north)), abs=1e-6)
    assert 7e3 < asset.position.east_m < 8e3 and 11e3 < asset.position.north_m < 12e3


def test_spacing_in_expanded_threats(tmp_path):
    text = changed(15, "    count: 3\n    spacing: {time: 4 s, lateral: 500 m}")
    scenario = load(tmp_path, text)
    threats = scenario.expanded_threats()
    assert [threat.name for threat in threats] == ["wave#0", "wave#1", "wave#2"]
    assert [threat.launch_time_s for threat in threats] == [0.0, 4.0, 8.0]
    # Flying east, the left of travel is north: members sit 500 m apart across the route.
    assert [threat.launch.north_m for threat in threats] == pytest.approx([-500.0, 0.0, 500.0])
    assert [threat.launch.east_m for threat in threats] == pytest.approx([-200e3] * 3)
    # ... and all converge on the target.
    base = scenario.assets[0].position
    assert {(threat.route[-1].position.east_m, threat.route[-1].position.north_m)
            for threat in threats} == {(base.east_m, base.north_m)}


def test_loadout_rounds(tmp_path):
    launcher = load(tmp_path, BASE).battalions()[0].launchers[0]
    assert launcher.loadout == ("48N6E2", "48N6E2", "48N6E2", "9M96E2")
    assert launcher.rounds == {"48N6E2": 3, "9M96E2": 4}  # a 9M96 tube holds four
    assert load(tmp_path, BASE).battalions()[0].ready_rounds() == {"48N6E2": 12, "9M96E2": 16}


def test_regiment_from_the_catalogue_make_up(tmp_path):
    text = changed(8, "    type: S-400 regiment", changed(10, "", changed(11, "")))
    scenario = load(tmp_path, text)
    regiment = scenario.defence[0]
    assert isinstance(regiment, Regiment)
    assert regiment.command_post is not None and regiment.command_post.type == "55K6E"
    assert "91N6E" in {radar.type for radar in regiment.radars}
    assert len(regiment.battalions) >= 2
    for battalion in regiment.battalions:
        assert battalion.regiment == "bn"
        assert battalion.position == regiment.position
        assert battalion.launchers and battalion.radars


def test_overrides_reach_the_entry(tmp_path):
    text = changed(11, "      - {type: 5P85SE2, count: 4, loadout: [48N6E2, 48N6E2, 48N6E2, "
                       "9M96E2]}\n    overrides: {reaction_time: 8 s}")
    battalion = load(tmp_path, text).battalions()[0]
    assert battalion.entry.value("reaction_time") == 8.0
    assert battalion.overrides == {"reaction_time": "8 s"}


def test_altitude_defaults_to_the_ground(tmp_path):
    text = changed(2, BASE.splitlines()[1] + "\nterrain: {synthetic: hills, seed: 3, "
                   "extent: 100 km, resolution: 1 km, relief: 800 m}",
                   changed(16, "    launch: {position: {east: -40 km, north: 0 km}}"))
    scenario = load(tmp_path, text)
    battalion = scenario.battalions()[0]
    assert battalion.position.altitude_m == pytest.approx(
        float(scenario.ground.elevation(5e3, 0.0)))
    assert scenario.threats[0].launch_height_m == 0.0
    assert math.isfinite(scenario.threats[0].launch.altitude_m)


def test_json_schema_carries_units_and_docs():
    from zenit.scenario import json_schema

    definitions = json_schema()["$defs"]
    dt = definitions["Simulation"]["properties"]["dt"]
    assert dt["x-unit"] == "time" and dt["default"] == 0.5
    assert dt["description"] == "Time step; events inside it are interpolated."
    assert "Mach" in definitions["Waypoint"]["properties"]["speed"]["anyOf"][0]["x-units"]
