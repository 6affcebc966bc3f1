"""QDIT's compiled facility-location gains: bit-identical to the numpy expression they replace, so the picks
and gains of the greedy are unchanged (real MiniLM embeddings from the NovelSelect fixture)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.selectors import qdit
from core.selectors._common import minmax
from core.selectors.lazy_greedy import lazy_greedy
from core.vectors import unit_rows


@pytest.fixture(scope="module")
def X(fixtures_dir):
    data = json.loads((fixtures_dir / "novelselect_seed42.json").read_text())
    return unit_rows(np.asarray(data["inputs"]["embeddings"], dtype=np.float32))


def numpy_gains(S, cover, rows):
    """The expression the kernel reproduces: sum over x of max(S[i, x] - cover_x, 0), numpy's pairwise sum."""
    return np.array([np.maximum(np.subtract(S[i], cover), 0.0).sum() for i in rows])


@pytest.mark.parametrize("n", [1, 2, 7, 8, 9, 16, 127, 128, 129, 136, 257, 600, 1000, 8193])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kernel_equals_the_numpy_expression_to_the_bit(n, dtype):
    rng = np.random.default_rng(n)
    S = (rng.random((12, n)) * 2 - 1).astype(dtype)  # negative entries exercise the clip
    cover = rng.random(n) * 0.6
    rows = np.array([0, 5, 11, 5], dtype=np.int64)
    out = np.empty(rows.size)
    qdit._dense_kernel()(S, cover, rows, out, *qdit._pairwise_plan(n))
    np.testing.assert_array_equal(out, numpy_gains(S, cover, rows))


def test_kernel_gains_equal_numpy_gains_on_real_similarities_and_a_strided_view(X):
    S = X @ X.T
    rng = np.random.default_rng(3)
    rows = rng.permutation(S.shape[0]).astype(np.int64)
    for picked in ([], [4], [4, 77, 300, 599]):
        cover = np.zeros(S.shape[0])
        for p in picked:
            np.maximum(cover, S[p], out=cover)
        compiled = qdit.CoverageQualityObjective(S, compiled=True)
        plain = qdit.CoverageQualityObjective(S, compiled=False)
        assert compiled.kernel is not None and plain.kernel is None
        compiled.cover[:], plain.cover[:] = cover, cover
        np.testing.assert_array_equal(compiled.initial_gains(rows), plain.initial_gains(rows))
        np.testing.assert_array_equal(compiled.gains(rows[:5]), numpy_gains(S, cover, rows[:5]))
    F = np.asfortranarray(S)  # column-major: the kernel reads S[i, j] through its strides
    f = qdit.CoverageQualityObjective(F)
    np.testing.assert_array_equal(f.gains(rows[:50]), numpy_gains(S, np.zeros(S.shape[0]), rows[:50]))


@pytest.mark.parametrize("a, include", [(0.0, ()), (0.7, ()), (0.7, (7, 450))])
def test_greedy_picks_and_gains_are_unchanged_by_the_kernel(X, a, include):
    S = X @ X.T
    quality = minmax(np.random.default_rng(0).integers(0, 4, X.shape[0]).astype(float))  # few values: ties
    runs = {}
    for compiled in (True, False):
        for lazy in (True, False):
            objective = qdit.CoverageQualityObjective(S, quality=quality, a=a, compiled=compiled)
            runs[compiled, lazy] = lazy_greedy(objective, 150, include=include, lazy=lazy)
    ref_picks, ref_gains = runs[False, False]
    for picks, gains in runs.values():
        assert picks.tolist() == ref_picks.tolist()
        np.testing.assert_array_equal(gains, ref_gains)


def test_select_uses_the_kernel_on_the_dense_path_and_numpy_on_sparse(X):
    q = np.linspace(0.0, 1.0, X.shape[0])
    dense = qdit.select(X, q, 20)
    sparse = qdit.select(X, q, 20, dense_limit=10, knn=X.shape[0])  # every neighbour: the dense objective
    assert dense.info["similarity"] == "dense" and sparse.info["similarity"].startswith("sparse")
    assert dense.indices.tolist() == sparse.indices.tolist()
    np.testing.assert_allclose(dense.gains, sparse.gains, rtol=1e-9)
