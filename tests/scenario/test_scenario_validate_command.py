"""`zenit validate`: one line per problem and exit 2, or an OK line and exit 0."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from scenario_helpers import BASE, changed
from zenit.scenario.cli import validate_command

POINT_DEFENCE = Path(__file__).resolve().parents[2] / "scenarios" / "point-defence.yaml"


def run(path) -> tuple[int, list[str]]:
    console = Console(record=True, width=300, color_system=None)
    code = validate_command(str(path), console=console)
    return code, console.export_text().splitlines()


def test_clean_scenario():
    assert run(POINT_DEFENCE) == (0, ["OK: point-defence: 8 threats, 1 battalion"])


def test_problems_one_per_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(changed(15, "    count: 0", changed(3, "simulation: {dt: 2 s}")))
    code, lines = run(path)
    assert code == 2
    assert lines == [
        f"{path}:3:18: simulation.dt: '2 s' must be at most 1 s (fix: use a step between "
        "0.05 s and 1 s; events inside a step are interpolated)",
        f"{path}:15:12: threats[0].count: 0 must be at least 1 (fix: a raid group needs at "
        "least one threat; delete the group to leave it out)",
        f"2 problems in {path}",
    ]


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    assert run(path) == (2, [f"{path}: no such scenario file (fix: check the path; bundled "
                             "scenarios are in scenarios/)", f"1 problem in {path}"])


def test_markup_in_names_is_printed_as_written(tmp_path):
    path = tmp_path / "odd.yaml"
    path.write_text(changed(1, "name: '[bold]test'"))
    assert run(path) == (0, ["OK: [bold]test: 4 threats, 1 battalion"])


def test_base_counts(tmp_path):
    path = tmp_path / "base.yaml"
    path.write_text(BASE)
    assert run(path) == (0, ["OK: test: 4 threats, 1 battalion"])
