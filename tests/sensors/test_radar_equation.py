"""The radar equation against MATLAB's documented worked examples (Radar Toolbox, R2021a+)."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

from zenit.sensors.detection import required_snr_db
from zenit.sensors.radar_equation import (
    calibrate_loop_gain_db,
    detection_range_m,
    loop_gain_db,
    loop_gain_from_parameters_db,
    range_from_loop_gain_m,
    required_peak_power_w,
    snr_db,
    snr_from_loop_gain_db,
)

SPEED_OF_LIGHT = 299_792_458.0
MATLAB_DEFAULT_GAIN_DB = 20.0  # radareqsnr/radareqrng/radareqpow default 'Gain'


def test_radareqsnr_example_1():
    # MATLAB radareqsnr doc: 1 GHz, 50 km, 1 MW, 0.2 us, RCS 1 m^2, gain 20 dB -> 5.5868 dB
    value = snr_db(1e6, 0.2e-6, MATLAB_DEFAULT_GAIN_DB, SPEED_OF_LIGHT / 1e9, 1.0, 50e3)
    assert value == pytest.approx(5.5868, abs=1e-3)


def test_radareqsnr_example_2():
    # MATLAB radareqsnr doc: 10 GHz, 100 km, 1 MW, 1 us, RCS 0.5, gain 40 dB, 300 K, 3 dB -> 14.3778
    value = snr_db(1e6, 1e-6, 40.0, SPEED_OF_LIGHT / 10e9, 0.5, 100e3,
                   system_temperature_k=300.0, losses_db=3.0)
    assert value == pytest.approx(14.3778, abs=1e-3)


def test_radareqsnr_bistatic_example_through_separate_receive_gain():
    # MATLAB radareqsnr doc: bistatic 50 km / 75 km, Gt 40 dB, Gr 20 dB -> 9.0547 dB.
    # R_t^2 R_r^2 equals R^4 at the geometric-mean range, which exercises receive_gain_db.
    value = snr_db(1e6, 1e-6, 40.0, SPEED_OF_LIGHT / 10e9, 1.0, np.sqrt(50e3 * 75e3),
                   receive_gain_db=20.0)
    assert value == pytest.approx(9.0547, abs=1e-3)


def test_radareqrng_examples():
    # MATLAB radareqrng doc: 10 GHz, SNR 6 dB, 10 us, 1 MW -> 4.1057e4 m; with gain 40 dB,
    # RCS 0.1 m^2, loss 3 dB -> 1.9426e5 m.
    wavelength = SPEED_OF_LIGHT / 10e9
    first = detection_range_m(1e6, 10e-6, MATLAB_DEFAULT_GAIN_DB, wavelength, 1.0, 6.0)
    second = detection_range_m(1e6, 10e-6, 40.0, wavelength, 0.1, 6.0, losses_db=3.0)
    assert first == pytest.approx(4.1057e4, rel=1e-4)
    assert second == pytest.approx(1.9426e5, rel=1e-4)


def test_radareqpow_examples():
    # MATLAB radareqpow doc: 1 GHz, 50 km, SNR 6 dB, 1 us -> 2.1996e5 W; 10 GHz, 50 km,
    # SNR 10 dB, 1 us, RCS 0.5, gain 30 dB, 300 K, loss 3 dB -> 2.2809e6 W.
    first = required_peak_power_w(1e-6, MATLAB_DEFAULT_GAIN_DB, SPEED_OF_LIGHT / 1e9, 1.0,
                                  50e3, 6.0)
    second = required_peak_power_w(1e-6, 30.0, SPEED_OF_LIGHT / 10e9, 0.5, 50e3, 10.0,
                                   system_temperature_k=300.0, losses_db=3.0)
    assert first == pytest.approx(2.1996e5, rel=1e-4)
    assert second == pytest.approx(2.2809e6, rel=1e-4)


@given(st.floats(1e-4, 1e3), st.floats(1e-4, 1e3), st.floats(1e3, 1e6))
def test_range_scales_with_fourth_root_of_rcs(rcs_1, rcs_2, range_1):
    # Free-space radar equation (Skolnik, Introduction to Radar Systems, ch. 1, simple form
    # of the radar equation): at a fixed SNR, R2 = R1 (sigma2/sigma1)^(1/4).
    loop = 200.0
    snr_at_range_1 = snr_from_loop_gain_db(loop, rcs_1, range_1)
    range_2 = range_from_loop_gain_m(loop, rcs_2, snr_at_range_1)
    assert range_2 == pytest.approx(range_1 * (rcs_2 / rcs_1) ** 0.25, rel=1e-9)


def test_loop_gain_from_parameters_reproduces_the_full_equation():
    loop = loop_gain_from_parameters_db(1e6, 1e-6, 40.0, 0.03, 300.0, 3.0)
    full = snr_db(1e6, 1e-6, 40.0, 0.03, 0.5, 100e3, 300.0, 3.0)
    assert snr_from_loop_gain_db(loop, 0.5, 100e3) == pytest.approx(full, abs=1e-12)


def test_calibrated_loop_gain_returns_the_criterion_at_the_published_range():
    # A radar published as "detects 4 m^2 at 250 km" (Pd 0.5, Pfa 1e-6, Swerling 1, 1 pulse):
    # at that range the SNR is the one the criterion requires, closed form for Swerling 1:
    # SNR = ln(Pfa)/ln(Pd) - 1 (Richards, Fundamentals of Radar Signal Processing, ch. 6).
    loop = calibrate_loop_gain_db(250e3, 4.0, 0.5, 1e-6, n_pulses=1, swerling=1)
    expected_snr_db = 10 * np.log10(np.log(1e-6) / np.log(0.5) - 1.0)
    assert snr_from_loop_gain_db(loop, 4.0, 250e3) == pytest.approx(expected_snr_db, abs=1e-6)
    assert loop == pytest.approx(loop_gain_db(250e3, 4.0, required_snr_db(0.5, 1e-6, 1, 1)))
    assert range_from_loop_gain_m(loop, 4.0, expected_snr_db) == pytest.approx(250e3, rel=1e-9)
