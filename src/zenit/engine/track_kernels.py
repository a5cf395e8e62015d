"""Compiled loop folding one radar's looks of one step into the fused tracks.

For each look that counted: a detection updates the (replication, network, threat) track,
by a constant-velocity Kalman filter (the algebra of `zenit.tracking.cv_bank`) or, for a
threat that manoeuvres, by an IMM of CV and +/- omega coordinated turns (the cycle of
`zenit.tracking.imm.step`, BLK 2001 section 11.6.6) whose combined estimate becomes the
track; a first detection starts a track. Then every look, hit or miss, enters the M-of-N
window that confirms a track and the miss count that drops it. Each look touches only its
own track and a radar looks at a pair at most once a step, so looks are independent and the
loop gives the same tracks whatever the chunk. `tests/engine/test_track_kernels.py` checks it
against `CVFilterBank` and `imm.step`.
"""

from __future__ import annotations

import math

import numpy as np

from zenit.engine.jit import inline_kernel, kernel

_PROBABILITY_FLOOR = 1e-300  # as zenit.tracking.imm
_SMALL_TURN_ANGLE = 1e-2  # as zenit.tracking.motion_models

# The per-look loop makes no array views and allocates nothing: in Numba every view
# (`means[row, network, threat]`) is a reference-counted object whose atomic incref/decref
# cost as much as the filter's arithmetic. fold_looks allocates its scratch once and moves a
# track into it (or mixes an IMM into it) by scalar indices; the steps below take whole arrays
# and index them in full, with a model index `j` (a CV track is model 0 of the same scratch).
# They are inlined: an out-of-line call increfs every array it is passed, and inlined, Numba
# prunes those counts only where a helper's arrays are all released in one place, so the IMM
# cycle's steps are called one by one from fold_looks rather than through one helper with
# loops over the models. Every step keeps the reference's arithmetic operand for operand, and
# copies are exact, so the tracks are bitwise those of the view-based code.


@inline_kernel
def _add_white_noise_acceleration(covariances, j, dt, variance):
    """P += Q of the discrete white-noise acceleration model (BLK 2001 section 6.3.2)."""
    dt2 = dt * dt
    for axis in range(3):
        covariances[j, axis, axis] += dt2 * dt2 / 4 * variance
        covariances[j, axis, axis + 3] += dt2 * dt / 2 * variance
        covariances[j, axis + 3, axis] += dt2 * dt / 2 * variance
        covariances[j, axis + 3, axis + 3] += dt2 * variance


@inline_kernel
def _predict_cv(means, covariances, j, dt, variance):
    """Constant-velocity prediction in 3x3 blocks: A + dt (B + B^T) + dt^2 C, B + dt C, C."""
    for axis in range(3):
        means[j, axis] += dt * means[j, axis + 3]
    for i in range(3):
        for k in range(3):
            covariances[j, i, k] += dt * (covariances[j, i, k + 3] + covariances[j, k, i + 3]) + \
                dt * dt * covariances[j, i + 3, k + 3]
    for i in range(3):
        for k in range(3):
            covariances[j, i, k + 3] += dt * covariances[j, i + 3, k + 3]
    for i in range(3):
        for k in range(3):
            covariances[j, k + 3, i] = covariances[j, i, k + 3]
    _add_white_noise_acceleration(covariances, j, dt, variance)


@inline_kernel
def _update_position(means, covariances, j, measured, noise, look, weights):
    """Kalman update of model j with H = [I 0] by a 3x3 Cholesky factor of S = P_pp + R.

    The plot is `measured[look]`, `noise[look]`. W = L^-1 H P, x += W^T L^-1 nu,
    P -= W^T W (the cv_bank form, symmetric to the last bit).
    Returns (normalised innovation squared, log det S).
    """
    s00 = covariances[j, 0, 0] + noise[look, 0, 0]
    s10 = covariances[j, 1, 0] + noise[look, 1, 0]
    s20 = covariances[j, 2, 0] + noise[look, 2, 0]
    s11 = covariances[j, 1, 1] + noise[look, 1, 1]
    s21 = covariances[j, 2, 1] + noise[look, 2, 1]
    s22 = covariances[j, 2, 2] + noise[look, 2, 2]
    # The factor's diagonal inverted once: multiplications, not 23 divisions, per update.
    l00 = math.sqrt(s00)
    i00 = 1.0 / l00
    l10 = s10 * i00
    l20 = s20 * i00
    l11 = math.sqrt(s11 - l10 * l10)
    i11 = 1.0 / l11
    l21 = (s21 - l20 * l10) * i11
    l22 = math.sqrt(s22 - l20 * l20 - l21 * l21)
    i22 = 1.0 / l22
    for k in range(6):
        first = covariances[j, 0, k] * i00
        second = (covariances[j, 1, k] - l10 * first) * i11
        weights[0, k] = first
        weights[1, k] = second
        weights[2, k] = (covariances[j, 2, k] - l20 * first - l21 * second) * i22
    w0 = (measured[look, 0] - means[j, 0]) * i00
    w1 = (measured[look, 1] - means[j, 1] - l10 * w0) * i11
    w2 = (measured[look, 2] - means[j, 2] - l20 * w0 - l21 * w1) * i22
    for k in range(6):
        means[j, k] += weights[0, k] * w0 + weights[1, k] * w1 + weights[2, k] * w2
    for i in range(6):
        for k in range(i, 6):
            value = covariances[j, i, k] - (weights[0, i] * weights[0, k]
                                            + weights[1, i] * weights[1, k]
                                            + weights[2, i] * weights[2, k])
            covariances[j, i, k] = value
            covariances[j, k, i] = value
    return w0 * w0 + w1 * w1 + w2 * w2, 2.0 * math.log(l00 * l11 * l22)


@inline_kernel
def _turn_blocks(dt, angle, sine, cosine, blocks):
    """The coordinated turn's F = [[I, B], [0, C]] (BLK 2001 section 11.7) as B, C (3x3):
    blocks[0] and blocks[1].

    `angle` = omega dt with its sine and cosine; 0 gives the constant-velocity model
    (B = dt I, C = I).
    """
    if abs(angle) < _SMALL_TURN_ANGLE:
        a2 = angle * angle
        sine_term = dt * (1 - a2 / 6 + a2 * a2 / 120)
        cosine_term = dt * (angle / 2 - angle * a2 / 24 + angle * a2 * a2 / 720)
    else:
        sine_term = dt * (sine / angle)
        cosine_term = dt * ((1 - cosine) / angle)
    for block in range(2):
        for i in range(3):
            for k in range(3):
                blocks[block, i, k] = 0.0
    blocks[0, 0, 0], blocks[0, 0, 1] = sine_term, -cosine_term
    blocks[0, 1, 0], blocks[0, 1, 1] = cosine_term, sine_term
    blocks[0, 2, 2] = dt
    blocks[1, 0, 0], blocks[1, 0, 1] = cosine, -sine
    blocks[1, 1, 0], blocks[1, 1, 1] = sine, cosine
    blocks[1, 2, 2] = 1.0


@inline_kernel
def _predict_turn(means, covariances, j, blocks, scratch):
    """x = F x, P = F P F^T (symmetric) of model j for F = [[I, B], [0, C]], by 3x3 blocks
    (B = blocks[0], C = blocks[1]).

    P_pp' = P_pp + B P_vp + P_pv B^T + B P_vv B^T, P_pv' = (P_pv + B P_vv) C^T,
    P_vv' = C P_vv C^T: a third of the work of the dense 6x6 product.
    """
    for i in range(3):
        scratch[0, i] = means[j, i] + (blocks[0, i, 0] * means[j, 3] + blocks[0, i, 1] * means[j, 4]
                                       + blocks[0, i, 2] * means[j, 5])
        scratch[1, i] = (blocks[1, i, 0] * means[j, 3] + blocks[1, i, 1] * means[j, 4]
                         + blocks[1, i, 2] * means[j, 5])
    for i in range(3):
        means[j, i], means[j, i + 3] = scratch[0, i], scratch[1, i]
    # Rows of [P_pp + B P_vp, P_pv + B P_vv] = [I B] P, kept in scratch rows 2-4 (6 columns).
    for i in range(3):
        for k in range(6):
            scratch[2 + i, k] = covariances[j, i, k] + (blocks[0, i, 0] * covariances[j, 3, k]
                                                        + blocks[0, i, 1] * covariances[j, 4, k]
                                                        + blocks[0, i, 2] * covariances[j, 5, k])
    # C P_vv and C P_vp rows, in scratch rows 5-7.
    for i in range(3):
        for k in range(6):
            scratch[5 + i, k] = (blocks[1, i, 0] * covariances[j, 3, k]
                                 + blocks[1, i, 1] * covariances[j, 4, k]
                                 + blocks[1, i, 2] * covariances[j, 5, k])
    for i in range(3):
        for k in range(i, 3):
            # ([I B] P [I B]^T)_ik
            value = scratch[2 + i, k] + (scratch[2 + i, 3] * blocks[0, k, 0]
                                         + scratch[2 + i, 4] * blocks[0, k, 1]
                                         + scratch[2 + i, 5] * blocks[0, k, 2])
            covariances[j, i, k] = value
            covariances[j, k, i] = value
            # (C P_vv C^T)_ik
            value = (scratch[5 + i, 3] * blocks[1, k, 0] + scratch[5 + i, 4] * blocks[1, k, 1]
                     + scratch[5 + i, 5] * blocks[1, k, 2])
            covariances[j, 3 + i, 3 + k] = value
            covariances[j, 3 + k, 3 + i] = value
        for k in range(3):
            # ([I B] P [0 C]^T)_ik
            value = (scratch[2 + i, 3] * blocks[1, k, 0] + scratch[2 + i, 4] * blocks[1, k, 1]
                     + scratch[2 + i, 5] * blocks[1, k, 2])
            covariances[j, i, 3 + k] = value
            covariances[j, 3 + k, i] = value


@inline_kernel
def _imm_mix(imm_means, imm_covariances, imm_probabilities, row, network, slot,
             model_transition, column, predicted, means, covariances):
    """IMM interaction (BLK 2001 section 11.6.6, imm.mix): the mixed initial condition of
    every model from the stored imm_*[row, network, slot], into the scratch `means` (models, 6)
    and `covariances` (models, 6, 6).

    Sets predicted[j] = c_j = sum_i mu_i p_ij; `column` holds model j's mu_i p_ij. Read
    straight from the stored IMM, which is overwritten only after the cycle. Every sum runs
    over i ascending from 0.0, as in the reference.
    """
    models = predicted.shape[0]
    for j in range(models):
        predicted[j] = 0.0
        for i in range(models):
            column[i] = imm_probabilities[row, network, slot, i] * model_transition[i, j]
            predicted[j] += column[i]
        floor = max(predicted[j], _PROBABILITY_FLOOR)
        for m in range(6):
            means[j, m] = 0.0
            for n in range(6):
                covariances[j, m, n] = 0.0
        for i in range(models):
            weight = column[i] / floor
            for m in range(6):
                means[j, m] += weight * imm_means[row, network, slot, i, m]
        for i in range(models):
            weight = column[i] / floor
            for m in range(6):
                spread_m = imm_means[row, network, slot, i, m] - means[j, m]
                for n in range(m, 6):
                    covariances[j, m, n] += weight * (
                        imm_covariances[row, network, slot, i, m, n]
                        + spread_m * (imm_means[row, network, slot, i, n] - means[j, n]))
        for m in range(6):
            for n in range(m + 1, 6):
                covariances[j, n, m] = covariances[j, m, n]


@inline_kernel
def _imm_filter(means, covariances, j, blocks, dt, variance, measured, noise, look, scratch,
                weights):
    """Mode-matched filtering (BLK 2001 section 11.6.6) of model j: predict by F = blocks
    (see _turn_blocks) plus white-noise acceleration `variance`, update by the plot.

    Returns log Lambda_j, the plot's log likelihood -(nu' S^-1 nu + log det S) / 2 up to the
    constant that cancels in _imm_reweight.
    """
    _predict_turn(means, covariances, j, blocks, scratch)
    _add_white_noise_acceleration(covariances, j, dt, variance)
    squared, log_determinant = _update_position(means, covariances, j, measured, noise, look,
                                                weights)
    return -0.5 * (squared + log_determinant)


@inline_kernel
def _imm_reweight(log_weights, probabilities):
    """Mode probabilities mu_j proportional to Lambda_j c_j (BLK 2001 section 11.6.6,
    imm.update_probabilities) from `log_weights` = log(Lambda_j c_j), in place: exp after
    taking off the largest, found as ndarray.max finds it (the first NaN wins)."""
    models = probabilities.shape[0]
    top = log_weights[0]
    j = 1
    while j < models and not math.isnan(top):
        if math.isnan(log_weights[j]) or log_weights[j] > top:
            top = log_weights[j]
        j += 1
    total = 0.0
    for j in range(models):
        log_weights[j] = math.exp(log_weights[j] - top)
        total += log_weights[j]
    for j in range(models):
        probabilities[j] = log_weights[j] / total


@inline_kernel
def _combine(means, covariances, probabilities, mean, covariance, row, network, threat):
    """Moment-matched single Gaussian of the model mixture (imm.combine), written to the track
    mean[row, network, threat] and covariance[row, network, threat].

    Each element sums over the models in model order from 0.0, as imm.combine.
    """
    models = probabilities.shape[0]
    for m in range(6):
        total = 0.0
        for j in range(models):
            total += probabilities[j] * means[j, m]
        mean[row, network, threat, m] = total
    for m in range(6):
        for n in range(6):
            total = 0.0
            for j in range(models):
                total += probabilities[j] * (
                    covariances[j, m, n] + (means[j, m] - mean[row, network, threat, m])
                    * (means[j, n] - mean[row, network, threat, n]))
            covariance[row, network, threat, m, n] = total


@kernel
def fold_looks(network, rows, threats, time_s, detected, measured, noise,
               means, covariances, track_time, exists, confirmed, confirm_time, history,
               misses, acceleration_variance, window, confirm_hits, initial_speed_variance,
               imm_slot, imm_means, imm_covariances, imm_probabilities, imm_initial,
               model_transition, manoeuvre_acceleration, cv_variance, minimum_speed):
    """Fold the looks (rows, threats, time_s, detected) of one network into its tracks.

    `measured` (C, 3) and `noise` (C, 3, 3) are the plots where `detected`. Track arrays are
    those of `FusedTracks`, updated in place.
    """
    models = imm_initial.shape[0]
    # Scratch for the whole loop: the track or IMM being filtered (a CV track is model 0), and
    # the filters' working arrays.
    held_means = np.empty((max(models, 1), 6))
    held_covariances = np.empty((max(models, 1), 6, 6))
    held_probabilities = np.empty(models)
    blocks = np.empty((2, 3, 3))
    weights = np.empty((3, 6))
    scratch = np.empty((8, 6))
    column = np.empty(models)
    predicted = np.empty(models)
    log_weights = np.empty(models)
    for look in range(rows.shape[0]):
        row, threat, now = rows[look], threats[look], time_s[look]
        if detected[look]:
            slot = imm_slot[threat]
            if slot >= 0:
                if exists[row, network, threat]:
                    # One IMM cycle (BLK 2001 section 11.6.6) into the scratch: mix, filter
                    # by each model (CV, then turns at +omega and -omega), reweight.
                    dt = max(now - track_time[row, network, threat], 0.0)
                    acceleration = manoeuvre_acceleration[threat]
                    speed = max(math.sqrt(means[row, network, threat, 3] ** 2
                                          + means[row, network, threat, 4] ** 2
                                          + means[row, network, threat, 5] ** 2), minimum_speed)
                    _imm_mix(imm_means, imm_covariances, imm_probabilities, row, network, slot,
                             model_transition, column, predicted, held_means, held_covariances)
                    turn_rate = acceleration / speed
                    turn_variance = (0.25 * acceleration) ** 2
                    angle = turn_rate * dt
                    sine, cosine = math.sin(angle), math.cos(angle)
                    for j in range(models):
                        if j == 0:
                            _turn_blocks(dt, 0.0, 0.0, 1.0, blocks)
                        elif j == 1:
                            _turn_blocks(dt, angle, sine, cosine, blocks)
                        else:
                            _turn_blocks(dt, -angle, -sine, cosine, blocks)
                        log_weights[j] = _imm_filter(
                            held_means, held_covariances, j, blocks, dt,
                            cv_variance if j == 0 else turn_variance, measured, noise, look,
                            scratch, weights) + math.log(max(predicted[j], _PROBABILITY_FLOOR))
                    _imm_reweight(log_weights, held_probabilities)
                else:
                    for j in range(models):
                        held_probabilities[j] = imm_initial[j]
                        for m in range(6):
                            held_means[j, m] = measured[look, m] if m < 3 else 0.0
                            for n in range(6):
                                held_covariances[j, m, n] = (
                                    noise[look, m, n] if m < 3 and n < 3
                                    else initial_speed_variance if m == n else 0.0)
                for j in range(models):
                    imm_probabilities[row, network, slot, j] = held_probabilities[j]
                    for m in range(6):
                        imm_means[row, network, slot, j, m] = held_means[j, m]
                        for n in range(6):
                            imm_covariances[row, network, slot, j, m, n] = held_covariances[j, m, n]
                _combine(held_means, held_covariances, held_probabilities, means, covariances,
                         row, network, threat)
            elif exists[row, network, threat]:
                for m in range(6):
                    held_means[0, m] = means[row, network, threat, m]
                    for n in range(6):
                        held_covariances[0, m, n] = covariances[row, network, threat, m, n]
                dt = max(now - track_time[row, network, threat], 0.0)
                _predict_cv(held_means, held_covariances, 0, dt, acceleration_variance[threat])
                _update_position(held_means, held_covariances, 0, measured, noise, look, weights)
                for m in range(6):
                    means[row, network, threat, m] = held_means[0, m]
                    for n in range(6):
                        covariances[row, network, threat, m, n] = held_covariances[0, m, n]
            else:
                for m in range(6):
                    means[row, network, threat, m] = measured[look, m] if m < 3 else 0.0
                    for n in range(6):
                        covariances[row, network, threat, m, n] = (
                            noise[look, m, n] if m < 3 and n < 3
                            else initial_speed_variance if m == n else 0.0)
            exists[row, network, threat] = True
            track_time[row, network, threat] = max(track_time[row, network, threat], now)
        # M-of-N confirmation over the looks that could have seen the target; misses drop it.
        hit = np.uint32(1) if detected[look] else np.uint32(0)
        window_bits = ((history[row, network, threat] << np.uint32(1)) | hit) & window
        history[row, network, threat] = window_bits
        misses[row, network, threat] = 0 if detected[look] else misses[row, network, threat] + 1
        if exists[row, network, threat] and not confirmed[row, network, threat]:
            hits = 0
            while window_bits:
                hits += 1
                window_bits &= window_bits - np.uint32(1)
            if hits >= confirm_hits:
                confirmed[row, network, threat] = True
                confirm_time[row, network, threat] = now


@kernel
def drop_stale_tracks(time_s, exists, confirmed, confirm_time, history, misses, track_time,
                      drop_misses, coast_limit_s):
    """Drop tracks missed `drop_misses` times running or coasting over `coast_limit_s`: one
    pass over (R, Q, N) in place, as `FusedTracks.drop_stale` describes."""
    flat_exists = exists.reshape(-1)
    flat_confirmed = confirmed.reshape(-1)
    flat_confirm_time = confirm_time.reshape(-1)
    flat_history = history.reshape(-1)
    flat_misses = misses.reshape(-1)
    flat_time = track_time.reshape(-1)
    for i in range(flat_exists.shape[0]):
        if not flat_exists[i]:
            continue
        if flat_misses[i] >= drop_misses or time_s - flat_time[i] > coast_limit_s:
            flat_exists[i] = False
            flat_confirmed[i] = False
            flat_confirm_time[i] = np.nan
            flat_history[i] = 0
            flat_misses[i] = 0
