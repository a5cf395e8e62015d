"""Static weapon-target assignment (WTA): which weapon fires at which target.

The static WTA of Manne (1958, Operations Research 6(1)): targets t have values V_t, weapon w
kills target t with probability p_wt independently of the others; assign every weapon to one
target to minimise the expected surviving value

    sum_t V_t prod_{w assigned to t} (1 - p_wt).

Two solvers, batched over leading axes (values (..., T), pk (..., W, T)):

* "greedy": maximum marginal return (den Broeder, Ellison, Emerling 1959, Operations
  Research 7(3)), W rounds of the pair that removes the most expected value; optimal when pk
  depends only on the target, else the construction heuristic of Ahuja, Kumar, Jha, Orlin
  2007 (Operations Research 55(6)).
* "exact": F_t(S) = min over A subset of S of F_{t-1}(S minus A) + V_t prod_{w in A}
  (1 - p_wt), a min-plus subset convolution of T 3^W operations (at most
  `EXACT_WEAPON_LIMIT` weapons) whose time does not depend on the data.

`max_weapons_per_target` caps the weapons on one target; surplus weapons (cap * T < W) get -1,
otherwise every weapon is assigned, even one with pk 0 on every target.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from zenit.errors import did_you_mean

EXACT_WEAPON_LIMIT = 14
METHODS = ("exact", "greedy")
# Most float64 entries the exact solver holds at once (about 400 MB); larger batches go
# through it in chunks.
_EXACT_MEMORY_ENTRIES = 50_000_000


@dataclass(frozen=True)
class WTAResult:
    """`assignment` (..., W): target index per weapon, -1 if held back;
    `expected_surviving_value` (...): the objective; `method`: the solver used."""

    assignment: np.ndarray
    expected_surviving_value: np.ndarray
    method: str


def expected_surviving_value(values, pk, assignment):
    """sum_t V_t prod_{w: assignment[w] == t} (1 - pk[w, t]), batched; -1 means not fired."""
    values = np.asarray(values, dtype=float)
    pk = np.asarray(pk, dtype=float)
    assignment = np.asarray(assignment)
    targets = np.arange(values.shape[-1])
    chosen = assignment[..., :, None] == targets  # (..., W, T)
    survival = np.prod(np.where(chosen, 1.0 - pk, 1.0), axis=-2)
    return np.sum(values * survival, axis=-1)


def solve(values, pk, method: str = "exact", max_weapons_per_target: int | None = None):
    """Assign weapons to targets; see the module docstring for the two methods."""
    values, pk = _checked(values, pk)
    if method not in METHODS:
        hint = did_you_mean(str(method), METHODS)
        raise ValueError(f"unknown WTA method {method!r}; expected one of {METHODS}"
                         + (f" ({hint})" if hint else ""))
    weapons, targets = pk.shape[-2], pk.shape[-1]
    cap = max(weapons, 1) if max_weapons_per_target is None else int(max_weapons_per_target)
    if cap < 1:
        raise ValueError(f"max_weapons_per_target must be at least 1, got {cap}")
    batch = values.shape[:-1]
    if targets == 0 or weapons == 0:
        assignment = np.full(batch + (weapons,), -1, dtype=np.int64)
    elif method == "greedy":
        assignment = _greedy(values.reshape(-1, targets), pk.reshape(-1, weapons, targets), cap)
        assignment = assignment.reshape(batch + (weapons,))
    else:
        if weapons > EXACT_WEAPON_LIMIT:
            raise ValueError(f"exact WTA handles at most {EXACT_WEAPON_LIMIT} weapons "
                             f"(its cost grows as 3^W), got {weapons}; use method='greedy'")
        assignment = _exact(values.reshape(-1, targets), pk.reshape(-1, weapons, targets), cap)
        assignment = assignment.reshape(batch + (weapons,))
    return WTAResult(assignment, expected_surviving_value(values, pk, assignment), method)


def _checked(values, pk):
    values = np.asarray(values, dtype=float)
    pk = np.asarray(pk, dtype=float)
    if values.ndim < 1 or pk.ndim < 2:
        raise ValueError(f"values must be (..., T) and pk (..., W, T), "
                         f"got shapes {values.shape} and {pk.shape}")
    if pk.shape[-1] != values.shape[-1] or pk.shape[:-2] != values.shape[:-1]:
        raise ValueError(f"pk {pk.shape} does not match values {values.shape}: "
                         f"expected pk shaped (..., W, {values.shape[-1]}) with the same batch")
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError("target values must be finite and non-negative")
    if not np.all((pk >= 0) & (pk <= 1)):
        raise ValueError("kill probabilities pk must lie in [0, 1]")
    return values, pk


def _greedy(values, pk, cap):
    """Maximum marginal return over a flat batch: values (B, T), pk (B, W, T)."""
    count, weapons, targets = pk.shape
    rows = np.arange(count)
    surviving = values.copy()
    assignment = np.full((count, weapons), -1, dtype=np.int64)
    loads = np.zeros((count, targets), dtype=np.int64)
    for _ in range(min(weapons, cap * targets)):
        gain = surviving[:, None, :] * pk
        blocked = (assignment >= 0)[:, :, None] | (loads >= cap)[:, None, :]
        gain = np.where(blocked, -np.inf, gain).reshape(count, -1)
        best = np.argmax(gain, axis=1)
        weapon, target = np.divmod(best, targets)
        assignment[rows, weapon] = target
        surviving[rows, target] *= 1.0 - pk[rows, weapon, target]
        loads[rows, target] += 1
    return assignment


@functools.lru_cache(maxsize=4)
def _subset_pairs(weapons: int):
    """Every (S, A) with A a subset of S, grouped by S; with S minus A and group starts."""
    code = np.arange(3**weapons, dtype=np.int64)
    subset = np.zeros_like(code)
    part = np.zeros_like(code)
    for weapon in range(weapons):
        digit = code % 3
        code //= 3
        subset |= (digit >= 1).astype(np.int64) << weapon
        part |= (digit == 2).astype(np.int64) << weapon
    order = np.argsort(subset, kind="stable")
    subset, part = subset[order], part[order]
    sizes = np.left_shift(1, _popcount(np.arange(2**weapons)))
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return part, subset ^ part, starts


def _popcount(numbers):
    numbers = np.asarray(numbers, dtype=np.int64)
    return sum((numbers >> bit) & 1 for bit in range(max(int(numbers.max(initial=0)), 1)
                                                     .bit_length()))


def _subset_costs(values, pk, cap):
    """V_t prod_{w in A} (1 - p_wt) for every subset A: (B, 2^W, T); inf above the cap."""
    count, weapons, targets = pk.shape
    survival = np.ones((count, 1, targets))
    for weapon in range(weapons):
        survival = np.concatenate([survival, survival * (1.0 - pk[:, weapon, None, :])], axis=1)
    costs = values[:, None, :] * survival
    too_many = _popcount(np.arange(2**weapons)) > cap
    costs[:, too_many, :] = np.inf
    return costs


def _exact(values, pk, cap):
    """Subset dynamic programming over a flat batch, in chunks that fit in memory."""
    count, weapons, targets = pk.shape
    chunk = max(1, _EXACT_MEMORY_ENTRIES // (3**weapons + targets * 2**weapons))
    parts = [_exact_chunk(values[start:start + chunk], pk[start:start + chunk], cap)
             for start in range(0, count, chunk)]
    return np.concatenate(parts, axis=0)


def _exact_chunk(values, pk, cap):
    count, weapons, targets = pk.shape
    part, rest, starts = _subset_pairs(weapons)
    costs = _subset_costs(values, pk, cap)
    subsets = 2**weapons
    best = np.full((count, subsets), np.inf)
    best[:, 0] = 0.0
    tables = [best]
    for target in range(targets):
        candidates = best[:, rest] + costs[:, part, target]
        best = np.minimum.reduceat(candidates, starts, axis=1)
        tables.append(best)
    sizes = _popcount(np.arange(subsets))
    wanted = np.where(sizes == min(weapons, cap * targets), tables[-1], np.inf)
    chosen = np.argmin(wanted, axis=1)
    return _backtrack(tables, costs, chosen, weapons)


def _backtrack(tables, costs, chosen, weapons):
    """Recover which subset of weapons went to each target from the DP tables."""
    count = chosen.shape[0]
    rows = np.arange(count)
    every = np.arange(2**weapons)
    assignment = np.full((count, weapons), -1, dtype=np.int64)
    bits = np.left_shift(1, np.arange(weapons))
    for target in range(len(tables) - 2, -1, -1):
        inside = (every[None, :] & ~chosen[:, None]) == 0
        cost = tables[target][rows[:, None], chosen[:, None] ^ every[None, :]]
        cost = np.where(inside, cost + costs[:, :, target], np.inf)
        group = np.argmin(cost, axis=1)
        members = (group[:, None] & bits) != 0
        assignment[members] = target
        chosen = chosen ^ group
    return assignment
