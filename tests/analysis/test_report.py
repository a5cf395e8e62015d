"""The HTML run report: self-contained, with the summary, the plots, the scenario and metadata."""

from __future__ import annotations

import base64
import math
import re
from pathlib import Path

import pyarrow as pa
import pytest
from scipy import stats

from zenit.analysis.figures import battalion_of, png_bytes, timeline_figure
from zenit.analysis.report import report_command, write_report
from zenit.api import RunResult
from zenit.engine.outcome import EVENT_SCHEMA, OUTCOME_SCHEMA, SHOT_SCHEMA
from zenit.store import ResultsStore

REPOSITORY = Path(__file__).resolve().parents[2]
POINT_DEFENCE = REPOSITORY / "scenarios" / "point-defence.yaml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SCENARIO_TEXT = "name: synthetic raid\ndescription: checks that a < b & c stays text\n"

# Three replications of four threats (two cruise missiles, two decoys).
# Leakers per replication: 1, 0, 2 -> mean 1; kills: 2, 3, 1 -> mean 2.
FATES = [
    ["killed", "leaked", "killed", "airborne"],
    ["killed", "killed", "killed", "airborne"],
    ["leaked", "leaked", "killed", "airborne"],
]
ASSET_HIT = [[False, True, False, False], [False] * 4, [True, False, False, False]]


def _outcomes() -> pa.Table:
    rows = []
    for replication, fates in enumerate(FATES):
        for threat, fate in enumerate(fates):
            threat_type = "subsonic cruise missile" if threat < 2 else "decoy"
            killer = fate == "killed"
            rows.append({
                "replication": replication, "threat": threat,
                "threat_name": f"{'cruise' if threat < 2 else 'decoys'}#{threat % 2}",
                "group": "cruise" if threat < 2 else "decoys", "threat_type": threat_type,
                "fate": fate, "time_s": 100.0 + 10 * threat,
                "killed_by": "48N6E2" if killer else None,
                "killed_by_battalion": "1st battalion" if killer else None,
                "first_detection_s": 20.0 + threat, "first_launch_s": 40.0 + threat,
                "missiles_fired_at": 1, "asset_hit": ASSET_HIT[replication][threat]})
    return pa.Table.from_pylist(rows, schema=OUTCOME_SCHEMA)


def _shots() -> pa.Table:
    rows = []
    for replication in range(3):
        for serial, threat in enumerate(range(4)):
            missile = "48N6E2" if serial % 2 == 0 else "9M96E2"
            killed = FATES[replication][threat] == "killed"
            rows.append({"replication": replication, "serial": serial,
                         "battalion": "1st battalion" if threat < 2 else "2nd battalion",
                         "missile_type": missile, "threat": threat,
                         "launch_time_s": 40.0 + threat, "end_time_s": 90.0 + threat,
                         "result": "kill" if killed else "miss",
                         "miss_distance_m": 3.0 if killed else 40.0})
    return pa.Table.from_pylist(rows, schema=SHOT_SCHEMA)


def _events() -> pa.Table:
    rows = [
        (0, 20.0, "detection", 0, "1st battalion/92N6E"),
        (0, 21.0, "detection", 1, "1st battalion/92N6E"),
        (0, 40.0, "launch", 0, "48N6E2 from 1st battalion"),
        (0, 41.0, "launch", 1, "9M96E2 from 1st battalion"),
        (0, 43.0, "launch", 3, "9M96E2 from 2nd battalion"),
        (0, 91.0, "miss", 1, "9M96E2 miss 40 m"),
        (0, 100.0, "kill", 0, "48N6E2 from 1st battalion"),
        (0, 110.0, "leak", 1, "cruise#1 (asset hit)"),
    ]
    names = EVENT_SCHEMA.names
    return pa.Table.from_pylist([dict(zip(names, row)) for row in rows], schema=EVENT_SCHEMA)


@pytest.fixture
def synthetic_result() -> RunResult:
    return RunResult(scenario_name="synthetic raid", seed=11, replications=3, run_id=None,
                     tables={"outcomes": _outcomes(), "shots": _shots(), "events": _events()},
                     missile_types=["48N6E2", "9M96E2"],
                     battalions=["1st battalion", "2nd battalion"], threats_total=4,
                     timings={"wall_s": 1.5, "replications_per_s": 2.0, "executor": "inprocess"})


def _images(document: str) -> list[bytes]:
    found = re.findall(r'<img[^>]*src="data:image/png;base64,([A-Za-z0-9+/=]+)"', document)
    return [base64.b64decode(encoded) for encoded in found]


def _t_interval(values) -> tuple[float, float]:
    """Student's t 95% interval of a mean, from the textbook formula."""
    count = len(values)
    mean = sum(values) / count
    deviation = math.sqrt(sum((value - mean) ** 2 for value in values) / (count - 1))
    half = stats.t.ppf(0.975, count - 1) * deviation / math.sqrt(count)
    return mean - half, mean + half


def test_report_of_a_result_holds_the_summary_with_its_intervals(synthetic_result, tmp_path):
    path = write_report(synthetic_result, None, tmp_path / "report.html",
                        scenario_text=SCENARIO_TEXT)
    document = path.read_text(encoding="utf-8")
    low, high = _t_interval([1, 0, 2])  # leakers per replication
    assert (f"<td>Leakers per replication</td><td>1.00</td><td>{low:.2f}</td>"
            f"<td>{high:.2f}</td>") in document
    low, high = _t_interval([2, 3, 1])  # kills per replication
    assert f"<td>Kills per replication</td><td>2.00</td><td>{low:.2f}</td>" in document
    # Two of three replications saw an asset hit: Wilson interval (Brown, Cai, DasGupta 2001).
    assert "<td>P(a defended asset is hit)</td><td>0.667</td>" in document
    assert "<td>Missiles fired per replication</td><td>4.00</td><td>4.00</td><td>4.00</td>" \
        in document
    assert "<td>48N6E2</td><td>2.00</td>" in document
    assert "<td>2nd battalion</td><td>2.00</td>" in document
    assert "<td>decoy (2): killed</td><td>1.00</td>" in document
    assert "Zenit run report: synthetic raid" in document


def test_report_is_self_contained_with_embedded_images(synthetic_result, tmp_path):
    document = write_report(synthetic_result, None, tmp_path / "report.html",
                            scenario_text=SCENARIO_TEXT).read_text(encoding="utf-8")
    images = _images(document)
    assert len(images) >= 3
    assert all(image.startswith(PNG_SIGNATURE) for image in images)
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', document)
    assert "<script" not in document and "<link" not in document
    escaped = "name: synthetic raid\ndescription: checks that a &lt; b &amp; c stays text\n"
    assert f"<pre>{escaped}</pre>" in document
    assert "<td>seed</td><td>11</td>" in document
    assert "<td>replications</td><td>3</td>" in document
    assert "<td>code version</td><td>0.1.0</td>" in document
    assert "<td>wall time (s)</td><td>1.5</td>" in document


def test_report_of_a_stored_run_by_id(tmp_path, capsys):
    import zenit

    store = ResultsStore(tmp_path / "store")
    result = zenit.run(zenit.load_scenario(POINT_DEFENCE), replications=2, seed=3, store=store)
    code = report_command(result.run_id, str(tmp_path / "store"), None)
    assert code == 0
    written = Path(store.get_run(result.run_id)["path"]) / "artifacts" / "report.html"
    assert f"report: {written}" in capsys.readouterr().out
    document = written.read_text(encoding="utf-8")
    assert "Zenit run report: point-defence" in document
    assert f"<td>run id</td><td>{result.run_id}</td>" in document
    assert "<td>status</td><td>complete</td>" in document
    assert "<td>threats</td><td>8</td>" in document
    assert "One S-400 battalion defends Varnosk airbase" in document  # the scenario text
    leaked = result.summary()["leaked"]["mean"]
    assert f"<td>Leakers per replication</td><td>{leaked:.2f}</td>" in document
    assert len(_images(document)) >= 3
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', document)

    elsewhere = tmp_path / "elsewhere" / "point-defence.html"
    assert write_report(result, store, elsewhere) == elsewhere
    assert "Zenit run report: point-defence" in elsewhere.read_text(encoding="utf-8")


def test_report_command_names_an_unknown_run(tmp_path, capsys):
    store = ResultsStore(tmp_path / "store")
    run_id = store.create_run("toy", "name: toy\n", "hash", 1, 2, 2, "inprocess")
    assert report_command(run_id[:-1], str(tmp_path / "store"), None) == 2
    message = capsys.readouterr().out
    assert f"unknown run '{run_id[:-1]}'" in message
    assert run_id in message  # the nearest id


def test_timeline_rows_follow_first_events_and_colour_launches_by_battalion():
    events = _events().to_pandas()
    outcomes = _outcomes().to_pandas()
    figure = timeline_figure(events, outcomes, 0)
    axes = figure.axes[0]
    labels = [tick.get_text() for tick in axes.get_yticklabels()]
    assert labels == ["cruise#0", "cruise#1", "decoys#1"]  # threats with events, by first event
    legend = [text.get_text() for text in axes.get_legend().get_texts()]
    assert {"detection", "intercept", "miss", "leak", "launch, 1st battalion",
            "launch, 2nd battalion"} <= set(legend)
    assert png_bytes(figure).startswith(PNG_SIGNATURE)


def test_battalion_is_read_from_event_details():
    assert battalion_of("48N6E2 from 1st battalion") == "1st battalion"
    assert battalion_of("1st battalion/92N6E") is None
