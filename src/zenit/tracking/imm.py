"""Interacting multiple model (IMM) filter of constant velocity and coordinated turns.

Blom and Bar-Shalom (1988, IEEE TAC 33(8)); Bar-Shalom, Li, Kirubarajan 2001 (BLK 2001),
section 11.6.6. One cycle: mix the model-conditioned estimates through the Markov model
transition matrix, run each model's Kalman filter, reweight the models by their measurement
likelihoods, and combine them into one estimate for the rest of the engine.

Models: constant velocity and coordinated turns at fixed rates +omega and -omega (BLK 2001
section 11.7.1) on [x, y, z, vx, vy, vz]: linear, so mixing needs no state augmentation; the
rate may differ per track and step. The formulas work on a scratch of the models (r, 6),
(r, 6, 6) and the stored IMM k of (K, r, ...) arrays; the array functions run them over
batches: means (..., r, 6), covariances (..., r, 6, 6), model probabilities (..., r).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from zenit.compiled import formula, inline_formula, kernel
from zenit.tracking.cv_bank import update_position
from zenit.tracking.motion_models import (add_white_noise_acceleration,
                                          coordinated_turn_transition,
                                          discrete_white_noise_acceleration, predict_turn,
                                          turn_blocks)

# Floor on predicted model probabilities, so a model never dies out by underflow.
PROBABILITY_FLOOR = 1e-300


@inline_formula
def mix_models(model_means, model_covariances, model_probabilities, k, model_transition,
               column, predicted, means, covariances):
    """Interaction (BLK 2001 section 11.6.6): every model's mixed initial condition of stored
    IMM k into `means`, `covariances`; predicted[j] = c_j = sum_i mu_i p_ij (i ascending)."""
    models = predicted.shape[0]
    for j in range(models):
        predicted[j] = 0.0
        for i in range(models):
            column[i] = model_probabilities[k, i] * model_transition[i, j]
            predicted[j] += column[i]
        floor = max(predicted[j], PROBABILITY_FLOOR)
        for m in range(6):
            means[j, m] = 0.0
            for n in range(6):
                covariances[j, m, n] = 0.0
        for i in range(models):
            weight = column[i] / floor
            for m in range(6):
                means[j, m] += weight * model_means[k, i, m]
        for i in range(models):
            weight = column[i] / floor
            for m in range(6):
                spread_m = model_means[k, i, m] - means[j, m]
                for n in range(m, 6):
                    covariances[j, m, n] += weight * (
                        model_covariances[k, i, m, n]
                        + spread_m * (model_means[k, i, n] - means[j, n]))
        for m in range(6):
            for n in range(m + 1, 6):
                covariances[j, n, m] = covariances[j, m, n]


@inline_formula
def cv_ct_blocks(j, dt, angle, sine, cosine, blocks):
    """The transition blocks (see `turn_blocks`) of model j: CV, CT(+omega), CT(-omega), for
    the turn angle omega dt with its sine and cosine."""
    if j == 0:
        turn_blocks(dt, 0.0, 0.0, 1.0, blocks)
    elif j == 1:
        turn_blocks(dt, angle, sine, cosine, blocks)
    else:
        turn_blocks(dt, -angle, -sine, cosine, blocks)


@inline_formula
def predict_model(means, covariances, j, blocks, dt, variance, scratch):
    """Model j's prediction by F = blocks plus white-noise acceleration `variance`."""
    predict_turn(means, covariances, j, blocks, scratch)
    add_white_noise_acceleration(covariances, j, dt, variance)


@inline_formula
def filter_model(means, covariances, j, blocks, dt, variance, measured, noise, look, scratch,
                 weights):
    """Mode-matched filtering (BLK 2001 section 11.6.6) of model j by the plot `look`:
    log Lambda_j = -(nu' S^-1 nu + log det S) / 2, up to a constant that cancels."""
    predict_model(means, covariances, j, blocks, dt, variance, scratch)
    squared, log_determinant = update_position(means, covariances, j, measured, noise, look,
                                               weights)
    return -0.5 * (squared + log_determinant)


@formula
def log_weight(log_likelihood, predicted):
    """log(Lambda_j c_j), with c_j floored against underflow."""
    return log_likelihood + math.log(max(predicted, PROBABILITY_FLOOR))


@inline_formula
def reweight(log_weights, probabilities):
    """mu_j proportional to Lambda_j c_j (BLK 2001 section 11.6.6) from `log_weights`, in place:
    exp after taking off the largest, found as ndarray.max finds it (the first NaN wins)."""
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


@inline_formula
def combine_models(means, covariances, probabilities, mean, covariance, track):
    """Moment-matched single Gaussian of the model mixture into mean[track], covariance[track]."""
    models = probabilities.shape[0]
    for m in range(6):
        total = 0.0
        for j in range(models):
            total += probabilities[j] * means[j, m]
        mean[track, m] = total
    for m in range(6):
        for n in range(6):
            total = 0.0
            for j in range(models):
                total += probabilities[j] * (covariances[j, m, n] + (means[j, m] - mean[track, m])
                                             * (means[j, n] - mean[track, n]))
            covariance[track, m, n] = total


class IMMState(NamedTuple):
    """Model-conditioned estimates and model probabilities of a batch of IMM filters."""

    means: object
    covariances: object
    probabilities: object


def sticky_transition_matrix(stay_probability, model_count: int):
    """Markov matrix p[i, j] = P(model j now | model i before): stay with `stay_probability`,
    otherwise switch to each other model with equal probability."""
    stay = np.asarray(stay_probability, dtype=np.float64)[..., None, None]
    eye = np.eye(model_count, dtype=np.float64)
    return stay * eye + (1 - stay) * (1 - eye) / (model_count - 1)


def _rows(value, batch, tail=()):
    """`value` broadcast to batch + tail as C-contiguous float64 rows (-1,) + tail."""
    value = np.broadcast_to(np.asarray(value, dtype=np.float64), batch + tail)
    return np.ascontiguousarray(value).reshape((-1,) + tail)


def _flat(state: IMMState):
    """The state as C-contiguous (K, r, 6), (K, r, 6, 6), (K, r) arrays and its batch shape."""
    batch, models = np.shape(state.means)[:-2], np.shape(state.means)[-2]
    return (_rows(state.means, batch, (models, 6)), _rows(state.covariances, batch, (models, 6, 6)),
            _rows(state.probabilities, batch, (models,))), batch


@kernel
def _mix(means, covariances, probabilities, model_transition, mixed_means, mixed_covariances,
         predicted):
    column = np.empty(probabilities.shape[1])
    for k in range(means.shape[0]):
        mix_models(means, covariances, probabilities, k, model_transition, column, predicted[k],
                   mixed_means[k], mixed_covariances[k])


def mix(state: IMMState, model_transition):
    """Interaction (BLK 2001 section 11.6.6) by `model_transition` (r, r): (mixed_means,
    mixed_covariances, predicted probabilities c_j = sum_i p_ij mu_i)."""
    (means, covariances, probabilities), batch = _flat(state)
    mixed = np.empty_like(means), np.empty_like(covariances), np.empty_like(probabilities)
    _mix(means, covariances, probabilities, np.asarray(model_transition, dtype=np.float64),
         *mixed)
    return tuple(array.reshape(batch + array.shape[1:]) for array in mixed)


@kernel
def _combine(means, covariances, probabilities, mean, covariance):
    for k in range(means.shape[0]):
        combine_models(means[k], covariances[k], probabilities[k], mean, covariance, k)


def combine(state: IMMState):
    """Moment-matched single Gaussian (mean (..., 6), covariance (..., 6, 6)) of the mixture."""
    (means, covariances, probabilities), batch = _flat(state)
    mean, covariance = np.empty((means.shape[0], 6)), np.empty((means.shape[0], 6, 6))
    _combine(means, covariances, probabilities, mean, covariance)
    return mean.reshape(batch + (6,)), covariance.reshape(batch + (6, 6))


@kernel
def _step(means, covariances, probabilities, model_transition, dt, turn_rate, cv_variance,
          turn_variance, measured, noise, mask, out_means, out_covariances, out_probabilities):
    models = probabilities.shape[1]
    column, log_weights = np.empty(models), np.empty(models)
    blocks, scratch, weights = np.empty((2, 3, 3)), np.empty((8, 6)), np.empty((3, 6))
    for k in range(means.shape[0]):
        mixed_means, mixed_covariances = out_means[k], out_covariances[k]
        mix_models(means, covariances, probabilities, k, model_transition, column,
                   out_probabilities[k], mixed_means, mixed_covariances)
        angle = turn_rate[k] * dt[k]
        sine, cosine = math.sin(angle), math.cos(angle)
        for j in range(models):
            cv_ct_blocks(j, dt[k], angle, sine, cosine, blocks)
            variance = cv_variance[k] if j == 0 else turn_variance[k]
            if mask[k]:
                log_weights[j] = log_weight(
                    filter_model(mixed_means, mixed_covariances, j, blocks, dt[k], variance,
                                 measured, noise, k, scratch, weights),
                    out_probabilities[k, j])
            else:
                predict_model(mixed_means, mixed_covariances, j, blocks, dt[k], variance, scratch)
        if mask[k]:
            reweight(log_weights, out_probabilities[k])


def step(state: IMMState, dt, turn_rate, cv_acceleration_variance, turn_acceleration_variance,
         model_transition, measurement, measurement_noise, mask=None) -> IMMState:
    """One IMM cycle of CV, CT(+omega), CT(-omega): mix, predict and update every model by the
    position `measurement` (..., 3), covariance (..., 3, 3), reweight; only predict where
    `mask` is False. dt, turn_rate (rad/s), variances (m^2/s^4): scalars or per filter."""
    (means, covariances, probabilities), batch = _flat(state)
    mask = np.ones(batch, dtype=bool) if mask is None else mask
    out = np.empty_like(means), np.empty_like(covariances), np.empty_like(probabilities)
    _step(means, covariances, probabilities, np.asarray(model_transition, dtype=np.float64),
          *(_rows(value, batch) for value in (dt, turn_rate, cv_acceleration_variance,
                                             turn_acceleration_variance)),
          _rows(measurement, batch, (3,)), _rows(measurement_noise, batch, (3, 3)),
          np.broadcast_to(np.asarray(mask, dtype=bool), batch).ravel(), *out)
    return IMMState(*(array.reshape(batch + array.shape[1:]) for array in out))


def cv_ct_models(dt, turn_rate, cv_acceleration_variance, turn_acceleration_variance):
    """Transitions and process noises (..., 3, 6, 6) of CV, CT(+omega), CT(-omega) for the turn
    rate (rad/s) and the white-noise acceleration variances (m^2/s^4)."""
    rate = np.asarray(turn_rate, dtype=np.float64)
    transitions = [coordinated_turn_transition(dt, rate * sign) for sign in (0.0, 1.0, -1.0)]
    cv_noise, ct_noise = np.broadcast_arrays(
        discrete_white_noise_acceleration(dt, cv_acceleration_variance, 3),
        discrete_white_noise_acceleration(dt, turn_acceleration_variance, 3))
    return np.stack(transitions, axis=-3), np.stack([cv_noise, ct_noise, ct_noise], axis=-3)


def initial_state(mean, covariance, probabilities) -> IMMState:
    """Every model starts from the same estimate, with the given model probabilities (r,)."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    mean, covariance = np.asarray(mean, dtype=np.float64), np.asarray(covariance, dtype=np.float64)
    models = probabilities.shape[-1]
    return IMMState(np.repeat(mean[..., None, :], models, axis=-2),
                    np.repeat(covariance[..., None, :, :], models, axis=-3),
                    np.array(np.broadcast_to(probabilities, mean.shape[:-1] + (models,))))
