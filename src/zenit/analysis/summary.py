"""The run summary: the figures an analyst asks for, each with its 95% confidence interval.

Counts per replication (leakers, kills, missiles fired) are means with t intervals; the
probability that a defended asset is hit is a proportion with a Wilson interval; times of
first detection and first launch are means over the replications where they happened.
The dict is the `--json` output and `RunResult.summary()`, so its keys are stable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zenit.montecarlo.statistics import mean_summary, proportion_summary


def per_replication(outcomes: pd.DataFrame, shots: pd.DataFrame, replications) -> pd.DataFrame:
    """One row per replication: leaked, killed, asset_hit, first times, missiles fired."""
    index = pd.Index(np.asarray(replications, dtype=np.int64), name="replication")
    grouped = outcomes.groupby("replication")
    table = pd.DataFrame({
        "leaked": grouped["fate"].apply(lambda fate: int((fate == "leaked").sum())),
        "killed": grouped["fate"].apply(lambda fate: int((fate == "killed").sum())),
        "asset_hit": grouped["asset_hit"].any(),
        "first_detection_s": grouped["first_detection_s"].min(),
        "first_launch_s": grouped["first_launch_s"].min(),
    }).reindex(index)
    fired = shots.groupby("replication").size() if len(shots) else pd.Series(dtype=np.int64)
    table["missiles_fired"] = fired.reindex(index, fill_value=0).astype(np.int64)
    table[["leaked", "killed"]] = table[["leaked", "killed"]].fillna(0).astype(np.int64)
    table["asset_hit"] = table["asset_hit"].fillna(False).astype(bool)
    return table


def summarise(outcomes: pd.DataFrame, shots: pd.DataFrame, replications, *, run_id: str | None,
              scenario: str, seed: int, threats_total: int, missile_types, battalions) -> dict:
    """The summary dict of a run from its outcome and shot tables."""
    replications = np.asarray(replications, dtype=np.int64)
    table = per_replication(outcomes, shots, replications)
    count = len(replications)
    return {
        "run_id": run_id,
        "scenario": scenario,
        "replications": int(count),
        "seed": int(seed),
        "threats_total": int(threats_total),
        "leaked": mean_summary(table["leaked"].to_numpy(float)),
        "killed": mean_summary(table["killed"].to_numpy(float)),
        "missiles_fired": {
            **mean_summary(table["missiles_fired"].to_numpy(float)),
            "by_type": _fired_by(shots, "missile_type", missile_types, replications),
            "by_battalion": _fired_by(shots, "battalion", battalions, replications),
        },
        "p_asset_hit": proportion_summary(int(table["asset_hit"].sum()), count),
        "first_detection_s": mean_summary(table["first_detection_s"].to_numpy(float)),
        "first_launch_s": mean_summary(table["first_launch_s"].to_numpy(float)),
        "by_threat_type": _by_threat_type(outcomes, replications),
    }


def _fired_by(shots: pd.DataFrame, column: str, names, replications) -> dict:
    """Missiles fired per replication, split by missile type or battalion."""
    result = {}
    for name in names:
        chosen = shots[shots[column] == name] if len(shots) else shots
        counts = chosen.groupby("replication").size().reindex(replications, fill_value=0)
        result[name] = mean_summary(counts.to_numpy(float))
    return result


def _by_threat_type(outcomes: pd.DataFrame, replications) -> dict:
    result = {}
    for threat_type, rows in outcomes.groupby("threat_type", sort=True):
        grouped = rows.groupby("replication")["fate"]
        leaked = grouped.apply(lambda fate: int((fate == "leaked").sum())).reindex(replications, fill_value=0)
        killed = grouped.apply(lambda fate: int((fate == "killed").sum())).reindex(replications, fill_value=0)
        result[str(threat_type)] = {
            "count": int(rows["threat"].nunique()),
            "leaked": mean_summary(leaked.to_numpy(float)),
            "killed": mean_summary(killed.to_numpy(float)),
        }
    return result
