"""Adding interference to noise: detection sees the signal against noise + jamming + clutter.

Every interference source is carried as its ratio to thermal noise in dB (JNR, CNR after
Doppler filtering); powers add, so the signal-to-interference-plus-noise ratio is
SNR - 10 log10(1 + sum of the linear ratios). Noise-like interference keeps its ratio to
thermal noise through the matched filter, which is why the single-pulse SNR of the radar
equation can be compared with it directly.
"""

from __future__ import annotations

import numpy as np


def power_sum_db(values_db, axis=-1):
    """10 log10 of the sum of 10^(value/10) along `axis`: several jammers into one JNR."""
    return 10.0 * np.log10(np.sum(10.0 ** (np.asarray(values_db) / 10.0), axis=axis))


def signal_to_interference_plus_noise_db(snr_db, *interference_to_noise_db):
    """S / (N + I1 + I2 + ...) in dB from the SNR and each interference-to-noise ratio in dB."""
    total = 1.0
    for ratio_db in interference_to_noise_db:
        total = total + 10.0 ** (ratio_db / 10.0)
    return snr_db - 10.0 * np.log10(total)
