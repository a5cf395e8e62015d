"""The README runs: its Python example executes and its tour's quick commands succeed."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path("README.md").read_text()
ENVIRONMENT = {**os.environ, "PYTHONPATH": "src"}


def test_python_example_runs_and_gives_the_summary_it_describes():
    code = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    summary = namespace["summary"]
    assert summary["scenario"] == "point-defence" and summary["replications"] == 200
    low, high = summary["leaked"]["ci95"]
    assert low <= summary["leaked"]["mean"] <= high


def test_quick_tour_commands_succeed():
    tour = re.search(r"## A five-minute tour\n\n```bash\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in tour.splitlines()]
    quick = [command for command in commands
             if command.startswith(("zenit validate", "zenit catalog"))]
    assert len(quick) == 3
    for command in quick:
        arguments = shlex.split(command)[1:]
        done = subprocess.run([sys.executable, "-m", "zenit.cli", *arguments],
                              capture_output=True, text=True, env=ENVIRONMENT, timeout=120)
        assert done.returncode == 0, (command, done.stderr)
