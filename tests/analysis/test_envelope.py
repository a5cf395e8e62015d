"""Engagement envelopes: the flyout cut by the catalogue's published limits.

Reference figures are the Zenit catalogue's (catalog/data/missile/48N6E2.yaml: maximum range
200 km, minimum range 3 km, maximum altitude 27 km, maximum speed 2 km/s; 9M96E2.yaml:
minimum range 1 km). The launch range follows from the kinematics of a head-on target:
launch range = intercept range + speed x time of flight.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from zenit.analysis.envelope import (allowed, engagement_envelope, envelope_command,
                                     missile_limits, optimum_altitude_m, reach_at_altitude)
from zenit.engine.compile import compile_world
from zenit.errors import UserError
from zenit.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def point_defence():
    scenario = load_scenario(SCENARIOS / "point-defence.yaml")
    return scenario, compile_world(scenario)


@pytest.fixture(scope="module")
def long_range(point_defence):
    return missile_limits(*point_defence, "48n6e2")


def test_limits_come_from_the_scenario_battalion(long_range):
    assert long_range.name == "48N6E2"
    assert long_range.battalion == "1st battalion"
    assert long_range.maximum_range_m == 200e3
    assert long_range.minimum_range_m == 3e3
    assert long_range.maximum_altitude_m == 27e3


def test_max_range_at_the_optimum_altitude_is_within_the_catalogue_range(long_range):
    optimum_m = optimum_altitude_m(long_range)
    assert long_range.minimum_altitude_m <= optimum_m <= long_range.maximum_altitude_m
    reach = reach_at_altitude(long_range, optimum_m)
    slant_m = np.hypot(reach.maximum_range_m, optimum_m)
    # The flyout reaches beyond 200 km, so the published figure is the limit.
    assert 199e3 <= slant_m <= 200e3
    # No faster than the 2 km/s top speed all the way.
    assert reach.time_of_flight_to_maximum_range_s > reach.maximum_range_m / 2000.0


def test_minimum_range_is_respected(long_range):
    reach = reach_at_altitude(long_range, 100.0)
    assert np.hypot(reach.minimum_range_m, 100.0) >= 3e3
    assert not allowed(long_range, 2e3, 100.0)
    envelope = engagement_envelope(long_range)
    ground, height = np.meshgrid(envelope.range_m, envelope.altitude_m)
    slant_m = np.hypot(ground, height)[envelope.inside]
    assert slant_m.min() >= 3e3 and slant_m.max() <= 200e3
    assert height[envelope.inside].max() <= 27e3


def test_short_range_missile_is_limited_by_its_flyout(point_defence):
    limits = missile_limits(*point_defence, "9M96E2")
    reach = reach_at_altitude(limits, 5e3)
    assert reach.minimum_range_m >= 0.0 and np.hypot(reach.minimum_range_m, 5e3) >= 1e3
    assert reach.maximum_range_m < limits.maximum_range_m  # 120 km published
    row = limits.flyout.time_of_flight_grid_s[:, int(5e3 / limits.flyout.altitude_grid_m[1])]
    assert reach.maximum_range_m == pytest.approx(
        limits.flyout.range_grid_m[np.isfinite(row)].max(), abs=1.5e3)


def test_command_json_has_sensible_figures(tmp_path, capsys):
    assert envelope_command(str(SCENARIOS / "point-defence.yaml"), "48N6E2", "10 km",
                            str(tmp_path), as_json=True, target_speed="900 km/h") == 0
    summary = json.loads(capsys.readouterr().out)
    for key in ("max_range_m", "min_range_m", "max_altitude_m", "time_of_flight_to_max_range_s",
                "optimum_altitude_m", "max_range_at_optimum_m", "launch_range_m", "files"):
        assert summary[key] is not None, key
    assert 150e3 < summary["max_range_m"] <= 200e3
    assert 0.0 <= summary["min_range_m"] < summary["max_range_m"]
    assert 20e3 < summary["max_altitude_m"] <= 27e3
    assert summary["max_range_m"] / 2000.0 < summary["time_of_flight_to_max_range_s"] < 400.0
    assert summary["target_speed_mps"] == pytest.approx(250.0)
    assert summary["launch_range_m"] == pytest.approx(
        summary["intercept_range_m"] + 250.0 * summary["time_of_flight_to_intercept_s"])
    assert summary["launch_range_m"] > summary["max_range_m"]
    assert Path(summary["files"][0]).read_bytes().startswith(PNG_SIGNATURE)


def test_catalogue_missile_outside_the_scenario_stands_alone(tmp_path, capsys):
    target = tmp_path / "forty.png"
    assert envelope_command(str(SCENARIOS / "point-defence.yaml"), "40N6E", "10 km",
                            str(target), as_json=True) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["source"] == "catalogue" and summary["battalion"] is None
    assert summary["max_range_m"] <= 400e3  # catalogue 40N6E maximum_range
    assert target.read_bytes().startswith(PNG_SIGNATURE)


def test_unknown_missile_suggests_the_scenario_names():
    with pytest.raises(UserError, match=r"--missile '48N7'.*did you mean '48N6E2'"):
        envelope_command(str(SCENARIOS / "point-defence.yaml"), "48N7", "10 km", None, True)


@pytest.mark.parametrize("altitude, speed, flag", [("high", None, "--altitude"),
                                                   ("-1 km", None, "--altitude"),
                                                   ("10 km", "fast", "--target-speed")])
def test_bad_flags_name_the_flag(altitude, speed, flag):
    with pytest.raises(UserError, match=f"^{flag}"):
        envelope_command(str(SCENARIOS / "point-defence.yaml"), "48N6E2", altitude, None, True,
                         speed)
