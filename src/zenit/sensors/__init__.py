"""Radar detection: the radar equation, detection probability, scan schedules, clutter,
jamming and measurement noise, as formulas and their array forms in SI units."""

from zenit.sensors.antenna import pattern_gain_db
from zenit.sensors.clutter import (clutter_to_noise_db, grazing_angle_rad,
                                   signal_to_clutter_plus_noise_db)
from zenit.sensors.detection import (DetectionCurve, albersheim_snr_db, pd, required_snr_db,
                                     shnidman_snr_db)
from zenit.sensors.interference import power_sum_db, signal_to_interference_plus_noise_db
from zenit.sensors.jamming import (burn_through_range_m, jammer_to_noise_db,
                                   receive_gain_toward_jammer_db, signal_to_jamming_plus_noise_db)
from zenit.sensors.measurement import measurement_sigmas, noisy_spherical
from zenit.sensors.radar_equation import (calibrate_loop_gain_db, detection_range_m, loop_gain_db,
                                          loop_gain_from_parameters_db, required_peak_power_w,
                                          snr_db, snr_from_loop_gain_db)
from zenit.sensors.scan import (in_azimuth_sector, in_elevation_coverage, look_count,
                                periodic_dwell, rotating_dwell)
from zenit.sensors.swerling import swerling_case

__all__ = [
    "DetectionCurve", "albersheim_snr_db", "burn_through_range_m", "calibrate_loop_gain_db",
    "clutter_to_noise_db", "detection_range_m", "grazing_angle_rad", "in_azimuth_sector",
    "in_elevation_coverage", "jammer_to_noise_db", "look_count", "loop_gain_db",
    "loop_gain_from_parameters_db", "measurement_sigmas", "noisy_spherical",
    "pattern_gain_db", "pd", "periodic_dwell", "power_sum_db", "receive_gain_toward_jammer_db",
    "required_peak_power_w", "required_snr_db", "rotating_dwell", "shnidman_snr_db",
    "signal_to_clutter_plus_noise_db", "signal_to_interference_plus_noise_db",
    "signal_to_jamming_plus_noise_db", "snr_db", "snr_from_loop_gain_db", "swerling_case",
]
