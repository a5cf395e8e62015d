"""Tracking: motion models, Kalman and IMM filters, converted measurements, track lifecycle.

Each filter is written once, as formulas (`zenit.compiled.formula`) on one filter of a batch,
that the engine's track loop runs; the array functions and `CVFilterBank` run the same
formulas over arbitrary leading batch axes. SI units."""

from zenit.tracking.alpha_beta import steady_state_covariance, steady_state_gains, tracking_index
from zenit.tracking.conversion import convert_measurement, spherical_to_enu
from zenit.tracking.cv_bank import CVFilterBank
from zenit.tracking.imm import IMMState, cv_ct_models, sticky_transition_matrix
from zenit.tracking.kalman import (log_likelihood, normalised_innovation_squared,
                                   position_measurement_matrix, predict, update)
from zenit.tracking.motion_models import (constant_velocity_transition,
                                          continuous_white_noise_acceleration,
                                          coordinated_turn_jacobian, coordinated_turn_process_noise,
                                          coordinated_turn_propagate, coordinated_turn_transition,
                                          discrete_white_noise_acceleration,
                                          turn_rate_for_acceleration)

__all__ = [
    "CVFilterBank", "IMMState", "constant_velocity_transition",
    "continuous_white_noise_acceleration", "convert_measurement", "coordinated_turn_jacobian",
    "coordinated_turn_process_noise", "coordinated_turn_propagate", "coordinated_turn_transition",
    "cv_ct_models", "discrete_white_noise_acceleration", "log_likelihood",
    "normalised_innovation_squared", "position_measurement_matrix", "predict",
    "spherical_to_enu", "steady_state_covariance", "steady_state_gains",
    "sticky_transition_matrix", "tracking_index", "turn_rate_for_acceleration", "update",
]
