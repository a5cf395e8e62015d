"""When each radar next looks at each threat: the per-pair look schedule.

A rotating radar sees a target once a turn, a phased array on its revisit period. Rather than
test every (replication, threat) pair against every radar at every step, the engine keeps for
each pair the earliest time the radar could look next and only examines pairs that are due:
a rotating radar's next beam crossing is predicted from the target's bearing (minus a margin
for the bearing to drift within a turn), a phased array's next dwell is exact. The look itself
is still placed at its own time inside the step (DESIGN principle 5).
"""

from __future__ import annotations

import numpy as np

from zenit.sensors import scan

# A rotating radar re-examines a pair this long before its predicted crossing, so that a
# target whose bearing drifts (a crossing target near the radar) is not missed.
CROSSING_MARGIN_FRACTION = 0.25
CROSSING_MARGIN_MAX_S = 2.0
GOLDEN = 0.6180339887498949  # spreads phased-array dwells of different threats over a period


class LookSchedule:
    def __init__(self, replications: int, radars: int, threats: int):
        self.next_look = np.zeros((replications, radars, threats))

    def due(self, radar: int, rows, threats, time_end: float):
        """Which of the pairs could be looked at before `time_end`."""
        return self.next_look[rows, radar, threats] < time_end

    def rotating(self, radar, rows, threats, bearing, time_start, time_end, period_s):
        """Beam crossings in the step for due pairs; schedules each pair's next examination."""
        looked, dwell = scan.rotating_dwell(bearing, time_start, time_end, period_s)
        margin = min(CROSSING_MARGIN_FRACTION * period_s, CROSSING_MARGIN_MAX_S)
        crossing = period_s * np.remainder(bearing / (2.0 * np.pi), 1.0)
        following = crossing + period_s * np.ceil((time_end - crossing) / period_s)
        upcoming = np.where(looked, dwell + period_s, following)
        self.next_look[rows, radar, threats] = upcoming - margin
        return looked, dwell

    def periodic(self, radar, rows, threats, revisit_s, time_start, time_end):
        """Phased-array dwells in the step on each pair's revisit; schedules the next one."""
        offset = np.remainder(threats * GOLDEN, 1.0) * revisit_s
        looked, dwell = scan.periodic_dwell(time_start, time_end, revisit_s, offset)
        following = offset + revisit_s * np.ceil((time_end - offset) / revisit_s)
        self.next_look[rows, radar, threats] = following
        return looked, dwell
