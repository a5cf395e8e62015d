"""The compiled command-post kernels against the NumPy code they replaced."""

import copy

import numpy as np
import pytest

from zenit.c2.evaluation import THREAT_MARGIN_M, residual_value, threat_values, urgency
from zenit.engine.command_kernels import engagement_candidates, threat_value
from zenit.engine.reach import intercept_points
from zenit.engine.simulation import (FIRE_CONTROL_HOLD_S, INTERCEPT_ITERATIONS, ChunkSimulation,
                                     EngagementPlans)
from zenit.engine.track_kernels import drop_stale_tracks
from zenit.engine.tracks import TrackTable
from zenit.engine.world import (FATE_AIRBORNE, FATE_KILLED, FATE_LEAKED,
                                GUIDANCE_TRACK_VIA_MISSILE)

from engine_scenarios import REGIMENT_VS_RAID, _bundled, load, world_of

R, B, N, K, Q = 40, 3, 25, 4, 2


def _state(seed):
    rng = np.random.default_rng(seed)
    state = dict(
        fate=rng.choice(np.array([FATE_AIRBORNE, FATE_KILLED, FATE_LEAKED], dtype=np.int8),
                        size=(R, N), p=[0.7, 0.2, 0.1]),
        fate_time=rng.uniform(0.0, 20.0, (R, N)),
        inflight_at=rng.choice([0, 0, 0, 1, 2], size=(R, N)),
        pending_at=rng.choice([0, 0, 0, 2], size=(R, N)),
        look_until=rng.uniform(0.0, 20.0, (R, N)),
        is_decoy=rng.random(N) < 0.2,
        engaged=rng.choice([0, 0, 0, 0, 1, 2], size=(R, B, N)),
        pending_count=rng.choice([0, 0, 1], size=(R, B)),
        next_ready=rng.uniform(0.0, 20.0, (R, B)),
        ready=rng.choice([0, 0, 1, 3], size=(R, B, K)),
        targets_at_once=np.array([6, 3, 10]),
        missiles_at_once=np.array([12, 6, 20]),
        confirmed=rng.random((R, Q, N)) < 0.6,
        network_of_battalion=np.array([0, 1, 0]),
    )
    return state


def _numpy_candidates(s, time_start, time_end, look_delay_s, engage_decoys, salvo):
    """The expressions of ChunkSimulation._decide before the scan was compiled."""
    known_dead = (s["fate"] == FATE_KILLED) & (time_start >= s["fate_time"] + look_delay_s)
    open_threats = (s["fate"] != FATE_LEAKED) & ~known_dead
    open_threats &= (s["inflight_at"] == 0) & (s["pending_at"] == 0)
    open_threats &= time_start >= s["look_until"]
    if not engage_decoys:
        open_threats &= ~s["is_decoy"][None, :]
    engaged_targets = (s["engaged"] > 0).sum(axis=-1)
    inflight = s["engaged"].sum(axis=-1)
    units, rows, threats = [], [], []
    for battalion in range(B):
        free = ((s["pending_count"][:, battalion] == 0)
                & (engaged_targets[:, battalion] < s["targets_at_once"][battalion])
                & (inflight[:, battalion] + salvo <= s["missiles_at_once"][battalion])
                & (s["next_ready"][:, battalion] < time_end)
                & (s["ready"][:, battalion].sum(axis=-1) > 0))
        network = s["network_of_battalion"][battalion]
        r, t = np.nonzero(open_threats & free[:, None] & s["confirmed"][:, network, :])
        units.append(np.full(r.shape, battalion))
        rows.append(r)
        threats.append(t)
    return np.concatenate(units), np.concatenate(rows), np.concatenate(threats)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("engage_decoys", [True, False])
def test_engagement_candidates_match_the_numpy_expressions(seed, engage_decoys):
    s = _state(seed)
    time_start, time_end, look_delay_s, salvo = 10.0, 10.5, 4.0, 2
    expected = _numpy_candidates(s, time_start, time_end, look_delay_s, engage_decoys, salvo)
    got = engagement_candidates(
        time_start, time_end, s["fate"], s["fate_time"], look_delay_s, s["inflight_at"],
        s["pending_at"], s["look_until"], s["is_decoy"], engage_decoys, s["engaged"],
        s["pending_count"], s["next_ready"], s["ready"], s["targets_at_once"],
        s["missiles_at_once"], salvo, s["confirmed"], s["network_of_battalion"])
    assert expected[0].size >= 10  # the random state leaves real candidates to find
    for want, have in zip(expected, got):
        np.testing.assert_array_equal(have, want)


def test_drop_stale_tracks_matches_the_numpy_expressions():
    rng = np.random.default_rng(3)
    shape = (R, Q, N)
    exists = rng.random(shape) < 0.7
    confirmed = exists & (rng.random(shape) < 0.5)
    confirm_time = np.where(confirmed, rng.uniform(0, 50, shape), np.nan)
    history = rng.integers(0, 8, shape).astype(np.uint32)
    misses = rng.integers(0, 5, shape).astype(np.int16)
    track_time = rng.uniform(0.0, 60.0, shape)
    time_s, drop_misses, coast_limit_s = 70.0, 3, 30.0

    stale = exists & ((misses >= drop_misses) | (time_s - track_time > coast_limit_s))
    assert 0 < stale.sum() < exists.sum()
    expected = [array.copy() for array in (exists, confirmed, confirm_time, history, misses)]
    for array, value in zip(expected, (False, False, np.nan, 0, 0)):
        array[stale] = value

    drop_stale_tracks(time_s, TrackTable(np.zeros(shape + (6,)), np.zeros(shape + (6, 6)),
                                         track_time, exists, confirmed, confirm_time, history,
                                         misses), drop_misses, coast_limit_s)
    for have, want in zip((exists, confirmed, confirm_time, history, misses), expected):
        np.testing.assert_array_equal(have, want)


def test_threat_value_matches_the_evaluation_module():
    rng = np.random.default_rng(4)
    assets = rng.uniform(-30e3, 30e3, (3, 3))
    value, radius = np.array([10.0, 6.0, 3.0]), np.array([1000.0, 800.0, 500.0])
    position = rng.uniform(-150e3, 150e3, (200, 3))
    # Aimed near an asset or anywhere: both threatened and unthreatened tracks.
    aim = assets[rng.integers(0, 3, 200)] + rng.normal(0.0, 8e3, (200, 3))
    velocity = (aim - position) / rng.uniform(100.0, 600.0, (200, 1))
    velocity[::7] = rng.normal(0.0, 300.0, (len(velocity[::7]), 3))
    want_value, want_time = threat_values(position, velocity, assets, value, radius)
    assert 20 < np.isfinite(want_time).sum() < 190
    for i in range(len(position)):
        got_value, got_time = threat_value(*position[i], *velocity[i], assets, value, radius,
                                           THREAT_MARGIN_M, residual_value(value))
        assert got_value == want_value[i] and got_time == want_time[i]


def reference_plan(simulation, battalion, network, rows, local, threats, time_start, time_end,
                   plans):
    """`ChunkSimulation._plan` before it was compiled (commit 6f44a65), on the reference
    kernels: `FusedTracks.estimate`, `reach.intercept_points`, `c2.evaluation`."""
    world = simulation.world
    battalions, missiles, doctrine = world.battalions, world.missiles, world.doctrine
    tracks = simulation.tracks
    index = (rows, np.full(rows.shape, network), threats)
    launch_time = np.maximum.reduce([
        np.full(rows.shape, time_start),
        tracks.confirm_time[index] + battalions.reaction_time_s[battalion],
        simulation.next_ready[rows, battalion]])
    covariances = tracks.covariances[index]
    sigma = np.sqrt(covariances[:, 0, 0] + covariances[:, 1, 1] + covariances[:, 2, 2])
    usable = (launch_time < time_end) & (sigma <= doctrine.track_quality_m)
    if not usable.any():
        return
    rows, threats, launch_time, local = rows[usable], threats[usable], launch_time[usable], local[usable]
    index = tuple(axis[usable] for axis in index)
    means, elapsed = tracks.means[index], launch_time - tracks.time[index]
    position, velocity = means[:, :3] + elapsed[:, None] * means[:, 3:], means[:, 3:]
    site = battalions.position[battalion]
    holds = (time_start - simulation.fire_control_time[rows, battalion, threats]
             <= FIRE_CONTROL_HOLD_S)
    chosen = np.full(rows.shape, -1, dtype=np.int64)
    aim = np.zeros(position.shape)
    for missile in simulation.type_order:
        open_rows = (chosen < 0) & (simulation.ready[rows, battalion, missile] > 0)
        if missiles.guidance[missile] == GUIDANCE_TRACK_VIA_MISSILE:
            open_rows &= holds
        if not open_rows.any():
            continue
        table = missiles.flyout[missile]
        limits = np.array([missiles.minimum_range_m[missile], missiles.maximum_range_m[missile],
                           missiles.minimum_altitude_m[missile],
                           missiles.maximum_altitude_m[missile]])
        point, feasible = intercept_points(
            site, position[open_rows], velocity[open_rows], table.time_of_flight_grid_s,
            table.range_grid_m[1] - table.range_grid_m[0],
            table.altitude_grid_m[1] - table.altitude_grid_m[0], limits, INTERCEPT_ITERATIONS)
        which = np.flatnonzero(open_rows)[feasible]
        chosen[which] = missile
        aim[which] = point[feasible]
    planned = chosen >= 0
    if not planned.any():
        return
    local, threats, chosen = local[planned], threats[planned], chosen[planned]
    value, time_to_asset = threat_values(position[planned], velocity[planned],
                                         world.assets.position, world.assets.value,
                                         world.assets.radius_m)
    index = (local, battalion, threats)
    plans.score[index] = value * urgency(time_to_asset) * missiles.pk_max[chosen]
    plans.missile[index] = chosen
    plans.time[index] = launch_time[planned]
    plans.aim[index] = aim[planned]


class _Enough(Exception):
    pass


def test_engagement_plans_match_the_numpy_reference(monkeypatch):
    """Every plan of a regiment-vs-raid run, compiled and reference, from the same state."""
    data = copy.deepcopy(_bundled(REGIMENT_VS_RAID))
    data["simulation"]["record"] = []
    world = world_of(load(data, "regiment-vs-raid.yaml"))
    compiled_plan = ChunkSimulation._plan
    planned = []

    def both(self, battalion, network, rows, local, threats, time_start, time_end, plans):
        reference = EngagementPlans(*plans.score.shape)
        reference_plan(self, battalion, network, rows, local, threats, time_start, time_end,
                       reference)
        compiled_plan(self, battalion, network, rows, local, threats, time_start, time_end,
                      plans)
        for name in ("score", "missile", "time", "aim"):  # this battalion's plans
            np.testing.assert_array_equal(getattr(plans, name)[:, battalion],
                                          getattr(reference, name)[:, battalion],
                                          err_msg=f"{name} at t = {time_start} s")
        planned.append(int(np.isfinite(plans.score[:, battalion]).sum()))
        if sum(planned) > 400:
            raise _Enough

    monkeypatch.setattr(ChunkSimulation, "_plan", both)
    with pytest.raises(_Enough):
        ChunkSimulation(world, seed=5, replication_ids=range(6)).run()
