"""Counter-based random numbers: every draw is a pure function of its coordinates.

A draw is addressed by (seed, stream, replication, entity, step, draw). The generator is
Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3",
SC'11), written once as a formula (`philox_block`) that the engine's compiled loops call one
counter at a time and `RandomStreams` calls over whole arrays, so one call makes millions of
independent draws. Since no state is carried from draw to draw, replication 7,341 gets the
same numbers whether it runs alone, in a chunk of 100 or on the 40th worker of a cluster.
"""

from __future__ import annotations

import math
import types
import zlib

import numpy as np

from zenit.compiled import formula, inline_formula, kernel
from zenit.compiled import broadcast_flat

_M0, _M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)  # round multipliers
_W0, _W1 = np.uint64(0x9E3779B9), np.uint64(0xBB67AE85)  # Weyl key increments
_MASK = np.uint64(0xFFFFFFFF)
_S32, _S5, _S26, _S6 = np.uint64(32), np.uint64(5), np.uint64(26), np.uint64(6)
_ROUNDS = 10
_UNIT = 1.0 / 2.0**53


@formula
def philox_block(k0, k1, c0, c1, c2, c3):
    """Philox4x32-10 block: four counter words (integers, taken mod 2^32) under the key words
    k0, k1 (uint64 holding 32 bits) -> four uint64 words holding 32-bit values. Scalars only,
    so that a loop of blocks vectorizes."""
    c0, c1 = np.uint64(c0) & _MASK, np.uint64(c1) & _MASK
    c2, c3 = np.uint64(c2) & _MASK, np.uint64(c3) & _MASK
    for round_index in range(_ROUNDS):
        if round_index:
            k0 = (k0 + _W0) & _MASK
            k1 = (k1 + _W1) & _MASK
        product0 = _M0 * c0
        product1 = _M1 * c2
        c0, c1, c2, c3 = ((product1 >> _S32) ^ c1 ^ k0, product1 & _MASK,
                          (product0 >> _S32) ^ c3 ^ k1, product0 & _MASK)
    return c0, c1, c2, c3


# `philox_block` inlined into the Numba IR of a CPU loop, where a loop of blocks vectorizes
# (LLVM leaves a formula's call in place there): a second function object running its code,
# as Numba keeps one overload per function object. CPU only: numba-cuda does not type inlined
# overloads, so GPU code calls `philox_block`.
philox_block_inline = inline_formula(types.FunctionType(
    philox_block.__code__, philox_block.__globals__, "philox_block_inline"))


@formula
def unit_from_words(high_word, low_word):
    """A float in the open interval (0, 1) from 53 bits of two Philox words."""
    bits = ((high_word >> _S5) << _S26) | (low_word >> _S6)
    return (np.float64(bits) + 0.5) * _UNIT


@formula
def uniform_at(key, replication, entity, step, draw):
    """`RandomStreams.uniform` at one coordinate: the same number, bit for bit."""
    w0, w1, _, _ = philox_block(key[0], key[1], replication, entity, step, draw)
    return unit_from_words(w0, w1)


@formula
def box_muller(radius_unit, angle_unit):
    """A standard normal from two uniforms in (0, 1) (Box and Muller, 1958)."""
    return math.sqrt(-2.0 * math.log(radius_unit)) * math.cos(2.0 * math.pi * angle_unit)


@formula
def normal_at(key, replication, entity, step, draw):
    """A standard normal at one coordinate: Box-Muller on the two uniforms of one block."""
    w0, w1, w2, w3 = philox_block(key[0], key[1], replication, entity, step, draw)
    return box_muller(unit_from_words(w0, w1), unit_from_words(w2, w3))


@kernel
def _unit_pairs(key, c0, c1, c2, c3, units):
    k0, k1 = key[0], key[1]
    for index in range(c0.shape[0]):
        w0, w1, w2, w3 = philox_block_inline(k0, k1, c0[index], c1[index], c2[index],
                                             c3[index])
        units[0, index] = unit_from_words(w0, w1)
        units[1, index] = unit_from_words(w2, w3)


def stream_id(name: str) -> int:
    """A stable 32-bit number for a named stream ("detection", "launch-jitter", ...)."""
    return zlib.crc32(name.encode("utf-8"))


class RandomStreams:
    """Independent, addressable random streams for one seed.

    Each method broadcasts `replication`, `entity` and `step` against each other; `draw`
    separates several numbers wanted at the same coordinates.
    """

    def __init__(self, seed: int):
        seed = int(seed)
        if seed < 0 or seed >= 2**64:
            raise ValueError(f"seed must be in [0, 2**64), got {seed}")
        self.seed = seed

    def _units(self, stream: str, replication, entity, step, draw):
        """The two uniforms of each coordinate's Philox block, (2, ...)."""
        shape, words = broadcast_flat(replication, entity, step, draw, dtype=np.uint64)
        units = np.empty((2, words[0].size))
        _unit_pairs(stream_key(self, stream), *words, units)
        return units.reshape((2,) + shape)

    def uniform(self, stream: str, replication, entity=0, step=0, draw: int = 0):
        """Uniform floats in the open interval (0, 1), 53 random bits each (`uniform_at`)."""
        return self._units(stream, replication, entity, step, draw)[0]

    def normal(self, stream: str, replication, entity=0, step=0, draw: int = 0):
        """Standard normal draws (Box-Muller on two uniforms from one Philox block), in NumPy,
        whose SIMD logarithm differs from `box_muller`'s in the last bit now and then."""
        radius_unit, angle_unit = self._units(stream, replication, entity, step, draw)
        return np.sqrt(-2.0 * np.log(radius_unit)) * np.cos(2.0 * np.pi * angle_unit)


def stream_key(streams: RandomStreams, stream: str) -> np.ndarray:
    """The two Philox key words of a named stream, as a uint64 array for a compiled loop."""
    seed = streams.seed
    return np.array([seed & 0xFFFFFFFF, ((seed >> 32) ^ stream_id(stream)) & 0xFFFFFFFF],
                    dtype=np.uint64)
