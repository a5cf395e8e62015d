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

import numpy as np

from zenit.c2.command_post import CommandPost
from zenit.c2.engagement_tables import FIRE_CONTROL_HOLD_S
from zenit.engine import look_kernels
from zenit.engine.interceptors import FUZE_REACH_M, FireControl, InterceptorSlots, TrackPicture
from zenit.engine.motion import move_threats
from zenit.engine.motion_bounds import motion_bounds
from zenit.engine.outcome import ChunkOutcome, ShotLog, ThreatOutcomes
from zenit.engine.sensing import (JammerField, Receiver, Site, observe, radar_coverage,
                                  radar_schedule)
from zenit.engine.streams import RandomStreams, stream_key
from zenit.engine.world import World
from zenit.physics.fates import FATE_AIRBORNE, FATE_KILLED, FATE_LEAKED
from zenit.physics.threats import ENDED, FLYING
from zenit.tracking.fusion import FusedTracks

__all__ = ["ChunkSimulation", "FIRE_CONTROL_HOLD_S", "cycle_collection_paused"]

TRACK_COAST_LIMIT_S = 30.0
# The CV filter's white-noise acceleration variance: (half the manoeuvre capability)² + 1 m²/s⁴.
MANOEUVRE_NOISE_FRACTION, QUIET_NOISE_VARIANCE = 0.5, 1.0
TRACK_MAINTENANCE_S = 1.0  # a multifunction radar keeps unengaged tracks at about 1 Hz


class ChunkSimulation:
    """Replications `replication_ids` of `world` under `seed`, run by `run()`."""

    def __init__(self, world: World, seed: int, replication_ids, record=()):
        self.world = world
        self.streams = RandomStreams(seed)
        self.replication_ids = np.asarray(replication_ids, dtype=np.int64)
        self.record_rows = np.flatnonzero(np.isin(self.replication_ids,
                                                  np.asarray(list(record), dtype=np.int64)))
        replications, threats = len(self.replication_ids), world.threats
        ids, entity = self.replication_ids[:, None], np.arange(threats.count)
        self.time_offset = threats.launch_jitter_s * self.streams.normal("launch-jitter", ids,
                                                                         entity)
        self.lateral_offset = threats.lateral_sigma_m * self.streams.normal("route-offset", ids,
                                                                            entity)
        self.outcome = ThreatOutcomes.start(replications, threats.count, world.radars.count)
        self.tracks = FusedTracks(replications, world.network_count, threats.count,
                                  (MANOEUVRE_NOISE_FRACTION * threats.manoeuvre_acceleration) ** 2
                                  + QUIET_NOISE_VARIANCE,
                                  world.doctrine.confirm_hits, world.doctrine.confirm_looks,
                                  world.doctrine.drop_misses, TRACK_COAST_LIMIT_S,
                                  threats.manoeuvring, threats.manoeuvre_acceleration)
        self.fire_control_time = np.full((replications, world.battalions.count, threats.count),
                                         -np.inf)
        self.command = CommandPost(world, replications, self.tracks, self.fire_control_time)
        self.slots = InterceptorSlots(replications, world.missile_slots)
        self.shots = ShotLog()
        self.replay = {"time_s": [], "threats": [], "missiles": [], "missile_active": []}
        self._network_of_battalion = world.battalions.network
        self._radars_start(replications)

    def _radars_start(self, replications):
        """Each radar's site, parameters, detection tables, jammer field and look schedule."""
        world = self.world
        radars, threats = world.radars.count, world.threats.count
        # When each radar may next look at each pair (look_kernels.scheduled_looks keeps it).
        self.next_look = np.zeros((replications, radars, threats))
        # What the looks may skip: each pair's top speed and height over its flight, and when
        # it may next be in each radar's coverage (scheduled_looks keeps that too).
        self.speed_bound, self.height_bound = motion_bounds(world.threats.trajectories,
                                                            self.lateral_offset)
        self.visible_after = np.full((replications, radars, threats), -np.inf)
        ground = world.metadata.get("radar_ground_m", {})
        self.sites = [Site.of(world.radars.position[radar], ground.get(radar, 0.0))
                      for radar in range(radars)]
        self._schedules = [radar_schedule(world.radars, radar, TRACK_MAINTENANCE_S)
                           for radar in range(radars)]
        self._coverages = [radar_coverage(world.radars, radar) for radar in range(radars)]
        self._receivers = [Receiver.of(world, radar, site) for radar, site in enumerate(self.sites)]
        self._jammer_fields = [JammerField(world, radar, site, replications)
                               for radar, site in enumerate(self.sites)]
        self._look_keys = (stream_key(self.streams, "detection"),
                           stream_key(self.streams, "measurement"))
        self._fire_control_battalion = {
            radar: np.flatnonzero(world.battalions.fire_control_radars[:, radar])
            for radar in range(radars)}

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
            self.command.reload(time_start, time_end)
            self.command.decide(time_start, time_end, self.outcome)
            self.command.fire(step, time_start, time_end, self.outcome, self.slots)
            self._fly(step, time_start, time_end, position, new_position, velocity)
            self._count_leakers(phase, time_end)
            if self.record_rows.size:
                self._record(time_end, new_position)
            position, velocity = new_position, new_velocity
            if not self.outcome.alive.any() and not self.slots.active.any():
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
        return move_threats(bank, time_s, self.time_offset, self.lateral_offset,
                            self.outcome.alive, position, velocity)

    # -- radars and tracks -----------------------------------------------------------------

    def _sense(self, step, time_start, time_end, position_start, position_end, phase):
        world = self.world
        if not (self.outcome.alive & (phase == FLYING)).any():
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
            state = self.command.state
            engaged = state.engaged[:, battalion]
            pending_count = state.pending_count[:, battalion]
            pending_target = state.pending_target[:, battalion]
        else:
            engaged = np.zeros((0, 0), dtype=np.int64)
            pending_count = pending_target = np.zeros(0, dtype=np.int64)
        candidates = look_kernels.scheduled_looks(
            radar, self._schedules[radar], self._coverages[radar], site, self.outcome.alive,
            phase, self.next_look, position_start, position_end, self.tracks.confirmed[:, network],
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
                                     looks.detected, self.outcome.first_detection,
                                     self.outcome.radar_first_detection, self.fire_control_time,
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
            active[:, carriers] &= self.outcome.alive[:, carried] & (phase[:, carried] == FLYING)
        if not active.any():
            return None, None
        return positions, active

    # -- interceptors ------------------------------------------------------------------

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
        """Record the missiles that ended this step: kills (the earliest per threat), misses
        and spent rounds; their channels free up."""
        slots, outcome = self.slots, self.outcome
        ended = flight.ended
        rows, slot = flight.rows[ended], flight.slots[ended]
        killed, miss, time_s = flight.killed[ended], flight.miss_distance_m[ended], flight.time_s[ended]
        threats = slots.target[rows, slot]
        battalion = slots.battalion[rows, slot]
        killed = _first_kills(killed & outcome.alive[rows, threats], rows, threats, time_s,
                              self.world.threats.count)
        if killed.any():
            kill_rows, kill_threats = rows[killed], threats[killed]
            outcome.alive[kill_rows, kill_threats] = False
            outcome.fate[kill_rows, kill_threats] = FATE_KILLED
            outcome.fate_time[kill_rows, kill_threats] = time_s[killed]
            outcome.killer_type[kill_rows, kill_threats] = slots.missile_type[rows, slot][killed]
            outcome.killer_battalion[kill_rows, kill_threats] = battalion[killed]
        self.command.release(rows, threats, battalion, time_s)
        self.shots.record(slots, self.replication_ids, rows, slot, time_s,
                          np.where(killed, "kill", np.where(miss <= FUZE_REACH_M, "miss", "spent")),
                          miss)

    def _abort_orphans(self, time_s):
        """Missiles whose target is already destroyed or gone are destroyed in flight."""
        slots = self.slots
        rows, slot = np.nonzero(slots.active)
        if rows.size == 0:
            return
        threats = slots.target[rows, slot]
        orphan = ~self.outcome.alive[rows, threats]
        if not orphan.any():
            return
        rows, slot, threats = rows[orphan], slot[orphan], threats[orphan]
        slots.active[rows, slot] = False
        times = np.full(rows.shape, time_s)
        self.command.release(rows, threats, slots.battalion[rows, slot], times)
        self.shots.record(slots, self.replication_ids, rows, slot, times,
                          np.full(rows.shape, "aborted"), slots.closest_m[rows, slot])

    # -- leakers and replay ---------------------------------------------------------------

    def _count_leakers(self, phase, time_end):
        threats, outcome = self.world.threats, self.outcome
        leaked = outcome.alive & (phase == ENDED)
        if not leaked.any():
            return
        rows, index = np.nonzero(leaked)
        outcome.alive[rows, index] = False
        outcome.fate[rows, index] = FATE_LEAKED
        arrival = threats.trajectories.end_time_s[index] + self.time_offset[rows, index]
        outcome.fate_time[rows, index] = np.minimum(arrival, time_end)
        outcome.asset_hit[rows, index] = (threats.target_asset[index] >= 0) & ~threats.is_decoy[index]

    def _record(self, time_s, threat_position):
        rows, outcome = self.record_rows, self.outcome
        self.replay["time_s"].append(time_s)
        shown = outcome.alive[rows, :, None] | (outcome.fate[rows, :, None] == FATE_AIRBORNE)
        self.replay["threats"].append(np.where(shown, threat_position[rows], np.nan))
        self.replay["missiles"].append(self.slots.position[rows].copy())
        self.replay["missile_active"].append(self.slots.active[rows].copy())


def _first_kills(killed, rows, threats, time_s, threat_count):
    """`killed` keeping only the earliest kill of each (row, threat) this step."""
    if not killed.any():
        return killed
    key = rows[killed] * threat_count + threats[killed]
    order = np.lexsort((time_s[killed], key))
    first = order[np.r_[True, key[order][1:] != key[order][:-1]]]
    winners = np.zeros_like(killed)
    winners[np.flatnonzero(killed)[first]] = True
    return winners


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
