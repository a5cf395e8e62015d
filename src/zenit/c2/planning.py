"""Engagement planning: for each candidate, when its battalion could launch, with which
missile, where it would meet the track and what that is worth (on `zenit.c2.evaluation`'s
formulas). One compiled pass per battalion over its candidates.
"""

from __future__ import annotations

import math

from zenit.c2.evaluation import threat_urgency, threat_value
from zenit.compiled import inline_formula, kernel
from zenit.physics.flyout import intercept_in_envelope as intercept_point

INTERCEPT_ITERATIONS = 4  # fixed-point steps of the predicted intercept point


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


@inline_formula
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


@inline_formula
def _write_plan(plans, at, battalion, threat, score, kind, launch_time, px, py, pz):
    plans.score[at, battalion, threat] = score
    plans.missile[at, battalion, threat] = kind
    plans.time[at, battalion, threat] = launch_time
    plans.aim[at, battalion, threat, 0] = px
    plans.aim[at, battalion, threat, 1] = py
    plans.aim[at, battalion, threat, 2] = pz
