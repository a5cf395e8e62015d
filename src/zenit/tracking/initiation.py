"""Track lifecycle: M-of-N confirmation, counting misses, dropping stale tracks.

A track keeps its last looks (the radar dwells that could have detected its target) as the
bits of a uint32 `history`, newest in bit 0, 1 for a hit, masked to the N looks of the
window. The "M-of-N" sliding-window rule (Blackman and Popoli 1999, "Design and Analysis of
Modern Tracking Systems", track initiation): a track is confirmed on the look that brings
its window to at least M hits. A track is dropped after K consecutive misses or when it has
coasted (gone without an update) longer than a limit; the next hit starts a new one.
"""

from __future__ import annotations

import numpy as np

from zenit.compiled import formula


@formula
def window_mask(looks):
    """The history bits of the last `looks` looks (1 <= looks <= 32)."""
    return np.uint32((1 << looks) - 1)


@formula
def shift_in(history, hit, window):
    """The history after one more look: `hit` (bool) in bit 0, older looks shifted up, the
    bits outside `window` (a `window_mask`) cleared."""
    return ((history << np.uint32(1)) | (np.uint32(1) if hit else np.uint32(0))) & window


@formula
def hit_count(history):
    """Number of hits (set bits) of a uint32 history."""
    hits = 0
    while history:
        hits += 1
        history &= history - np.uint32(1)
    return hits


@formula
def confirms(history, confirm_hits):
    """True once the window holds at least `confirm_hits` (M) hits."""
    return hit_count(history) >= confirm_hits


@formula
def consecutive_misses(misses, hit):
    """The count of consecutive misses after one more look."""
    return 0 if hit else misses + 1


@formula
def is_stale(misses, coasted_s, drop_misses, coast_limit_s):
    """True for a track missed `drop_misses` times running or coasting over `coast_limit_s`."""
    return misses >= drop_misses or coasted_s > coast_limit_s
