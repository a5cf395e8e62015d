"""The fused air picture: one potential track per (replication, network, threat), and the
compiled loops that fold looks into it.

A network is what one command post fuses: a regiment's radars, or a lone battalion's. Every
radar of the network updates the same constant-velocity Kalman filter of a threat, so a
battalion can engage on a track its own fire-control radar has never seen (the 40N6 beyond
the 92N6E horizon). Association is by truth, which keeps the picture batched.

A detection updates its (replication, network, threat) track by the constant-velocity filter
of `zenit.tracking.cv_bank` or, for a threat that manoeuvres, by the IMM of
`zenit.tracking.imm` (CV and +/- omega turns) whose combined estimate becomes the track; a
first detection starts one. Every look, hit or miss, then enters the M-of-N window and the
miss count of `zenit.tracking.initiation`; tracks missed too often or coasting too long are
dropped. A look touches only its own track, so the loop gives the same tracks whatever the
chunk.

The loop makes no array views per look and allocates nothing (every Numba view is a
reference-counted object whose atomic counts cost as much as the filter's arithmetic): it
flattens the tables once and filters a track in place by its flat index, an IMM in a scratch
of its models. The formulas and phases are inlined, and take arrays and scalars, never a
tuple of arrays: an out-of-line call, or a tuple handed on, counts a reference per array per
look. The IMM cycle's steps are called one by one, where Numba can prune those counts.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from zenit.compiled import inline_formula, kernel
from zenit.tracking.cv_bank import predict_cv, start_at_plot, update_position
from zenit.tracking.imm import (combine_models, cv_ct_blocks, filter_model, log_weight, mix_models,
                               reweight, sticky_transition_matrix)
from zenit.tracking.initiation import (confirms, consecutive_misses, is_stale, shift_in,
                                       window_mask)

# Prior on a new track's velocity: nothing is known but that threats fly below ~3 km/s.
INITIAL_SPEED_SIGMA_MPS = 1500.0
# IMM of CV and two coordinated turns (+/- omega) for threats that manoeuvre: models stay put
# with probability 0.95 per update (Bar-Shalom, Li, Kirubarajan 2001, section 11.6.6 values
# for a few-second sojourn at a ~1 s revisit), start mostly in CV.
IMM_STAY_PROBABILITY = 0.95
IMM_INITIAL_PROBABILITIES = (0.8, 0.1, 0.1)
IMM_QUIET_ACCELERATION_MPS2 = 3.0  # the CV model's white-noise acceleration, 1 sigma
IMM_MINIMUM_SPEED_MPS = 50.0  # turn rate = design acceleration / max(speed, this)


class TrackTable(NamedTuple):
    """Every track, shaped (R, Q, N) per field: replication, network, threat."""

    means: np.ndarray  # (R, Q, N, 6) [x, y, z, vx, vy, vz]
    covariances: np.ndarray  # (R, Q, N, 6, 6)
    time: np.ndarray  # time of the last update, s
    exists: np.ndarray
    confirmed: np.ndarray
    confirm_time: np.ndarray  # NaN until confirmed
    history: np.ndarray  # uint32: the M-of-N window's looks, newest in bit 0
    misses: np.ndarray  # int16: consecutive misses


class IMMTable(NamedTuple):
    """The IMMs of the threats that manoeuvre, S of them, beside their combined tracks."""

    slot: np.ndarray  # (N,) a threat's IMM slot, -1 for a constant-velocity track
    means: np.ndarray  # (R, Q, S, models, 6)
    covariances: np.ndarray  # (R, Q, S, models, 6, 6)
    probabilities: np.ndarray  # (R, Q, S, models)


class TrackRules(NamedTuple):
    """The filters' and the lifecycle's settings."""

    acceleration_variance: np.ndarray  # (N,) CV white-noise acceleration, m^2/s^4
    manoeuvre_acceleration: np.ndarray  # (N,) design lateral acceleration, m/s^2
    initial_speed_variance: float  # a new track's velocity prior per axis, m^2/s^2
    cv_variance: float  # the IMM's CV model white-noise acceleration, m^2/s^4
    minimum_speed: float  # m/s, for the IMM's turn rate
    initial_probabilities: np.ndarray  # (models,) of a new IMM
    model_transition: np.ndarray  # (models, models) Markov matrix
    window: np.uint32  # the M-of-N window's bits
    confirm_hits: int
    drop_misses: int
    coast_limit_s: float


class LookArrays(NamedTuple):
    """One radar's looks of one step as the track loop takes them (the engine's
    `sensing.Looks` has the same fields)."""

    replication: np.ndarray
    threat: np.ndarray
    time_s: np.ndarray
    detected: np.ndarray
    position: np.ndarray
    covariance: np.ndarray


def _field(name):
    return property(lambda self: getattr(self.table, name), doc=f"TrackTable.{name}")


class FusedTracks:
    """The track table of a chunk, with its IMMs and rules."""

    means, covariances, time, exists, confirmed, confirm_time, history, misses = (
        _field(name) for name in TrackTable._fields)

    def __init__(self, replications: int, networks: int, threats: int,
                 acceleration_variance, confirm_hits: int, confirm_looks: int,
                 drop_misses: int, coast_limit_s: float, manoeuvring=None,
                 manoeuvre_acceleration=None):
        shape = (replications, networks, threats)
        self.table = TrackTable(np.zeros(shape + (6,)), np.zeros(shape + (6, 6)), np.zeros(shape),
                                np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool),
                                np.full(shape, np.nan), np.zeros(shape, dtype=np.uint32),
                                np.zeros(shape, dtype=np.int16))
        manoeuvring = np.zeros(threats, bool) if manoeuvring is None else np.asarray(manoeuvring)
        slot = np.cumsum(manoeuvring) - 1
        slot[~manoeuvring] = -1
        models = len(IMM_INITIAL_PROBABILITIES)
        imm_shape = (replications, networks, int(manoeuvring.sum()), models)
        self.imm = IMMTable(slot, np.zeros(imm_shape + (6,)), np.zeros(imm_shape + (6, 6)),
                            np.zeros(imm_shape))
        self.rules = TrackRules(
            np.broadcast_to(np.asarray(acceleration_variance, dtype=float), (threats,)).copy(),
            np.zeros(threats) if manoeuvre_acceleration is None
            else np.asarray(manoeuvre_acceleration, dtype=float),
            INITIAL_SPEED_SIGMA_MPS**2, IMM_QUIET_ACCELERATION_MPS2**2, IMM_MINIMUM_SPEED_MPS,
            np.asarray(IMM_INITIAL_PROBABILITIES),
            sticky_transition_matrix(IMM_STAY_PROBABILITY, models),
            window_mask(confirm_looks), confirm_hits, drop_misses, coast_limit_s)

    def fold(self, network: int, looks) -> None:
        """Fold one radar's looks of one step (with `LookArrays`' fields) into `network`'s
        tracks."""
        fold_looks(network, LookArrays(
            looks.replication, looks.threat, looks.time_s, looks.detected, looks.position,
            looks.covariance), self.table, self.imm, self.rules)

    def drop_stale(self, time_s: float) -> None:
        """Drop tracks missed too often or coasting too long; the next detection restarts one."""
        drop_stale_tracks(time_s, self.table, self.rules.drop_misses,
                                        self.rules.coast_limit_s)


TURN_NOISE_FRACTION = 0.25  # a turn model's white-noise acceleration, of the design one


@inline_formula
def _cycle_imm(k, track, dt, acceleration, cv_variance, minimum_speed, means, measured, noise,
               look, imm_means, imm_covariances, imm_probabilities, transition, held_means,
               held_covariances, held_probabilities, column, predicted, log_weights, blocks,
               scratch, weights):
    """One IMM cycle (BLK 2001 section 11.6.6) of stored IMM k into the held scratch: mix,
    filter by each model (CV, then turns at +omega and -omega), reweight. The turn rate is the
    design `acceleration` over the track's speed, at least `minimum_speed`."""
    speed = max(math.sqrt(means[track, 3] ** 2 + means[track, 4] ** 2 + means[track, 5] ** 2),
                minimum_speed)
    mix_models(imm_means, imm_covariances, imm_probabilities, k, transition, column,
               predicted, held_means, held_covariances)
    turn_rate = acceleration / speed
    turn_variance = (TURN_NOISE_FRACTION * acceleration) ** 2
    angle = turn_rate * dt
    sine, cosine = math.sin(angle), math.cos(angle)
    for j in range(predicted.shape[0]):
        cv_ct_blocks(j, dt, angle, sine, cosine, blocks)
        log_weights[j] = log_weight(filter_model(
            held_means, held_covariances, j, blocks, dt,
            cv_variance if j == 0 else turn_variance, measured, noise, look, scratch,
            weights), predicted[j])
    reweight(log_weights, held_probabilities)


@inline_formula
def _start_imm(measured, noise, look, initial_probabilities, speed_variance, held_means,
               held_covariances, held_probabilities):
    """Every model of a new IMM at the plot, with the initial model probabilities."""
    for j in range(held_probabilities.shape[0]):
        held_probabilities[j] = initial_probabilities[j]
        start_at_plot(held_means, held_covariances, j, measured, noise, look, speed_variance)


@inline_formula
def _store_imm(k, imm_means, imm_covariances, imm_probabilities, held_means, held_covariances,
               held_probabilities):
    """The held models back into stored IMM k."""
    for j in range(held_probabilities.shape[0]):
        imm_probabilities[k, j] = held_probabilities[j]
        for m in range(6):
            imm_means[k, j, m] = held_means[j, m]
            for n in range(6):
                imm_covariances[k, j, m, n] = held_covariances[j, m, n]


@inline_formula
def _count_look(track, hit, now, window, confirm_hits, exists, confirmed, confirm_time, history,
                misses):
    """M-of-N confirmation over the looks that could have seen the target; misses drop it."""
    window_bits = shift_in(history[track], hit, window)
    history[track] = window_bits
    misses[track] = consecutive_misses(misses[track], hit)
    if exists[track] and not confirmed[track] and confirms(window_bits, confirm_hits):
        confirmed[track] = True
        confirm_time[track] = now


@kernel
def fold_looks(network, looks, tracks, imm, rules):
    """Fold one network's looks (a `LookArrays`: measured (C, 3) and noise (C, 3, 3) are the
    plots where detected) into its tracks (a `TrackTable`, with the `IMMTable` of the threats
    that manoeuvre), in place."""
    networks, threats = tracks.exists.shape[1], tracks.exists.shape[2]
    slots, models = imm.probabilities.shape[2], imm.probabilities.shape[3]
    rows, targets, times, detected, measured, noise = looks
    means, covariances = tracks.means.reshape((-1, 6)), tracks.covariances.reshape((-1, 6, 6))
    time, exists = tracks.time.reshape(-1), tracks.exists.reshape(-1)
    confirmed, confirm_time = tracks.confirmed.reshape(-1), tracks.confirm_time.reshape(-1)
    history, misses = tracks.history.reshape(-1), tracks.misses.reshape(-1)
    imm_means, imm_covariances = imm.means.reshape((-1, models, 6)), imm.covariances.reshape(
        (-1, models, 6, 6))
    imm_probabilities = imm.probabilities.reshape((-1, models))
    slots_of, acceleration_variance = imm.slot, rules.acceleration_variance
    manoeuvre_acceleration, initial = rules.manoeuvre_acceleration, rules.initial_probabilities
    transition, speed_variance = rules.model_transition, rules.initial_speed_variance
    cv_variance, minimum_speed = rules.cv_variance, rules.minimum_speed
    window, confirm_hits = rules.window, rules.confirm_hits
    held_means, held_covariances = np.empty((models, 6)), np.empty((models, 6, 6))
    held_probabilities, column, predicted = np.empty(models), np.empty(models), np.empty(models)
    log_weights, blocks = np.empty(models), np.empty((2, 3, 3))
    weights, scratch = np.empty((3, 6)), np.empty((8, 6))
    for look in range(rows.shape[0]):
        threat, now = targets[look], times[look]
        track = (rows[look] * networks + network) * threats + threat
        if detected[look]:
            slot = slots_of[threat]
            if slot >= 0:
                k = (rows[look] * networks + network) * slots + slot
                if exists[track]:
                    _cycle_imm(k, track, max(now - time[track], 0.0),
                               manoeuvre_acceleration[threat], cv_variance, minimum_speed,
                               means, measured, noise, look, imm_means, imm_covariances,
                               imm_probabilities, transition, held_means, held_covariances,
                               held_probabilities, column, predicted, log_weights, blocks,
                               scratch, weights)
                else:
                    _start_imm(measured, noise, look, initial, speed_variance,
                               held_means, held_covariances, held_probabilities)
                _store_imm(k, imm_means, imm_covariances, imm_probabilities, held_means,
                           held_covariances, held_probabilities)
                combine_models(held_means, held_covariances, held_probabilities, means,
                               covariances, track)
            elif exists[track]:
                predict_cv(means, covariances, track, max(now - time[track], 0.0),
                           acceleration_variance[threat])
                update_position(means, covariances, track, measured, noise, look, weights)
            else:
                start_at_plot(means, covariances, track, measured, noise, look, speed_variance)
            exists[track] = True
            time[track] = max(time[track], now)
        _count_look(track, detected[look], now, window, confirm_hits, exists, confirmed,
                    confirm_time, history, misses)


@kernel
def drop_stale_tracks(time_s, tracks, drop_misses, coast_limit_s):
    """Drop tracks missed `drop_misses` times running or coasting over `coast_limit_s`: one
    pass over the `TrackTable` in place, as `FusedTracks.drop_stale` describes."""
    exists, confirmed = tracks.exists.reshape(-1), tracks.confirmed.reshape(-1)
    confirm_time, history = tracks.confirm_time.reshape(-1), tracks.history.reshape(-1)
    misses, track_time = tracks.misses.reshape(-1), tracks.time.reshape(-1)
    for i in range(exists.shape[0]):
        if exists[i] and is_stale(misses[i], time_s - track_time[i], drop_misses, coast_limit_s):
            exists[i] = False
            confirmed[i] = False
            confirm_time[i] = np.nan
            history[i] = 0
            misses[i] = 0
