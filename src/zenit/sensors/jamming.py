"""Noise jamming: jammer-to-noise ratio, stand-off and self-screening, burn-through range.

The jammer's noise reaches the radar one way: J = ERP (B_r / B_j) G_r lambda^2 /
((4 pi)^2 R_j^2 L), against thermal noise N = k T_s B_r (Skolnik, *Introduction to Radar
Systems*, 3rd ed., electronic counter-countermeasures; NAWCWPNS TP 8347, *Electronic Warfare
and Radar Systems Engineering Handbook*, §4.3 one-way equation and §4.7-4.8 J/S and
burn-through). A barrage jammer spread over more than the radar's bandwidth only puts
B_r / B_j of its power into the receiver.

G_r is the radar's receive gain toward the jammer: the main-lobe gain for a self-screening
jammer riding on the target, the main-lobe gain plus the sidelobe level for a stand-off
jammer away from the beam (`receive_gain_toward_jammer_db`).

Against a self-screening jammer S ~ R^-4 and J ~ R^-2, so S/J ~ R^-2: the radar "burns
through" when the target comes close enough.
"""

from __future__ import annotations

import math

import numpy as np

from zenit.compiled import formula
from zenit.geo.horizon import squared_angle
from zenit.sensors.antenna import main_lobe_gain, pattern_gain_db
from zenit.sensors.interference import signal_to_interference_plus_noise_db
from zenit.sensors.radar_equation import BOLTZMANN_DB

FOUR_PI_SQUARED_DB = 20.0 * math.log10(4.0 * math.pi)


@formula
def jammer_to_noise_at(jammer_to_noise_1m, range_m):
    """J/N (a power ratio) at `range_m` of a jammer of J/N `jammer_to_noise_1m` at 1 m: 1 / R^2."""
    return jammer_to_noise_1m / (range_m * range_m)


def jammer_to_noise_db(jammer_erp_w, jammer_bandwidth_hz, radar_receiver_gain_toward_jammer_db,
                       wavelength_m, jammer_range_m, system_temperature_k, radar_bandwidth_hz,
                       losses_db=0.0):
    """Jammer-to-noise ratio (dB) in the radar receiver from one noise jammer."""
    effective_bandwidth_hz = np.maximum(jammer_bandwidth_hz, radar_bandwidth_hz)
    return (10.0 * np.log10(jammer_erp_w) + radar_receiver_gain_toward_jammer_db
            + 20.0 * np.log10(wavelength_m) - FOUR_PI_SQUARED_DB
            - 20.0 * np.log10(jammer_range_m) - losses_db
            - BOLTZMANN_DB - 10.0 * np.log10(system_temperature_k)
            - 10.0 * np.log10(effective_bandwidth_hz))


@formula
def main_lobe_jamming(floor, peak, direction, row, beam_x, beam_y, beam_z, main_lobe_cosine,
                      rate, sidelobe):
    """J/N in a beam along the unit (beam_x, beam_y, beam_z): `floor` (every jammer at the
    sidelobe level) plus what the jammers of row `row` of `peak` (R, J main-lobe J/N) and
    `direction` (R, J, 3) within the main lobe add above that level (loss `rate`)."""
    jamming = floor
    for jammer in range(peak.shape[1]):
        cosine = (direction[row, jammer, 0] * beam_x + direction[row, jammer, 1] * beam_y
                  + direction[row, jammer, 2] * beam_z)
        if cosine >= main_lobe_cosine and peak[row, jammer] != 0.0:
            gain = main_lobe_gain(rate, squared_angle(cosine))
            if gain > sidelobe:
                jamming += peak[row, jammer] * (gain - sidelobe)
    return jamming


def receive_gain_toward_jammer_db(gain_db, off_boresight_rad, beamwidth_rad,
                                  sidelobe_level_db=-30.0):
    """Radar receive gain (dB) toward a jammer `off_boresight_rad` from the beam axis: 0 off is
    self-screening (main-lobe gain), several beamwidths off stand-off (plus the sidelobe level)."""
    return gain_db + pattern_gain_db(off_boresight_rad, beamwidth_rad, sidelobe_level_db)


def signal_to_jamming_plus_noise_db(snr_db, jnr_db):
    """S / (J + N) in dB; pass a power sum (`interference.power_sum_db`) for several jammers."""
    return signal_to_interference_plus_noise_db(snr_db, jnr_db)


def burn_through_range_m(reference_range_m, snr_at_reference_db, jnr_at_reference_db,
                         required_snr_db, include_noise=True):
    """Range at which S/(J+N) against a self-screening jammer reaches `required_snr_db`, from
    the SNR and JNR at `reference_range_m`: with u = (R_ref/R)^2, S/J alone gives the closed form
    R = R_ref sqrt(SNR_ref / (JNR_ref S_req)); with noise, SNR_ref u^2 = S_req (1 + JNR_ref u)."""
    snr = 10.0 ** (snr_at_reference_db / 10.0)
    jnr = 10.0 ** (jnr_at_reference_db / 10.0)
    required = 10.0 ** (required_snr_db / 10.0)
    if include_noise:
        linear_term = required * jnr
        u = (linear_term + np.sqrt(linear_term ** 2 + 4.0 * snr * required)) / (2.0 * snr)
    else:
        u = required * jnr / snr
    return reference_range_m / np.sqrt(u)
