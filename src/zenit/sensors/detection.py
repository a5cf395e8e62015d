"""Detection probability of a square-law detector with noncoherent integration, Swerling 0-4.

The detector sums the square-law outputs of `n_pulses` pulses (each normalised to unit mean
noise) and compares the sum with a threshold set for the false-alarm probability. Under noise
alone the sum is Gamma(n, 1), so the threshold is the inverse regularised upper incomplete
gamma function. Under signal plus noise, for a per-pulse mean SNR x:

- Swerling 0 (steady target): twice the sum is noncentral chi-square with 2n degrees of
  freedom and noncentrality 2nx (Marcum Q).
- Swerling 2 (Rayleigh, pulse to pulse): the sum is Gamma(n, 1 + x).
- Swerling 4 (chi-square 4 dof, pulse to pulse): the sum's Laplace transform is
  (1+p)^n / (1 + p a)^(2n) with a = 1 + x/2, which is a Binomial(n, 1/a) mixture of
  Gamma(2n - k, a) laws (expand (1+p) = (1 + p a)/a + (1 - 1/a)).
- Swerling 1 and 3 (scan to scan, chi-square with 2 and 4 dof): the sum is a Gamma(n - 1, 1)
  or Gamma(n - 2, 1) law plus an independent Gamma(1, 1 + nx) or Gamma(2, 1 + nx/2) law; the
  convolution integrates in closed form (Richards, *Fundamentals of Radar Signal Processing*,
  ch. 6; DiFranco & Rubin, *Radar Detection*). Swerling 1 with one pulse reduces to
  Pd = Pfa^(1/(1+x)).

These are exact; `shnidman_snr_db` and `albersheim_snr_db` are the classical approximations
of the inverse problem. The engine interpolates the exact curve tabulated (`DetectionCurve`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import special, stats

from zenit.compiled import formula, kernel

SWERLING_CASES = (0, 1, 2, 3, 4)
_SMALLEST_SNR = 1e-12  # linear; below this every case is Pd = Pfa to within 1e-11


def detection_threshold(pfa, n_pulses=1):
    """Threshold on the sum of `n_pulses` unit-mean-noise square-law outputs for `pfa`."""
    return special.gammainccinv(n_pulses, pfa)


def pd(snr_db, pfa, n_pulses=1, swerling=0):
    """Exact detection probability for per-pulse mean SNR `snr_db` (dB), broadcast with `pfa`."""
    n_pulses = _check_pulses(n_pulses)
    _check_swerling(swerling)
    pfa = _check_probability(pfa, "pfa")
    snr = np.maximum(10.0 ** (np.asarray(snr_db, dtype=float) / 10.0), _SMALLEST_SNR)
    threshold = detection_threshold(pfa, n_pulses)
    snr, threshold = np.broadcast_arrays(snr, threshold)
    return _PD_BY_CASE[swerling](snr, threshold, n_pulses)


def _pd_swerling0(snr, threshold, n):
    return np.clip(stats.ncx2.sf(2.0 * threshold, 2 * n, 2.0 * n * snr), 0.0, 1.0)


def _pd_swerling1(snr, threshold, n):
    scale = 1.0 + n * snr
    return _scan_to_scan_tail(n - 1, threshold, scale, shape=1)


def _pd_swerling2(snr, threshold, n):
    return np.clip(special.gammaincc(n, threshold / (1.0 + snr)), 0.0, 1.0)


def _pd_swerling3(snr, threshold, n):
    if n == 1:
        return _pd_swerling4(snr, threshold, n)
    scale = 1.0 + n * snr / 2.0
    return _scan_to_scan_tail(n - 2, threshold, scale, shape=2)


def _pd_swerling4(snr, threshold, n):
    scale = 1.0 + snr / 2.0
    k = np.arange(n + 1)
    weights = stats.binom.pmf(k, n, 1.0 / scale[..., None])
    shapes, scaled_threshold = 2 * n - k, (threshold / scale)[..., None]
    detected = np.sum(weights * special.gammaincc(shapes, scaled_threshold), axis=-1)
    missed = np.sum(weights * special.gammainc(shapes, scaled_threshold), axis=-1)
    # Sum the smaller side so neither tail loses its digits to rounding near 0 or 1.
    return np.clip(np.where(detected < 0.5, detected, 1.0 - missed), 0.0, 1.0)


def _scan_to_scan_tail(m, threshold, scale, shape):
    """P(X + Y > T) for X ~ Gamma(m, 1) and Y ~ Gamma(shape, scale), shape 1 or 2: with
    c = 1 - 1/scale, each term A_j = e^(-T/scale) c^(-j) P(j, cT) = Poisson(j; T) M(1, j + 1, cT)
    of the convolution integral, through the Kummer function to stay finite as the SNR -> 0."""
    c = 1.0 - 1.0 / scale
    term_m = np.exp(_log_poisson(m, threshold) + _log_kummer_one(m, c * threshold))
    # Q(m, T), with Q(0, T) = 0: a Gamma(0) law is a point mass at zero.
    body = special.gammaincc(m, threshold) if m > 0 else np.zeros_like(threshold)
    if shape == 1:
        return np.clip(body + term_m, 0.0, 1.0)
    term_next = np.exp(_log_poisson(m + 1, threshold) + _log_kummer_one(m + 1, c * threshold))
    return np.clip(body + (1.0 + threshold / scale) * term_m - (m / scale) * term_next, 0.0, 1.0)


def _log_poisson(j, x):
    return j * np.log(x) - x - special.gammaln(j + 1.0)


def _log_kummer_one(j, y, series_terms=64):
    """log M(1, j + 1, y) = log sum_k y^k / ((j+1)(j+2)...(j+k)), integer j >= 0, y > 0: where
    y >= j/2, y + log(j!) - j log y + log P(j, y); below (P may underflow) the series summed
    directly (its ratio is below 1/2, so 64 terms reach 1e-19)."""
    y = np.asarray(y, dtype=float)
    safe_y = np.maximum(y, 1e-300)
    with np.errstate(divide="ignore"):
        direct = (safe_y + special.gammaln(j + 1.0) - j * np.log(safe_y)
                  + np.log(special.gammainc(j, safe_y) if j > 0 else np.ones_like(safe_y)))
    if j == 0:
        return direct
    small = np.minimum(y, 0.5 * j)
    total = np.ones_like(small)
    term = np.ones_like(small)
    for k in range(1, series_terms + 1):
        term = term * small / (j + k)
        total = total + term
    return np.where(y >= 0.5 * j, direct, np.log(total))


_PD_BY_CASE = {0: _pd_swerling0, 1: _pd_swerling1, 2: _pd_swerling2, 3: _pd_swerling3,
               4: _pd_swerling4}


def required_snr_db(pd, pfa, n_pulses=1, swerling=0, method="exact"):
    """Per-pulse SNR in dB that gives detection probability `pd` at false-alarm `pfa`, by
    `method` "exact" (root of the exact curve), "shnidman" or "albersheim" (Swerling 0 only)."""
    n_pulses = _check_pulses(n_pulses)
    _check_swerling(swerling)
    if method == "exact":
        return _invert_exact(pd, pfa, n_pulses, swerling)
    if method == "shnidman":
        return shnidman_snr_db(pd, pfa, n_pulses, swerling)
    if method == "albersheim":
        if swerling != 0:
            raise ValueError(f"Albersheim's equation holds for steady targets (Swerling 0) "
                             f"only, got Swerling {swerling}; use method='shnidman' or 'exact'")
        return albersheim_snr_db(pd, pfa, n_pulses)
    raise ValueError(f"method must be 'exact', 'shnidman' or 'albersheim', got {method!r}")


def _invert_exact(target_pd, pfa, n_pulses, swerling, low_db=-60.0, high_db=120.0):
    """Vectorised bisection on the exact curve (Pd increases with SNR in every case)."""
    target_pd = _check_probability(target_pd, "pd")
    pfa = _check_probability(pfa, "pfa")
    target_pd, pfa = np.broadcast_arrays(target_pd, pfa)
    if np.any(target_pd <= pfa):
        raise ValueError("pd must exceed pfa: a detection probability at or below the "
                         "false-alarm probability needs no signal")
    low = np.full(target_pd.shape, low_db)
    high = np.full(target_pd.shape, high_db)
    for _ in range(64):
        middle = 0.5 * (low + high)
        below = pd(middle, pfa, n_pulses, swerling) < target_pd
        low = np.where(below, middle, low)
        high = np.where(below, high, middle)
    result = 0.5 * (low + high)
    return result if result.ndim else float(result)


def albersheim_snr_db(pd, pfa, n_pulses=1):
    """Albersheim's equation: required per-pulse SNR (dB), steady target, linear detector.

    Richards, *Fundamentals of Radar Signal Processing*, ch. 6; stated within 0.2 dB for
    Pfa 1e-7..1e-3, Pd 0.1..0.9, N 1..8096, but below Pd ~ 0.3 it departs from the exact
    Marcum-Q curve (4 dB at Pd 0.1, Pfa 1e-3, one pulse).
    """
    pd = _check_probability(pd, "pd")
    pfa = _check_probability(pfa, "pfa")
    n_pulses = np.asarray(n_pulses, dtype=float)
    a = np.log(0.62 / pfa)
    b = np.log(pd / (1.0 - pd))
    return (-5.0 * np.log10(n_pulses)
            + (6.2 + 4.54 / np.sqrt(n_pulses + 0.44)) * np.log10(a + 0.12 * a * b + 1.7 * b))


def shnidman_snr_db(pd, pfa, n_pulses=1, swerling=0):
    """Shnidman's equation: required per-pulse SNR (dB) for Swerling 0-4, square-law detector.

    Shnidman, "Determination of required SNR values", IEEE TAES 38(3), 2002; Richards,
    *Fundamentals of Radar Signal Processing*, §6.3. Against the exact curves here: within
    about 0.5 dB for Pd 0.5..0.9, Pfa 1e-8..1e-4, N 1..30; about 1 dB at worst over
    Pd 0.1..0.99, Pfa 1e-9..1e-3 (Swerling 1 at the ends of the Pd range).
    """
    _check_swerling(swerling)
    pd = _check_probability(pd, "pd")
    pfa = _check_probability(pfa, "pfa")
    n = np.asarray(n_pulses, dtype=float)
    alpha = np.where(n <= 40, 0.0, 0.25)  # MATLAB `shnidman` uses <= 40
    eta = (np.sqrt(-0.8 * np.log(4.0 * pfa * (1.0 - pfa)))
           + np.sign(pd - 0.5) * np.sqrt(-0.8 * np.log(4.0 * pd * (1.0 - pd))))
    x_infinity = eta * (eta + 2.0 * np.sqrt(n / 2.0 + alpha - 0.25))
    if swerling == 0:
        correction_db = 0.0
    else:
        k = {1: 1.0, 2: n, 3: 2.0, 4: 2.0 * n}[swerling]
        c1 = (((17.7006 * pd - 18.4496) * pd + 14.5339) * pd - 3.525) / k
        c2 = (np.exp(27.31 * pd - 25.14)
              + (pd - 0.8) * (0.7 * np.log(1e-5 / pfa) + (2.0 * n - 20.0) / 80.0)) / k
        correction_db = np.where(pd <= 0.872, c1, c1 + c2)
    return 10.0 * np.log10(x_infinity / n) + correction_db


class DetectionTables(NamedTuple):
    """Tabulated Pd(SNR) curves of one radar, a row per Swerling case, on one SNR grid."""

    tables: np.ndarray  # (5, T) Pd at lowest_snr_db + k step_db
    slopes: np.ndarray  # (5, T) differences to the next node (0 past the last)
    lowest_snr_db: float
    step_db: float


@formula
def tabulated_pd(snr_db, tables, slopes, row, lowest_snr_db, step_db):
    """Pd at `snr_db` from row `row` of curves `tables` (K, T) on the grid lowest + k step_db,
    linear between nodes (`slopes` their differences), the end values beyond."""
    last_position = np.float64(tables.shape[1] - 1)
    place = min(max((snr_db - lowest_snr_db) * (1.0 / step_db), 0.0), last_position)
    index = np.int64(place)
    return (place - index) * slopes[row, index] + tables[row, index]


@kernel
def _tabulated(snr_db, tables, slopes, lowest_snr_db, step_db, out):
    for i in range(out.shape[0]):
        out[i] = tabulated_pd(snr_db[i], tables, slopes, 0, lowest_snr_db, step_db)


class DetectionCurve:
    """The exact Pd(SNR) of one detection criterion, tabulated every `step_db` from
    `lowest_snr_db` to `highest_snr_db` for the engine's hot path (the end values beyond it);
    with the default 0.01 dB step within 1e-4 of the exact curve."""

    def __init__(self, pfa, n_pulses=1, swerling=0, lowest_snr_db=-40.0, highest_snr_db=80.0,
                 step_db=0.01):
        self.pfa = float(pfa)
        self.n_pulses = _check_pulses(n_pulses)
        self.swerling = swerling
        self.lowest_snr_db = float(lowest_snr_db)
        self.step_db = float(step_db)
        count = int(round((highest_snr_db - lowest_snr_db) / step_db)) + 1
        self.snr_grid_db = self.lowest_snr_db + self.step_db * np.arange(count)
        self.table = pd(self.snr_grid_db, self.pfa, self.n_pulses, swerling)
        # One flat cell past the end lets the top of the grid index without a special case.
        self.slopes = np.append(np.diff(self.table), 0.0)

    def __repr__(self) -> str:
        return (f"DetectionCurve(pfa={self.pfa:g}, n_pulses={self.n_pulses}, "
                f"swerling={self.swerling})")

    def pd(self, snr_db):
        """Detection probability for per-pulse mean SNR `snr_db` (dB), any shape."""
        snr_db = np.asarray(snr_db, dtype=float)
        out = np.empty(snr_db.size)
        _tabulated(np.ascontiguousarray(snr_db).reshape(-1), self.table[None, :],
                   self.slopes[None, :], self.lowest_snr_db, self.step_db, out)
        return out.reshape(snr_db.shape)[()]


def _check_probability(value, name):
    value = np.asarray(value, dtype=float)
    if np.any((value <= 0.0) | (value >= 1.0)):
        raise ValueError(f"{name} must lie strictly between 0 and 1, got {value}")
    return value


def _check_pulses(n_pulses):
    if int(n_pulses) != n_pulses or n_pulses < 1:
        raise ValueError(f"n_pulses must be a whole number >= 1, got {n_pulses}")
    return int(n_pulses)


def _check_swerling(swerling):
    if swerling not in SWERLING_CASES:
        raise ValueError(f"swerling must be one of {SWERLING_CASES}, got {swerling!r}")
