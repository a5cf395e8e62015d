"""Which engagements the command post may plan this step: one compiled pass over every
(battalion, replication, threat) for the open threats (`threat_open`) on confirmed tracks of
the free battalions.
"""

from __future__ import annotations

import numpy as np

from zenit.compiled import formula, kernel
from zenit.physics.fates import FATE_KILLED, FATE_LEAKED


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
