"""The scenario language: a YAML file checked, catalogue-resolved and turned into SI records.

    >>> from zenit.scenario import load_scenario
    >>> scenario = load_scenario("scenarios/point-defence.yaml")
    >>> len(scenario.expanded_threats())
    8
"""

from zenit.scenario.load import check_scenario, load_scenario, load_text
from zenit.scenario.model import (Asset, Battalion, CommandPost, Doctrine, Jammer, Launcher,
                                  Point, Radar, Regiment, Scenario, Simulation, TerrainSource,
                                  Threat, ThreatGroup, Waypoint)
from zenit.scenario.schema import json_schema

__all__ = ["Asset", "Battalion", "CommandPost", "Doctrine", "Jammer", "Launcher", "Point",
           "Radar", "Regiment", "Scenario", "Simulation", "TerrainSource", "Threat",
           "ThreatGroup", "Waypoint", "check_scenario", "json_schema", "load_scenario",
           "load_text"]
