"""The command post's compiled scans, and the tables they read.

The command post's questions each step are cheap per pair but asked of every (replication,
battalion, threat): which threats are open for engagement and which battalions are free to
take one (`engagement_candidates`), then, for each candidate, when the battalion could
launch, with which missile, where it would meet the track and what that is worth
(`plan_engagements`, on `zenit.c2.evaluation`'s formulas). Each is one compiled pass.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from zenit.c2.evaluation import threat_urgency, threat_value
from zenit.compiled import formula, kernel
from zenit.engine.world import FATE_KILLED, FATE_LEAKED, GUIDANCE_TRACK_VIA_MISSILE
from zenit.physics.flyout import intercept_in_envelope as intercept_point

FIRE_CONTROL_HOLD_S = 3.0  # a track-via-missile engagement needs the fire-control radar this fresh
INTERCEPT_ITERATIONS = 4  # fixed-point steps of the predicted intercept point


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


@kernel
def engagement_candidates(time_start, time_end, rules, state, outcome, tracks):
    """The (battalion, replication, threat) triples the command post may plan this step: an
    open threat (`threat_open`) on a confirmed track of a free battalion's network
    (`_free_battalions`).

    Returns (battalion, row, threat) (C,) int64, ordered by battalion, row, threat.
    """
    # Arrays taken out of the tables once: a table's array read in the loop costs a
    # reference count each time.
    fate, fate_time, confirmed = outcome.fate, outcome.fate_time, tracks.confirmed
    inflight_at, pending_at, look_until = state.inflight_at, state.pending_at, state.look_until
    is_decoy, network_of_battalion = rules.is_decoy, rules.network_of_battalion
    free = _free_battalions(time_end, rules, state)
    replications, battalions = free.shape
    threats = fate.shape[1]
    count = free.sum() * threats
    unit, rows, which = np.empty(count, np.int64), np.empty(count, np.int64), np.empty(count, np.int64)
    found = 0
    for battalion in range(battalions):
        network = network_of_battalion[battalion]
        for row in range(replications):
            if not free[row, battalion]:
                continue
            for threat in range(threats):
                if confirmed[row, network, threat] and threat_open(
                        time_start, fate[row, threat], fate_time[row, threat],
                        inflight_at[row, threat], pending_at[row, threat],
                        look_until[row, threat], is_decoy[threat], rules.look_delay_s,
                        rules.engage_decoys):
                    unit[found], rows[found], which[found] = battalion, row, threat
                    found += 1
    return unit[:found], rows[:found], which[:found]


@kernel
def _free_battalions(time_end, rules, state):
    """(R, B): a battalion is free when it has no salvo pending, is ready to launch before the
    step ends, has a round, and guides fewer targets and leaves room for a salvo in its
    channels."""
    pending_count, next_ready, ready, engaged = (state.pending_count, state.next_ready,
                                                 state.ready, state.engaged)
    replications, battalions, threats = engaged.shape
    free = np.zeros((replications, battalions), np.bool_)
    for row in range(replications):
        for battalion in range(battalions):
            if pending_count[row, battalion] != 0 or not next_ready[row, battalion] < time_end:
                continue
            rounds = 0
            for kind in range(ready.shape[2]):
                rounds += ready[row, battalion, kind]
            if rounds <= 0:
                continue
            targets = 0
            missiles = 0
            for threat in range(threats):
                guided = engaged[row, battalion, threat]
                missiles += guided
                if guided > 0:
                    targets += 1
            free[row, battalion] = (targets < rules.targets_at_once[battalion]
                                    and missiles + rules.salvo_size
                                    <= rules.missiles_at_once[battalion])
    return free


@formula
def threat_open(time_start, fate, fate_time, inflight, pending, look_until, is_decoy,
                look_delay_s, engage_decoys):
    """A threat is open when the command post does not know it gone (leaked, or killed and
    assessed after the look delay), no missile flies at it and none is pending, its last
    engagement's look is over, and it is not a decoy unless doctrine engages decoys."""
    if (fate == FATE_LEAKED or inflight != 0 or pending != 0
            or not time_start >= look_until):
        return False
    if fate == FATE_KILLED and time_start >= fate_time + look_delay_s:
        return False
    return not (is_decoy and not engage_decoys)


@kernel
def plan_engagements(battalion, rows, local, threats, time_start, time_end, rules, state,
                     tracks, fire_control_time, missiles, assets, plans):
    """Score engaging each candidate (rows[i], threats[i]) from `battalion` with its best
    missile, into `plans` at (local[i], battalion, threats[i]).

    The launch waits for the track's confirmation plus the reaction time and for the
    launcher; the track must be good enough (3-D position sigma at most `track_quality_m`).
    The missile is `_choose_missile`'s, on the track extrapolated to the launch. Score =
    threat value x urgency x the round's Pk; untouched (-inf) where no engagement is possible.
    """
    network, reaction_time_s = rules.network_of_battalion[battalion], rules.reaction_time_s[battalion]
    confirm_time, covariances, means, track_time = (tracks.confirm_time, tracks.covariances,
                                                    tracks.means, tracks.time)
    next_ready, ready, site = state.next_ready, state.ready, rules.site[battalion]
    for item in range(rows.shape[0]):
        row, threat = rows[item], threats[item]
        launch_time = max(time_start, confirm_time[row, network, threat] + reaction_time_s,
                          next_ready[row, battalion])
        sigma = math.sqrt(covariances[row, network, threat, 0, 0]
                          + covariances[row, network, threat, 1, 1]
                          + covariances[row, network, threat, 2, 2])
        if not (launch_time < time_end and sigma <= rules.track_quality_m):
            continue
        # FusedTracks.estimate: the track extrapolated to the launch.
        elapsed = launch_time - track_time[row, network, threat]
        vx, vy, vz = (means[row, network, threat, 3], means[row, network, threat, 4],
                      means[row, network, threat, 5])
        x = means[row, network, threat, 0] + elapsed * vx
        y = means[row, network, threat, 1] + elapsed * vy
        z = means[row, network, threat, 2] + elapsed * vz
        holds = time_start - fire_control_time[row, battalion, threat] <= rules.fire_control_hold_s
        kind, px, py, pz = _choose_missile(site, x, y, z, vx, vy, vz, holds, ready, row,
                                           battalion, missiles)
        if kind >= 0:
            value, time_to_asset = threat_value(x, y, z, vx, vy, vz, assets.position,
                                                assets.value, assets.radius_m)
            _write_plan(plans, local[item], battalion, threat, value
                        * threat_urgency(time_to_asset) * missiles.pk_max[kind], kind,
                        launch_time, px, py, pz)


@kernel
def _choose_missile(site, x, y, z, vx, vy, vz, holds, ready, row, battalion, missiles):
    """The first type in `missiles.order` with a round `ready` whose predicted intercept point
    (`physics.flyout.intercept_in_envelope`) lies in its envelope, with that point; a track-via-missile round
    also needs the fire-control radar to hold the target. (-1, nan, nan, nan) where none."""
    order, track_via_missile, steps, envelope = (missiles.order, missiles.track_via_missile,
                                                 missiles.steps, missiles.envelope)
    for kind in order:
        if ready[row, battalion, kind] <= 0 or (track_via_missile[kind] and not holds):
            continue
        start = missiles.grid_start[kind]
        shape = (missiles.grid_shape[kind, 0], missiles.grid_shape[kind, 1])
        grid = missiles.grid_values[start:start + shape[0] * shape[1]].reshape(shape)
        px, py, pz, feasible = intercept_point(site, x, y, z, vx, vy, vz, grid, steps[kind, 0],
                                               steps[kind, 1], envelope[kind],
                                               INTERCEPT_ITERATIONS)
        if feasible:
            return kind, px, py, pz
    return -1, math.nan, math.nan, math.nan


@kernel
def _write_plan(plans, at, battalion, threat, score, kind, launch_time, px, py, pz):
    plans.score[at, battalion, threat] = score
    plans.missile[at, battalion, threat] = kind
    plans.time[at, battalion, threat] = launch_time
    plans.aim[at, battalion, threat, 0] = px
    plans.aim[at, battalion, threat, 1] = py
    plans.aim[at, battalion, threat, 2] = pz
