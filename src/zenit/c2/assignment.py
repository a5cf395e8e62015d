"""Batched weapon-target assignment inside the engine: maximum marginal return per replication.

Each engine step every free battalion may open one engagement. The marginal return of sending
battalion b against threat n is the threat's value times the kill probability of the missile
b would fire at it. Picking the best (battalion, threat) pair, removing both, and repeating is
the maximum-marginal-return rule (den Broeder, Ellison, Emerling 1959), done here for all
replications at once: each round is one argmax over a (replications, battalions x threats)
array, and there are at most as many rounds as battalions.
"""

from __future__ import annotations

import numpy as np

from zenit.c2 import wta


def greedy_rounds(score):
    """Assign battalions to threats by maximum marginal return, replication by replication.

    `score` (R, B, N) is the marginal return, -inf where an engagement is impossible. Returns
    (battalion, threat) index arrays (R, B): for each replication the threat each battalion
    engages, -1 where it engages none.
    """
    score = np.array(score, dtype=float, copy=True)
    replications, battalions, threats = score.shape
    choice = np.full((replications, battalions), -1, dtype=np.int64)
    if replications == 0 or threats == 0:
        return choice
    rows = np.arange(replications)
    for _ in range(battalions):
        flat = score.reshape(replications, -1)
        best = np.argmax(flat, axis=1)
        usable = np.isfinite(flat[rows, best])
        if not usable.any():
            break
        battalion, threat = np.divmod(best[usable], threats)
        picked = rows[usable]
        choice[picked, battalion] = threat
        score[picked, battalion, :] = -np.inf
        score[picked, :, threat] = -np.inf
    return choice


def exact_assignment(values, pk):
    """The optimal static assignment of each replication's free battalions (Manne 1958).

    `values` (R, N) are the threats' worth, `pk` (R, B, N) the kill probability of the round
    battalion b would fire at threat n (0 where it cannot engage). Every replication's
    problem is solved exactly at once by `wta.solve`; unlike `greedy_rounds`, two battalions
    may be given the same threat when that lowers the expected surviving value most.
    Returns (R, B) threat indices, -1 where a battalion has nothing worth engaging.
    """
    result = wta.solve(values, pk, method="exact")
    choice = result.assignment.copy()
    rows = np.arange(choice.shape[0])[:, None]
    battalions = np.arange(choice.shape[1])[None, :]
    useful = (choice >= 0) & (pk[rows, battalions, np.maximum(choice, 0)] > 0.0)
    return np.where(useful, choice, -1)
