"""`zenit validate` also flies every route once: a route no threat can fly is a user error."""

import os
import subprocess
import sys
from pathlib import Path

ENVIRONMENT = {**os.environ, "PYTHONPATH": "src", "COLUMNS": "200"}


def validate(path):
    return subprocess.run([sys.executable, "-m", "zenit.cli", "validate", str(path)],
                          capture_output=True, text=True, env=ENVIRONMENT, timeout=120)


def test_a_climb_steeper_than_the_threat_can_fly_is_named_with_its_threat(tmp_path):
    text = Path("scenarios/point-defence.yaml").read_text()
    steep = text.replace(
        "      - {position: {east: -30 km, north: 5 km}, altitude: 20 m, speed: Mach 0.75}",
        "      - {position: {east: -30 km, north: 5 km}, altitude: 20 m, speed: Mach 0.75}\n"
        "      - {position: {east: -29 km, north: 5 km}, altitude: 9 km, speed: Mach 0.75}")
    assert steep != text
    path = tmp_path / "steep.yaml"
    path.write_text(steep)
    done = validate(path)
    assert done.returncode == 2
    assert "threat 'wave-1#0'" in done.stderr and "steeper than" in done.stderr
    assert "Traceback" not in done.stderr and "OK:" not in done.stdout


def test_every_bundled_scenario_validates():
    for path in sorted(Path("scenarios").glob("*.yaml")):
        done = validate(path)
        assert done.returncode == 0, (path, done.stdout, done.stderr)
        assert done.stdout.startswith("OK:")
