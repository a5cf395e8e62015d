"""Batched interacting multiple model (IMM) filter.

Blom and Bar-Shalom (1988, IEEE TAC 33(8)); Bar-Shalom, Li, Kirubarajan 2001 (BLK 2001),
section 11.6.6. One cycle: mix the model-conditioned estimates through the Markov model
transition matrix, run each model's Kalman filter, reweight the models by their measurement
likelihoods, and combine them into one estimate for the rest of the engine.

Arrays carry arbitrary batch axes (...) and a model axis r just before the state axes: means
(..., r, n), covariances (..., r, n, n), model probabilities (..., r).

Model set. The kernels take any set of linear models sharing one state. `cv_ct_models` gives
the set the engine uses: constant velocity plus two coordinated turns at fixed rates +omega
and -omega (BLK 2001 section 11.7.1), all on [x, y, z, vx, vy, vz]. Fixed-rate turns are
linear, so every model runs through the same Kalman kernel in one batched call and mixing
needs no state augmentation; the turn rate may differ per track and per step (for example a
threat's design lateral acceleration over its estimated ground speed, from
`motion_models.turn_rate_for_acceleration`), which keeps the turn models matched to the
threat without the linearisation of a turn-rate-as-state EKF.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from zenit.tracking import kalman
from zenit.tracking.motion_models import (constant_velocity_transition,
                                          coordinated_turn_transition,
                                          discrete_white_noise_acceleration)

# Floor on predicted model probabilities, so a model never dies out by underflow.
_PROBABILITY_FLOOR = 1e-300


class IMMState(NamedTuple):
    """Model-conditioned estimates and model probabilities of a batch of IMM filters."""

    means: object
    covariances: object
    probabilities: object


def sticky_transition_matrix(stay_probability, model_count: int, xp=np):
    """Markov matrix p[i, j] = P(model j now | model i before): stay with `stay_probability`,
    otherwise switch to each other model with equal probability."""
    stay = xp.asarray(stay_probability, dtype=xp.float64)[..., None, None]
    eye = xp.eye(model_count, dtype=xp.float64)
    return stay * eye + (1 - stay) * (1 - eye) / (model_count - 1)


def mix(state: IMMState, model_transition, xp=np):
    """Interaction step, BLK 2001 section 11.6.6: mixed initial conditions for every model.

    Returns (mixed_means, mixed_covariances, predicted_probabilities), where predicted
    probabilities are c_j = sum_i p_ij mu_i.
    """
    means, covariances, probabilities = state
    joint = probabilities[..., :, None] * model_transition  # (..., i, j)
    predicted = xp.sum(joint, axis=-2)
    weights = joint / xp.maximum(predicted, _PROBABILITY_FLOOR)[..., None, :]
    mixed_means = xp.einsum("...ij,...in->...jn", weights, means)
    spread = means[..., :, None, :] - mixed_means[..., None, :, :]  # (..., i, j, n)
    outer = spread[..., :, None] * spread[..., None, :]
    mixed_covariances = xp.einsum("...ij,...imn->...jmn", weights, covariances)
    mixed_covariances = mixed_covariances + xp.einsum("...ij,...ijmn->...jmn", weights, outer)
    return mixed_means, mixed_covariances, predicted


def update_probabilities(predicted_probabilities, log_likelihoods, mask=None, xp=np):
    """mu_j proportional to Lambda_j c_j (BLK 2001 section 11.6.6), in logs against underflow.

    Where `mask` (...) is False there was no measurement and mu_j = c_j.
    """
    log_weights = log_likelihoods + xp.log(xp.maximum(predicted_probabilities,
                                                      _PROBABILITY_FLOOR))
    log_weights = log_weights - xp.max(log_weights, axis=-1, keepdims=True)
    weights = xp.exp(log_weights)
    updated = weights / xp.sum(weights, axis=-1, keepdims=True)
    if mask is None:
        return updated
    return xp.where(xp.asarray(mask, dtype=bool)[..., None], updated, predicted_probabilities)


def combine(state: IMMState, xp=np):
    """Moment-matched single Gaussian (mean (..., n), covariance (..., n, n)) of the mixture."""
    means, covariances, probabilities = state
    mean = xp.einsum("...j,...jn->...n", probabilities, means)
    spread = means - mean[..., None, :]
    covariance = xp.einsum("...j,...jmn->...mn", probabilities,
                           covariances + spread[..., :, None] * spread[..., None, :])
    return mean, covariance


def step(state: IMMState, transitions, process_noises, model_transition, measurement,
         measurement_matrix, measurement_noise, mask=None, xp=np) -> IMMState:
    """One IMM cycle: mix, predict and update every model, reweight the models.

    `transitions` and `process_noises` are (..., r, n, n) (see `cv_ct_models`),
    `model_transition` (r, r) or (..., r, r), `measurement` (...), `measurement_noise`
    (m, m) or (..., m, m). Where `mask` is False the cycle only predicts.
    """
    mixed_means, mixed_covariances, predicted = mix(state, model_transition, xp)
    means, covariances = kalman.predict(mixed_means, mixed_covariances, transitions,
                                        process_noises, xp)
    noise = xp.asarray(measurement_noise, dtype=xp.float64)
    if noise.ndim > 2:
        noise = noise[..., None, :, :]
    model_mask = None if mask is None else xp.asarray(mask, dtype=bool)[..., None]
    means, covariances, innovation, innovation_covariance = kalman.update(
        means, covariances, xp.asarray(measurement)[..., None, :], measurement_matrix, noise,
        model_mask, xp)
    log_likelihoods = kalman.log_likelihood(innovation, innovation_covariance, xp)
    probabilities = update_probabilities(predicted, log_likelihoods, mask, xp)
    return IMMState(means, covariances, probabilities)


def cv_ct_models(dt, turn_rate, cv_acceleration_variance, turn_acceleration_variance, xp=np):
    """Transitions and process noises (..., 3, 6, 6) of the models CV, CT(+omega), CT(-omega).

    `turn_rate` (rad/s, scalar or per batch element) is the magnitude of the turn models'
    rate; the acceleration variances (m^2/s^4) are their discrete white-noise levels.
    """
    dt = xp.asarray(dt, dtype=xp.float64)
    rate = xp.asarray(turn_rate, dtype=xp.float64)
    dt, rate = xp.broadcast_arrays(dt, rate)
    transitions = xp.stack([
        xp.broadcast_to(constant_velocity_transition(dt, 3, xp), dt.shape + (6, 6)),
        coordinated_turn_transition(dt, rate, xp),
        coordinated_turn_transition(dt, -rate, xp),
    ], axis=-3)
    cv_noise = discrete_white_noise_acceleration(dt, cv_acceleration_variance, 3, xp)
    ct_noise = discrete_white_noise_acceleration(dt, turn_acceleration_variance, 3, xp)
    cv_noise, ct_noise = xp.broadcast_arrays(cv_noise, ct_noise)
    process_noises = xp.stack([cv_noise, ct_noise, ct_noise], axis=-3)
    return transitions, process_noises


def initial_state(mean, covariance, probabilities, xp=np) -> IMMState:
    """Every model starts from the same estimate, with the given model probabilities (r,)."""
    probabilities = xp.asarray(probabilities, dtype=xp.float64)
    models = probabilities.shape[-1]
    mean = xp.asarray(mean, dtype=xp.float64)
    covariance = xp.asarray(covariance, dtype=xp.float64)
    means = xp.broadcast_to(mean[..., None, :], mean.shape[:-1] + (models, mean.shape[-1]))
    covariances = xp.broadcast_to(covariance[..., None, :, :],
                                  covariance.shape[:-2] + (models,) + covariance.shape[-2:])
    batch = mean.shape[:-1]
    return IMMState(xp.array(means), xp.array(covariances),
                    xp.array(xp.broadcast_to(probabilities, batch + (models,))))
