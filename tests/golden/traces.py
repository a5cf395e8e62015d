"""Golden traces: what each bundled scenario's replication 0 does at a fixed seed.

A trace is replication 0's event log, its shots and its outcomes, written as text with every
float in full (repr) precision, so that any change to what the engine computes shows up as a
readable diff. `python tests/golden/traces.py` writes them anew; `test_golden_traces.py`
compares the engine against them. A change to a trace must be deliberate: regenerate, read the
diff, and explain it in the commit.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path

import pyarrow as pa

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
HERE = Path(__file__).resolve().parent
SEED = 2
# The check line: regiment-vs-raid, seed 2, 1,000 replications, every table hashed.
CHECK_SCENARIO, CHECK_REPLICATIONS = "regiment-vs-raid", 1000


def bundled_scenarios() -> list[Path]:
    return sorted(SCENARIOS.glob("*.yaml"))


def _text(table: pa.Table) -> str:
    """A table as tab-separated lines, floats in repr precision (no rounding hides a change)."""
    out = io.StringIO()
    names = table.column_names
    out.write("\t".join(names) + "\n")
    for row in table.to_pylist():
        out.write("\t".join(repr(row[name]) for name in names) + "\n")
    return out.getvalue()


def trace(path: Path) -> str:
    """Replication 0 of the scenario at `path`, under SEED, as text."""
    import zenit

    scenario = zenit.load_scenario(path)
    result = zenit.run(scenario, replications=1, seed=SEED, record=(0,))
    parts = []
    for name in ("events", "shots", "outcomes"):
        parts.append(f"# {name}\n" + _text(result.tables[name]))
    return "".join(parts)


def trace_path(path: Path) -> Path:
    return HERE / f"{path.stem}.trace.tsv"


def check_line() -> dict:
    """SHA-256 of each table of the check-line run, with its headline figures."""
    import zenit

    scenario = zenit.load_scenario(SCENARIOS / f"{CHECK_SCENARIO}.yaml")
    result = zenit.run(scenario, replications=CHECK_REPLICATIONS, seed=SEED)
    digests = {name: hashlib.sha256(_text(table).encode()).hexdigest()
               for name, table in sorted(result.tables.items())}
    summary = result.summary()
    return {"scenario": CHECK_SCENARIO, "replications": CHECK_REPLICATIONS, "seed": SEED,
            "sha256": digests,
            "leaked_mean": summary["leaked"]["mean"], "killed_mean": summary["killed"]["mean"]}


CHECK_LINE_PATH = HERE / "check-line.json"


def main(argv: list[str]) -> None:
    for path in bundled_scenarios():
        trace_path(path).write_text(trace(path))
        print(f"wrote {trace_path(path).relative_to(ROOT)}")
    if "--check-line" in argv:
        CHECK_LINE_PATH.write_text(json.dumps(check_line(), indent=2) + "\n")
        print(f"wrote {CHECK_LINE_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
