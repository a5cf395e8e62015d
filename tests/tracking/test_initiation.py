"""Track lifecycle formulas: M-of-N confirmation and dropping (Blackman & Popoli 1999).

`_trace` runs the formulas as the engine's track loop does (`fold_looks` for every look,
then `drop_stale_tracks`), for one track, as plain Python."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from zenit.tracking.initiation import (confirms, consecutive_misses, hit_count, is_stale,
                                       shift_in, window_mask)

NONE, TENTATIVE, CONFIRMED = "N", "T", "C"


def _trace(pattern, confirm_hits, confirm_looks, drop_misses):
    """The track's state after each look of a hit (1) / miss (0) pattern."""
    window = window_mask(confirm_looks)
    exists, confirmed, history, misses, states = False, False, np.uint32(0), 0, []
    for hit in pattern:
        exists = exists or bool(hit)
        history = shift_in(history, bool(hit), window)
        misses = consecutive_misses(misses, bool(hit))
        confirmed = confirmed or (exists and confirms(history, confirm_hits))
        if exists and is_stale(misses, 0.0, drop_misses, math.inf):
            exists, confirmed, history, misses = False, False, np.uint32(0), 0
        states.append(CONFIRMED if confirmed else TENTATIVE if exists else NONE)
    return "".join(states)


def test_two_of_three_sequences():
    assert _trace([1, 1, 0, 0, 0, 0, 0], 2, 3, 3) == "TCCCNNN"  # dropped after 3 misses
    assert _trace([1, 0, 1, 0, 0, 0, 1], 2, 3, 3) == "TTCCCNT"  # a new track after the drop
    assert _trace([1, 0, 0, 1, 1, 0, 0], 2, 3, 3) == "TTTTCCC"  # the first hit left the window
    assert _trace([0, 0, 1, 0, 0, 0, 0], 2, 3, 3) == "NNTTTNN"  # a lone hit never confirms


def test_three_of_five_sequences():
    assert _trace([1, 0, 1, 0, 1, 0, 0, 1], 3, 5, 2) == "TTTTCCNT"
    assert _trace([1, 0, 0, 1, 0, 1, 1, 1], 3, 5, 2) == "TTNTTTCC"
    assert _trace([1, 1, 1, 0, 1, 0, 1, 0], 3, 5, 2) == "TTCCCCCC"


def test_one_of_one_confirms_at_once():
    assert _trace([1, 0, 1], 1, 1, 2) == "CCC"


def test_a_long_coast_is_stale():
    assert is_stale(0, 30.5, 3, 30.0) and not is_stale(2, 30.0, 3, 30.0)


@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=50))
def test_hit_count_is_the_population_count(words):
    assert [hit_count(np.uint32(word)) for word in words] == [bin(word).count("1")
                                                               for word in words]


def test_window_keeps_the_last_n_looks():
    assert window_mask(3) == 0b111 and window_mask(32) == 2**32 - 1
    history = np.uint32(0)
    for hit in (True, True, False, True):
        history = shift_in(history, hit, window_mask(3))
    assert history == 0b101


@st.composite
def rules_and_hits(draw):
    looks = draw(st.integers(1, 8))
    return (draw(st.integers(1, looks)), looks, draw(st.integers(1, 5)),
            draw(st.lists(st.integers(0, 1), min_size=1, max_size=40)))


@given(rules_and_hits())
@settings(max_examples=200, deadline=None)
def test_confirmation_needs_m_hits_in_the_last_n_looks(case):
    confirm_hits, confirm_looks, drop_misses, pattern = case
    states = _trace(pattern, confirm_hits, confirm_looks, drop_misses)
    previous = NONE
    for look, state in enumerate(states):
        if state == CONFIRMED and previous != CONFIRMED:
            assert sum(pattern[max(0, look - confirm_looks + 1):look + 1]) >= confirm_hits
            assert pattern[look]  # confirmation happens on a hit
        if previous != NONE and state == NONE:
            assert not any(pattern[look - drop_misses + 1:look + 1])
        previous = state
