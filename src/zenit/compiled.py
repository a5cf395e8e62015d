"""How Zenit compiles its formulas: once, for the CPU loops, the array API and a GPU.

Each formula of the physics core (a horizon angle, an SNR, a Kalman update, a 3-DOF step) is
written once, as a scalar function decorated with `formula`, in the layer that owns it. A
formula is a generic Numba overload (`numba.extending.register_jitable`), compiled into
whichever compiled caller uses it (a CPU loop decorated with `kernel`, a CUDA kernel, the
NumPy ufunc `elementwise` makes of it) and run as plain Python when called from Python. It
stays in the subset numba-cuda compiles as device functions: scalars and arrays in, scalars
or tuples of scalars out, `math` functions, no allocation, no exceptions.

All use IEEE arithmetic (no fastmath: every element is computed in the same order whatever the
batch) and NumPy's error model (x / 0 gives inf or nan instead of raising).

Compiled loops are cached on disk. Numba keys a cached loop on its own source file only, so
the cache lives in a directory named after a digest of all of Zenit's sources
(`cache_directory`): any change to any source, a formula's included, starts a fresh cache.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
from pathlib import Path

import numba
import numpy as np
from numba.extending import register_jitable

PACKAGE = Path(__file__).resolve().parent


def source_digest() -> str:
    """A digest of every Python source of the package: it changes when any formula does."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_directory() -> Path:
    """Where compiled loops are cached: ~/.cache/zenit/numba/<install>/<source digest> (or
    under $XDG_CACHE_HOME), <install> naming this copy of the package. Caches of its other
    source versions are removed when a new one starts."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zenit" / "numba"
    base = root / hashlib.sha256(str(PACKAGE).encode()).hexdigest()[:8]
    here = base / source_digest()
    if not here.exists() and base.exists():
        for stale in base.iterdir():
            shutil.rmtree(stale, ignore_errors=True)
    return here


def _use_versioned_cache() -> None:
    # A user's own NUMBA_CACHE_DIR wins; it is then theirs to clear after an upgrade.
    if not numba.config.CACHE_DIR:
        numba.config.CACHE_DIR = str(cache_directory())


_use_versioned_cache()

# A compiled loop: an entry point called from Python.
kernel = numba.njit(cache=True, nogil=True, error_model="numpy")


def formula(function):
    """A formula of the physics core: compiled into its callers, CPU or GPU."""
    return register_jitable(error_model="numpy")(function)


def inline_formula(function):
    """A formula inlined into its caller's Numba IR, for helpers that take whole arrays:
    inlined, their array arguments need no reference counting per call."""
    # (register_jitable pops "inline" from its options, so each use gets its own.)
    return register_jitable(error_model="numpy", inline="always")(function)


def elementwise(function):
    """The array form of a scalar formula: a NumPy ufunc compiled from it (numba.vectorize),
    which broadcasts its arguments and gives a scalar for scalars. The one-line way to make a
    public array function of a formula with scalar arguments and one scalar result."""
    return numba.vectorize(cache=True)(function)



def _float64(core: str, output: bool) -> str:
    rank = len([axis for axis in core.split(",") if axis.strip()])
    return "float64" if rank == 0 and not output else f"float64[{','.join([':'] * max(rank, 1))}]"


def array_function(layout: str):
    """The array form of a formula over vectors: `function(inputs..., outputs...)` as a
    generalized ufunc (numba.guvectorize) of float64 arrays with the core `layout`, e.g.
    "(n),()->(n),()". It broadcasts the leading axes and returns its outputs; a scalar output
    is written to element 0. Compiled (and cached) on its first call, not at import."""
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

def components(*vectors):
    """The x, y and z arrays of each array of 3-vectors (..., 3), in order: the arguments of
    the `elementwise` form of a formula over vectors' components."""
    return [axis for vector in vectors for axis in np.moveaxis(np.asarray(vector, float), -1, 0)]


def broadcast_flat(*arrays, dtype=float):
    """Arrays broadcast together and flattened (writable, contiguous), with their common shape:
    what a hand-written loop over a formula's arguments takes."""
    arrays = [np.asarray(array, dtype=dtype) for array in arrays]
    shape = np.broadcast_shapes(*(array.shape for array in arrays))
    return shape, [np.ascontiguousarray(array).reshape(-1) if array.shape == shape
                   else np.broadcast_to(array, shape).flatten() for array in arrays]
