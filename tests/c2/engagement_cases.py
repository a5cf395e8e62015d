"""Command posts' states, doctrine and fused tracks small enough to check by hand, for the
tests of `zenit.c2.candidates` and `zenit.c2.planning`."""

import numpy as np

from zenit.c2.engagement_tables import FIRE_CONTROL_HOLD_S, EngagementRules, EngagementState
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.tracking.fusion import TrackTable


def start_state(replications, battalions, threats, kinds):
    rounds = np.ones((battalions, kinds), dtype=np.int64)
    limits = type("Battalions", (), {"ready_rounds": rounds, "spare_rounds": 0 * rounds})
    return EngagementState.start(replications, limits, threats)


def engagement_rules(battalions, threats, **changes):
    rules = EngagementRules(
        salvo_size=2, look_delay_s=4.0, engage_decoys=False, track_quality_m=2_000.0,
        fire_control_hold_s=FIRE_CONTROL_HOLD_S, is_decoy=np.zeros(threats, dtype=bool),
        network_of_battalion=np.zeros(battalions, dtype=np.int64),
        site=np.tile([0.0, 0.0, EARTH_RADIUS_M], (battalions, 1)),
        targets_at_once=np.full(battalions, 6), missiles_at_once=np.full(battalions, 12),
        reaction_time_s=np.full(battalions, 5.0))
    return rules._replace(**changes)


def track_table(confirmed):
    shape = confirmed.shape
    return TrackTable(np.zeros(shape + (6,)), np.zeros(shape + (6, 6)), np.zeros(shape),
                      np.ones(shape, dtype=bool), confirmed, np.zeros(shape),
                      np.zeros(shape, dtype=np.uint32), np.zeros(shape, dtype=np.int16))
