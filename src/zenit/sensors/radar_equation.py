"""The monostatic radar range equation, and its calibration from a published detection range.

SNR = Pt tau Gt Gr lambda^2 sigma / ((4 pi)^3 k Ts L R^4), the single-pulse energy form used by
MATLAB's `radareqsnr`, `radareqrng` and `radareqpow` (Richards, *Fundamentals of Radar Signal
Processing*, ch. 2, with the matched-filter SNR Pt tau / (k Ts)).

Most radars in the public record have no published parameter set but do have a published
detection range for a stated target ("250 km against 4 m^2"). Everything that does not depend
on the target or the range folds into one number, the loop gain: the SNR a 1 m^2 target would
give at 1 m. Then SNR(R, sigma) = loop + 10 log10(sigma) - 40 log10(R), and the published
figure pins the loop gain once the detection criterion (Pd, Pfa, pulses, Swerling case) is
stated.
"""

from __future__ import annotations

import math

import numpy as np

from zenit.compiled import elementwise, formula

BOLTZMANN_J_PER_K = 1.380649e-23  # exact since the 2019 SI redefinition
FOUR_PI_CUBED_DB = 30.0 * math.log10(4.0 * math.pi)
BOLTZMANN_DB = 10.0 * math.log10(BOLTZMANN_J_PER_K)
TEN_OVER_LN10 = 10.0 / math.log(10.0)  # 10 log10(x) = TEN_OVER_LN10 ln(x)
LN10_OVER_10 = math.log(10.0) / 10.0  # 10 ** (x / 10) = exp(LN10_OVER_10 x)


@formula
def signal_to_noise_db(loop_gain_db, rcs_db, range_m, interference_to_noise):
    """S / (N + I) in dB of a target of `rcs_db` dBsm at `range_m` (at least 1 m):
    loop + RCS - 40 log R - 10 log(1 + I / N) in one logarithm, I / N a power ratio."""
    square = max(range_m, 1.0) ** 2
    return loop_gain_db + rcs_db - TEN_OVER_LN10 * math.log(
        square * square * (1.0 + interference_to_noise))


def loop_gain_from_parameters_db(peak_power_w, pulse_width_s, gain_db, wavelength_m,
                                 system_temperature_k=290.0, losses_db=0.0,
                                 receive_gain_db=None):
    """SNR in dB of a 1 m^2 target at 1 m: every radar-side factor of the range equation
    (`receive_gain_db` defaults to `gain_db`: one antenna for transmit and receive)."""
    if receive_gain_db is None:
        receive_gain_db = gain_db
    return (10.0 * np.log10(np.asarray(peak_power_w, dtype=float) * pulse_width_s)
            + gain_db + receive_gain_db + 20.0 * np.log10(np.asarray(wavelength_m, dtype=float))
            - FOUR_PI_CUBED_DB - BOLTZMANN_DB
            - 10.0 * np.log10(np.asarray(system_temperature_k, dtype=float)) - losses_db)


def snr_db(peak_power_w, pulse_width_s, gain_db, wavelength_m, rcs_m2, range_m,
           system_temperature_k=290.0, losses_db=0.0, receive_gain_db=None):
    """Single-pulse SNR in dB at the matched-filter output (MATLAB `radareqsnr` convention)."""
    loop = loop_gain_from_parameters_db(peak_power_w, pulse_width_s, gain_db, wavelength_m,
                                        system_temperature_k, losses_db, receive_gain_db)
    return snr_from_loop_gain_db(loop, rcs_m2, range_m)


def detection_range_m(peak_power_w, pulse_width_s, gain_db, wavelength_m, rcs_m2, snr_db,
                      system_temperature_k=290.0, losses_db=0.0, receive_gain_db=None):
    """Range at which the target gives `snr_db` (MATLAB `radareqrng`)."""
    loop = loop_gain_from_parameters_db(peak_power_w, pulse_width_s, gain_db, wavelength_m,
                                        system_temperature_k, losses_db, receive_gain_db)
    return range_from_loop_gain_m(loop, rcs_m2, snr_db)


def required_peak_power_w(pulse_width_s, gain_db, wavelength_m, rcs_m2, range_m, snr_db,
                          system_temperature_k=290.0, losses_db=0.0, receive_gain_db=None):
    """Peak power that gives `snr_db` on the target at `range_m` (MATLAB `radareqpow`)."""
    loop_at_one_watt = loop_gain_from_parameters_db(1.0, pulse_width_s, gain_db, wavelength_m,
                                                    system_temperature_k, losses_db,
                                                    receive_gain_db)
    snr_at_one_watt = snr_from_loop_gain_db(loop_at_one_watt, rcs_m2, range_m)
    return 10.0 ** ((snr_db - snr_at_one_watt) / 10.0)


@formula
def target_snr_db(loop_gain_db, rcs_m2, range_m):
    """SNR in dB of a target of `rcs_m2` at `range_m` (`signal_to_noise_db`, the engine's)."""
    return signal_to_noise_db(loop_gain_db, 10.0 * math.log10(rcs_m2), range_m, 0.0)


snr_from_loop_gain_db = elementwise(target_snr_db)


def range_from_loop_gain_m(loop_gain_db, rcs_m2, snr_db):
    """Range at which a target of `rcs_m2` gives `snr_db`: the loop-gain equation solved for R."""
    return 10.0 ** ((loop_gain_db + 10.0 * np.log10(rcs_m2) - snr_db) / 40.0)


def loop_gain_db(reference_range_m, reference_rcs_m2, reference_snr_db):
    """Loop gain that reproduces a reference: `reference_snr_db` on `reference_rcs_m2` at range."""
    return (reference_snr_db - 10.0 * np.log10(reference_rcs_m2)
            + 40.0 * np.log10(reference_range_m))


def calibrate_loop_gain_db(reference_range_m, reference_rcs_m2, pd, pfa, n_pulses=1,
                           swerling=1):
    """Loop gain (per pulse) of a radar published as "detects `reference_rcs_m2` at
    `reference_range_m`", read as Pd `pd` per dwell at `pfa`, `n_pulses` noncoherently
    integrated, the Swerling case stated: use it with a `DetectionCurve` of the same."""
    from zenit.sensors.detection import required_snr_db

    reference_snr_db = required_snr_db(pd, pfa, n_pulses, swerling, method="exact")
    return loop_gain_db(reference_range_m, reference_rcs_m2, reference_snr_db)
