"""Malformed scenarios: each mistake is reported with its message, place, field path and fix.

Every case is BASE (scenario_helpers.py) with one or two lines changed, so its line and
column are those of the changed text. Columns are 1-based, as editors show them.
"""

from __future__ import annotations

import numpy as np
import pytest

from scenario_helpers import BASE, appended, changed, the_problem
from zenit.errors import ScenarioError
from zenit.geo.terrain import Terrain
from zenit.scenario import load_scenario

LAUNCHERS = "      - {type: 5P85SE2, count: 4, loadout: [48N6E2, 48N6E2, 48N6E2, 9M96E2]}"


def test_base_is_clean(problems_in):
    assert problems_in(BASE) == []


def placed(problem, line, column, path):
    assert (problem.line, problem.column, problem.path) == (line, column, path), problem.render()
    assert problem.file.endswith("case.yaml")


# -- the file and its keys ------------------------------------------------------------------------

def test_unknown_top_level_key_suggests_the_nearest(problems_in):
    problem = the_problem(problems_in(changed(1, "name: test\ndescripton: a test")),
                          "unknown field 'descripton'")
    placed(problem, 2, 1, "descripton")
    assert problem.hint.startswith("did you mean 'description'")


def test_unknown_nested_key_points_at_the_key(problems_in):
    text = changed(3, "simulation: {dt: 0.5 s, duration: 10 min, replicatons: 10}")
    problem = the_problem(problems_in(text), "unknown field 'replicatons'")
    placed(problem, 3, 43, "simulation.replicatons")
    assert problem.hint.startswith("did you mean 'replications'")


def test_duplicate_key(problems_in):
    problem = the_problem(problems_in(changed(15, "    count: 4\n    count: 5")),
                          "'count' is given twice")
    placed(problem, 16, 5, "threats[0].count")


def test_yaml_syntax_error(problems_in):
    problems = problems_in(changed(9, "    position: {east: 5 km, north: 0 km"))
    problem = the_problem(problems, "the file is not valid YAML")
    assert (problem.line, problem.column) == (10, 14)
    assert len(problems) == 1


def test_a_list_is_not_a_scenario(problems_in):
    problem = the_problem(problems_in("- name: test\n"), "a scenario is a mapping")
    assert (problem.line, problem.column) == (1, 1)


def test_missing_required_section(problems_in):
    problem = the_problem(problems_in(changed(2, "")), "'origin' is missing")
    placed(problem, 1, 1, "origin")


# -- units and bounds -----------------------------------------------------------------------------

def test_mass_given_for_a_duration(problems_in):
    problem = the_problem(problems_in(changed(3, "simulation: {dt: 0.5 s, duration: 250 kg}")),
                          "'250 kg' is a mass, but a time is expected here")
    placed(problem, 3, 35, "simulation.duration")


def test_step_longer_than_one_second(problems_in):
    problem = the_problem(problems_in(changed(3, "simulation: {dt: 2 s, duration: 10 min}")),
                          "'2 s' must be at most 1 s")
    placed(problem, 3, 18, "simulation.dt")
    assert "between 0.05 s and 1 s" in problem.hint


def test_zero_step(problems_in):
    problem = the_problem(problems_in(changed(3, "simulation: {dt: 0 s}")),
                          "'0 s' must be greater than 0 s")
    placed(problem, 3, 18, "simulation.dt")


def test_negative_duration(problems_in):
    problem = the_problem(problems_in(changed(3, "simulation: {duration: -5 min}")),
                          "'-5 min' must be greater than 0 s")
    placed(problem, 3, 24, "simulation.duration")


def test_negative_count(problems_in):
    problem = the_problem(problems_in(changed(15, "    count: -3")), "-3 must be at least 1")
    placed(problem, 15, 12, "threats[0].count")


def test_empty_raid_by_count(problems_in):
    problem = the_problem(problems_in(changed(15, "    count: 0")), "0 must be at least 1")
    placed(problem, 15, 12, "threats[0].count")
    assert problem.hint.startswith("a raid group needs at least one threat")


def test_empty_raid_without_waypoints(problems_in):
    problem = the_problem(problems_in(changed(17, "    route: []", changed(18, ""))),
                          "'route' is empty")
    placed(problem, 17, 12, "threats[0].route")


def test_unreadable_speed(problems_in):
    text = changed(18, "      - {target: base, altitude: 20 m, speed: fast}")
    problem = the_problem(problems_in(text), "cannot read 'fast' as a speed")
    placed(problem, 18, 47, "threats[0].route[0].speed")


def test_position_needs_north(problems_in):
    problem = the_problem(problems_in(changed(9, "    position: {east: 5 km}")),
                          "needs east and north")
    placed(problem, 9, 15, "defence[0].position")


def test_waypoint_with_altitude_and_height(problems_in):
    text = changed(18, "      - {target: base, altitude: 20 m, height: 5 m}")
    problem = the_problem(problems_in(text), "gives both 'altitude' and 'height'")
    placed(problem, 18, 9, "threats[0].route[0]")


def test_unknown_policy_suggests_the_nearest(problems_in):
    text = changed(3, BASE.splitlines()[2] + "\ndoctrine: {policy: shoot-look}")
    problem = the_problem(problems_in(text), "'shoot-look' is not a valid policy")
    placed(problem, 4, 20, "doctrine.policy")
    assert "shoot-look-shoot" in problem.hint


def test_recorded_replication_not_run(problems_in):
    text = changed(3, "simulation: {replications: 10, record: [0, 12]}")
    problem = the_problem(problems_in(text), "replication 12 is not run: there are 10")
    placed(problem, 3, 44, "simulation.record[1]")


# -- geometry -------------------------------------------------------------------------------------

def test_threat_below_sea_level(problems_in):
    text = changed(18, "      - {target: base, altitude: -20 m, speed: 880 km/h}")
    problem = the_problem(problems_in(text), "altitude -20 m is below sea level")
    placed(problem, 18, 34, "threats[0].route[0].altitude")


def test_threat_below_terrain(problems_in):
    terrain = Terrain.synthetic(seed=3, extent_m=100e3, resolution_m=1000.0, relief_m=800.0,
                                kind="hills")
    grid = np.arange(-40e3, 40e3, 1e3)
    east, north = np.meshgrid(grid, grid)
    heights = terrain.elevation(east, north)
    high = np.unravel_index(np.argmax(heights), heights.shape)
    east_km, north_km = east[high] / 1e3, north[high] / 1e3
    place = f"{{east: {east_km:.0f} km, north: {north_km:.0f} km}}"
    waypoint = f"      - {{position: {place}, altitude: 1 m}}"
    text = changed(2, BASE.splitlines()[1] + "\nterrain: {synthetic: hills, seed: 3, "
                   "extent: 100 km, resolution: 1 km, relief: 800 m}",
                   changed(18, waypoint + "\n      - {target: base, altitude: 2 km}"))
    problem = the_problem(problems_in(text), "altitude 1 m is below the ground (")
    placed(problem, 19, waypoint.index("1 m") + 1, "threats[0].route[0].altitude")
    assert problem.hint == "fly higher, or give 'height' to follow the terrain"


def test_launch_outside_the_world(problems_in):
    text = changed(16, "    launch: {position: {east: -5000 km, north: 0 km, altitude: 50 m}}")
    problem = the_problem(problems_in(text), "is 5,000 km from the origin, outside the world")
    placed(problem, 16, 24, "threats[0].launch.position")


def test_launch_above_the_ceiling(problems_in):
    text = changed(16, "    launch: {position: {east: -200 km, north: 0 km, altitude: 2000 km}}")
    problem = the_problem(problems_in(text), "2000 km is above the 1,000 km ceiling")
    placed(problem, 16, 63, "threats[0].launch.position.altitude")


def test_terrain_file_missing(problems_in):
    text = changed(2, BASE.splitlines()[1] + "\nterrain: {geotiff: missing.tif}")
    problem = the_problem(problems_in(text), "terrain file 'missing.tif' not found")
    placed(problem, 3, 20, "terrain.geotiff")


# -- catalogue names and overrides ----------------------------------------------------------------

def test_unknown_battalion_type_suggests_the_nearest(problems_in):
    problem = the_problem(problems_in(changed(8, "    type: S-400 batallion")),
                          "unknown regiment or battalion 'S-400 batallion'")
    placed(problem, 8, 11, "defence[0].type")
    assert "'S-400 battalion'" in problem.hint


def test_unknown_threat_type(problems_in):
    problem = the_problem(problems_in(changed(14, "    type: subsonic cruise misile")),
                          "unknown threat 'subsonic cruise misile'")
    placed(problem, 14, 11, "threats[0].type")
    assert "'subsonic cruise missile'" in problem.hint


def test_zero_radar_range_override(problems_in):
    text = changed(10, "    radars: [{type: 92N6E, overrides: {instrumented_range: 0 m}}]\n"
                       "    launchers:")
    problem = the_problem(problems_in(text), "instrumented_range '0 m' must be positive")
    placed(problem, 10, 60, "defence[0].radars[0].overrides.instrumented_range")
    assert problem.hint.startswith("the catalogue gives 92N6E ")


def test_subsonic_missile_override(problems_in):
    text = changed(3, BASE.splitlines()[2] + "\nmissiles: {48N6E2: {maximum_speed: 300 m/s}}")
    problem = the_problem(problems_in(text), "maximum_speed '300 m/s' is below Mach 1 but the "
                                             "catalogue gives 48N6E2 ~")
    placed(problem, 4, 36, "missiles.48N6E2.maximum_speed")
    assert problem.hint == "check the unit"


def test_override_with_wrong_unit(problems_in):
    text = changed(11, LAUNCHERS + "\n    overrides: {reaction_time: 8 km}")
    problem = the_problem(problems_in(text), "'8 km' is a length, but a time is expected here")
    placed(problem, 12, 32, "defence[0].overrides.reaction_time")


def test_unknown_override_parameter(problems_in):
    text = changed(11, LAUNCHERS + "\n    overrides: {reaction_tme: 8 s}")
    problem = the_problem(problems_in(text), "has no parameter 'reaction_tme'")
    placed(problem, 12, 17, "defence[0].overrides.reaction_tme")
    assert problem.hint.startswith("did you mean 'reaction_time'")


def test_loadout_unknown_missile(problems_in):
    text = changed(11, LAUNCHERS.replace("48N6E2, 48N6E2, 48N6E2", "48N6E2, 48N6E9, 48N6E2"))
    problem = the_problem(problems_in(text), "unknown missile '48N6E9'")
    placed(problem, 11, 53, "defence[0].launchers[0].loadout[1]")
    assert problem.hint.startswith("did you mean")


def test_loadout_with_too_few_tubes(problems_in):
    text = changed(11, LAUNCHERS.replace("48N6E2, 48N6E2, 48N6E2", "48N6E2, 48N6E2"))
    problem = the_problem(problems_in(text), "3 missiles for the 4 tubes of 5P85SE2")
    placed(problem, 11, 44, "defence[0].launchers[0].loadout")


def test_loadout_naming_a_radar(problems_in):
    text = changed(11, LAUNCHERS.replace("9M96E2", "92N6E"))
    problem = the_problem(problems_in(text), "'92N6E' is a radar, not a missile")
    placed(problem, 11, 69, "defence[0].launchers[0].loadout[3]")


def test_loadout_with_a_missile_of_another_system(problems_in):
    text = changed(11, LAUNCHERS.replace("48N6E2, 48N6E2, 48N6E2", "48N6E2, PAC-3 MSE, 48N6E2"))
    problem = the_problem(problems_in(text), "PAC-3 MSE (Patriot) does not fit the "
                                             "5P85SE2 launcher (S-400 Triumf)")
    placed(problem, 11, 53, "defence[0].launchers[0].loadout[1]")
    assert problem.hint.startswith("choose one of: ") and "48N6E2" in problem.hint


def test_reloads_of_a_missile_no_launcher_carries(problems_in):
    text = changed(11, LAUNCHERS + "\n    reloads: {40N6E: 4}")
    problem = the_problem(problems_in(text), "bn's launchers carry no 40N6E to reload")
    placed(problem, 12, 15, "defence[0].reloads.40N6E")


def test_regiment_with_launchers_of_its_own(problems_in):
    problem = the_problem(problems_in(changed(8, "    type: S-400 regiment")),
                          "a regiment has no launchers of its own")
    placed(problem, 10, 5, "defence[0].launchers")


# -- references -----------------------------------------------------------------------------------

def test_unknown_target_suggests_an_asset(problems_in):
    text = changed(18, "      - {target: bsae, altitude: 20 m, speed: 880 km/h}")
    problem = the_problem(problems_in(text), "unknown target 'bsae'")
    placed(problem, 18, 18, "threats[0].route[0].target")
    assert "'base'" in problem.hint


def test_target_is_its_own_group(problems_in):
    text = changed(18, "      - {target: wave, altitude: 20 m, speed: 880 km/h}")
    problem = the_problem(problems_in(text), "the target 'wave' is the group's own name")
    placed(problem, 18, 18, "threats[0].route[0].target")


def test_duplicate_names(problems_in):
    problem = the_problem(problems_in(changed(7, "  - name: base")),
                          "the name 'base' is already used at assets[0].name")
    placed(problem, 7, 11, "defence[0].name")


JAMMERS = """\
jammers:
  - {name: j1, mode: self-screening, escorts: j2, erp: 1 kW, bandwidth: 100 MHz}
  - {name: j2, mode: self-screening, escorts: j1, erp: 1 kW, bandwidth: 100 MHz}
"""


def test_circular_escort(problems_in):
    problems = problems_in(appended(JAMMERS))
    placed(the_problem(problems, "circular escort: j1 -> j2 -> j1"), 20, 47, "jammers[0].escorts")
    placed(the_problem(problems, "circular escort: j2 -> j1 -> j2"), 21, 47, "jammers[1].escorts")


def test_jammer_escorting_an_unknown_group(problems_in):
    text = appended(JAMMERS.replace("escorts: j2", "escorts: wavee"))
    problem = the_problem(problems_in(text), "unknown threat group 'wavee'")
    placed(problem, 20, 47, "jammers[0].escorts")
    assert "'wave'" in problem.hint


# -- all at once ----------------------------------------------------------------------------------

def test_every_problem_is_reported_at_once(tmp_path):
    text = changed(3, "simulation: {dt: 2 s}",
                   changed(15, "    count: 0",
                           changed(8, "    type: S-400 batallion")))
    text += "  - {name: w2, type: UAV, launch: {position: {east: 1 km, north: 1 km}}, " \
            "route: [{target: nowhere}]}\n"
    path = tmp_path / "case.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    rendered = [problem.render() for problem in raised.value.problems]
    assert [(problem.line, problem.path) for problem in raised.value.problems] == [
        (3, "simulation.dt"), (8, "defence[0].type"), (15, "threats[0].count"),
        (19, "threats[1].route[0].target")], rendered
    assert str(raised.value).startswith("4 problems found\n")

