"""Detection coverage: horizon- and radar-equation-limited first detection, terrain shadows, PNGs.

References: the 4/3-Earth horizon range sqrt(2 k R h1) + sqrt(2 k R h2) (Skolnik, Introduction
to Radar Systems, 3rd ed., sec. 8.2); the radar range equation R ∝ sigma^(1/4) at a fixed SNR
(Skolnik, ch. 2); the 92N6E calibration point of the Zenit catalogue (250 km against 3 m² at
Pd 0.5, Pfa 1e-6, Swerling 1, catalog/data/radar/92N6E.yaml).
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from zenit.analysis.coverage import (RADIAL_STEP_M, coverage_map, first_detection_ranges,
                                     free_space_range_m, radar_sites)
from zenit.analysis.coverage_command import coverage_command
from zenit.engine.compile import compile_world
from zenit.errors import UserError
from zenit.geo.frames import local_to_cartesian
from zenit.geo.horizon import horizon_range
from zenit.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# 92N6E catalogue calibration point.
REFERENCE_RANGE_M = 250e3
REFERENCE_RCS_M2 = 3.0


@pytest.fixture(scope="module")
def point_defence():
    scenario = load_scenario(SCENARIOS / "point-defence.yaml")
    return scenario, compile_world(scenario)


@pytest.fixture(scope="module")
def terrain_masking():
    scenario = load_scenario(SCENARIOS / "terrain-masking.yaml")
    return scenario, compile_world(scenario)


def _in_sector(first, radar=0):
    ranges = first.range_m[radar]
    chosen = np.isfinite(ranges)
    return first.azimuth_rad[chosen], ranges[chosen]


def test_low_target_is_first_seen_at_the_smooth_earth_horizon(point_defence):
    """15 m target, 1 m²: the 92N6E's free-space reach (190 km) far exceeds the horizon."""
    scenario, world = point_defence
    site = radar_sites(scenario, world)[0]
    assert site.antenna_height_m == pytest.approx(5.0, abs=1e-3)  # catalogue antenna_height
    horizon_m = float(horizon_range(site.antenna_height_m, 15.0))
    assert horizon_m == pytest.approx(4.12e3 * (math.sqrt(5.0) + math.sqrt(15.0)), rel=2e-3)
    assert free_space_range_m(world, 0, 1.0) > 5.0 * horizon_m
    _, ranges = _in_sector(first_detection_ranges(scenario, world, 1.0, 15.0))
    assert ranges.size == 90  # the 92N6E's 90° sector, one-degree bins
    assert np.all(ranges <= horizon_m)
    assert np.all(ranges > horizon_m - RADIAL_STEP_M)


@pytest.mark.parametrize("rcs_m2", [1.0, 0.1])
def test_high_target_is_first_seen_at_the_free_space_range(point_defence, rcs_m2):
    """10 km target: the horizon (421 km) is beyond reach, so R = 250 km (sigma / 3 m²)^(1/4)."""
    scenario, world = point_defence
    site = radar_sites(scenario, world)[0]
    expected_m = REFERENCE_RANGE_M * (rcs_m2 / REFERENCE_RCS_M2) ** 0.25
    assert free_space_range_m(world, 0, rcs_m2) == pytest.approx(expected_m, rel=1e-6)
    assert float(horizon_range(site.antenna_height_m, 10e3)) > 2.0 * expected_m
    azimuth_rad, ground_m = _in_sector(first_detection_ranges(scenario, world, rcs_m2, 10e3))
    target = local_to_cartesian(site.east_m + ground_m * np.sin(azimuth_rad),
                                site.north_m + ground_m * np.cos(azimuth_rad), 10e3)
    slant_m = np.linalg.norm(target - site.position, axis=-1)
    assert np.all(slant_m <= expected_m)
    assert np.all(slant_m > expected_m - RADIAL_STEP_M)


def test_ridges_cast_shadows_on_a_low_target(terrain_masking):
    scenario, world = terrain_masking
    coverage = coverage_map(scenario, world, 1.0, 15.0)
    shadowed = coverage.shadowed
    assert shadowed.sum() > 1000  # of 241 x 241 cells: a large part of the relief
    # Each shadowed cell is within some radar's free-space reach and above its smooth
    # horizon, yet hidden by the terrain from every radar.
    clear = (coverage.free_space_pd >= 0.5) & coverage.above_horizon
    assert np.all(clear.any(axis=0)[shadowed])
    assert np.all(coverage.pd[:, shadowed] < 0.5)
    # Shadows lie on the relief (it spans +-150 km), not over the sea-level ground beyond it.
    east, north = np.meshgrid(coverage.east_m, coverage.north_m)
    assert np.all(np.maximum(abs(east), abs(north))[shadowed] <= 151e3)


def test_a_valley_flier_is_first_seen_much_closer_than_a_high_one(terrain_masking):
    scenario, world = terrain_masking
    low = first_detection_ranges(scenario, world, 1.0, 15.0).range_m
    high = first_detection_ranges(scenario, world, 1.0, 1000.0).range_m
    for radar in range(world.radars.count):
        in_sector = np.isfinite(low[radar])
        assert np.median(low[radar][in_sector]) < 0.6 * np.median(high[radar][in_sector])
        assert np.max(low[radar][in_sector]) < 0.5 * np.max(high[radar][in_sector])


def test_command_writes_valid_pngs_and_json(tmp_path, capsys):
    assert coverage_command(str(SCENARIOS / "point-defence.yaml"), "1 m2", "15 m",
                            str(tmp_path), as_json=True) == 0
    summary = json.loads(capsys.readouterr().out)
    assert len(summary["files"]) == 2  # the map and one vertical diagram
    for name in summary["files"]:
        data = Path(name).read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        image = imread(name)
        assert image.ndim == 3 and image.shape[0] > 300 and image.shape[1] > 300
    radar = summary["radars"][0]
    assert summary["altitude_reference"] == "above ground"
    assert radar["horizon_range_m"] == pytest.approx(float(horizon_range(5.0, 15.0)), rel=1e-6)
    assert radar["free_space_range_m"] == pytest.approx(REFERENCE_RANGE_M * 3.0**-0.25, rel=1e-6)
    first = radar["first_detection_range_m"]
    assert first["azimuths"] == 90 and len(first["by_azimuth"]) == 360
    assert first["median"] == pytest.approx(radar["horizon_range_m"], abs=RADIAL_STEP_M)
    assert 0.0 < summary["map"]["likely_fraction"] < 1.0


def test_command_table_and_png_file_name(tmp_path, capsys):
    target = tmp_path / "low.png"
    assert coverage_command(str(SCENARIOS / "point-defence.yaml"), "-10 dBsm", "100 m",
                            str(target), as_json=False, azimuth="270 deg") == 0
    printed = capsys.readouterr().out
    assert "1st battalion/92N6E" in printed
    assert target.read_bytes().startswith(PNG_SIGNATURE)
    assert (tmp_path / "low-vertical-1st-battalion-92n6e.png").read_bytes().startswith(
        PNG_SIGNATURE)


@pytest.mark.parametrize("rcs, altitude, azimuth, flag", [
    ("big", "15 m", None, "--rcs"),
    ("-1 m2", "15 m", None, "--rcs"),
    ("1 m2", "15 kg", None, "--altitude"),
    ("1 m2", "-5 m", None, "--altitude"),
    ("1 m2", "15 m", "west", "--azimuth"),
])
def test_bad_flags_name_the_flag_and_an_example(rcs, altitude, azimuth, flag):
    with pytest.raises(UserError) as caught:
        coverage_command(str(SCENARIOS / "point-defence.yaml"), rcs, altitude, None, True,
                         azimuth)
    message = str(caught.value)
    assert message.startswith(flag)
    assert "fix:" in message and "such as" in message
