"""The compiler for the engine's per-element loops.

The engine's hot path (threat motion, radar looks, track updates, interceptor flight) runs as
loops over flat arrays compiled by Numba: NumPy over the same work makes dozens of temporary
arrays per look, and on a laptop's two cores that memory traffic, not arithmetic, set the
pace. `kernel` compiles a function once per machine (cached beside the source) with IEEE
arithmetic (no fastmath: every element is computed in the same order whatever the batch, so a
replication's result does not depend on its chunk) and NumPy's error model (x / 0 gives inf
or nan, as the array code it replaces did, instead of raising).

The xp-parameterised kernels in zenit.geo, zenit.sensors, zenit.tracking and zenit.physics
stay the reference implementations (and the route to a GPU); tests check each compiled
kernel against them.
"""

from __future__ import annotations

import numba

kernel = numba.njit(cache=True, nogil=True, error_model="numpy")
# For a helper shared by two hot loops: inlined into each caller's code by Numba itself,
# where LLVM alone would keep one out-of-line copy behind a call.
inline_kernel = numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
