"""What a chunk of replications produced, as Arrow tables.

- `outcomes`: one row per (replication, threat): its fate and when, who killed it with what,
  when it was first detected and first fired at, how many missiles it drew, whether it hit a
  defended asset. This is the Monte Carlo product (DESIGN principle 7).
- `shots`: one row per interceptor fired: by whom, at what, when, and how it ended (kill,
  miss, spent, aborted, or airborne when the run ended with it in flight).
- `events` and `replay`: only for the replications asked for: a time-ordered log and sampled
  trajectories, for the report's timeline and for replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from zenit.physics.fates import FATE_AIRBORNE, FATE_KILLED, FATE_LEAKED, FATE_NAMES

OUTCOME_SCHEMA = pa.schema([
    ("replication", pa.int64()), ("threat", pa.int32()), ("threat_name", pa.string()),
    ("group", pa.string()), ("threat_type", pa.string()), ("fate", pa.string()),
    ("time_s", pa.float64()), ("killed_by", pa.string()), ("killed_by_battalion", pa.string()),
    ("first_detection_s", pa.float64()), ("first_launch_s", pa.float64()),
    ("missiles_fired_at", pa.int32()), ("asset_hit", pa.bool_()),
])
SHOT_SCHEMA = pa.schema([
    ("replication", pa.int64()), ("serial", pa.int32()), ("battalion", pa.string()),
    ("missile_type", pa.string()), ("threat", pa.int32()), ("launch_time_s", pa.float64()),
    ("end_time_s", pa.float64()), ("result", pa.string()), ("miss_distance_m", pa.float64()),
    # The predicted intercept point the round was fired at: ground range from its battalion
    # and altitude above the sphere, which the missile's envelope must contain.
    ("intercept_range_m", pa.float64()), ("intercept_altitude_m", pa.float64()),
])
EVENT_SCHEMA = pa.schema([
    ("replication", pa.int64()), ("time_s", pa.float64()), ("event", pa.string()),
    ("threat", pa.int32()), ("detail", pa.string()),
])


class ThreatOutcomes(NamedTuple):
    """What became of each (replication, threat), (R, N): the outcome table as it is kept."""

    alive: np.ndarray  # bool
    fate: np.ndarray  # int8 FATE_* code
    fate_time: np.ndarray  # s, nan while airborne
    killer_type: np.ndarray  # missile type of the kill, -1 if none
    killer_battalion: np.ndarray  # -1 if none
    asset_hit: np.ndarray  # bool: leaked onto its defended asset
    first_detection: np.ndarray  # s, nan if never detected
    first_launch: np.ndarray  # s, nan if never fired at
    shots_at: np.ndarray  # missiles launched at it
    radar_first_detection: np.ndarray  # (R, S, N) s, nan if that radar never detected it

    @classmethod
    def start(cls, replications: int, threats: int, radars: int) -> "ThreatOutcomes":
        """Every threat alive and airborne, undetected and unengaged."""
        shape = (replications, threats)
        return cls(np.ones(shape, dtype=bool), np.full(shape, FATE_AIRBORNE, dtype=np.int8),
                   np.full(shape, np.nan), np.full(shape, -1, dtype=np.int64),
                   np.full(shape, -1, dtype=np.int64), np.zeros(shape, dtype=bool),
                   np.full(shape, np.nan), np.full(shape, np.nan),
                   np.zeros(shape, dtype=np.int64), np.full((replications, radars, threats), np.nan))


class ShotLog:
    """Interceptor shots as they end, gathered as array pieces and joined once."""

    def __init__(self):
        self.pieces: list[tuple] = []

    def record(self, slots, replication_ids, rows, slot, end_time, result, miss_distance):
        """Log the missiles in interceptor `slots` (rows, slot) that ended with `result`."""
        if len(rows):
            self.pieces.append((
                replication_ids[rows], slots.serial[rows, slot], slots.battalion[rows, slot],
                slots.missile_type[rows, slot], slots.target[rows, slot],
                slots.launch_time[rows, slot], end_time, result, miss_distance,
                slots.intercept_range_m[rows, slot], slots.intercept_altitude_m[rows, slot]))

    def table(self, world) -> pa.Table:
        if not self.pieces:
            return SHOT_SCHEMA.empty_table()
        columns = [np.concatenate(part) for part in zip(*self.pieces)]
        (replication, serial, battalion, missile_type, threat, launch, end, result, miss,
         intercept_range, intercept_altitude) = columns
        order = np.lexsort((serial, replication))
        return pa.table({
            "replication": replication[order].astype(np.int64),
            "serial": serial[order].astype(np.int32),
            "battalion": np.asarray(world.battalions.names, dtype=object)[battalion[order]],
            "missile_type": np.asarray(world.missiles.names, dtype=object)[missile_type[order]],
            "threat": threat[order].astype(np.int32),
            "launch_time_s": launch[order], "end_time_s": end[order],
            "result": result[order].astype(object), "miss_distance_m": miss[order],
            "intercept_range_m": intercept_range[order],
            "intercept_altitude_m": intercept_altitude[order],
        }, schema=SHOT_SCHEMA)


@dataclass
class ChunkOutcome:
    outcomes: pa.Table
    shots: pa.Table
    events: pa.Table
    replay: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pa.Table]:
        return {"outcomes": self.outcomes, "shots": self.shots, "events": self.events}

    @classmethod
    def build(cls, simulation) -> "ChunkOutcome":
        world = simulation.world
        shots = simulation.shots.table(world)
        return cls(_outcome_table(simulation), shots, _event_table(simulation, shots),
                   _replay(simulation))


def _names(values, names):
    """Names for integer codes, None where the code is -1."""
    lookup = np.asarray(list(names) + [None], dtype=object)
    return lookup[np.where(values >= 0, values, len(names))]


def _outcome_table(simulation) -> pa.Table:
    world, outcome = simulation.world, simulation.outcome
    replications, count = outcome.fate.shape
    threats = world.threats
    threat_index = np.tile(np.arange(count), replications)
    fate_names = np.asarray([FATE_NAMES[code] for code in sorted(FATE_NAMES)], dtype=object)
    return pa.table({
        "replication": np.repeat(simulation.replication_ids, count),
        "threat": threat_index.astype(np.int32),
        "threat_name": np.asarray(threats.names, dtype=object)[threat_index],
        "group": np.asarray(threats.groups, dtype=object)[threat_index],
        "threat_type": np.asarray(threats.types, dtype=object)[threat_index],
        "fate": fate_names[outcome.fate.ravel()],
        "time_s": outcome.fate_time.ravel(),
        "killed_by": _names(outcome.killer_type.ravel(), world.missiles.names),
        "killed_by_battalion": _names(outcome.killer_battalion.ravel(), world.battalions.names),
        "first_detection_s": outcome.first_detection.ravel(),
        "first_launch_s": outcome.first_launch.ravel(),
        "missiles_fired_at": outcome.shots_at.ravel().astype(np.int32),
        "asset_hit": outcome.asset_hit.ravel(),
    }, schema=OUTCOME_SCHEMA)


def _event_table(simulation, shots: pa.Table) -> pa.Table:
    """A time-ordered log of the recorded replications: detections, launches, results, leaks."""
    rows = simulation.record_rows
    if rows.size == 0:
        return EVENT_SCHEMA.empty_table()
    records = []
    for row in rows:
        replication = int(simulation.replication_ids[row])
        records += _threat_events(simulation.world, simulation.outcome, row, replication)
    recorded = np.isin(shots.column("replication").to_numpy(),
                       simulation.replication_ids[rows])
    for shot in shots.filter(pa.array(recorded)).to_pylist():
        records.append((shot["replication"], shot["launch_time_s"], "launch", shot["threat"],
                        f"{shot['missile_type']} from {shot['battalion']}"))
        if shot["result"] != "kill":
            records.append((shot["replication"], shot["end_time_s"], shot["result"], shot["threat"],
                            f"{shot['missile_type']} miss {shot['miss_distance_m']:.0f} m"))
    records.sort(key=lambda record: (record[0], record[1]))
    columns = list(zip(*records)) if records else [[] for _ in EVENT_SCHEMA]
    return pa.table({name: list(values) for name, values in zip(EVENT_SCHEMA.names, columns)},
                    schema=EVENT_SCHEMA)


def _threat_events(world, outcome, row, replication) -> list[tuple]:
    """Replication `row`'s detections by each radar, kills and leaks, as event records."""
    records = []
    for radar, threat in zip(*np.nonzero(np.isfinite(outcome.radar_first_detection[row]))):
        records.append((replication, float(outcome.radar_first_detection[row, radar, threat]),
                        "detection", int(threat), world.radars.names[radar]))
    for threat in range(world.threats.count):
        fate, time_s = outcome.fate[row, threat], float(outcome.fate_time[row, threat])
        if fate == FATE_KILLED:
            records.append((replication, time_s, "kill", threat,
                            f"{world.missiles.names[outcome.killer_type[row, threat]]} from "
                            f"{world.battalions.names[outcome.killer_battalion[row, threat]]}"))
        elif fate == FATE_LEAKED:
            hit = " (asset hit)" if outcome.asset_hit[row, threat] else ""
            records.append((replication, time_s, "leak", threat, world.threats.names[threat] + hit))
    return records


def _replay(simulation) -> dict:
    replay = simulation.replay
    if not replay["time_s"]:
        return {}
    return {
        "replications": simulation.replication_ids[simulation.record_rows],
        "time_s": np.asarray(replay["time_s"]),
        "threats": np.stack(replay["threats"], axis=1),  # (recorded, steps, N, 3)
        "missiles": np.stack(replay["missiles"], axis=1),
        "missile_active": np.stack(replay["missile_active"], axis=1),
    }
