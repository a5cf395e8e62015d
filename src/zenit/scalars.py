"""NumPy's semantics for scalar formulas: NaN-propagating minimum, maximum and clip, np.interp.

Formulas (`zenit.compiled.formula`) work on one element at a time; where their NumPy
originals used np.minimum, np.clip or np.interp, these give the same numbers, NaN included,
by the same arithmetic in the same order. Python's `min` and `max` do not: they drop a NaN
depending on the argument order.
"""

from __future__ import annotations

from zenit.compiled import formula


@formula
def minimum(a, b):
    """np.minimum(a, b): NaN if either is."""
    if a != a or b != b:
        return a + b
    return a if a <= b else b


@formula
def maximum(a, b):
    """np.maximum(a, b): NaN if either is."""
    if a != a or b != b:
        return a + b
    return a if a >= b else b


@formula
def clip(x, low, high):
    """np.clip(x, low, high)."""
    return minimum(maximum(x, low), high)


@formula
def _between(x, x0, x1, y0, y1):
    """arr_interp's step between two knots, with its retry from the right on a NaN."""
    if x0 == x:
        return y0
    slope = (y1 - y0) / (x1 - x0)
    y = slope * (x - x0) + y0
    if y != y:
        y = slope * (x - x1) + y1
        if y != y and y0 == y1:
            y = y0
    return y


@formula
def interp(x, table):
    """np.interp(x, table[0], table[1]) for one x, `table` (2, D) knots and values: NumPy's
    algorithm (compiled_base.c, arr_interp), the same arithmetic in the same order."""
    last = table.shape[1] - 1
    if x != x:
        return x
    if x > table[0, last]:
        return table[1, last]
    if x < table[0, 0]:
        return table[1, 0]
    j = 0
    while j < last and table[0, j + 1] <= x:
        j += 1
    if j == last:
        return table[1, last]
    return _between(x, table[0, j], table[0, j + 1], table[1, j], table[1, j + 1])
