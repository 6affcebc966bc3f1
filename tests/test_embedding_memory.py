"""No float64 copy of the embedding matrix: normalising rows and reading precomputed vectors allocate one float32
result plus bounded blocks (measured with tracemalloc, which sees numpy's allocations), with the same values."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from core.embed import load_precomputed
from core.metrics._checks import unit_rows as metric_unit_rows
from core.vectors import unit_rows as selector_unit_rows

N, D = 400_000, 64  # 102 MB of float32: a float64 copy alone would be twice that


def _peak(fn, *args):
    tracemalloc.start()
    try:
        result = fn(*args)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def matrix():
    return np.random.default_rng(0).normal(size=(N, D)).astype(np.float32)


@pytest.mark.parametrize("unit_rows", [selector_unit_rows, metric_unit_rows])
def test_unit_rows_makes_no_float64_copy(matrix, unit_rows):
    out, peak = _peak(unit_rows, matrix)
    assert out.dtype == np.float32 and peak < 1.6 * matrix.nbytes  # the result + a few MB of blocks
    x64 = matrix[:1000].astype(np.float64)
    expected = (x64 / np.linalg.norm(x64, axis=1, keepdims=True)).astype(np.float32)
    assert np.array_equal(out[:1000], expected)  # the same values as normalising the whole array in float64


def test_load_precomputed_makes_one_float32_array(tmp_path, matrix):
    np.save(tmp_path / "e.npy", matrix)
    out, peak = _peak(load_precomputed, tmp_path / "e.npy", N)
    assert out.dtype == np.float32 and peak < 1.6 * matrix.nbytes
    assert np.array_equal(out[:5], matrix[:5] / np.linalg.norm(matrix[:5], axis=1, keepdims=True))


def test_load_precomputed_of_float64_makes_no_float64_copy(tmp_path, matrix):
    np.save(tmp_path / "e64.npy", matrix.astype(np.float64))  # 205 MB on disk, memory-mapped
    out, peak = _peak(load_precomputed, tmp_path / "e64.npy", N)
    assert out.dtype == np.float32 and peak < 1.6 * matrix.nbytes
