"""Compiled command-post work, once a step over every replication.

The command post's questions each step are cheap per pair but asked of every (replication,
battalion, threat): which threats are open for engagement and which battalions are free to
take one (`engagement_candidates`), then, for each candidate, when the battalion could
launch, with which missile, where it would meet the track and what that is worth
(`plan_engagements`, with `threat_value`). As NumPy expressions they cost dozens of
temporaries a step, more than the decisions themselves; here each is one pass.
`tests/engine/test_command_kernels.py` checks them against the NumPy code they replaced
(`zenit.c2.evaluation`, `zenit.engine.reach.intercept_points`, `FusedTracks.estimate`).
"""

from __future__ import annotations

import math

import numpy as np

from zenit.engine.jit import kernel
from zenit.physics.flyout import intercept_in_envelope as intercept_point
from zenit.engine.world import FATE_KILLED, FATE_LEAKED


@kernel
def engagement_candidates(time_start, time_end, fate, fate_time, look_delay_s, inflight_at,
                          pending_at, look_until, is_decoy, engage_decoys, engaged,
                          pending_count, next_ready, ready, targets_at_once, missiles_at_once,
                          salvo_size, confirmed, network_of_battalion):
    """The (battalion, replication, threat) triples the command post may plan this step.

    A threat is open when the command post does not know it gone (leaked, or killed and
    assessed after the look delay), no missile flies at it and none is pending, its last
    engagement's look is over, and it is not a decoy unless doctrine engages decoys. A
    battalion is free when it has no salvo pending, guides fewer targets and leaves room for a
    salvo in its missile channels, is ready to launch before the step ends and has a round.
    A candidate is an open threat on a confirmed track of a free battalion's network.

    Returns (battalion, row, threat) (C,) int64, ordered by battalion then as np.nonzero.
    """
    replications, battalions, threats = engaged.shape
    free = np.zeros((replications, battalions), np.bool_)
    count = 0
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
            if (targets < targets_at_once[battalion]
                    and missiles + salvo_size <= missiles_at_once[battalion]):
                free[row, battalion] = True
                count += threats
    unit = np.empty(count, np.int64)
    rows = np.empty(count, np.int64)
    which = np.empty(count, np.int64)
    found = 0
    for battalion in range(battalions):
        network = network_of_battalion[battalion]
        for row in range(replications):
            if not free[row, battalion]:
                continue
            for threat in range(threats):
                if not confirmed[row, network, threat]:
                    continue
                if (fate[row, threat] == FATE_LEAKED or inflight_at[row, threat] != 0
                        or pending_at[row, threat] != 0
                        or not time_start >= look_until[row, threat]):
                    continue
                if fate[row, threat] == FATE_KILLED and time_start >= (fate_time[row, threat]
                                                                        + look_delay_s):
                    continue
                if is_decoy[threat] and not engage_decoys:
                    continue
                unit[found], rows[found], which[found] = battalion, row, threat
                found += 1
    return unit[:found], rows[:found], which[:found]


@kernel
def threat_value(x, y, z, vx, vy, vz, asset_position, asset_value, asset_radius_m, margin_m,
                 residual_value):
    """`zenit.c2.evaluation.threat_values` for one track: (value, time to the asset).

    The track's straight-line closest approach to each asset; the most valuable asset passed
    within its radius plus the margin is the value, `residual_value` where none is (1 with no
    assets at all); the time is that of the soonest threatened asset, inf where none is.
    """
    assets = asset_value.shape[0]
    if assets == 0:
        return 1.0, np.inf
    speed_squared = max(vx * vx + vy * vy + vz * vz, 1e-9)
    value = 0.0
    time_to_asset = np.inf
    for asset in range(assets):
        ox = asset_position[asset, 0] - x
        oy = asset_position[asset, 1] - y
        oz = asset_position[asset, 2] - z
        time_to_closest = max((ox * vx + oy * vy + oz * vz) / speed_squared, 0.0)
        cx = ox - vx * time_to_closest
        cy = oy - vy * time_to_closest
        cz = oz - vz * time_to_closest
        if math.sqrt(cx * cx + cy * cy + cz * cz) <= asset_radius_m[asset] + margin_m:
            value = max(value, asset_value[asset])
            time_to_asset = min(time_to_asset, time_to_closest)
    return (value if value > 0.0 else residual_value), time_to_asset


@kernel
def plan_engagements(battalion, network, rows, local, threats, time_start, time_end,
                     reaction_time_s, track_quality_m, next_ready, confirm_time, track_means,
                     track_covariances, track_time, fire_control_time, hold_s, ready,
                     type_order, track_via_missile, site, flyout_grids, flyout_steps,
                     envelope, iterations, asset_position, asset_value, asset_radius_m,
                     margin_m, residual_value, urgency_time_s, pk_max, score, missile, time,
                     aim):
    """Score engaging each candidate (rows[i], threats[i]) from `battalion` with its best
    missile, into the plans at (local[i], battalion, threats[i]).

    The launch waits for the track's confirmation plus the reaction time and for the
    launcher; the track must be good enough (3-D position sigma at most `track_quality_m`).
    Missile types are tried in `type_order` (cheapest reach first): one with a round ready
    whose predicted intercept point (`reach.intercept_point` on the track extrapolated to the
    launch) lies in its envelope; a track-via-missile round also needs the fire-control radar
    to hold the target. Score = threat value x urgency x the round's Pk; untouched (-inf)
    where no engagement is possible.
    """
    for item in range(rows.shape[0]):
        row, threat = rows[item], threats[item]
        launch_time = max(time_start, confirm_time[row, network, threat] + reaction_time_s,
                          next_ready[row, battalion])
        sigma = math.sqrt(track_covariances[row, network, threat, 0, 0]
                          + track_covariances[row, network, threat, 1, 1]
                          + track_covariances[row, network, threat, 2, 2])
        if not (launch_time < time_end and sigma <= track_quality_m):
            continue
        # FusedTracks.estimate: the track extrapolated to the launch.
        elapsed = launch_time - track_time[row, network, threat]
        vx = track_means[row, network, threat, 3]
        vy = track_means[row, network, threat, 4]
        vz = track_means[row, network, threat, 5]
        x = track_means[row, network, threat, 0] + elapsed * vx
        y = track_means[row, network, threat, 1] + elapsed * vy
        z = track_means[row, network, threat, 2] + elapsed * vz
        holds = time_start - fire_control_time[row, battalion, threat] <= hold_s
        for kind in type_order:
            if ready[row, battalion, kind] <= 0 or (track_via_missile[kind] and not holds):
                continue
            px, py, pz, feasible = intercept_point(
                site, x, y, z, vx, vy, vz, flyout_grids[kind], flyout_steps[kind, 0],
                flyout_steps[kind, 1], envelope[kind], iterations)
            if not feasible:
                continue
            value, time_to_asset = threat_value(x, y, z, vx, vy, vz, asset_position,
                                                asset_value, asset_radius_m, margin_m,
                                                residual_value)
            urgency = 1.0 + urgency_time_s / (time_to_asset + urgency_time_s)
            at = local[item]
            score[at, battalion, threat] = value * urgency * pk_max[kind]
            missile[at, battalion, threat] = kind
            time[at, battalion, threat] = launch_time
            aim[at, battalion, threat, 0] = px
            aim[at, battalion, threat, 1] = py
            aim[at, battalion, threat, 2] = pz
            break
