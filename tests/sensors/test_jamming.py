"""Noise jamming: one-way J/N, self-screening burn-through (Skolnik, Introduction to Radar
Systems, 3rd ed., ECCM chapter; NAWCWPNS TP 8347 EW and Radar Systems Engineering Handbook,
§4.3 one-way equation, §4.7-4.8 J/S and burn-through; Adamy, EW 101, J/S for
self-protection jamming ~ R^2)."""

import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from zenit.sensors.interference import power_sum_db
from zenit.sensors.jamming import (
    burn_through_range_m,
    jammer_to_noise_db,
    receive_gain_toward_jammer_db,
    signal_to_jamming_plus_noise_db,
)
from zenit.sensors.radar_equation import snr_db


def test_jammer_to_noise_hand_computed():
    # ERP 1 kW (30.000 dBW) barrage over 100 MHz, into a 1 MHz receiver with 40 dB gain toward
    # the jammer, lambda 0.1 m (-20.000 dB), range 100 km (R^2: 100.000 dB), T 290 K:
    # J = 30 + 40 - 20 - 20 log10(4 pi) [21.984] - 100 - 20 [B_r/B_j] = -91.984 dBW
    # N = -228.599 [k] + 24.624 [290 K] + 60 [1 MHz] = -143.975 dBW  ->  J/N = 51.991 dB
    value = jammer_to_noise_db(1e3, 100e6, 40.0, 0.1, 100e3, 290.0, 1e6)
    assert value == pytest.approx(51.991, abs=0.001)


def test_spot_jammer_narrower_than_receiver_puts_all_its_power_in():
    wide = jammer_to_noise_db(1e3, 10e6, 40.0, 0.1, 100e3, 290.0, 1e6)
    matched = jammer_to_noise_db(1e3, 1e6, 40.0, 0.1, 100e3, 290.0, 1e6)
    narrow = jammer_to_noise_db(1e3, 0.2e6, 40.0, 0.1, 100e3, 290.0, 1e6)
    assert matched - wide == pytest.approx(10.0, abs=1e-12)
    assert narrow == pytest.approx(matched, abs=1e-12)


def test_one_way_spreading():
    values = jammer_to_noise_db(1e3, 1e6, 40.0, 0.1, np.array([50e3, 100e3]), 290.0, 1e6)
    assert values[0] - values[1] == pytest.approx(20 * math.log10(2), abs=1e-12)


def test_stand_off_jammer_enters_through_the_sidelobes():
    assert receive_gain_toward_jammer_db(38.0, 0.0, math.radians(1.0)) == 38.0
    assert receive_gain_toward_jammer_db(38.0, math.radians(5.0), math.radians(1.0), -35.0) == 3.0
    # Half a beamwidth off boresight is the 3 dB point of the main lobe.
    assert receive_gain_toward_jammer_db(38.0, math.radians(0.5), math.radians(1.0)) == \
        pytest.approx(38.0 - 3.0103, abs=1e-3)


def test_sjnr_combines_powers():
    assert signal_to_jamming_plus_noise_db(20.0, 0.0) == pytest.approx(20 - 10 * math.log10(2))
    assert signal_to_jamming_plus_noise_db(20.0, -np.inf) == 20.0
    assert power_sum_db(np.array([10.0, 10.0])) == pytest.approx(10 + 10 * math.log10(2))


RADAR = dict(peak_power_w=1e6, pulse_width_s=100e-6, gain_db=38.0, wavelength_m=0.1,
             system_temperature_k=500.0, losses_db=6.0)
BANDWIDTH_HZ = 1e6


def _snr(range_m):
    return snr_db(rcs_m2=5.0, range_m=range_m, **RADAR)


def _jnr(range_m, erp_w):
    return jammer_to_noise_db(erp_w, 50e6, RADAR["gain_db"], RADAR["wavelength_m"], range_m,
                              RADAR["system_temperature_k"], BANDWIDTH_HZ, RADAR["losses_db"])


@pytest.mark.parametrize("erp_w", [1.0, 100.0, 1e4])
@pytest.mark.parametrize("required_db", [10.0, 13.0])
def test_at_burn_through_the_sjnr_equals_the_requirement(erp_w, required_db):
    # Recompute S and J from the full equations at the returned range (not from the scaling
    # laws the kernel uses).
    reference = 300e3
    burn = burn_through_range_m(reference, _snr(reference), _jnr(reference, erp_w), required_db)
    assert signal_to_jamming_plus_noise_db(_snr(burn), _jnr(burn, erp_w)) == pytest.approx(
        required_db, abs=1e-9)
    inside = signal_to_jamming_plus_noise_db(_snr(0.9 * burn), _jnr(0.9 * burn, erp_w))
    assert inside > required_db


@given(st.floats(0.0, 40.0), st.floats(0.1, 100.0))
def test_signal_to_jamming_burn_through_scales_with_root_erp(erp_dbw, erp_ratio):
    # Self-screening: S ~ Pt / R^4 and J ~ ERP / R^2, so S/J ~ Pt / (ERP R^2) and the
    # S/J-only burn-through range is R_bt ~ sqrt(Pt / ERP): R_bt2 / R_bt1 = sqrt(ERP1 / ERP2)
    # (NAWCWPNS TP 8347 §4.8, burn-through range).
    reference = 200e3
    erp_1 = 10 ** (erp_dbw / 10)
    burn_1 = burn_through_range_m(reference, _snr(reference), _jnr(reference, erp_1), 13.0,
                                  include_noise=False)
    burn_2 = burn_through_range_m(reference, _snr(reference), _jnr(reference, erp_1 * erp_ratio),
                                  13.0, include_noise=False)
    assert burn_2 / burn_1 == pytest.approx(1 / math.sqrt(erp_ratio), rel=1e-9)


def test_noise_only_shortens_burn_through_and_vanishes_for_strong_jammers():
    reference = 200e3
    strong = _jnr(reference, 1e5)
    with_noise = burn_through_range_m(reference, _snr(reference), strong, 13.0)
    without = burn_through_range_m(reference, _snr(reference), strong, 13.0, include_noise=False)
    assert with_noise < without
    assert with_noise == pytest.approx(without, rel=1e-3)
