"""Counter-based random numbers: every draw is a pure function of its coordinates.

A draw is addressed by (seed, stream, replication, entity, step, draw). The generator is
Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3",
SC'11), written over NumPy arrays so one call makes millions of independent draws. Since no
state is carried from draw to draw, replication 7,341 gets the same numbers whether it runs
alone, in a chunk of 100 or on the 40th worker of a cluster.
"""

from __future__ import annotations

import zlib

import numpy as np

from zenit.engine.jit import kernel

_MULTIPLIERS = (np.uint64(0xD2511F53), np.uint64(0xCD9E8D57))
_WEYL = (np.uint64(0x9E3779B9), np.uint64(0xBB67AE85))
_LOW32 = np.uint64(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)
_ROUNDS = 10


def philox4x32(counter, key):
    """Philox4x32-10 block: four uint32 counter words and two key words -> four uint32 words.

    `counter` is a sequence of four integer arrays (broadcast together), `key` two scalars.
    Returns four uint64 arrays holding 32-bit values.
    """
    c0, c1, c2, c3 = (np.asarray(word, dtype=np.uint64) & _LOW32 for word in counter)
    c0, c1, c2, c3 = np.broadcast_arrays(c0, c1, c2, c3)
    k0, k1 = np.uint64(int(key[0]) & 0xFFFFFFFF), np.uint64(int(key[1]) & 0xFFFFFFFF)
    for round_index in range(_ROUNDS):
        if round_index:
            k0 = (k0 + _WEYL[0]) & _LOW32
            k1 = (k1 + _WEYL[1]) & _LOW32
        product0 = _MULTIPLIERS[0] * c0
        product1 = _MULTIPLIERS[1] * c2
        c0, c1, c2, c3 = ((product1 >> _SHIFT32) ^ c1 ^ k0, product1 & _LOW32,
                          (product0 >> _SHIFT32) ^ c3 ^ k1, product0 & _LOW32)
    return c0, c1, c2, c3


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

    def _words(self, stream: str, replication, entity, step, draw):
        key = (self.seed & 0xFFFFFFFF, (self.seed >> 32) ^ stream_id(stream))
        return philox4x32((replication, entity, step, draw), key)

    def uniform(self, stream: str, replication, entity=0, step=0, draw: int = 0):
        """Uniform floats in the open interval (0, 1), 53 random bits each."""
        w0, w1, _, _ = self._words(stream, replication, entity, step, draw)
        return _to_unit(w0, w1)

    def normal(self, stream: str, replication, entity=0, step=0, draw: int = 0):
        """Standard normal draws (Box-Muller on two uniforms from one Philox block)."""
        w0, w1, w2, w3 = self._words(stream, replication, entity, step, draw)
        radius = np.sqrt(-2.0 * np.log(_to_unit(w0, w1)))
        return radius * np.cos(2.0 * np.pi * _to_unit(w2, w3))

    def exponential(self, stream: str, replication, entity=0, step=0, draw: int = 0):
        """Unit-mean exponential draws."""
        return -np.log(self.uniform(stream, replication, entity, step, draw))


def _to_unit(high_word, low_word):
    bits = ((high_word >> np.uint64(5)) << np.uint64(26)) | (low_word >> np.uint64(6))
    return (bits.astype(np.float64) + 0.5) * (1.0 / 2.0**53)


# -- the same draws one at a time, for compiled kernels ------------------------------------

_M0, _M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
_W0, _W1 = np.uint64(0x9E3779B9), np.uint64(0xBB67AE85)
_MASK = np.uint64(0xFFFFFFFF)
_S32, _S5, _S26, _S6 = np.uint64(32), np.uint64(5), np.uint64(26), np.uint64(6)
_UNIT = 1.0 / 2.0**53


def stream_key(streams: RandomStreams, stream: str) -> np.ndarray:
    """The two Philox key words of a named stream, as a uint64 array for a compiled kernel."""
    seed = streams.seed
    return np.array([seed & 0xFFFFFFFF, ((seed >> 32) ^ stream_id(stream)) & 0xFFFFFFFF],
                    dtype=np.uint64)


@kernel
def philox_block(key, c0, c1, c2, c3):
    """`philox4x32` for one counter (four integers) under `key` (uint64 (2,))."""
    c0, c1 = np.uint64(c0) & _MASK, np.uint64(c1) & _MASK
    c2, c3 = np.uint64(c2) & _MASK, np.uint64(c3) & _MASK
    k0, k1 = key[0], key[1]
    for round_index in range(_ROUNDS):
        if round_index:
            k0 = (k0 + _W0) & _MASK
            k1 = (k1 + _W1) & _MASK
        product0 = _M0 * c0
        product1 = _M1 * c2
        c0, c1, c2, c3 = ((product1 >> _S32) ^ c1 ^ k0, product1 & _MASK,
                          (product0 >> _S32) ^ c3 ^ k1, product0 & _MASK)
    return c0, c1, c2, c3


@kernel
def unit_from_words(high_word, low_word):
    bits = ((high_word >> _S5) << _S26) | (low_word >> _S6)
    return (np.float64(bits) + 0.5) * _UNIT


@kernel
def uniform_at(key, replication, entity, step, draw):
    """`RandomStreams.uniform` at one coordinate: the same number, bit for bit."""
    w0, w1, _, _ = philox_block(key, replication, entity, step, draw)
    return unit_from_words(w0, w1)


@kernel
def normal_at(key, replication, entity, step, draw):
    """`RandomStreams.normal` at one coordinate: the same number, bit for bit."""
    w0, w1, w2, w3 = philox_block(key, replication, entity, step, draw)
    radius = np.sqrt(-2.0 * np.log(unit_from_words(w0, w1)))
    return radius * np.cos(2.0 * np.pi * unit_from_words(w2, w3))
