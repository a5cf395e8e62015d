"""The tables the command post plans on: its launchers' and engagements' state, doctrine and
the battalions' limits, the missile types' flyout tables and envelopes, the defended assets,
and each step's engagement plans. NamedTuples of arrays, so the compiled scans of
`zenit.c2.candidates` and `zenit.c2.planning` take them whole.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from zenit.physics.guidance_modes import GUIDANCE_TRACK_VIA_MISSILE

FIRE_CONTROL_HOLD_S = 3.0  # a track-via-missile engagement needs the fire-control radar this fresh


class EngagementState(NamedTuple):
    """The command posts' record, per replication, of their launchers and engagements."""

    ready: np.ndarray  # (R, B, K) rounds ready on the launchers
    spare: np.ndarray  # (R, B, K) reload rounds
    reload_done: np.ndarray  # (R, B, K) when the reload under way ends, s; inf if none
    next_ready: np.ndarray  # (R, B) when each battalion may launch next, s
    pending_count: np.ndarray  # (R, B) rounds of the planned salvo still to fire
    pending_target: np.ndarray  # (R, B) the salvo's threat
    pending_type: np.ndarray  # (R, B) its missile type
    pending_time: np.ndarray  # (R, B) when its next round leaves, s
    pending_aim: np.ndarray  # (R, B, 3) its predicted intercept point
    pending_at: np.ndarray  # (R, N) rounds planned at each threat and not yet fired
    inflight_at: np.ndarray  # (R, N) missiles flying at each threat
    engaged: np.ndarray  # (R, B, N) missiles each battalion guides at each threat
    look_until: np.ndarray  # (R, N) kill assessment: no re-engagement before, s
    shot_count: np.ndarray  # (R,) missiles fired so far: the next one's serial

    @classmethod
    def start(cls, replications: int, battalions, threats: int) -> "EngagementState":
        """Full launchers, no reload under way, nothing planned or engaged."""
        b, k = battalions.ready_rounds.shape
        return cls(np.broadcast_to(battalions.ready_rounds, (replications, b, k)).copy(),
                   np.broadcast_to(battalions.spare_rounds, (replications, b, k)).copy(),
                   np.full((replications, b, k), np.inf), np.zeros((replications, b)),
                   *(np.zeros((replications, b), dtype=np.int64) for _ in range(3)),
                   np.zeros((replications, b)), np.zeros((replications, b, 3)),
                   *(np.zeros((replications, threats), dtype=np.int64) for _ in range(2)),
                   np.zeros((replications, b, threats), dtype=np.int64),
                   np.zeros((replications, threats)), np.zeros(replications, dtype=np.int64))


class EngagementRules(NamedTuple):
    """Doctrine and the battalions' limits, as the command post plans under them."""

    salvo_size: int
    look_delay_s: float  # kill assessment after an intercept
    engage_decoys: bool
    track_quality_m: float  # largest 3-D position sigma of an engageable track
    fire_control_hold_s: float
    is_decoy: np.ndarray  # (N,) bool
    network_of_battalion: np.ndarray  # (B,)
    site: np.ndarray  # (B, 3) where each battalion's missiles start
    targets_at_once: np.ndarray  # (B,)
    missiles_at_once: np.ndarray  # (B,)
    reaction_time_s: np.ndarray  # (B,)

    @classmethod
    def of(cls, world) -> "EngagementRules":
        doctrine, battalions = world.doctrine, world.battalions
        return cls(doctrine.salvo_size, doctrine.look_delay_s, doctrine.engage_decoys,
                   doctrine.track_quality_m, FIRE_CONTROL_HOLD_S, world.threats.is_decoy,
                   battalions.network, battalions.position, battalions.targets_at_once,
                   battalions.missiles_at_once, battalions.reaction_time_s.astype(float))


class MissileTable(NamedTuple):
    """The missile types as the planner sees them: their flyout tables and envelopes."""

    order: np.ndarray  # (K,) shortest reach first: the cheapest round that can do the job
    track_via_missile: np.ndarray  # (K,) bool: needs the fire-control radar on the target
    pk_max: np.ndarray  # (K,)
    grid_values: np.ndarray  # K time-of-flight grids over (ground range, height), s, end to end
    grid_start: np.ndarray  # (K,) where each grid starts in `grid_values`
    grid_shape: np.ndarray  # (K, 2) its rows (ranges) and columns (heights)
    steps: np.ndarray  # (K, 2) their range and height steps, m
    envelope: np.ndarray  # (K, 4) minimum ground range, maximum slant range, altitude limits

    @classmethod
    def of(cls, missiles) -> "MissileTable":
        tables = missiles.flyout
        grids = [np.asarray(table.time_of_flight_grid_s, dtype=float) for table in tables]
        sizes = np.array([grid.size for grid in grids], dtype=np.int64)
        return cls(
            np.argsort(missiles.maximum_range_m, kind="stable"),
            missiles.guidance == GUIDANCE_TRACK_VIA_MISSILE, missiles.pk_max,
            np.concatenate([grid.ravel() for grid in grids] + [np.zeros(0)]),
            np.cumsum(sizes) - sizes,
            np.array([grid.shape for grid in grids], dtype=np.int64).reshape(-1, 2),
            np.array([[table.range_grid_m[1] - table.range_grid_m[0],
                       table.altitude_grid_m[1] - table.altitude_grid_m[0]]
                      for table in tables], dtype=float).reshape(-1, 2),
            np.stack([missiles.minimum_range_m, missiles.maximum_range_m,
                      missiles.minimum_altitude_m, missiles.maximum_altitude_m],
                     axis=-1).astype(float).reshape(-1, 4))


class AssetTable(NamedTuple):
    """The defended assets threat evaluation weighs."""

    position: np.ndarray  # (A, 3)
    value: np.ndarray
    radius_m: np.ndarray


class EngagementPlans(NamedTuple):
    """Each battalion's best engagement of each threat, (D, B, N) for the replications
    deciding now: the marginal return (-inf where no engagement is possible) and the missile
    type, launch time and aim point that earn it."""

    score: np.ndarray
    missile: np.ndarray
    time: np.ndarray
    aim: np.ndarray

    @classmethod
    def empty(cls, replications: int, battalions: int, threats: int) -> "EngagementPlans":
        shape = (replications, battalions, threats)
        return cls(np.full(shape, -np.inf), np.zeros(shape, dtype=np.int64), np.zeros(shape),
                   np.zeros(shape + (3,)))
