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

from zenit.engine.jit import kernel

_PROBABILITY_FLOOR = 1e-300  # as zenit.tracking.imm
_SMALL_TURN_ANGLE = 1e-2  # as zenit.tracking.motion_models


@kernel
def _add_white_noise_acceleration(covariance, dt, variance):
    """P += Q of the discrete white-noise acceleration model (BLK 2001 section 6.3.2)."""
    dt2 = dt * dt
    for axis in range(3):
        covariance[axis, axis] += dt2 * dt2 / 4 * variance
        covariance[axis, axis + 3] += dt2 * dt / 2 * variance
        covariance[axis + 3, axis] += dt2 * dt / 2 * variance
        covariance[axis + 3, axis + 3] += dt2 * variance


@kernel
def _predict_cv(mean, covariance, dt, variance):
    """Constant-velocity prediction in 3x3 blocks: A + dt (B + B^T) + dt^2 C, B + dt C, C."""
    for axis in range(3):
        mean[axis] += dt * mean[axis + 3]
    for i in range(3):
        for j in range(3):
            covariance[i, j] += dt * (covariance[i, j + 3] + covariance[j, i + 3]) + \
                dt * dt * covariance[i + 3, j + 3]
    for i in range(3):
        for j in range(3):
            covariance[i, j + 3] += dt * covariance[i + 3, j + 3]
    for i in range(3):
        for j in range(3):
            covariance[j + 3, i] = covariance[i, j + 3]
    _add_white_noise_acceleration(covariance, dt, variance)


@kernel
def _update_position(mean, covariance, measured, noise, weights):
    """Kalman update with H = [I 0] by a 3x3 Cholesky factor of S = P_pp + R.

    W = L^-1 H P, x += W^T L^-1 nu, P -= W^T W (the cv_bank form, symmetric to the last bit).
    Returns (normalised innovation squared, log det S).
    """
    s00 = covariance[0, 0] + noise[0, 0]
    s10 = covariance[1, 0] + noise[1, 0]
    s20 = covariance[2, 0] + noise[2, 0]
    s11 = covariance[1, 1] + noise[1, 1]
    s21 = covariance[2, 1] + noise[2, 1]
    s22 = covariance[2, 2] + noise[2, 2]
    l00 = math.sqrt(s00)
    l10 = s10 / l00
    l20 = s20 / l00
    l11 = math.sqrt(s11 - l10 * l10)
    l21 = (s21 - l20 * l10) / l11
    l22 = math.sqrt(s22 - l20 * l20 - l21 * l21)
    for k in range(6):
        first = covariance[0, k] / l00
        second = (covariance[1, k] - l10 * first) / l11
        weights[0, k] = first
        weights[1, k] = second
        weights[2, k] = (covariance[2, k] - l20 * first - l21 * second) / l22
    w0 = (measured[0] - mean[0]) / l00
    w1 = (measured[1] - mean[1] - l10 * w0) / l11
    w2 = (measured[2] - mean[2] - l20 * w0 - l21 * w1) / l22
    for k in range(6):
        mean[k] += weights[0, k] * w0 + weights[1, k] * w1 + weights[2, k] * w2
    for i in range(6):
        for j in range(i, 6):
            value = covariance[i, j] - (weights[0, i] * weights[0, j] + weights[1, i] * weights[1, j]
                                        + weights[2, i] * weights[2, j])
            covariance[i, j] = value
            covariance[j, i] = value
    return w0 * w0 + w1 * w1 + w2 * w2, 2.0 * math.log(l00 * l11 * l22)


@kernel
def _turn_blocks(dt, angle, sine, cosine, blocks):
    """The coordinated turn's F = [[I, B], [0, C]] (BLK 2001 section 11.7) as B and C (3x3).

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
    along, turn = blocks[0], blocks[1]
    along[:, :] = 0.0
    turn[:, :] = 0.0
    along[0, 0], along[0, 1] = sine_term, -cosine_term
    along[1, 0], along[1, 1] = cosine_term, sine_term
    along[2, 2] = dt
    turn[0, 0], turn[0, 1] = cosine, -sine
    turn[1, 0], turn[1, 1] = sine, cosine
    turn[2, 2] = 1.0


@kernel
def _predict_turn(mean, covariance, blocks, scratch):
    """x = F x, P = F P F^T (symmetric) for F = [[I, B], [0, C]], by 3x3 blocks.

    P_pp' = P_pp + B P_vp + P_pv B^T + B P_vv B^T, P_pv' = (P_pv + B P_vv) C^T,
    P_vv' = C P_vv C^T: a third of the work of the dense 6x6 product.
    """
    along, turn = blocks[0], blocks[1]
    for i in range(3):
        scratch[0, i] = mean[i] + (along[i, 0] * mean[3] + along[i, 1] * mean[4]
                                   + along[i, 2] * mean[5])
        scratch[1, i] = turn[i, 0] * mean[3] + turn[i, 1] * mean[4] + turn[i, 2] * mean[5]
    for i in range(3):
        mean[i], mean[i + 3] = scratch[0, i], scratch[1, i]
    # Rows of [P_pp + B P_vp, P_pv + B P_vv] = [I B] P, kept in scratch rows 2-4 (6 columns).
    for i in range(3):
        for k in range(6):
            scratch[2 + i, k] = covariance[i, k] + (along[i, 0] * covariance[3, k]
                                                    + along[i, 1] * covariance[4, k]
                                                    + along[i, 2] * covariance[5, k])
    # C P_vv and C P_vp rows, in scratch rows 5-7.
    for i in range(3):
        for k in range(6):
            scratch[5 + i, k] = (turn[i, 0] * covariance[3, k] + turn[i, 1] * covariance[4, k]
                                 + turn[i, 2] * covariance[5, k])
    for i in range(3):
        for j in range(i, 3):
            # ([I B] P [I B]^T)_ij
            value = scratch[2 + i, j] + (scratch[2 + i, 3] * along[j, 0]
                                         + scratch[2 + i, 4] * along[j, 1]
                                         + scratch[2 + i, 5] * along[j, 2])
            covariance[i, j] = value
            covariance[j, i] = value
            # (C P_vv C^T)_ij
            value = (scratch[5 + i, 3] * turn[j, 0] + scratch[5 + i, 4] * turn[j, 1]
                     + scratch[5 + i, 5] * turn[j, 2])
            covariance[3 + i, 3 + j] = value
            covariance[3 + j, 3 + i] = value
        for j in range(3):
            # ([I B] P [0 C]^T)_ij
            value = (scratch[2 + i, 3] * turn[j, 0] + scratch[2 + i, 4] * turn[j, 1]
                     + scratch[2 + i, 5] * turn[j, 2])
            covariance[i, 3 + j] = value
            covariance[3 + j, i] = value


@kernel
def _imm_cycle(means, covariances, probabilities, model_transition, dt, turn_rate,
               cv_variance, turn_variance, measured, noise, work):
    """One IMM cycle in place on (3, 6), (3, 6, 6), (3,): mix, predict, update, reweight."""
    mixed_means, mixed_covariances, blocks, weights, scratch, vectors = work
    models = probabilities.shape[0]
    predicted, log_weights, joint = vectors[0], vectors[1], vectors[2:2 + models]
    predicted[:] = 0.0
    for i in range(models):
        for j in range(models):
            joint[i, j] = probabilities[i] * model_transition[i, j]
            predicted[j] += joint[i, j]
    mixed_means[:, :] = 0.0
    mixed_covariances[:, :, :] = 0.0
    for j in range(models):
        floor = max(predicted[j], _PROBABILITY_FLOOR)
        for i in range(models):
            weight = joint[i, j] / floor
            for m in range(6):
                mixed_means[j, m] += weight * means[i, m]
        for i in range(models):
            weight = joint[i, j] / floor
            for m in range(6):
                spread_m = means[i, m] - mixed_means[j, m]
                for n in range(m, 6):
                    mixed_covariances[j, m, n] += weight * (
                        covariances[i, m, n] + spread_m * (means[i, n] - mixed_means[j, n]))
        for m in range(6):
            for n in range(m + 1, 6):
                mixed_covariances[j, n, m] = mixed_covariances[j, m, n]
    angle = turn_rate * dt  # models: CV, then turns at +omega and -omega
    sine, cosine = math.sin(angle), math.cos(angle)
    for j in range(models):
        means[j] = mixed_means[j]
        covariances[j] = mixed_covariances[j]
        if j == 0:
            _turn_blocks(dt, 0.0, 0.0, 1.0, blocks)
        elif j == 1:
            _turn_blocks(dt, angle, sine, cosine, blocks)
        else:
            _turn_blocks(dt, -angle, -sine, cosine, blocks)
        _predict_turn(means[j], covariances[j], blocks, scratch)
        _add_white_noise_acceleration(covariances[j], dt, cv_variance if j == 0 else turn_variance)
        squared, log_determinant = _update_position(means[j], covariances[j], measured, noise,
                                                    weights)
        log_weights[j] = -0.5 * (squared + log_determinant) + math.log(
            max(predicted[j], _PROBABILITY_FLOOR))
    top = log_weights[:models].max()
    total = 0.0
    for j in range(models):
        log_weights[j] = math.exp(log_weights[j] - top)
        total += log_weights[j]
    for j in range(models):
        probabilities[j] = log_weights[j] / total


@kernel
def _combine(means, covariances, probabilities, mean, covariance):
    """Moment-matched single Gaussian of the model mixture (imm.combine)."""
    models = probabilities.shape[0]
    mean[:] = 0.0
    for j in range(models):
        for m in range(6):
            mean[m] += probabilities[j] * means[j, m]
    covariance[:, :] = 0.0
    for j in range(models):
        for m in range(6):
            spread_m = means[j, m] - mean[m]
            for n in range(6):
                covariance[m, n] += probabilities[j] * (
                    covariances[j, m, n] + spread_m * (means[j, n] - mean[n]))


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
    weights = np.empty((3, 6))
    models = imm_initial.shape[0]
    work = (np.empty((models, 6)), np.empty((models, 6, 6)), np.empty((2, 3, 3)), weights,
            np.empty((8, 6)), np.empty((2 + models, models)))
    for look in range(rows.shape[0]):
        row, threat, now = rows[look], threats[look], time_s[look]
        if detected[look]:
            mean = means[row, network, threat]
            covariance = covariances[row, network, threat]
            slot = imm_slot[threat]
            if slot >= 0:
                held_means = imm_means[row, network, slot]
                held_covariances = imm_covariances[row, network, slot]
                held_probabilities = imm_probabilities[row, network, slot]
                if exists[row, network, threat]:
                    dt = max(now - track_time[row, network, threat], 0.0)
                    acceleration = manoeuvre_acceleration[threat]
                    speed = max(math.sqrt(mean[3] ** 2 + mean[4] ** 2 + mean[5] ** 2),
                                minimum_speed)
                    _imm_cycle(held_means, held_covariances, held_probabilities,
                               model_transition, dt, acceleration / speed, cv_variance,
                               (0.25 * acceleration) ** 2, measured[look], noise[look], work)
                else:
                    for j in range(models):
                        held_means[j] = 0.0
                        held_means[j, :3] = measured[look]
                        held_covariances[j] = 0.0
                        held_covariances[j, :3, :3] = noise[look]
                        for axis in range(3, 6):
                            held_covariances[j, axis, axis] = initial_speed_variance
                        held_probabilities[j] = imm_initial[j]
                _combine(held_means, held_covariances, held_probabilities, mean, covariance)
            elif exists[row, network, threat]:
                dt = max(now - track_time[row, network, threat], 0.0)
                _predict_cv(mean, covariance, dt, acceleration_variance[threat])
                _update_position(mean, covariance, measured[look], noise[look], weights)
            else:
                mean[:] = 0.0
                mean[:3] = measured[look]
                covariance[:, :] = 0.0
                covariance[:3, :3] = noise[look]
                for axis in range(3, 6):
                    covariance[axis, axis] = initial_speed_variance
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
