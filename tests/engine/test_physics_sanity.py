"""Physically sensible engine behaviour: the radar horizon, long reach, saturation.

Each test states the physics it relies on; the scenarios are written here (or edited from
the bundled point-defence) so that the expected result follows from that reasoning alone.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

import zenit
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.geo.horizon import horizon_range

from engine_scenarios import load, short_point_defence, world_of

CRUISE_ALTITUDE_M = 15.0


def _nominal_positions(world, times_s, threats):
    """Frame positions of `threats` at `times_s` on their nominal (unjittered) trajectories."""
    bank = world.threats.trajectories
    positions = []
    for time_s, threat in zip(times_s, threats):
        position, _, _ = bank.state(float(time_s))
        positions.append(np.asarray(position).reshape(-1, 3)[threat])
    return np.array(positions)


def test_sea_skimmer_is_first_seen_inside_the_radar_horizon():
    """A 15 m cruise missile is first detected only inside the detecting radar's horizon.

    Over a smooth sphere with 4/3-Earth refraction a radar with its antenna h1 above the
    ground sees a target at h2 no farther than sqrt(2 k R h1) + sqrt(2 k R h2) (Skolnik,
    Introduction to Radar Systems, 3rd ed., sec. 8.2; `zenit.geo.horizon.horizon_range`).
    For the 92N6E (antenna 5 m) and a 15 m sea-skimmer that is about 25 km; 5 % covers the
    target's altitude change over its last leg and the effective-Earth approximation. The
    92N6E sees a 0.1 m² target far beyond 25 km in free space, so the first detection must
    also come soon after the target rises over the horizon: within the outer 30 %.

    The raid flies at 15 m from launch with no per-replication jitter, so its position at
    `first_detection_s` is its nominal trajectory's.
    """
    data = short_point_defence(threats=4)
    group = data["threats"][0]
    group.pop("variation")
    group["launch"]["position"]["altitude"] = f"{CRUISE_ALTITUDE_M:g} m"
    for point in group["route"]:
        point["altitude"] = f"{CRUISE_ALTITUDE_M:g} m"
    scenario = load(data, "sea-skimmer.yaml")
    world = world_of(scenario)
    assert world.radars.count == 1
    radar = world.radars.position[0]
    antenna_height = float(np.linalg.norm(radar) - EARTH_RADIUS_M)
    assert antenna_height == pytest.approx(5.0, abs=0.01)  # 92N6E catalogue antenna_height
    horizon = float(horizon_range(antenna_height, CRUISE_ALTITUDE_M))
    assert horizon == pytest.approx(4.12e3 * (np.sqrt(5.0) + np.sqrt(15.0)), rel=0.01)

    outcomes = zenit.run(scenario, replications=6, seed=3).outcomes
    assert outcomes["first_detection_s"].notna().all()
    positions = _nominal_positions(world, outcomes["first_detection_s"], outcomes["threat"])
    detection_range = np.linalg.norm(positions - radar, axis=-1)
    altitude = np.linalg.norm(positions, axis=-1) - EARTH_RADIUS_M
    assert altitude == pytest.approx(CRUISE_ALTITUDE_M, abs=3.0)
    assert (detection_range <= 1.05 * horizon).all(), detection_range
    assert (detection_range >= 0.7 * horizon).all(), detection_range


LONG_REACH = """
name: long-reach
origin: {latitude: 45.0, longitude: -30.0}
simulation: {dt: 0.5 s, duration: 12 min, replications: 10, seed: 3, record: []}
doctrine: {policy: shoot-look-shoot, salvo: 1, assignment: greedy, engage_decoys: true}
assets:
  - {name: Varnosk airbase, position: {east: 0 km, north: 0 km}, value: 10, radius: 1 km}
defence:
  - name: 1st regiment
    type: S-400 regiment
    position: {east: 0 km, north: 0 km}
    command_post: {type: 55K6E, position: {east: 1 km, north: -1 km}}
    radars:
      - {type: 91N6E, position: {east: 2 km, north: 0 km}}
    battalions:
      - name: 1st battalion
        position: {east: 0 km, north: 0 km}
        radars: [{type: 92N6E, position: {east: 0 km, north: 0.3 km}}]
        launchers:
          - {type: 5P85SE2, count: 4, loadout: [40N6E, 40N6E, 48N6E2, 48N6E2]}
        reloads: {}
threats:
  - name: fighter
    type: 4th-generation fighter
    count: 1
    launch: {time: 0 s, position: {east: -450 km, north: 0 km, altitude: 10 km}}
    route:
      - {target: Varnosk airbase, altitude: 10 km, speed: Mach 0.9}
"""


def test_high_fighter_is_engaged_far_out_by_the_40n6e():
    """A 10 km high fighter, no jammer, inbound from 450 km, is first engaged beyond 250 km.

    At 10 km the radar horizon of the 91N6E (6 m antenna) is about 420 km
    (4.12 (sqrt 6 + sqrt 10000) km), the 91N6E's published detection range for a fighter
    is of that order, and the 40N6E reaches 400 km (catalogue), so the regiment's fused
    track lets the battalion launch long before the 48N6E2 (200 km) could. A first launch
    inside 250 km would mean the long-range layer is not working.
    """
    scenario = load(yaml.safe_load(LONG_REACH), "long-reach.yaml")
    world = world_of(scenario)
    assert world.missiles.maximum_range_m[world.missiles.names.index("40N6E")] == 400_000.0
    result = zenit.run(scenario, replications=6, seed=3)
    outcomes = result.outcomes
    assert outcomes["first_launch_s"].notna().all()
    positions = _nominal_positions(world, outcomes["first_launch_s"], outcomes["threat"])
    launch_range = np.linalg.norm(positions - world.battalions.position[0], axis=-1)
    assert (launch_range > 250_000.0).all(), launch_range
    assert (launch_range < 450_000.0).all()
    first_shots = result.shots.sort_values("launch_time_s").groupby("replication").first()
    assert (first_shots["missile_type"] == "40N6E").all()


def test_a_raid_larger_than_the_magazine_leaks_at_least_the_surplus():
    """20 cruise missiles against 8 ready rounds and no reloads: at least 12 leak, 8 fired.

    Each interceptor kills at most one threat, so with R rounds and N > R threats at least
    N - R threats survive every replication whatever the kill probabilities; with a raid that
    stays in the engagement zone long enough the battalion fires every round it has.
    """
    data = short_point_defence(threats=20, duration="8 min")
    data["threats"][0]["spacing"]["time"] = "6 s"
    battalion = data["defence"][0]
    battalion["launchers"] = [{"type": "5P85SE2", "count": 2,
                               "position": {"east": "6 km", "north": "-2 km"},
                               "loadout": ["48N6E2"] * 4}]
    battalion["reloads"] = {}
    scenario = load(data, "saturation.yaml")
    world = world_of(scenario)
    assert int(world.battalions.ready_rounds.sum()) == 8
    assert int(world.battalions.spare_rounds.sum()) == 0
    outcomes = zenit.run(scenario, replications=5, seed=4).outcomes
    per_replication = outcomes.groupby("replication")
    leaked = per_replication["fate"].apply(lambda fate: int((fate == "leaked").sum()))
    killed = per_replication["fate"].apply(lambda fate: int((fate == "killed").sum()))
    fired = per_replication["missiles_fired_at"].sum()
    assert (leaked >= 20 - 8).all(), leaked.tolist()
    assert (killed <= 8).all()
    assert (fired == 8).all(), fired.tolist()


def test_a_48n6e2_fired_at_a_close_cruise_missile_reaches_it():
    """A 48N6E2 launched at a sea-skimmer 24 km out must get to it, not climb into space.

    The 48N6E2 is cold-launched vertically and guided track-via-missile; its terminal phase
    (proportional navigation) starts inside TERMINAL_RANGE_TVM_M = 25 km. A vertical missile
    has a ~90 degree heading error to a target on the horizon, and PN with near-zero or
    negative closing speed does not turn it over: found while writing these tests, every such
    round climbed straight up to ~100 km altitude and was aborted when the target leaked
    (point-defence: all 13 48N6E2 shots in 100 replications "aborted" at ~22.7 km miss).
    At ~2 km/s and 24 km the round should reach closest approach (a kill or a miss within
    the 2 km fuze reach) well before the cruise missile reaches the airbase ~100 s later.
    """
    data = short_point_defence(threats=1)
    data["threats"][0].pop("variation")
    battalion = data["defence"][0]
    battalion["launchers"] = [{"type": "5P85SE2", "count": 1,
                               "position": {"east": "6 km", "north": "-2 km"},
                               "loadout": ["48N6E2"], "overrides": {"tubes": 1}}]
    battalion["reloads"] = {}
    scenario = load(data, "close-48n6e2.yaml")
    shots = zenit.run(scenario, replications=4, seed=1).shots
    assert len(shots) == 4 and (shots["missile_type"] == "48N6E2").all()
    assert shots["result"].isin(["kill", "miss"]).all(), shots[["result", "miss_distance_m"]]
    assert (shots["miss_distance_m"] <= 2_000.0).all()
    assert (shots["end_time_s"] - shots["launch_time_s"] < 60.0).all()
