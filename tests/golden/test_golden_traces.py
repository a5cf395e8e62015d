"""The engine against its golden traces (see traces.py; regenerate with
`python tests/golden/traces.py`, and `--check-line` for the 1,000-replication hashes)."""

from __future__ import annotations

import json

import pytest

import traces


@pytest.mark.parametrize("path", traces.bundled_scenarios(), ids=lambda path: path.stem)
def test_replication_zero_matches_its_golden_trace(path):
    expected = traces.trace_path(path).read_text()
    actual = traces.trace(path)
    assert actual == expected, (
        f"{path.name}: replication 0 no longer matches {traces.trace_path(path).name}; "
        "if the change is deliberate, run `python tests/golden/traces.py` and explain the diff")


@pytest.mark.slow
def test_check_line_tables_are_unchanged():
    expected = json.loads(traces.CHECK_LINE_PATH.read_text())
    assert traces.check_line() == expected
