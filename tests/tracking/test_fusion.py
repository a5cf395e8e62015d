"""The fused tracks' compiled loops against the reference filters of `zenit.tracking`.

Bar-Shalom, Li, Kirubarajan 2001 (BLK 2001): the constant-velocity Kalman filter with
discrete white-noise acceleration (sections 5.2.4, 6.3.2) is `kalman.predict` and
`kalman.update`; the IMM cycle
(section 11.6.6) is written out on the generic filter of `zenit.tracking.kalman`, then
`imm.combine`. `FusedTracks.fold` must give the
same estimates, the M-of-N lifecycle must confirm on the M-th hit in N looks, and
`drop_stale_tracks` must drop what its NumPy expressions drop.
"""

import numpy as np

from zenit.tracking import imm, kalman
from zenit.tracking.fusion import (IMM_INITIAL_PROBABILITIES, IMM_MINIMUM_SPEED_MPS,
                                   IMM_QUIET_ACCELERATION_MPS2, IMM_STAY_PROBABILITY,
                                   INITIAL_SPEED_SIGMA_MPS, FusedTracks, LookArrays, TrackTable,
                                   drop_stale_tracks)
from zenit.tracking.motion_models import (constant_velocity_transition,
                                          discrete_white_noise_acceleration)


def _random_covariances(generator, count, size, scale, floor):
    factor = generator.normal(0.0, scale, (count, size, size))
    return factor @ np.swapaxes(factor, -1, -2) + floor * np.eye(size)


def _looks(rows, threats, time_s, detected, position, covariance):
    return LookArrays(np.asarray(rows), np.asarray(threats), np.asarray(time_s, dtype=float),
                      np.asarray(detected, dtype=bool), np.asarray(position, dtype=float),
                      np.asarray(covariance, dtype=float))


def _tracks(replications, threats, manoeuvring=None, acceleration=None, variance=4.0):
    return FusedTracks(replications, 2, threats, variance, confirm_hits=2, confirm_looks=3,
                       drop_misses=3, coast_limit_s=30.0, manoeuvring=manoeuvring,
                       manoeuvre_acceleration=acceleration)


def _measurements(generator, means, count):
    measured = means[:, :3] + generator.normal(0.0, 200.0, (count, 3))
    return measured, _random_covariances(generator, count, 3, 20.0, 25.0)


def test_existing_cv_tracks_follow_the_reference_filter_bank():
    generator = np.random.default_rng(11)
    count = 40
    tracks = _tracks(count, 1, variance=9.0)
    means = generator.normal(0.0, 1e4, (count, 6))
    covariances = _random_covariances(generator, count, 6, 40.0, 100.0)
    last_update = generator.uniform(0.0, 5.0, count)
    tracks.means[:, 1, 0], tracks.covariances[:, 1, 0] = means, covariances
    tracks.exists[:, 1, 0], tracks.time[:, 1, 0] = True, last_update
    time_s = generator.uniform(5.0, 9.0, count)
    measured, noise = _measurements(generator, means, count)

    tracks.fold(1, _looks(np.arange(count), np.zeros(count, int), time_s, np.ones(count),
                          measured, noise))

    dt = time_s - last_update
    mean, covariance = kalman.predict(means, covariances, constant_velocity_transition(dt),
                                      discrete_white_noise_acceleration(dt, 9.0))
    mean, covariance, _, _ = kalman.update(mean, covariance, measured,
                                           kalman.position_measurement_matrix(), noise)
    np.testing.assert_allclose(tracks.means[:, 1, 0], mean, rtol=1e-10, atol=1e-6)
    np.testing.assert_allclose(tracks.covariances[:, 1, 0], covariance, rtol=1e-8, atol=1e-6)
    np.testing.assert_array_equal(tracks.time[:, 1, 0], time_s)
    assert not tracks.exists[:, 0, 0].any()  # the other network is untouched


def test_a_first_detection_starts_a_track_at_the_plot_with_a_wide_velocity_prior():
    generator = np.random.default_rng(12)
    tracks = _tracks(3, 2)
    measured, noise = _measurements(generator, generator.normal(0.0, 1e4, (3, 6)), 3)
    tracks.fold(0, _looks([0, 1, 2], [1, 1, 0], [1.0, 2.0, 3.0], [True, False, True],
                          measured, noise))
    started = np.array([[False, True], [False, False], [True, False]])
    np.testing.assert_array_equal(tracks.exists[:, 0], started)
    np.testing.assert_array_equal(tracks.means[0, 0, 1], np.r_[measured[0], 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(tracks.covariances[2, 0, 0, :3, :3], noise[2])
    np.testing.assert_array_equal(np.diag(tracks.covariances[2, 0, 0])[3:],
                                  [INITIAL_SPEED_SIGMA_MPS**2] * 3)
    assert tracks.covariances[2, 0, 0, :3, 3:].sum() == 0.0


def _reference_imm_step(state, dt, turn_rate, cv_variance, turn_variance, switching, measured,
                        noise):
    """The IMM cycle of BLK 2001 section 11.6.6 in matrix form, on the generic Kalman filter
    of `zenit.tracking.kalman`: mixing, mode-matched filters, model likelihoods."""
    joint = state.probabilities[..., :, None] * switching
    predicted = joint.sum(axis=-2)
    weights = joint / predicted[..., None, :]
    mixed = np.einsum("...ij,...in->...jn", weights, state.means)
    spread = state.means[..., :, None, :] - mixed[..., None, :, :]
    mixed_covariances = np.einsum("...ij,...imn->...jmn", weights, state.covariances) + np.einsum(
        "...ij,...ijmn->...jmn", weights, spread[..., :, None] * spread[..., None, :])
    transitions, noises = imm.cv_ct_models(dt, turn_rate, cv_variance, turn_variance)
    means, covariances = kalman.predict(mixed, mixed_covariances, transitions, noises)
    means, covariances, innovation, innovation_covariance = kalman.update(
        means, covariances, measured[:, None], kalman.position_measurement_matrix(),
        noise[:, None])
    likelihood = np.exp(kalman.log_likelihood(innovation, innovation_covariance)) * predicted
    return imm.IMMState(means, covariances, likelihood / likelihood.sum(axis=-1, keepdims=True))


def test_manoeuvring_threats_go_through_the_reference_imm_cycle():
    generator = np.random.default_rng(13)
    count = 30
    acceleration = np.array([0.0, 60.0])
    tracks = _tracks(count, 2, manoeuvring=np.array([False, True]), acceleration=acceleration)
    means = generator.normal(0.0, 1e4, (count, 6))
    means[:, 3:] = generator.normal(0.0, 250.0, (count, 3))
    covariances = _random_covariances(generator, count, 6, 30.0, 100.0)
    probabilities = generator.dirichlet(np.ones(3), count)
    state = imm.initial_state(means, covariances, (1.0, 0.0, 0.0))
    model_means = state.means + generator.normal(0.0, 50.0, state.means.shape)
    state = imm.IMMState(model_means, state.covariances, probabilities)
    combined, combined_covariance = imm.combine(state)
    tracks.imm.means[:, 1, 0], tracks.imm.covariances[:, 1, 0] = state.means, state.covariances
    tracks.imm.probabilities[:, 1, 0] = probabilities
    tracks.means[:, 1, 1], tracks.covariances[:, 1, 1] = combined, combined_covariance
    tracks.exists[:, 1, 1] = True
    last_update = generator.uniform(0.0, 2.0, count)
    tracks.time[:, 1, 1] = last_update
    time_s = last_update + generator.uniform(0.1, 3.0, count)
    measured, noise = _measurements(generator, combined, count)

    tracks.fold(1, _looks(np.arange(count), np.ones(count, int), time_s, np.ones(count),
                          measured, noise))

    speed = np.maximum(np.linalg.norm(combined[:, 3:], axis=-1), IMM_MINIMUM_SPEED_MPS)
    reference = _reference_imm_step(state, time_s - last_update, 60.0 / speed,
                                    IMM_QUIET_ACCELERATION_MPS2**2, (0.25 * 60.0) ** 2,
                                    imm.sticky_transition_matrix(IMM_STAY_PROBABILITY, 3),
                                    measured, noise)
    np.testing.assert_allclose(tracks.imm.means[:, 1, 0], reference.means, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(tracks.imm.covariances[:, 1, 0], reference.covariances,
                               rtol=1e-7, atol=1e-6)
    np.testing.assert_allclose(tracks.imm.probabilities[:, 1, 0], reference.probabilities,
                               rtol=1e-8, atol=1e-12)
    mean, covariance = imm.combine(reference)
    np.testing.assert_allclose(tracks.means[:, 1, 1], mean, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(tracks.covariances[:, 1, 1], covariance, rtol=1e-7, atol=1e-6)


def test_a_new_manoeuvring_track_starts_every_model_at_the_plot():
    tracks = _tracks(1, 1, manoeuvring=np.array([True]), acceleration=np.array([50.0]))
    noise = np.diag([100.0, 400.0, 900.0])[None]
    tracks.fold(0, _looks([0], [0], [4.0], [True], [[1.0, 2.0, 3.0]], noise))
    np.testing.assert_array_equal(tracks.imm.probabilities[0, 0, 0], IMM_INITIAL_PROBABILITIES)
    np.testing.assert_array_equal(tracks.imm.means[0, 0, 0, :, :3], [[1.0, 2.0, 3.0]] * 3)
    np.testing.assert_allclose(tracks.means[0, 0, 0], [1.0, 2.0, 3.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(np.diag(tracks.covariances[0, 0, 0]),
                               [100.0, 400.0, 900.0] + [INITIAL_SPEED_SIGMA_MPS**2] * 3)


def test_two_hits_in_three_looks_confirm_and_misses_count_up():
    tracks = _tracks(1, 1)
    plot = np.zeros((1, 3))
    noise = 100.0 * np.eye(3)[None]
    sequence = [True, False, True, False, False]
    confirmed_after = []
    for look, hit in enumerate(sequence):
        tracks.fold(0, _looks([0], [0], [float(look)], [hit], plot, noise))
        confirmed_after.append(bool(tracks.confirmed[0, 0, 0]))
    # 2-of-3: hit, miss, hit confirms on the third look, at its time.
    assert confirmed_after == [False, False, True, True, True]
    assert tracks.confirm_time[0, 0, 0] == 2.0
    assert tracks.misses[0, 0, 0] == 2
    tracks.fold(0, _looks([0], [0], [5.0], [False], plot, noise))
    tracks.drop_stale(5.0)  # three misses in a row drop it
    assert not tracks.exists[0, 0, 0] and not tracks.confirmed[0, 0, 0]


def test_misses_alone_never_start_or_confirm_a_track():
    tracks = _tracks(2, 1)
    for look in range(4):
        tracks.fold(0, _looks([0, 1], [0, 0], [float(look)] * 2, [False, False],
                              np.zeros((2, 3)), np.zeros((2, 3, 3))))
    assert not tracks.exists.any() and not tracks.confirmed.any()
    np.testing.assert_array_equal(tracks.misses[:, 0, 0], [4, 4])


def test_drop_stale_tracks_matches_the_numpy_expressions():
    rng = np.random.default_rng(3)
    shape = (40, 2, 25)
    exists = rng.random(shape) < 0.7
    confirmed = exists & (rng.random(shape) < 0.5)
    confirm_time = np.where(confirmed, rng.uniform(0, 50, shape), np.nan)
    history = rng.integers(0, 8, shape).astype(np.uint32)
    misses = rng.integers(0, 5, shape).astype(np.int16)
    track_time = rng.uniform(0.0, 60.0, shape)
    time_s, drop_misses, coast_limit_s = 70.0, 3, 30.0

    stale = exists & ((misses >= drop_misses) | (time_s - track_time > coast_limit_s))
    assert 0 < stale.sum() < exists.sum()
    expected = [array.copy() for array in (exists, confirmed, confirm_time, history, misses)]
    for array, value in zip(expected, (False, False, np.nan, 0, 0)):
        array[stale] = value

    drop_stale_tracks(time_s, TrackTable(np.zeros(shape + (6,)), np.zeros(shape + (6, 6)),
                                         track_time, exists, confirmed, confirm_time, history,
                                         misses), drop_misses, coast_limit_s)
    for have, want in zip((exists, confirmed, confirm_time, history, misses), expected):
        np.testing.assert_array_equal(have, want)
