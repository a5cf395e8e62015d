"""Compiled scan of the command post's state, once a step over every replication.

The command post's question each step is cheap per pair but asked of every (replication,
battalion, threat): which threats are open for engagement and which battalions are free to
take one. As NumPy expressions it cost a dozen full-size temporaries a step, more than the
decisions themselves; here it is one pass with no temporaries.
`tests/engine/test_command_kernels.py` checks it against the NumPy expressions it replaces.
"""

from __future__ import annotations

import numpy as np

from zenit.engine.jit import kernel
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
