"""Compiled loops folding one radar's looks of one step into the fused tracks.

A detection updates its (replication, network, threat) track by the constant-velocity filter
of `zenit.tracking.cv_bank` or, for a threat that manoeuvres, by the IMM of
`zenit.tracking.imm` (CV and +/- omega turns) whose combined estimate becomes the track; a
first detection starts one. Every look, hit or miss, then enters the M-of-N window and the
miss count of `zenit.tracking.initiation`. A look touches only its own track, so the loop
gives the same tracks whatever the chunk.

The loop makes no array views per look and allocates nothing (every Numba view is a
reference-counted object whose atomic counts cost as much as the filter's arithmetic): it
flattens the tables once and filters a track in place by its flat index, an IMM in a scratch
of its models. The formulas and phases are inlined, and take arrays and scalars, never a
tuple of arrays: an out-of-line call, or a tuple handed on, counts a reference per array per
look. The IMM cycle's steps are called one by one, where Numba can prune those counts.
"""

from __future__ import annotations

import math

import numpy as np

from zenit.compiled import inline_formula, kernel
from zenit.tracking.cv_bank import predict_cv, start_at_plot, update_position
from zenit.tracking.imm import (combine_models, cv_ct_blocks, filter_model, log_weight, mix_models,
                               reweight)
from zenit.tracking.initiation import confirms, consecutive_misses, is_stale, shift_in

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
