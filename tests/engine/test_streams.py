"""Counter-based random streams: known answers, independence from batching, distribution."""

import numpy as np
import pytest
from hypothesis import given, strategies as st
from scipy import stats

from zenit.engine.streams import RandomStreams, philox_block, stream_key, unit_from_words


@pytest.mark.parametrize("counter, key, expected", [
    # Random123 known-answer vectors (kat_vectors, philox4x32 10 rounds), Salmon et al. SC'11.
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF, 0xFFFFFFFF), (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
])
def test_philox_known_answers(counter, key, expected):
    key = np.array(key, dtype=np.uint64)
    assert tuple(int(word) for word in philox_block(key[0], key[1], *counter)) == expected


def test_the_array_streams_are_the_formula_one_counter_at_a_time():
    streams = RandomStreams(2**40 + 17)
    key = stream_key(streams, "detection")
    for replication, entity, step in [(0, 0, 0), (7341, 12, 900), (2**32 - 1, 5, 3)]:
        w0, w1, _, _ = philox_block(key[0], key[1], replication, entity, step, 0)
        assert streams.uniform("detection", replication, entity, step) == unit_from_words(w0, w1)


@given(st.integers(0, 2**32 - 1), st.integers(0, 5000), st.integers(1, 500))
def test_a_draw_does_not_depend_on_the_batch_around_it(seed, first, size):
    streams = RandomStreams(seed)
    replications = np.arange(first, first + size)
    batch = streams.uniform("detection", replications[:, None], np.arange(7)[None, :], 3)
    alone = streams.uniform("detection", replications[-1], np.arange(7), 3)
    np.testing.assert_array_equal(batch[-1], alone)


def test_streams_and_seeds_are_distinct():
    a = RandomStreams(1).uniform("a", np.arange(1000))
    b = RandomStreams(1).uniform("b", np.arange(1000))
    c = RandomStreams(2).uniform("a", np.arange(1000))
    assert not np.array_equal(a, b) and not np.array_equal(a, c)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.1


def test_uniform_and_normal_pass_kolmogorov_smirnov():
    streams = RandomStreams(12345)
    index = np.arange(200_000)
    uniform = streams.uniform("u", index)
    assert 0.0 < uniform.min() and uniform.max() < 1.0
    assert stats.kstest(uniform, "uniform").pvalue > 1e-3
    assert stats.kstest(streams.normal("n", index), "norm").pvalue > 1e-3
