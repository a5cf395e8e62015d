"""Small scenario texts for the engine tests, built from the bundled point-defence scenario.

The tests change a copy of `scenarios/point-defence.yaml` as a Python dict (shorter routes,
other doctrine, fewer launchers) and load the YAML text through the same path a user's
file takes, so every scenario here is also checked by the scenario language.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import yaml

from zenit.engine.work import compiled_world
from zenit.scenario import load_text

ROOT = Path(__file__).resolve().parents[2]
POINT_DEFENCE = ROOT / "scenarios" / "point-defence.yaml"
REGIMENT_VS_RAID = ROOT / "scenarios" / "regiment-vs-raid.yaml"


@lru_cache(maxsize=None)
def _bundled(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def point_defence() -> dict:
    """A fresh, editable copy of the bundled point-defence scenario."""
    return copy.deepcopy(_bundled(POINT_DEFENCE))


def short_point_defence(threats: int = 8, duration: str = "6 min") -> dict:
    """Point-defence with the raid launched 80 km out: the same engagement, a fifth the time.

    The bundled raid flies 1,100 s of empty sea before the 92N6E can see it; starting it at
    the second waypoint's leg keeps the end game (horizon, reaction, salvoes) unchanged.
    """
    data = point_defence()
    data["simulation"].update({"duration": duration, "record": []})
    group = data["threats"][0]
    group["count"] = threats
    group["launch"]["position"] = {"east": "-80 km", "north": "10 km", "altitude": "50 m"}
    group["route"] = group["route"][1:]
    return data


def text_of(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False)


def load(data: dict, name: str = "test-scenario.yaml"):
    """The resolved scenario of `data`; fails the test with every problem if it is invalid."""
    scenario, problems = load_text(text_of(data), name)
    assert not problems, "\n".join(str(problem) for problem in problems)
    return scenario


def world_of(scenario):
    """The compiled world the engine runs for `scenario` (cached per text, as in a run)."""
    return compiled_world(scenario.source_text, scenario.source_path)
