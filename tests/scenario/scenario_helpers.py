"""Small malformed scenarios are written as changes to one clean text, BASE."""

from __future__ import annotations

import textwrap

# A clean scenario; malformed cases change one line of it. Line numbers are 1-based.
BASE = """\
name: test
origin: {latitude: 45.0, longitude: -30.0}
simulation: {dt: 0.5 s, duration: 10 min, replications: 10}
assets:
  - {name: base, position: {east: 0 km, north: 0 km}}
defence:
  - name: bn
    type: S-400 battalion
    position: {east: 5 km, north: 0 km}
    launchers:
      - {type: 5P85SE2, count: 4, loadout: [48N6E2, 48N6E2, 48N6E2, 9M96E2]}
threats:
  - name: wave
    type: subsonic cruise missile
    count: 4
    launch: {position: {east: -200 km, north: 0 km, altitude: 50 m}}
    route:
      - {target: base, altitude: 20 m, speed: 880 km/h}
"""


def changed(line: int, new: str, base: str = BASE) -> str:
    """BASE with its line `line` replaced by `new` (which may span several lines)."""
    lines = base.splitlines()
    lines[line - 1] = new
    return "\n".join(lines) + "\n"


def appended(extra: str, base: str = BASE) -> str:
    return base + textwrap.dedent(extra)


def the_problem(problems, fragment: str):
    """The one problem whose message contains `fragment`."""
    found = [problem for problem in problems if fragment in problem.message]
    assert len(found) == 1, [problem.render() for problem in problems]
    return found[0]
