"""`zenit catalog`: every figure with its source; a misspelt name is a clear user error."""

import os
import subprocess
import sys

ENVIRONMENT = {**os.environ, "PYTHONPATH": "src", "COLUMNS": "200"}


def zenit(*arguments):
    return subprocess.run([sys.executable, "-m", "zenit.cli", *arguments], capture_output=True,
                          text=True, env=ENVIRONMENT, timeout=120)


def test_catalog_entry_prints_each_figure_with_its_source():
    done = zenit("catalog", "48N6E2")
    assert done.returncode == 0, done.stderr
    # Published maximum range of the 48N6E2: 200 km (shared/refs sheet, Q8 and S29).
    assert "200 km" in done.stdout
    assert "S29" in done.stdout
    assert "maximum_range" in done.stdout


def test_catalog_index_lists_the_s400_and_its_peers():
    done = zenit("catalog")
    assert done.returncode == 0, done.stderr
    for name in ("91N6E", "92N6E", "40N6E", "S-400 regiment", "PAC-3 MSE", "subsonic cruise missile"):
        assert name in done.stdout


def test_unknown_catalog_name_suggests_the_nearest_and_exits_2():
    done = zenit("catalog", "48N6E9")
    assert done.returncode == 2
    assert "did you mean" in done.stderr
    assert "Traceback" not in done.stderr
