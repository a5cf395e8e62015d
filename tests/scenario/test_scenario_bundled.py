"""The bundled scenarios: each validates clean and survives load -> dump -> load."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from zenit.scenario import check_scenario, load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
BUNDLED = sorted(SCENARIOS.glob("*.yaml"))


def test_the_five_bundled_scenarios_are_there():
    assert [path.stem for path in BUNDLED] == [
        "ballistic", "point-defence", "regiment-vs-raid", "stealth", "terrain-masking"]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda path: path.stem)
def test_bundled_scenario_is_clean(path):
    assert [problem.render() for problem in check_scenario(path)] == []


@pytest.mark.parametrize("path", BUNDLED, ids=lambda path: path.stem)
def test_round_trip(path, tmp_path):
    scenario = load_scenario(path)
    dumped = tmp_path / path.name
    dumped.write_text(scenario.to_yaml(), encoding="utf-8")
    again = load_scenario(dumped)
    assert again == scenario
    assert again.expanded_threats() == scenario.expanded_threats()
    assert again.source_hash != scenario.source_hash  # the dump is a different text


def test_source_text_and_hash_are_kept():
    path = SCENARIOS / "point-defence.yaml"
    scenario = load_scenario(path)
    text = path.read_text(encoding="utf-8")
    assert scenario.source_text == text
    assert scenario.source_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_reference_scenario_size():
    """regiment-vs-raid is the performance reference: about 100 threats, 15 min at 0.5 s."""
    scenario = load_scenario(SCENARIOS / "regiment-vs-raid.yaml")
    assert len(scenario.expanded_threats()) == 100
    assert (scenario.simulation.dt_s, scenario.simulation.duration_s) == (0.5, 900.0)
    assert [battalion.name for battalion in scenario.battalions()] == [
        "1st battalion", "2nd battalion"]
    assert {radar.type for radar in scenario.radars()} == {"91N6E", "96L6E", "92N6E"}
    types = {group.type for group in scenario.threats}
    assert {"subsonic cruise missile", "4th-generation fighter", "short-range ballistic missile",
            "decoy"} <= types
