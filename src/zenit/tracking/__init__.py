"""Tracking: motion models, batched Kalman and IMM filters, converted measurements, track
lifecycle. Kernels are plain array functions over arbitrary leading batch axes, SI units."""

from zenit.tracking.alpha_beta import steady_state_covariance, steady_state_gains, tracking_index
from zenit.tracking.conversion import convert_measurement, spherical_to_enu
from zenit.tracking.cv_bank import CVFilterBank
from zenit.tracking.imm import IMMState, cv_ct_models, sticky_transition_matrix
from zenit.tracking.initiation import (CONFIRMED, DROPPED, NONE, TENTATIVE, LifecycleRules,
                                       TrackLife, advance, engageable, new_life, track_quality)
from zenit.tracking.kalman import (log_likelihood, normalised_innovation_squared,
                                   position_measurement_matrix, predict, update)
from zenit.tracking.motion_models import (constant_velocity_transition,
                                          continuous_white_noise_acceleration,
                                          coordinated_turn_jacobian, coordinated_turn_process_noise,
                                          coordinated_turn_propagate, coordinated_turn_transition,
                                          discrete_white_noise_acceleration,
                                          turn_rate_for_acceleration)

__all__ = [
    "CONFIRMED", "DROPPED", "NONE", "TENTATIVE", "CVFilterBank", "IMMState", "LifecycleRules",
    "TrackLife", "advance", "constant_velocity_transition", "continuous_white_noise_acceleration",
    "convert_measurement", "coordinated_turn_jacobian", "coordinated_turn_process_noise",
    "coordinated_turn_propagate", "coordinated_turn_transition", "cv_ct_models",
    "discrete_white_noise_acceleration", "engageable", "log_likelihood", "new_life",
    "normalised_innovation_squared", "position_measurement_matrix", "predict",
    "spherical_to_enu", "steady_state_covariance", "steady_state_gains",
    "sticky_transition_matrix", "track_quality", "tracking_index", "turn_rate_for_acceleration",
    "update",
]
