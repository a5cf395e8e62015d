"""Confidence intervals against SciPy, the reference implementation, and their coverage."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from zenit.montecarlo import mean_interval, mean_summary, proportion_summary, wilson_interval


@pytest.mark.parametrize("successes, trials", [
    (0, 1), (1, 1), (0, 10), (3, 10), (10, 10), (7, 20), (512, 1000), (9990, 10000), (1, 10**6),
])
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_wilson_matches_scipy_binomtest(successes, trials, confidence):
    expected = stats.binomtest(successes, trials).proportion_ci(confidence, method="wilson")
    low, high = wilson_interval(successes, trials, confidence)
    assert low == pytest.approx(expected.low, abs=1e-12)
    assert high == pytest.approx(expected.high, abs=1e-12)


def test_wilson_textbook_value():
    """Newcombe (1998), Statistics in Medicine 17:857, table I, example 81/263: 0.2553-0.3662."""
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


@given(trials=st.integers(1, 10**6), data=st.data())
def test_wilson_contains_the_estimate_and_mirrors(trials, data):
    successes = data.draw(st.integers(0, trials))
    low, high = wilson_interval(successes, trials)
    assert 0.0 <= low <= successes / trials <= high <= 1.0
    mirror_low, mirror_high = wilson_interval(trials - successes, trials)
    assert low == pytest.approx(1.0 - mirror_high, abs=1e-12)
    assert high == pytest.approx(1.0 - mirror_low, abs=1e-12)
    narrow_low, narrow_high = wilson_interval(successes, trials, confidence=0.8)
    assert low <= narrow_low and narrow_high <= high


@pytest.mark.parametrize("probability", [0.02, 0.3, 0.5, 0.93])
def test_wilson_from_ten_thousand_bernoulli_draws_contains_p(probability):
    generator = np.random.default_rng(2024)
    draws = generator.random(10_000) < probability
    low, high = wilson_interval(int(draws.sum()), draws.size)
    assert low < probability < high
    assert high - low < 0.025


@pytest.mark.parametrize("probability, trials", [(0.5, 40), (0.1, 200), (0.9, 1000)])
def test_wilson_coverage_over_many_seeds_is_near_95_percent(probability, trials):
    """Brown, Cai & DasGupta (2001), fig. 5: Wilson coverage stays within ~1-2 points of 95%."""
    generator = np.random.default_rng(7)
    successes = generator.binomial(trials, probability, size=4000)
    covered = [low <= probability <= high
               for low, high in (wilson_interval(k, trials) for k in successes)]
    assert 0.93 <= np.mean(covered) <= 0.97


def test_wilson_rejects_impossible_counts():
    with pytest.raises(ValueError, match="successes <= trials"):
        wilson_interval(5, 4)
    with pytest.raises(ValueError, match="between 0 and 1"):
        wilson_interval(1, 4, confidence=1.0)
    assert all(math.isnan(value) for value in wilson_interval(0, 0))


SKEWED = np.random.default_rng(1).exponential(scale=40.0, size=57)


@pytest.mark.parametrize("confidence", [0.9, 0.95])
def test_t_interval_matches_scipy(confidence):
    expected = stats.t.interval(confidence, SKEWED.size - 1, loc=SKEWED.mean(),
                                scale=stats.sem(SKEWED))
    assert mean_interval(SKEWED, confidence) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("kind, scipy_method", [("percentile", "percentile"), ("bca", "BCa")])
def test_bootstrap_matches_scipy_with_the_same_generator(kind, scipy_method):
    expected = stats.bootstrap((SKEWED,), np.mean, method=scipy_method, n_resamples=9999,
                               rng=np.random.default_rng(5)).confidence_interval
    low, high = mean_interval(SKEWED, method="bootstrap", seed=5, bootstrap=kind)
    assert low == pytest.approx(expected.low, rel=1e-9)
    assert high == pytest.approx(expected.high, rel=1e-9)


def test_bootstrap_is_reproducible_by_seed_and_skewed_like_the_data():
    first = mean_interval(SKEWED, method="bootstrap", seed=3, bootstrap="bca")
    assert first == mean_interval(SKEWED, method="bootstrap", seed=3, bootstrap="bca")
    assert first != mean_interval(SKEWED, method="bootstrap", seed=4, bootstrap="bca")
    mean = SKEWED.mean()
    assert first[1] - mean > mean - first[0]


def test_degenerate_samples():
    assert all(math.isnan(value) for value in mean_interval([4.0]))
    assert mean_interval([2.5, 2.5, 2.5]) == (2.5, 2.5)
    with pytest.raises(ValueError, match="unknown interval method"):
        mean_interval(SKEWED, method="normal")


def test_mean_summary_drops_never_happened_and_counts_it():
    samples = np.array([10.0, np.nan, 14.0, 12.0, np.nan, 16.0])
    summary = mean_summary(samples)
    finite = samples[~np.isnan(samples)]
    expected = stats.t.interval(0.95, 3, loc=finite.mean(), scale=stats.sem(finite))
    assert summary["mean"] == 13.0
    assert summary["ci95"] == pytest.approx(list(expected), rel=1e-12)
    assert (summary["count"], summary["missing"]) == (4, 2)
    json.loads(json.dumps(summary, allow_nan=False))


def test_proportion_summary_from_counts_and_from_flags():
    from_counts = proportion_summary(7, 20)
    flags = np.array([1.0] * 7 + [0.0] * 13 + [np.nan] * 3)
    from_flags = proportion_summary(flags)
    expected = stats.binomtest(7, 20).proportion_ci(method="wilson")
    assert from_counts["mean"] == from_flags["mean"] == 0.35
    assert from_counts["ci95"] == pytest.approx([expected.low, expected.high], abs=1e-12)
    assert from_flags["ci95"] == from_counts["ci95"]
    assert (from_flags["trials"], from_flags["missing"]) == (20, 3)
    assert proportion_summary([True, False, True, True], confidence=0.9)["ci90"][0] > 0.3


def test_empty_summaries_are_json_ready_nones():
    assert proportion_summary(0, 0) == {"mean": None, "ci95": [None, None], "successes": 0,
                                        "trials": 0, "missing": 0}
    empty = mean_summary([np.nan, np.nan])
    assert empty == {"mean": None, "ci95": [None, None], "count": 0, "missing": 2}
    json.loads(json.dumps(empty, allow_nan=False))
    with pytest.raises(ValueError, match="booleans or 0/1"):
        proportion_summary([0.5, 1.0])
