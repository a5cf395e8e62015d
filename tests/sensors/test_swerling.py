"""Swerling's case numbering (Swerling 1960; Richards, Fundamentals of Radar Signal
Processing, ch. 6), and the antenna and interference helpers used by clutter and jamming."""

import math

import numpy as np
import pytest

from zenit.sensors.antenna import pattern_gain_db
from zenit.sensors.interference import signal_to_interference_plus_noise_db
from zenit.sensors.swerling import swerling_case


def test_cases():
    assert swerling_case("steady") == 0
    assert swerling_case("scan-to-scan") == 1
    assert swerling_case("pulse-to-pulse") == 2
    assert swerling_case("scan-to-scan", dominant_scatterer=True) == 3
    assert swerling_case("pulse-to-pulse", dominant_scatterer=True) == 4
    with pytest.raises(ValueError, match="pulse-to-pulse"):
        swerling_case("scan to scan")


def test_gaussian_main_lobe_is_3db_down_at_half_beamwidth():
    # Gaussian beam: -3.01 dB at theta = B/2, -12.04 dB at theta = B, then the sidelobe floor.
    values = pattern_gain_db(np.array([0.0, 0.5, 1.0, 3.0]), 1.0, -25.0)
    np.testing.assert_allclose(values, [0.0, -10 * math.log10(2), -40 * math.log10(2), -25.0],
                               atol=1e-12)


def test_interference_adds_in_power():
    # Noise, a jammer equal to noise and clutter equal to noise: S / 3N.
    assert signal_to_interference_plus_noise_db(20.0, 0.0, 0.0) == pytest.approx(
        20.0 - 10 * math.log10(3.0), abs=1e-12)
