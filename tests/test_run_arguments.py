"""Run arguments are checked before any work, by one rule for the API, the CLI and the scenario
(the hardening issue, part 8): counts are whole numbers, never rounded; a seed is one the
Philox streams and the store's UBIGINT column can hold; record names replications of the run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import zenit
from zenit.errors import UserError
from zenit.run_arguments import MAX_SEED, checked_run_arguments
from zenit.scenario import load_text

ROOT = Path(__file__).resolve().parents[1]
POINT_DEFENCE = ROOT / "scenarios" / "point-defence.yaml"


@pytest.mark.parametrize("arguments, message", [
    (dict(replications=2.7), "replications must be a whole number"),
    (dict(replications=0), "replications must be at least 1"),
    (dict(replications=True), "replications must be a whole number"),
    (dict(seed=1.5), "seed must be a whole number"),
    (dict(seed=-1), "seed must be from 0 to"),
    (dict(seed=2**64), "seed must be from 0 to 18446744073709551615"),
    (dict(workers=0), "workers must be at least 1"),
    (dict(chunk_size=2.0), "chunk_size must be a whole number"),
    (dict(record=[99]), "record names replication 99, but the run has 10"),
    (dict(record=[-1]), "record entry must be at least 0"),
    (dict(record=[0.5]), "record entry must be a whole number"),
])
def test_bad_arguments_are_refused_before_any_work(arguments, message):
    scenario = zenit.load_scenario(POINT_DEFENCE)
    options = dict(replications=10, seed=1) | arguments
    with pytest.raises(UserError, match=message):
        # An executor that does not exist would fail later: the check must come first.
        zenit.run(scenario, executor="no-such-executor", **options)


def test_good_arguments_pass_through_unchanged():
    import numpy as np

    assert checked_run_arguments(np.int64(5), MAX_SEED, None, 3, [0, 4]) == (
        5, MAX_SEED, None, 3, (0, 4))


def test_the_largest_seed_runs_and_the_store_keeps_it(tmp_path):
    scenario = zenit.load_scenario(POINT_DEFENCE)
    result = zenit.run(scenario, replications=1, seed=MAX_SEED, executor="inprocess",
                       store=tmp_path / "store", record=[])
    assert result.summary()["seed"] == MAX_SEED


def test_the_scenario_refuses_a_seed_beyond_the_range():
    original = POINT_DEFENCE.read_text(encoding="utf-8")
    assert "  seed: 1 " in original
    text = original.replace("  seed: 1 ", f"  seed: {2**64} ", 1)
    _, problems = load_text(text, "seed.yaml")
    assert any("seed" in str(problem) and "18446744073709551615" in str(problem)
               for problem in problems), problems
    _, fine = load_text(original.replace("  seed: 1 ", f"  seed: {2**64 - 1} ", 1), "seed.yaml")
    assert not fine, fine


def test_the_cli_refuses_a_seed_beyond_the_range_with_exit_2(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "zenit.cli", "run", str(POINT_DEFENCE), "-n", "1",
         "--seed", str(2**64), "--store", str(tmp_path / "store")],
        capture_output=True, text=True, timeout=300)
    assert completed.returncode == 2, completed.stderr
    assert "seed must be from 0 to 18446744073709551615" in completed.stderr + completed.stdout
    assert "Traceback" not in completed.stderr



def test_the_scenarios_own_record_list_fits_a_shorter_run():
    """A scenario's `record` is its default for full runs: a shorter run keeps the replications
    it has (an explicit `record=` beyond the run is refused, above)."""
    original = POINT_DEFENCE.read_text(encoding="utf-8")
    assert "  record: [0] " in original
    scenario, problems = load_text(original.replace("  record: [0] ", "  record: [0, 5] ", 1),
                                   "record.yaml")
    assert not problems, problems
    result = zenit.run(scenario, replications=2, seed=1, executor="inprocess")
    assert set(result.events["replication"]) == {0}
