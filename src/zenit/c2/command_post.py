"""The command posts of a chunk: they plan engagements on the fused tracks, and their
launchers fire and reload.

Each step the command post reloads emptied launchers, finds the open threats on confirmed
tracks of free battalions, plans each battalion's best engagement of each (the compiled
scans of `zenit.c2.candidates` and `zenit.c2.planning`), assigns battalions to threats
(`zenit.c2.assignment`: maximum marginal return, or the exact static assignment), and fires
the planned salvos at their times inside the step. Loops here run over battalions only.

The engine hands in what it owns: the compiled world, the fused tracks
(`zenit.tracking.fusion.FusedTracks`), the per-replication outcome table the command post
reads fates from and counts shots in, and the interceptor slots it launches into (an object
with `free_slot(rows)` and `launch(...)`).
"""

from __future__ import annotations

import numpy as np

from zenit.c2.assignment import exact_assignment, greedy_rounds
from zenit.c2.candidates import engagement_candidates
from zenit.c2.engagement_tables import (AssetTable, EngagementPlans, EngagementRules,
                                        EngagementState, MissileTable)
from zenit.c2.planning import plan_engagements
from zenit.physics.fates import FATE_KILLED, FATE_LEAKED

SMALLEST_PK = 1e-12  # guards the division that recovers a threat's value from a score


class CommandPost:
    """Planning, firing and reloading for replications of `world` (`state` per replication)."""

    def __init__(self, world, replications: int, tracks, fire_control_time):
        self.world = world
        self.tracks = tracks  # a FusedTracks
        self.fire_control_time = fire_control_time  # (R, B, N), s
        self.state = EngagementState.start(replications, world.battalions, world.threats.count)
        self.rules = EngagementRules.of(world)
        self.missiles = MissileTable.of(world.missiles)
        assets = world.assets
        self.assets = AssetTable(assets.position, assets.value, assets.radius_m)

    def reload(self, time_start, time_end):
        """Finish the reloads due this step; start one for every empty launcher with spares."""
        state, battalions = self.state, self.world.battalions
        done = state.reload_done < time_end
        if done.any():
            rounds = np.minimum(state.spare, battalions.rounds_per_reload[None])
            state.ready[done] += rounds[done]
            state.spare[done] -= rounds[done]
            state.reload_done[done] = np.inf
        start = (state.ready == 0) & (state.spare > 0) & ~np.isfinite(state.reload_done)
        if start.any():
            state.reload_done[start] = time_start + battalions.reload_time_s[np.nonzero(start)[1]]

    def decide(self, time_start, time_end, outcome):
        """Plan and assign this step's engagements: each free battalion takes at most one."""
        world, state = self.world, self.state
        if world.threats.count == 0:
            return
        tracks = self.tracks.table
        unit, rows, threats = engagement_candidates(time_start, time_end, self.rules, state,
                                                    outcome, tracks)
        if rows.size == 0:
            return
        # The plans live only for the replications with a candidate this step.
        deciding = np.unique(rows)
        plans = EngagementPlans.empty(deciding.size, world.battalions.count, world.threats.count)
        bounds = np.searchsorted(unit, np.arange(world.battalions.count + 1))
        for battalion in range(world.battalions.count):
            at = slice(bounds[battalion], bounds[battalion + 1])
            if at.start < at.stop:
                plan_engagements(battalion, rows[at], np.searchsorted(deciding, rows[at]),
                                 threats[at], time_start, time_end, self.rules, state, tracks,
                                 self.fire_control_time, self.missiles, self.assets, plans)
        self._commit(deciding, plans, self._assign(plans))

    def _assign(self, plans):
        """(D, B) the threat each battalion engages, -1 for none, by doctrine's rule."""
        if self.world.doctrine.assignment == "optimal" and self.world.battalions.count > 1:
            score = plans.score
            kill = np.where(np.isfinite(score), self.missiles.pk_max[plans.missile], 0.0)
            value = np.max(np.where(np.isfinite(score),
                                    score / np.maximum(kill, SMALLEST_PK), 0.0), axis=1)
            return exact_assignment(value, kill)
        return greedy_rounds(plans.score)

    def _commit(self, deciding, plans, choice):
        """Schedule the chosen engagements' salvos: `choice` (D, B) of replications `deciding`."""
        state, salvo = self.state, self.rules.salvo_size
        for battalion in range(choice.shape[1]):
            local = np.flatnonzero(choice[:, battalion] >= 0)
            if local.size == 0:
                continue
            threats = choice[local, battalion]
            rows = deciding[local]
            state.pending_count[rows, battalion] = salvo
            state.pending_target[rows, battalion] = threats
            state.pending_type[rows, battalion] = plans.missile[local, battalion, threats]
            state.pending_time[rows, battalion] = plans.time[local, battalion, threats]
            state.pending_aim[rows, battalion] = plans.aim[local, battalion, threats]
            state.pending_at[rows, threats] += salvo

    def fire(self, step, time_start, time_end, outcome, slots):
        """Launch the salvo rounds due this step into free interceptor `slots`; cancel the
        salvos whose target the command post knows gone or that lack a round or a slot."""
        state = self.state
        for battalion in range(self.world.battalions.count):
            rows = np.flatnonzero((state.pending_count[:, battalion] > 0)
                                  & (state.pending_time[:, battalion] < time_end))
            if rows.size == 0:
                continue
            threats = state.pending_target[rows, battalion]
            missile = state.pending_type[rows, battalion]
            slot = slots.free_slot(rows)
            valid = (self._may_fire_at(time_start, outcome, rows, threats)
                     & (state.ready[rows, battalion, missile] > 0) & (slot >= 0))
            cancelled = rows[~valid]
            state.pending_at[cancelled, threats[~valid]] -= state.pending_count[cancelled, battalion]
            state.pending_count[cancelled, battalion] = 0
            if valid.any():
                self._launch(step, time_start, time_end, battalion, rows[valid], threats[valid],
                             missile[valid], slot[valid], outcome, slots)

    def _may_fire_at(self, time_start, outcome, rows, threats):
        """The command post fires on what it knows: a kill not yet assessed still draws the
        rest of a salvo; a threat that reached its target is known to be gone."""
        fate = outcome.fate[rows, threats]
        known_dead = ((fate == FATE_KILLED) & (time_start >= outcome.fate_time[rows, threats]
                                               + self.rules.look_delay_s))
        return ~known_dead & (fate != FATE_LEAKED)

    def _launch(self, step, time_start, time_end, battalion, rows, threats, missile, slot,
                outcome, slots):
        state = self.state
        launch_time = np.maximum(state.pending_time[rows, battalion], time_start)
        serial = state.shot_count[rows]
        state.shot_count[rows] += 1
        slots.launch(self.world, rows, slot, threats, missile, np.full(rows.shape, battalion),
                     serial, launch_time, time_end, step, state.pending_aim[rows, battalion])
        state.ready[rows, battalion, missile] -= 1
        state.inflight_at[rows, threats] += 1
        state.engaged[rows, battalion, threats] += 1
        state.pending_at[rows, threats] -= 1
        state.pending_count[rows, battalion] -= 1
        interval = self.world.battalions.launch_interval_s[battalion]
        state.pending_time[rows, battalion] = launch_time + interval
        state.next_ready[rows, battalion] = launch_time + interval
        outcome.first_launch[rows, threats] = np.fmin(outcome.first_launch[rows, threats],
                                                      launch_time)
        outcome.shots_at[rows, threats] += 1

    def release(self, rows, threats, battalion, time_s):
        """Free the guidance channels of ended missiles; their target gets a look before
        re-engagement."""
        state = self.state
        np.subtract.at(state.inflight_at, (rows, threats), 1)
        np.subtract.at(state.engaged, (rows, battalion, threats), 1)
        np.maximum.at(state.look_until, (rows, threats), time_s + self.rules.look_delay_s)
