"""The array form of a formula over vectors: a compiled NumPy generalized ufunc.

(A helper for `zenit.compiled`, beside `elementwise`; it lives here until it moves there.)
"""

from __future__ import annotations

import functools
import re

import numba
import numpy as np

import zenit.compiled  # noqa: F401  (sets Numba's versioned cache directory)


def _float64(core: str, output: bool) -> str:
    rank = len([axis for axis in core.split(",") if axis.strip()])
    return "float64" if rank == 0 and not output else f"float64[{','.join([':'] * max(rank, 1))}]"


def array_function(layout: str):
    """`function(inputs..., outputs...)` as a gufunc (numba.guvectorize) of float64 arrays
    with the core `layout`, e.g. "(n),()->(n),()": it broadcasts the leading axes and returns
    its outputs; a scalar output is written to element 0. Compiled (cached) on first call."""
    inputs, outputs = (re.findall(r"\(([^)]*)\)", side) for side in layout.split("->"))
    types = [_float64(core, False) for core in inputs] + [_float64(core, True) for core in outputs]
    signature = f"void({', '.join(types)})"

    def wrap(function):
        built = []

        @functools.wraps(function)
        def call(*arguments):
            if not built:
                built.append(numba.guvectorize([signature], layout, cache=True)(function))
            with np.errstate(all="ignore"):  # NaN and inf pass silently, as in compiled loops
                return built[0](*arguments)
        return call
    return wrap
