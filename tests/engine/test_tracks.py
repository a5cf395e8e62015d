"""The engine's fused tracks: the fast IMM cycle equals the reference `tracking.imm.step`."""

import numpy as np

from zenit.engine.tracks import _imm_cycle
from zenit.tracking import imm, kalman


def test_fast_imm_cycle_matches_the_reference_step():
    # Bar-Shalom, Li, Kirubarajan 2001, section 11.6.6: the same IMM cycle computed two ways.
    generator = np.random.default_rng(4)
    count = 50
    mean = generator.normal(0.0, 1e3, (count, 6))
    factor = generator.normal(0.0, 30.0, (count, 6, 6))
    covariance = factor @ np.swapaxes(factor, -1, -2) + 100.0 * np.eye(6)
    state = imm.initial_state(mean, covariance, (0.6, 0.3, 0.1))
    transitions, noises = imm.cv_ct_models(generator.uniform(0.1, 2.0, count),
                                           generator.uniform(0.01, 0.2, count), 9.0, 400.0)
    model_transition = imm.sticky_transition_matrix(0.95, 3)
    measurement = mean[:, :3] + generator.normal(0.0, 50.0, (count, 3))
    noise_factor = generator.normal(0.0, 20.0, (count, 3, 3))
    noise = noise_factor @ np.swapaxes(noise_factor, -1, -2) + 25.0 * np.eye(3)

    fast = _imm_cycle(state, transitions, noises, model_transition, measurement, noise)
    reference = imm.step(state, transitions, noises, model_transition, measurement,
                         kalman.position_measurement_matrix(), noise)
    np.testing.assert_allclose(fast.means, reference.means, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(fast.covariances, reference.covariances, rtol=1e-8, atol=1e-6)
    np.testing.assert_allclose(fast.probabilities, reference.probabilities, rtol=1e-9, atol=1e-12)
