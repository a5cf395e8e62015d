"""Sweeps: reading and checking sweep files, applying grid points, running a small grid."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import zenit
from zenit.analysis.grid_points import (point_document, point_scenario, runnable_scenario,
                                        scaled_count)
from zenit.analysis.set_paths import parse_set_path
from zenit.analysis.sweep import run_sweep
from zenit.analysis.sweep_command import sweep_command
from zenit.analysis.sweep_file import SweepError, read_sweep
from zenit.errors import UserError
from zenit.store import ResultsStore

REPOSITORY = Path(__file__).resolve().parents[2]
POINT_DEFENCE = REPOSITORY / "scenarios" / "point-defence.yaml"
REGIMENT = REPOSITORY / "scenarios" / "regiment-vs-raid.yaml"


@pytest.fixture
def sweep_file(tmp_path):
    """sweep_file(text) -> the path of a sweep file beside a copy of point-defence.yaml."""
    (tmp_path / "scenarios").mkdir()
    shutil.copy(POINT_DEFENCE, tmp_path / "scenarios" / "point-defence.yaml")

    def write(text: str, name: str = "case-sweep.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def _error(path) -> str:
    with pytest.raises(UserError) as raised:
        read_sweep(path)
    return str(raised.value)


# -- running a grid ------------------------------------------------------------------------------


def test_raid_scale_sweep_on_point_defence_gives_one_row_per_point(sweep_file, tmp_path):
    path = sweep_file("scenario: scenarios/point-defence.yaml\nreplications: 2\nseed: 5\n"
                      "parameters:\n  raid_scale: [0.5, 1.0]\n")
    store = ResultsStore(tmp_path / "store")
    outcome = run_sweep(read_sweep(path), zenit.run, store=store, out=tmp_path / "out")

    table = outcome.table
    assert list(table["raid_scale"]) == [0.5, 1.0]
    assert list(table["threats_total"]) == [4, 8]  # 8 cruise missiles halved, then whole
    assert list(table["replications"]) == [2, 2]
    assert list(table["seed"]) == [5, 5]
    for figure in ("leaked", "killed", "p_asset_hit", "missiles_fired"):
        assert {f"{figure}_mean", f"{figure}_ci95_low", f"{figure}_ci95_high"} <= set(table)
    assert (table["leaked_mean"] + table["killed_mean"] <= table["threats_total"]).all()
    assert table["p_asset_hit_mean"].between(0, 1).all()

    directory = tmp_path / "out"
    for name in ("results.csv", "results.parquet", "sweep.yaml", "saturation.png"):
        assert (directory / name).is_file(), name
    assert (directory / "saturation.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from_csv = pd.read_csv(directory / "results.csv")
    from_parquet = pd.read_parquet(directory / "results.parquet")
    assert list(from_csv["threats_total"]) == [4, 8]
    assert list(from_parquet["threats_total"]) == [4, 8]
    assert list(from_parquet["run_id"]) == list(table["run_id"])

    for index, run_id in enumerate(table["run_id"]):
        record = store.get_run(run_id)
        assert record["status"] == "complete"
        assert record["replications"] == 2 and record["seed"] == 5
        assert record["summary"]["threats_total"] == [4, 8][index]
        assert "sweep_point.json" in record["artifacts"]
        stored = json.loads((Path(record["path"]) / "artifacts" / "sweep_point.json").read_text())
        assert stored["parameters"] == {"raid_scale": [0.5, 1.0][index]}


def test_sweep_command_prints_the_table_and_overrides_replications(sweep_file, tmp_path, capsys):
    path = sweep_file("scenario: scenarios/point-defence.yaml\nreplications: 50\n"
                      "parameters:\n  salvo: [1]\n")
    code = sweep_command(str(path), None, str(tmp_path / "out"), "inprocess", None, 1,
                         store=str(tmp_path / "store"), run_scenario=zenit.run)
    assert code == 0
    printed = capsys.readouterr().out
    assert "sweep results" in printed and "results.csv" in printed
    table = pd.read_csv(tmp_path / "out" / "results.csv")
    assert list(table["replications"]) == [1]
    assert list(table["salvo"]) == [1]
    assert list(table["threats_total"]) == [8]


def test_sweep_command_answers_a_bad_file_with_exit_code_2(sweep_file, tmp_path, capsys):
    path = sweep_file("scenario: scenarios/point-defence.yaml\nparameters:\n  raid_sale: [1]\n")
    code = sweep_command(str(path), None, str(tmp_path / "out"), "inprocess", None, None,
                         store=str(tmp_path / "store"), run_scenario=zenit.run)
    assert code == 2
    printed = capsys.readouterr().out
    assert "raid_sale" in printed and "raid_scale" in printed
    assert not (tmp_path / "out").exists()


# -- invalid sweep files -----------------------------------------------------------------------


def test_unknown_parameter_is_named_with_its_line_and_nearest_name(sweep_file):
    path = sweep_file("scenario: scenarios/point-defence.yaml\nparameters:\n"
                      "  raid_scale: [1.0]\n  rcs_scal: [0.5]\n")
    message = _error(path)
    assert f"{path}:4:3: parameters.rcs_scal: unknown parameter 'rcs_scal'" in message
    assert "did you mean 'rcs_scale'" in message


def test_empty_grid_is_refused_where_the_parameters_are(sweep_file):
    path = sweep_file("scenario: scenarios/point-defence.yaml\nparameters: {}\n")
    message = _error(path)
    assert f"{path}:2:1: parameters: the grid is empty" in message
    assert "raid_scale: [0.5, 1.0]" in message


def test_grid_without_parameters_section_is_empty_too(sweep_file):
    message = _error(sweep_file("scenario: scenarios/point-defence.yaml\nreplications: 3\n"))
    assert "the grid is empty" in message


def test_parameter_with_no_values_is_named(sweep_file):
    path = sweep_file("scenario: scenarios/point-defence.yaml\nparameters:\n  raid_scale: []\n")
    message = _error(path)
    assert f"{path}:3:15: parameters.raid_scale: 'raid_scale' has no values" in message


def test_missing_scenario_file_names_the_sweep_file_and_the_folder(sweep_file, tmp_path):
    path = sweep_file("scenario: scenarios/nowhere.yaml\nparameters:\n  raid_scale: [1.0]\n")
    message = _error(path)
    assert f"{path}:1:11: scenario: no such scenario file 'scenarios/nowhere.yaml'" in message
    assert str(tmp_path / "scenarios" / "nowhere.yaml") in message
    assert "relative to the sweep file's folder" in message


def test_missing_sweep_file(tmp_path):
    message = _error(tmp_path / "absent.yaml")
    assert "absent.yaml: no such sweep file" in message


def test_bad_values_and_unknown_plot_are_all_reported_in_file_order(sweep_file):
    path = sweep_file("scenario: scenarios/point-defence.yaml\nreplications: 0\nparameters:\n"
                      "  raid_scale: [-1]\n  policy: [shoot-look-shot]\n")
    message = _error(path)
    assert message.startswith("3 problems found")
    lines = message.splitlines()[1:]
    assert lines[0].strip().startswith(f"{path}:2:15: replications:")
    assert lines[1].strip().startswith(f"{path}:4:16: parameters.raid_scale[0]:")
    assert "'shoot-look-shot' is not a valid policy (fix: did you mean 'shoot-look-shoot'" \
        in lines[2]


def test_unknown_plot_set_path_and_loadout(sweep_file):
    path = sweep_file('scenario: scenarios/point-defence.yaml\nparameters:\n'
                      '  loadout: [long]\n  set: {"threats[2].count": [1]}\nplots: [saturaton]\n')
    message = _error(path)
    assert f"{path}:3:13: parameters.loadout[0]: unknown loadout 'long'" in message
    assert "parameters.set.threats[2].count: the scenario has no 'threats[2]' " \
           "(fix: indices run from 0 to 0)" in message
    assert f"{path}:5:9: plots[0]: unknown plot 'saturaton'" in message


def test_a_point_the_scenario_checks_refuse_names_the_point(sweep_file):
    path = sweep_file('scenario: scenarios/point-defence.yaml\nparameters:\n'
                      '  set: {"threats[0].count": [2, 0]}\n')
    sweep = read_sweep(path)
    assert point_scenario(sweep, {"threats[0].count": 2}).threat_count() == 2
    with pytest.raises(SweepError) as raised:
        point_scenario(sweep, {"threats[0].count": 0})
    message = str(raised.value)
    assert f"{path}: point threats[0].count=0: the changed scenario does not load" in message
    assert "threats[0].count: 0 must be at least 1" in message


# -- applying grid points ----------------------------------------------------------------------


def test_scaled_counts_round_half_up_and_keep_one_threat():
    assert [scaled_count(10, scale) for scale in (0.25, 0.5, 1.5, 2.0)] == [3, 5, 15, 20]
    assert scaled_count(8, 0.05) == 1
    assert scaled_count(1, 0.25) == 1


def test_set_paths_are_read_into_keys_and_indices():
    assert parse_set_path("threats[0].count") == ["threats", 0, "count"]
    assert parse_set_path("missiles.9M96E2.maximum_range") == ["missiles", "9M96E2",
                                                               "maximum_range"]
    for bad in ("a..b", "[0].count", "threats[x]", ""):
        with pytest.raises(ValueError):
            parse_set_path(bad)


def test_regiment_point_scales_counts_rcs_and_jammers_from_catalogue_values(tmp_path):
    path = tmp_path / "regiment-sweep.yaml"
    path.write_text(f"scenario: {REGIMENT}\nparameters:\n  raid_scale: [2.0]\n"
                    "  rcs_scale: [0.5]\n  jammer_erp_scale: [4.0]\n", encoding="utf-8")
    sweep = read_sweep(path)
    base = sweep.scenario
    scenario = point_scenario(sweep, sweep.points()[0])
    assert scenario.threat_count() == 2 * base.threat_count()
    for before, after in zip(base.threats, scenario.threats):
        assert after.count == 2 * before.count
        assert after.entry.value("rcs") == pytest.approx(0.5 * before.entry.value("rcs"))
    rcs_by_type = {group.type: group.entry.value("rcs") for group in scenario.threats}
    assert rcs_by_type["subsonic cruise missile"] == pytest.approx(0.025)  # catalogue 0.05 m2
    assert rcs_by_type["low-observable fighter"] == pytest.approx(0.0015)  # catalogue 0.003 m2
    assert [jammer.erp_w for jammer in scenario.jammers] == [
        pytest.approx(4 * jammer.erp_w) for jammer in base.jammers]


def test_loadout_goes_into_every_launcher_and_drops_reloads_it_cannot_use(tmp_path):
    path = tmp_path / "loadout-sweep.yaml"
    path.write_text(f"scenario: {REGIMENT}\n"
                    "loadouts:\n  all-9M96: [9M96E2, 9M96E2, 9M96E2, 9M96E2]\n"
                    "parameters:\n  loadout: [all-9M96]\n  salvo: [3]\n  policy: [salvo]\n",
                    encoding="utf-8")
    sweep = read_sweep(path)
    scenario = point_scenario(sweep, sweep.points()[0])
    for battalion in scenario.battalions():
        for launcher in battalion.launchers:
            assert launcher.loadout == ("9M96E2",) * 4
            assert launcher.rounds == {"9M96E2": 16}  # four rounds per 9M96 tube
        assert set(battalion.reloads) <= {"9M96E2"}
    first = scenario.battalions()[0]
    assert first.reloads == {"9M96E2": 16}  # the 48N6E2 spares had no tube left
    assert (scenario.doctrine.salvo, scenario.doctrine.policy) == (3, "salvo")


def test_loadout_reaches_launchers_left_to_the_catalogue(sweep_file, tmp_path):
    text = POINT_DEFENCE.read_text(encoding="utf-8")
    start = text.index("    launchers:")
    end = text.index("    overrides: {reaction_time")
    scenario_path = tmp_path / "scenarios" / "catalogue-launchers.yaml"
    scenario_path.write_text(text[:start] + text[end:], encoding="utf-8")
    path = sweep_file("scenario: scenarios/catalogue-launchers.yaml\nparameters:\n"
                      "  loadout: [[48N6E2, 48N6E2, 40N6E, 48N6E2]]\n")
    sweep = read_sweep(path)
    assert sweep.scenario.battalions()[0].launchers[0].loadout == (
        "48N6E2", "48N6E2", "48N6E2", "9M96E2")  # the catalogue's default loadout
    point = sweep.points()[0]
    document = point_document(sweep, point)
    launchers = document["defence"][0]["launchers"]
    assert [(launcher["type"], launcher["count"]) for launcher in launchers] == [("5P85SE2", 8)]
    scenario = point_scenario(sweep, point)
    assert scenario.battalions()[0].launchers[0].loadout == ("48N6E2", "48N6E2", "40N6E", "48N6E2")


def test_grid_is_every_combination_in_file_order(sweep_file):
    path = sweep_file('scenario: scenarios/point-defence.yaml\nparameters:\n'
                      '  set: {"doctrine.assignment": [greedy, optimal]}\n  salvo: [1, 2, 3]\n')
    sweep = read_sweep(path)
    assert list(sweep.axes) == ["salvo", "doctrine.assignment"]
    points = sweep.points()
    assert len(points) == 6
    assert points[0] == {"salvo": 1, "doctrine.assignment": "greedy"}
    assert points[-1] == {"salvo": 3, "doctrine.assignment": "optimal"}
    assert sweep.plots == ["leaked_vs_salvo", "leaked_vs_doctrine.assignment"]
    assert point_scenario(sweep, points[-1]).doctrine.assignment == "optimal"


def test_bundled_saturation_sweep_covers_a_quarter_to_twice_the_raid():
    sweep = read_sweep(REPOSITORY / "sweeps" / "saturation.yaml")
    assert sweep.scenario.name == "regiment-vs-raid"
    assert sweep.replications == 200
    assert sweep.axes["raid_scale"] == [0.25, 0.5, 1.0, 1.5, 2.0]
    assert "saturation" in sweep.plots
    counts = [point_scenario(sweep, point).threat_count() for point in sweep.points()]
    assert counts == sorted(counts) and counts[2] == sweep.scenario.threat_count()
    assert counts[-1] == 2 * sweep.scenario.threat_count()


def test_denser_raids_keep_each_groups_frontage_and_launch_window(sweep_file):
    path = sweep_file("scenario: scenarios/point-defence.yaml\nparameters:\n"
                      "  raid_scale: [0.5, 2.0]\n")
    sweep = read_sweep(path)
    assert sweep.raid_growth == "denser"
    halved, doubled = (point_scenario(sweep, point).threats[0] for point in sweep.points())
    # 8 members 4 s and 500 m apart span 28 s and 3.5 km; 4 and 16 members span the same.
    assert (halved.count, doubled.count) == (4, 16)
    assert halved.spacing_time_s * 3 == pytest.approx(28.0)
    assert halved.spacing_lateral_m * 3 == pytest.approx(3500.0)
    assert doubled.spacing_time_s * 15 == pytest.approx(28.0)
    assert doubled.spacing_lateral_m * 15 == pytest.approx(3500.0)


def test_wider_raids_keep_the_spacing(sweep_file):
    path = sweep_file("scenario: scenarios/point-defence.yaml\nraid_growth: wider\n"
                      "parameters:\n  raid_scale: [2.0]\n")
    group = point_scenario(read_sweep(path), {"raid_scale": 2.0}).threats[0]
    assert (group.count, group.spacing_time_s, group.spacing_lateral_m) == (16, 4.0, 500.0)


def test_a_point_the_engine_cannot_fly_is_named_before_any_run(tmp_path):
    path = tmp_path / "wide-sweep.yaml"
    path.write_text(f"scenario: {REGIMENT}\nraid_growth: wider\nparameters:\n"
                    "  raid_scale: [2.0]\n", encoding="utf-8")
    sweep = read_sweep(path)
    with pytest.raises(UserError) as raised:
        runnable_scenario(sweep, {"raid_scale": 2.0})
    message = str(raised.value)
    assert message.startswith(f"{path}: point raid_scale=2.0: threat 'strike-package#")
    assert "route leg" in message


def test_sweep_plots_draw_one_series_per_other_varied_parameter():
    from zenit.analysis.figures import sweep_figure

    rows = []
    for salvo in (1, 2):
        for loadout, leaked in (("long", 3.0), ("short", 5.0)):
            rows.append({"salvo": salvo, "loadout": loadout, "threats_total": 8,
                         **{f"{figure}_{part}": leaked + salvo + offset
                            for figure in ("leaked", "p_asset_hit")
                            for part, offset in (("mean", 0.0), ("ci95_low", -1.0),
                                                 ("ci95_high", 1.0))}})
    table = pd.DataFrame(rows)
    figure = sweep_figure(table, "leaked_vs_loadout", ["salvo", "loadout"])
    axes = figure.axes[0]
    assert [tick.get_text() for tick in axes.get_xticklabels()] == ["long", "short"]
    assert [text.get_text() for text in axes.get_legend().get_texts()] == ["salvo=1", "salvo=2"]
    figure = sweep_figure(table, "leaked_vs_salvo", ["salvo", "loadout"])
    lines = figure.axes[0].get_lines()
    assert [list(line.get_ydata()) for line in lines] == [[4.0, 5.0], [6.0, 7.0]]
