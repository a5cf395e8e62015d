"""The batched time-stepped loop: R replications of one world, advanced together.

Per step: threats move; radars look; tracks update; the command post opens engagements;
launchers fire; interceptors fly; closest approaches are scored; leakers are counted. Every
array has the replication as its first axis, and every random number is addressed by
(seed, stream, replication, entity, step), so replication r evolves identically whether it
runs in a chunk of 1 or 10,000 (DESIGN principles 1 and 2). Python loops here run over radars
and battalions, a handful each, never over replications, threats or missiles.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

import numba
import numpy as np

from zenit.c2.assignment import exact_assignment, greedy_rounds
from zenit.c2.evaluation import THREAT_MARGIN_M, URGENCY_TIME_S, residual_value
from zenit.engine.interceptors import FUZE_REACH_M, FireControl, InterceptorSlots, TrackPicture
from zenit.engine.motion import move_threats
from zenit.engine.motion_bounds import motion_bounds
from zenit.engine.outcome import ChunkOutcome, ShotLog
from zenit.engine import command_kernels, look_kernels
from zenit.engine.sensing import (JammerField, Receiver, Site, observe, radar_coverage,
                                  radar_schedule)
from zenit.engine.streams import RandomStreams, stream_key
from zenit.engine.tracks import FusedTracks
from zenit.engine.world import (FATE_AIRBORNE, FATE_KILLED, FATE_LEAKED,
                                GUIDANCE_TRACK_VIA_MISSILE, World)

FIRE_CONTROL_HOLD_S = 3.0  # a track-via-missile engagement needs the fire-control radar this fresh
TRACK_COAST_LIMIT_S = 30.0
TRACK_MAINTENANCE_S = 1.0  # a multifunction radar keeps unengaged tracks at about 1 Hz
INTERCEPT_ITERATIONS = 4


class ChunkSimulation:
    """Replications `replication_ids` of `world` under `seed`, run by `run()`."""

    def __init__(self, world: World, seed: int, replication_ids, record=()):
        self.world = world
        self.streams = RandomStreams(seed)
        self.replication_ids = np.asarray(replication_ids, dtype=np.int64)
        self.record_rows = np.flatnonzero(np.isin(self.replication_ids, np.asarray(list(record),
                                                                                  dtype=np.int64)))
        replications = len(self.replication_ids)
        threats, battalions = world.threats, world.battalions
        n, b, k = threats.count, battalions.count, world.missiles.count
        shape = (replications, n)
        entity = np.arange(n)
        ids = self.replication_ids[:, None]
        self.time_offset = threats.launch_jitter_s * self.streams.normal("launch-jitter", ids, entity)
        self.lateral_offset = threats.lateral_sigma_m * self.streams.normal("route-offset", ids, entity)

        self.alive = np.ones(shape, dtype=bool)
        self.fate = np.full(shape, FATE_AIRBORNE, dtype=np.int8)
        self.fate_time = np.full(shape, np.nan)
        self.killer_type = np.full(shape, -1, dtype=np.int64)
        self.killer_battalion = np.full(shape, -1, dtype=np.int64)
        self.asset_hit = np.zeros(shape, dtype=bool)
        self.first_detection = np.full(shape, np.nan)
        self.first_launch = np.full(shape, np.nan)
        self.shots_at = np.zeros(shape, dtype=np.int64)
        self.radar_first_detection = np.full((replications, world.radars.count, n), np.nan)

        self.tracks = FusedTracks(replications, world.network_count, n,
                                  (0.5 * threats.manoeuvre_acceleration) ** 2 + 1.0,
                                  world.doctrine.confirm_hits, world.doctrine.confirm_looks,
                                  world.doctrine.drop_misses, TRACK_COAST_LIMIT_S,
                                  threats.manoeuvring, threats.manoeuvre_acceleration)
        self.fire_control_time = np.full((replications, b, n), -np.inf)

        self.ready = np.broadcast_to(battalions.ready_rounds, (replications, b, k)).copy()
        self.spare = np.broadcast_to(battalions.spare_rounds, (replications, b, k)).copy()
        self.reload_done = np.full((replications, b, k), np.inf)
        self.next_ready = np.zeros((replications, b))
        self.pending_count = np.zeros((replications, b), dtype=np.int64)
        self.pending_target = np.zeros((replications, b), dtype=np.int64)
        self.pending_type = np.zeros((replications, b), dtype=np.int64)
        self.pending_time = np.zeros((replications, b))
        self.pending_aim = np.zeros((replications, b, 3))
        self.pending_at = np.zeros(shape, dtype=np.int64)
        self.inflight_at = np.zeros(shape, dtype=np.int64)
        self.engaged = np.zeros((replications, b, n), dtype=np.int64)
        self.look_until = np.zeros(shape)
        self.shot_count = np.zeros(replications, dtype=np.int64)

        self.slots = InterceptorSlots(replications, world.missile_slots)
        # When each radar may next look at each pair (look_kernels.scheduled_looks keeps it).
        self.next_look = np.zeros((replications, world.radars.count, n))
        # What the looks may skip: each pair's top speed and height over its flight, and when
        # it may next be in each radar's coverage (scheduled_looks keeps that too).
        self.speed_bound, self.height_bound = motion_bounds(threats.trajectories,
                                                            self.lateral_offset)
        self.visible_after = np.full((replications, world.radars.count, n), -np.inf)
        self.shots = ShotLog()
        self.replay = {"time_s": [], "threats": [], "missiles": [], "missile_active": []}
        # Missile types tried shortest reach first: the cheapest round that can do the job.
        self.type_order = np.argsort(world.missiles.maximum_range_m, kind="stable")
        self._network_of_battalion = battalions.network
        ground = world.metadata.get("radar_ground_m", {})
        self.sites = [Site.of(world.radars.position[radar], ground.get(radar, 0.0))
                      for radar in range(world.radars.count)]
        self._schedules = [radar_schedule(world.radars, radar, TRACK_MAINTENANCE_S)
                           for radar in range(world.radars.count)]
        self._coverages = [radar_coverage(world.radars, radar)
                           for radar in range(world.radars.count)]
        self._receivers = [Receiver.of(world, radar, site) for radar, site in enumerate(self.sites)]
        self._jammer_fields = [JammerField(world, radar, site, replications)
                               for radar, site in enumerate(self.sites)]
        self._look_keys = (stream_key(self.streams, "detection"),
                           stream_key(self.streams, "measurement"))
        self._flyout = flyout_pack(world.missiles)
        self._fire_control_battalion = {
            radar: np.flatnonzero(battalions.fire_control_radars[:, radar])
            for radar in range(world.radars.count)}

    # -- the loop ---------------------------------------------------------------------------

    def run(self) -> ChunkOutcome:
        # The loop makes no reference cycles, yet the small objects it allocates set off the
        # cycle collector, which then walks every live object (Numba's compiled code among
        # them): about a tenth of the run. It is paused for the loop and restored after.
        with cycle_collection_paused():
            return self._run()

    def _run(self) -> ChunkOutcome:
        world = self.world
        bank = world.threats.trajectories
        position, velocity, phase = bank.state(0.0, self.time_offset, self.lateral_offset)
        for step in range(world.steps):
            time_start = step * world.dt_s
            time_end = min((step + 1) * world.dt_s, world.duration_s)
            new_position, new_velocity, phase = self._move(bank, time_end, position, velocity)
            self._sense(step, time_start, time_end, position, new_position, phase)
            self._reload(time_start, time_end)
            self._decide(time_start, time_end)
            self._fire(step, time_start, time_end)
            self._fly(step, time_start, time_end, position, new_position, velocity)
            self._count_leakers(phase, time_end)
            if self.record_rows.size:
                self._record(time_end, new_position)
            position, velocity = new_position, new_velocity
            if not self.alive.any() and not self.slots.active.any():
                break
        self._log_in_flight()
        return ChunkOutcome.build(self)

    def _log_in_flight(self):
        """Missiles still flying when the run ends are fired all the same: log them."""
        slots = self.slots
        rows, slot = np.nonzero(slots.active)
        if rows.size:
            self.shots.record(slots, self.replication_ids, rows, slot, np.full(rows.shape, np.nan),
                              np.full(rows.shape, "airborne"), slots.closest_m[rows, slot])

    def _move(self, bank, time_s, position, velocity):
        """Threat states at `time_s`: interpolated for the threats alive and flying only."""
        # One compiled pass over (R, N); the dead and the not-flying keep their old state.
        return move_threats(bank, time_s, self.time_offset, self.lateral_offset, self.alive,
                            position, velocity)

    # -- radars and tracks -----------------------------------------------------------------

    def _sense(self, step, time_start, time_end, position_start, position_end, phase):
        world = self.world
        if not (self.alive & (phase == 1)).any():
            self.tracks.drop_stale(time_end)
            return
        jammer_positions, jammer_active = self._jammers(time_end, position_end, phase)
        for radar, site in enumerate(self.sites):
            looks = self._looks(radar, site, phase, time_start, time_end, position_start,
                                position_end, jammer_positions, jammer_active, step)
            if looks is not None:
                self._absorb(radar, world.radars.network[radar], looks)
        self.tracks.drop_stale(time_end)

    def _looks(self, radar, site, phase, time_start, time_end, position_start, position_end,
               jammer_positions, jammer_active, step):
        """The radar's scheduled looks in this step that counted, observed.

        A phased array gives targets its own battalion is engaging its track rate (guidance
        needs them), other confirmed tracks TRACK_MAINTENANCE_S at most, and searches the rest
        of the volume once per frame; a rotating radar sees everything once a turn.
        """
        radars = self.world.radars
        network, battalion = radars.network[radar], radars.battalion[radar]
        if battalion >= 0:
            engaged = self.engaged[:, battalion]
            pending_count = self.pending_count[:, battalion]
            pending_target = self.pending_target[:, battalion]
        else:
            engaged = np.zeros((0, 0), dtype=np.int64)
            pending_count = pending_target = np.zeros(0, dtype=np.int64)
        candidates = look_kernels.scheduled_looks(
            radar, self._schedules[radar], self._coverages[radar], site, self.alive, phase,
            self.next_look, position_start, position_end, self.tracks.confirmed[:, network],
            engaged, pending_count, pending_target, time_start, time_end, self.speed_bound,
            self.height_bound, self.visible_after)
        if candidates[0].size == 0:
            return None
        jammers = (None if jammer_positions is None
                   else self._jammer_fields[radar].see(jammer_positions, jammer_active))
        return observe(self.world, radar, site, candidates, self._receivers[radar], jammers,
                       self._look_keys, self.replication_ids, step)

    def _absorb(self, radar, network, looks):
        self.tracks.fold(network, looks)
        look_kernels.note_detections(radar, looks.replication, looks.threat, looks.time_s,
                                     looks.detected, self.first_detection,
                                     self.radar_first_detection, self.fire_control_time,
                                     self._fire_control_battalion[radar])

    def _jammers(self, time_s, position, phase):
        jammers = self.world.jammers
        if jammers.count == 0:
            return None, None
        replications = len(self.replication_ids)
        positions = np.broadcast_to(jammers.position, (replications,) + jammers.position.shape).copy()
        active = np.broadcast_to((jammers.start_s <= time_s) & (time_s < jammers.stop_s),
                                 (replications, jammers.count)).copy()
        carriers = jammers.escorted_threat >= 0
        if carriers.any():
            carried = jammers.escorted_threat[carriers]
            positions[:, carriers] = position[:, carried]
            active[:, carriers] &= self.alive[:, carried] & (phase[:, carried] == 1)
        if not active.any():
            return None, None
        return positions, active

    # -- command and control ---------------------------------------------------------------

    def _reload(self, time_start, time_end):
        battalions = self.world.battalions
        done = self.reload_done < time_end
        if done.any():
            rounds = np.minimum(self.spare, battalions.rounds_per_reload[None])
            self.ready = np.where(done, self.ready + rounds, self.ready)
            self.spare = np.where(done, self.spare - rounds, self.spare)
            self.reload_done[done] = np.inf
        start = (self.ready == 0) & (self.spare > 0) & ~np.isfinite(self.reload_done)
        if start.any():
            self.reload_done[start] = (time_start + battalions.reload_time_s[None, :, None]
                                       + np.zeros_like(self.reload_done))[start]

    def _decide(self, time_start, time_end):
        world = self.world
        battalions, doctrine = world.battalions, world.doctrine
        if world.threats.count == 0:
            return
        # The plans live only for the replications with a candidate this step.
        unit, rows, threats = self._candidates(time_start, time_end)
        if rows.size == 0:
            return
        deciding = np.unique(rows)
        plans = EngagementPlans(deciding.size, battalions.count, world.threats.count)
        bounds = np.searchsorted(unit, np.arange(battalions.count + 1))
        for battalion in range(battalions.count):
            at = slice(bounds[battalion], bounds[battalion + 1])
            if at.start < at.stop:
                self._plan(battalion, self._network_of_battalion[battalion], rows[at],
                           np.searchsorted(deciding, rows[at]), threats[at], time_start,
                           time_end, plans)
        if doctrine.assignment == "optimal" and battalions.count > 1:
            score = plans.score
            kill = np.where(np.isfinite(score), missiles_pk(world, plans.missile), 0.0)
            value = np.max(np.where(np.isfinite(score), score / np.maximum(kill, 1e-12), 0.0), axis=1)
            choice = exact_assignment(value, kill)
        else:
            choice = greedy_rounds(plans.score)
        for battalion in range(battalions.count):
            local = np.flatnonzero(choice[:, battalion] >= 0)
            if local.size == 0:
                continue
            threats = choice[local, battalion]
            rows = deciding[local]
            self.pending_count[rows, battalion] = doctrine.salvo_size
            self.pending_target[rows, battalion] = threats
            self.pending_type[rows, battalion] = plans.missile[local, battalion, threats]
            self.pending_time[rows, battalion] = plans.time[local, battalion, threats]
            self.pending_aim[rows, battalion] = plans.aim[local, battalion, threats]
            self.pending_at[rows, threats] += doctrine.salvo_size

    def _candidates(self, time_start, time_end):
        """(battalion, row, threat) of every open threat on a confirmed track of a free
        battalion's network (`command_kernels.engagement_candidates`)."""
        world = self.world
        battalions, doctrine = world.battalions, world.doctrine
        return command_kernels.engagement_candidates(
            time_start, time_end, self.fate, self.fate_time, doctrine.look_delay_s,
            self.inflight_at, self.pending_at, self.look_until, world.threats.is_decoy,
            doctrine.engage_decoys, self.engaged, self.pending_count, self.next_ready,
            self.ready, battalions.targets_at_once, battalions.missiles_at_once,
            doctrine.salvo_size, self.tracks.confirmed, self._network_of_battalion)

    def _plan(self, battalion, network, rows, local, threats, time_start, time_end, plans):
        """Score engaging each candidate threat from `battalion`, with its best missile
        (`command_kernels.plan_engagements`). `rows` index the chunk's replications, `local`
        the same ones in `plans`."""
        world = self.world
        battalions, missiles, assets, tracks = (world.battalions, world.missiles, world.assets,
                                                self.tracks)
        grids, steps, envelope = self._flyout
        command_kernels.plan_engagements(
            battalion, network, rows, local, threats, time_start, time_end,
            float(battalions.reaction_time_s[battalion]), world.doctrine.track_quality_m,
            self.next_ready, tracks.confirm_time, tracks.means, tracks.covariances, tracks.time,
            self.fire_control_time, FIRE_CONTROL_HOLD_S, self.ready, self.type_order,
            missiles.guidance == GUIDANCE_TRACK_VIA_MISSILE, battalions.position[battalion],
            grids, steps, envelope, INTERCEPT_ITERATIONS, assets.position, assets.value,
            assets.radius_m, THREAT_MARGIN_M, residual_value(assets.value), URGENCY_TIME_S,
            missiles.pk_max, plans.score, plans.missile, plans.time, plans.aim)

    # -- launchers and interceptors ------------------------------------------------------

    def _fire(self, step, time_start, time_end):
        world = self.world
        battalions = world.battalions
        for battalion in range(battalions.count):
            rows = np.flatnonzero((self.pending_count[:, battalion] > 0)
                                  & (self.pending_time[:, battalion] < time_end))
            if rows.size == 0:
                continue
            threats = self.pending_target[rows, battalion]
            missile = self.pending_type[rows, battalion]
            slot = self.slots.free_slot(rows)
            # The command post fires on what it knows: a kill not yet assessed still draws the
            # rest of a salvo; a threat that reached its target is known to be gone.
            known_dead = ((self.fate[rows, threats] == FATE_KILLED)
                          & (time_start >= self.fate_time[rows, threats]
                             + world.doctrine.look_delay_s))
            valid = (~known_dead & (self.fate[rows, threats] != FATE_LEAKED)
                     & (self.ready[rows, battalion, missile] > 0) & (slot >= 0))
            cancelled = rows[~valid]
            self.pending_at[cancelled, threats[~valid]] -= self.pending_count[cancelled, battalion]
            self.pending_count[cancelled, battalion] = 0
            rows, threats, missile, slot = rows[valid], threats[valid], missile[valid], slot[valid]
            if rows.size == 0:
                continue
            launch_time = np.maximum(self.pending_time[rows, battalion], time_start)
            serial = self.shot_count[rows]
            self.shot_count[rows] += 1
            self.slots.launch(world, rows, slot, threats, missile, np.full(rows.shape, battalion),
                              serial, launch_time, time_end, step, self.pending_aim[rows, battalion])
            self.ready[rows, battalion, missile] -= 1
            self.inflight_at[rows, threats] += 1
            self.engaged[rows, battalion, threats] += 1
            self.pending_at[rows, threats] -= 1
            self.pending_count[rows, battalion] -= 1
            interval = battalions.launch_interval_s[battalion]
            self.pending_time[rows, battalion] = launch_time + interval
            self.next_ready[rows, battalion] = launch_time + interval
            self.first_launch[rows, threats] = np.fmin(self.first_launch[rows, threats], launch_time)
            self.shots_at[rows, threats] += 1

    def _fly(self, step, time_start, time_end, threat_start, threat_end, threat_velocity):
        """Guide and fly the interceptors over the step from the threats' start-of-step state."""
        flight = self.slots.fly(
            self.world, step, time_start, time_end, threat_start, threat_end, threat_velocity,
            self._track_picture(), FireControl(self.fire_control_time, FIRE_CONTROL_HOLD_S),
            self.streams, self.replication_ids)
        if flight is not None:
            self._score(flight)
        self._abort_orphans(time_end)

    def _track_picture(self):
        """The fused tracks guidance reads; each missile extrapolates its own (as `estimate`)."""
        return TrackPicture(self.tracks.means, self.tracks.time, self.tracks.exists,
                            self._network_of_battalion)

    def _score(self, flight):
        slots = self.slots
        ended = flight.ended
        rows, slot = flight.rows[ended], flight.slots[ended]
        killed, miss, time_s = flight.killed[ended], flight.miss_distance_m[ended], flight.time_s[ended]
        threats = slots.target[rows, slot]
        battalion = slots.battalion[rows, slot]
        missile = slots.missile_type[rows, slot]
        killed &= self.alive[rows, threats]
        if killed.any():
            # Two kills of one threat in a step: the earlier one counts.
            order = np.lexsort((time_s[killed], rows[killed] * self.world.threats.count + threats[killed]))
            key = (rows[killed] * self.world.threats.count + threats[killed])[order]
            first = order[np.r_[True, key[1:] != key[:-1]]]
            winners = np.flatnonzero(killed)[first]
            killed = np.zeros_like(killed)
            killed[winners] = True
            kill_rows, kill_threats = rows[killed], threats[killed]
            self.alive[kill_rows, kill_threats] = False
            self.fate[kill_rows, kill_threats] = FATE_KILLED
            self.fate_time[kill_rows, kill_threats] = time_s[killed]
            self.killer_type[kill_rows, kill_threats] = missile[killed]
            self.killer_battalion[kill_rows, kill_threats] = battalion[killed]
        self._release(rows, slot, threats, battalion, time_s)
        self.shots.record(slots, self.replication_ids, rows, slot, time_s,
                          np.where(killed, "kill", np.where(miss <= FUZE_REACH_M, "miss", "spent")),
                          miss)

    def _release(self, rows, slot, threats, battalion, time_s):
        """Free the guidance channels of ended missiles; their target gets a look before re-engagement."""
        np.subtract.at(self.inflight_at, (rows, threats), 1)
        np.subtract.at(self.engaged, (rows, battalion, threats), 1)
        look = time_s + self.world.doctrine.look_delay_s
        np.maximum.at(self.look_until, (rows, threats), look)

    def _abort_orphans(self, time_s):
        """Missiles whose target is already destroyed or gone are destroyed in flight."""
        slots = self.slots
        rows, slot = np.nonzero(slots.active)
        if rows.size == 0:
            return
        threats = slots.target[rows, slot]
        orphan = ~self.alive[rows, threats]
        if not orphan.any():
            return
        rows, slot, threats = rows[orphan], slot[orphan], threats[orphan]
        battalion = slots.battalion[rows, slot]
        slots.active[rows, slot] = False
        times = np.full(rows.shape, time_s)
        self._release(rows, slot, threats, battalion, times)
        self.shots.record(slots, self.replication_ids, rows, slot, times,
                          np.full(rows.shape, "aborted"), slots.closest_m[rows, slot])

    # -- leakers and replay ---------------------------------------------------------------

    def _count_leakers(self, phase, time_end):
        threats = self.world.threats
        leaked = self.alive & (phase == 2)
        if not leaked.any():
            return
        rows, index = np.nonzero(leaked)
        self.alive[rows, index] = False
        self.fate[rows, index] = FATE_LEAKED
        arrival = threats.trajectories.end_time_s[index] + self.time_offset[rows, index]
        self.fate_time[rows, index] = np.minimum(arrival, time_end)
        self.asset_hit[rows, index] = (threats.target_asset[index] >= 0) & ~threats.is_decoy[index]

    def _record(self, time_s, threat_position):
        rows = self.record_rows
        self.replay["time_s"].append(time_s)
        self.replay["threats"].append(np.where(self.alive[rows, :, None] | (self.fate[rows, :, None] == FATE_AIRBORNE),
                                               threat_position[rows], np.nan))
        self.replay["missiles"].append(self.slots.position[rows].copy())
        self.replay["missile_active"].append(self.slots.active[rows].copy())


def flyout_pack(missiles):
    """Each missile type's flyout table for `plan_engagements`: time-of-flight grids (a typed
    list, their sizes differ), grid steps (K, 2) and envelope limits (K, 4): minimum ground
    range, maximum slant range, minimum and maximum altitude."""
    grids = numba.typed.List([np.ascontiguousarray(table.time_of_flight_grid_s, dtype=float)
                              for table in missiles.flyout])
    steps = np.array([[table.range_grid_m[1] - table.range_grid_m[0],
                       table.altitude_grid_m[1] - table.altitude_grid_m[0]]
                      for table in missiles.flyout], dtype=float).reshape(-1, 2)
    envelope = np.stack([missiles.minimum_range_m, missiles.maximum_range_m,
                         missiles.minimum_altitude_m, missiles.maximum_altitude_m],
                        axis=-1).astype(float).reshape(-1, 4)
    return grids, steps, envelope


@contextmanager
def cycle_collection_paused():
    """Python's cycle collector off inside the block, as it was outside it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class EngagementPlans:
    """Each battalion's best engagement of each threat, for the replications deciding now.

    `score` (D, B, N) is the marginal return (-inf where no engagement is possible), with the
    missile type, launch time and aim point that earn it.
    """

    def __init__(self, replications: int, battalions: int, threats: int):
        shape = (replications, battalions, threats)
        self.score = np.full(shape, -np.inf)
        self.missile = np.zeros(shape, dtype=np.int64)
        self.time = np.zeros(shape)
        self.aim = np.zeros(shape + (3,))


def missiles_pk(world, missile_type):
    """The nominal single-shot kill probability of each planned round."""
    return world.missiles.pk_max[missile_type]
