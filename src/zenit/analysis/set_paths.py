"""Dotted paths into a scenario document ("threats[0].count"): read, checked, assigned.

A sweep's `set` parameter changes any field of the scenario file this way; the path is
checked against the scenario before anything runs, with a hint naming the keys or indices
that do exist.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from zenit.errors import Problem, did_you_mean
from zenit.scenario.loader import Document, render_path

SET_PATH = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_set_path(text: str) -> list[str | int]:
    """"threats[0].count" -> ["threats", 0, "count"]; a ValueError when it cannot be read."""
    parts: list[str | int] = []
    position = 0
    for match in SET_PATH.finditer(text):
        between = text[position:match.start()]
        if between not in ("", ".") or (between == "." and not parts):
            raise ValueError(f"cannot read {text!r} near {between!r}")
        name, index = match.groups()
        parts.append(int(index) if index is not None else name.strip())
        position = match.end()
    if not parts or position != len(text) or isinstance(parts[0], int):
        raise ValueError(f"cannot read {text!r}")
    return parts


def set_path_problem(scenario_document: dict, set_path: str, document: Document) -> Problem | None:
    """What is wrong with a sweep's `set` path against the scenario, placed at the path in the
    sweep file; None when the path reads and exists."""
    place = ("parameters", "set", set_path)
    try:
        parts = parse_set_path(set_path)
    except ValueError as error:
        return document.problem_at(place, str(error),
                                   'write a dotted path such as "threats[0].count"', key=True)
    node: Any = scenario_document
    for depth, part in enumerate(parts[:-1]):
        node = _child(node, part)
        if node is None:
            written = render_path(tuple(parts[:depth + 1]))
            return document.problem_at(place, f"the scenario has no {written!r}",
                                       _path_hint(_parent(scenario_document, parts[:depth]), part),
                                       key=True)
    last = parts[-1]
    if isinstance(last, int) and not (isinstance(node, list) and last < len(node)):
        return document.problem_at(place, f"the scenario has no {set_path!r}",
                                   _path_hint(node, last), key=True)
    if isinstance(last, str) and not isinstance(node, dict):
        return document.problem_at(place, f"{render_path(tuple(parts[:-1]))!r} is not a mapping",
                                   "end the path at a mapping's key", key=True)
    return None


def _child(node: Any, part: str | int) -> Any:
    if isinstance(part, int):
        return node[part] if isinstance(node, list) and 0 <= part < len(node) else None
    return node.get(part) if isinstance(node, dict) else None


def _parent(document: dict, parts: list) -> Any:
    node: Any = document
    for part in parts:
        node = _child(node, part)
    return node


def _path_hint(node: Any, part: str | int) -> str:
    if isinstance(node, list):
        return f"indices run from 0 to {len(node) - 1}" if node else "that list is empty"
    if isinstance(node, dict):
        return did_you_mean(str(part), [str(key) for key in node]) or (
            "keys there: " + ", ".join(str(key) for key in node))
    return "check the path against the scenario file"


def assign(document: dict, set_path: str, value: Any) -> None:
    """Set the value at a dotted path of a plain YAML document, in place."""
    parts = parse_set_path(set_path)
    parent = _parent(document, parts[:-1])
    parent[parts[-1]] = copy.deepcopy(value)
