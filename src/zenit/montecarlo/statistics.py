"""Confidence intervals for Monte Carlo estimates.

Proportions (probability of a kill, of a leaker) use the Wilson score interval, which keeps
close to its nominal coverage even for p near 0 or 1 where the normal interval collapses
(Brown, Cai, DasGupta, "Interval estimation for a binomial proportion", Statistical Science
16(2), 2001). Means (missiles fired, time of first kill) use Student's t interval, or a
bootstrap (percentile or BCa, Efron & Tibshirani, "An Introduction to the Bootstrap", 1993,
ch. 13-14) for skewed outcomes. Summaries are plain dicts of floats, ready for JSON; a value
that cannot be estimated (no trials, no samples) is None.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special, stats

DEFAULT_CONFIDENCE = 0.95
BOOTSTRAP_RESAMPLES = 9999
_BOOTSTRAP_BATCH_ELEMENTS = 4_000_000
"""Resampled values held at once: bounds bootstrap memory at ~32 MB whatever the sample."""


def _check_confidence(confidence: float) -> float:
    confidence = float(confidence)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence}")
    return confidence


def wilson_interval(successes: int, trials: int,
                    confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float]:
    """Two-sided Wilson score interval for successes out of trials (NaNs if trials is 0)."""
    confidence = _check_confidence(confidence)
    successes, trials = int(successes), int(trials)
    if trials < 0 or not 0 <= successes <= max(trials, 0):
        raise ValueError(f"need 0 <= successes <= trials, got {successes} of {trials}")
    if trials == 0:
        return (math.nan, math.nan)
    z = special.ndtri(0.5 + 0.5 * confidence)
    proportion = successes / trials
    denominator = 1.0 + z * z / trials
    center = (proportion + z * z / (2 * trials)) / denominator
    half_width = z / denominator * math.sqrt(
        proportion * (1.0 - proportion) / trials + z * z / (4 * trials * trials)
    )
    low = 0.0 if successes == 0 else max(0.0, center - half_width)
    high = 1.0 if successes == trials else min(1.0, center + half_width)
    return (float(low), float(high))


def _finite_samples(samples) -> tuple[np.ndarray, int]:
    """The samples without NaN ("never happened"), and how many NaNs were dropped."""
    values = np.asarray(samples, dtype=float).ravel()
    keep = ~np.isnan(values)
    return values[keep], int(values.size - keep.sum())


def mean_interval(samples, confidence: float = DEFAULT_CONFIDENCE, method: str = "t",
                  seed: int = 0, bootstrap: str = "percentile") -> tuple[float, float]:
    """Interval for the mean of `samples` (NaNs dropped).

    `method` is "t" (Student's t) or "bootstrap"; a bootstrap is "percentile" or "bca" and is
    reproducible through `seed`. Fewer than two samples give NaNs; identical samples give a
    zero-width interval.
    """
    confidence = _check_confidence(confidence)
    values, _ = _finite_samples(samples)
    if values.size < 2:
        return (math.nan, math.nan)
    if np.all(values == values[0]):
        return (float(values[0]), float(values[0]))
    if method == "t":
        return _t_interval(values, confidence)
    if method == "bootstrap":
        return _bootstrap_interval(values, confidence, seed, bootstrap)
    raise ValueError(f"unknown interval method {method!r}; expected 't' or 'bootstrap'")


def _t_interval(values: np.ndarray, confidence: float) -> tuple[float, float]:
    mean = values.mean()
    standard_error = values.std(ddof=1) / math.sqrt(values.size)
    quantile = stats.t.ppf(0.5 + 0.5 * confidence, df=values.size - 1)
    return (float(mean - quantile * standard_error), float(mean + quantile * standard_error))


def _bootstrap_means(values: np.ndarray, seed: int) -> np.ndarray:
    """Means of `BOOTSTRAP_RESAMPLES` resamples with replacement, drawn in bounded batches."""
    generator = np.random.default_rng(seed)
    size = values.size
    batch = max(1, _BOOTSTRAP_BATCH_ELEMENTS // size)
    means = np.empty(BOOTSTRAP_RESAMPLES)
    for start in range(0, BOOTSTRAP_RESAMPLES, batch):
        stop = min(start + batch, BOOTSTRAP_RESAMPLES)
        picks = generator.integers(0, size, (stop - start, size))
        means[start:stop] = values[picks].mean(axis=1)
    return means


def _bootstrap_interval(values: np.ndarray, confidence: float, seed: int,
                        kind: str) -> tuple[float, float]:
    alpha = 1.0 - confidence
    means = _bootstrap_means(values, seed)
    if kind == "percentile":
        levels = np.array([alpha / 2, 1 - alpha / 2])
    elif kind == "bca":
        levels = _bca_levels(values, means, alpha)
    else:
        raise ValueError(f"unknown bootstrap {kind!r}; expected 'percentile' or 'bca'")
    low, high = np.percentile(means, 100 * levels)
    return (float(low), float(high))


def _bca_levels(values: np.ndarray, means: np.ndarray, alpha: float) -> np.ndarray:
    """Bias-corrected and accelerated percentile levels (Efron & Tibshirani, eq. 14.9-14.15)."""
    observed = values.mean()
    bias = special.ndtri(np.mean(means < observed))
    jackknife = (values.sum() - values) / (values.size - 1)
    deviations = jackknife.mean() - jackknife
    acceleration = (deviations**3).sum() / (6.0 * ((deviations**2).sum()) ** 1.5)
    z = special.ndtri(np.array([alpha / 2, 1 - alpha / 2]))
    shifted = bias + z
    return special.ndtr(bias + shifted / (1.0 - acceleration * shifted))


def _plain(value: float) -> float | None:
    """A JSON-ready float: None where the estimate does not exist."""
    return None if value is None or not math.isfinite(value) else float(value)


def _interval_key(confidence: float) -> str:
    return f"ci{100 * confidence:g}".replace(".", "_")


def proportion_summary(successes, trials: int | None = None,
                       confidence: float = DEFAULT_CONFIDENCE) -> dict:
    """{"mean", "ci95", "successes", "trials"} for a proportion.

    Either counts (`successes`, `trials`) or one array of outcomes (booleans or 0/1, NaN
    where the question did not arise, which is dropped and counted as "missing").
    """
    missing = 0
    if trials is None:
        flags, missing = _finite_samples(successes)
        if not np.all((flags == 0) | (flags == 1)):
            raise ValueError("proportion outcomes must be booleans or 0/1 (NaN for missing)")
        successes, trials = int(flags.sum()), int(flags.size)
    low, high = wilson_interval(successes, trials, confidence)
    mean = successes / trials if trials else math.nan
    return {
        "mean": _plain(mean),
        _interval_key(confidence): [_plain(low), _plain(high)],
        "successes": int(successes),
        "trials": int(trials),
        "missing": int(missing),
    }


def mean_summary(samples, confidence: float = DEFAULT_CONFIDENCE, method: str = "t",
                 seed: int = 0, bootstrap: str = "percentile") -> dict:
    """{"mean", "ci95", "count", "missing"} for samples that may hold NaN ("never happened")."""
    values, missing = _finite_samples(samples)
    low, high = mean_interval(values, confidence, method=method, seed=seed, bootstrap=bootstrap)
    mean = values.mean() if values.size else math.nan
    return {
        "mean": _plain(mean),
        _interval_key(confidence): [_plain(low), _plain(high)],
        "count": int(values.size),
        "missing": int(missing),
    }
