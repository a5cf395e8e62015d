"""Track lifecycle as array logic: M-of-N confirmation, coasting, drop.

Every quantity is an array over (..., threats) advanced once per look (a radar dwell that
could have detected the threat):

* `state`: NONE (no track), TENTATIVE (initiated on a hit, not yet trusted), CONFIRMED,
  DROPPED (a confirmed track was lost; the next hit starts a new tentative track).
* `history`: the last looks as bits, newest in bit 0, 1 for a hit (uint32, so N <= 32).
* `looks`: looks since the track was initiated, the initiating hit counting as one.
* `misses`: consecutive misses; a confirmed track coasts on prediction while it grows.

Rules (the "M-of-N" sliding-window logic of Blackman and Popoli 1999, "Design and Analysis of
Modern Tracking Systems", on track initiation): a tentative track is confirmed as soon as it has at
least M hits in its last N looks; if N looks pass without that, initiation failed and the
track returns to NONE. A confirmed track is dropped after K consecutive misses, or when its
position uncertainty (the track quality, metres) grows past a limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

NONE, TENTATIVE, CONFIRMED, DROPPED = 0, 1, 2, 3


@dataclass(frozen=True)
class LifecycleRules:
    """Confirm on `confirm_hits` (M) of `confirm_looks` (N); drop after `drop_misses` (K)
    consecutive misses or when quality exceeds `max_quality_m`."""

    confirm_hits: int
    confirm_looks: int
    drop_misses: int
    max_quality_m: float = float("inf")

    def __post_init__(self):
        if not 1 <= self.confirm_looks <= 32:
            raise ValueError(f"confirm_looks (N) must be in 1..32, got {self.confirm_looks}")
        if not 1 <= self.confirm_hits <= self.confirm_looks:
            raise ValueError(f"confirm_hits (M) must be in 1..N={self.confirm_looks}, "
                             f"got {self.confirm_hits}")
        if self.drop_misses < 1:
            raise ValueError(f"drop_misses (K) must be at least 1, got {self.drop_misses}")
        if not self.max_quality_m > 0:
            raise ValueError(f"max_quality_m must be positive, got {self.max_quality_m}")


class TrackLife(NamedTuple):
    """Lifecycle arrays, all shaped (..., threats)."""

    state: object
    history: object
    looks: object
    misses: object


def new_life(shape, xp=np) -> TrackLife:
    """No tracks yet."""
    return TrackLife(xp.zeros(shape, dtype=xp.int8), xp.zeros(shape, dtype=xp.uint32),
                     xp.zeros(shape, dtype=xp.int32), xp.zeros(shape, dtype=xp.int32))


def hit_count(history, xp=np):
    """Number of set bits of uint32 words (SWAR population count, Hacker's Delight 5-1)."""
    word = xp.asarray(history, dtype=xp.uint32)
    word = word - ((word >> 1) & xp.uint32(0x55555555))
    word = (word & xp.uint32(0x33333333)) + ((word >> 2) & xp.uint32(0x33333333))
    word = (word + (word >> 4)) & xp.uint32(0x0F0F0F0F)
    return ((word * xp.uint32(0x01010101)) >> 24).astype(xp.int32)


def window_mask(looks: int):
    """The bits of the last `looks` looks."""
    return np.uint32((1 << looks) - 1)


def advance(life: TrackLife, hit, quality, rules: LifecycleRules, xp=np) -> TrackLife:
    """The lifecycle after one more look; `hit` (...) bool, `quality` (...) metres."""
    hit = xp.asarray(hit, dtype=bool)
    state, history, looks, misses = life
    active = (state == TENTATIVE) | (state == CONFIRMED)
    starting = ~active & hit
    bits = hit.astype(xp.uint32)
    history = xp.where(active, ((history << xp.uint32(1)) | bits) & window_mask(32),
                       bits)
    looks = xp.where(active, looks + 1, xp.where(starting, 1, 0)).astype(xp.int32)
    misses = xp.where(hit | ~active, 0, misses + 1).astype(xp.int32)
    state = xp.where(starting, TENTATIVE, state).astype(xp.int8)

    recent_hits = hit_count(history & window_mask(rules.confirm_looks), xp)
    tentative = state == TENTATIVE
    confirmed_now = tentative & (recent_hits >= rules.confirm_hits)
    failed = tentative & ~confirmed_now & (looks >= rules.confirm_looks)
    state = xp.where(confirmed_now, CONFIRMED, xp.where(failed, NONE, state)).astype(xp.int8)

    lost = (state == CONFIRMED) & ((misses >= rules.drop_misses)
                                   | (xp.asarray(quality) > rules.max_quality_m))
    state = xp.where(lost, DROPPED, state).astype(xp.int8)
    ended = failed | lost
    history = xp.where(ended, xp.uint32(0), history)
    looks = xp.where(ended, 0, looks).astype(xp.int32)
    misses = xp.where(ended, 0, misses).astype(xp.int32)
    return TrackLife(state, history, looks, misses)


def track_quality(position_covariance, xp=np):
    """sqrt(trace) of a position covariance (..., 3, 3): the RMS 3-D position error, metres."""
    diagonal = xp.diagonal(position_covariance, axis1=-2, axis2=-1)
    return xp.sqrt(xp.sum(diagonal, axis=-1))


def engageable(quality, threshold, state=None, xp=np):
    """True where a track is good enough to fire on: quality <= threshold (metres), and,
    when `state` is given, the track is confirmed."""
    good = xp.asarray(quality) <= threshold
    if state is None:
        return good
    return good & (xp.asarray(state) == CONFIRMED)
