"""Transitional: the engine's compile decorators, now defined in `zenit.compiled`."""

from __future__ import annotations

import numba

from zenit.compiled import kernel

__all__ = ["kernel", "inline_kernel"]

inline_kernel = numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
