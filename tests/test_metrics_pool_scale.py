"""Metrics of a subset measured against a large pool: the pool-side work is blockwise and copies nothing pool-sized,
and the values are those of a straightforward computation on real embeddings (the NovelSelect fixture's 600
all-MiniLM-L6-v2 instruction vectors, with repeated rows added).

The pool-scale code paths (row-hash deduplication with a mask, the reference swept in blocks with a running
k+1 best, NaN checks in blocks) only switch on above tens of thousands of rows; here their thresholds are lowered
so a 680-row real pool goes through them, and the values must equal both a plain numpy reference and the
default-threshold run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import core.metrics._checks as checks
import core.metrics.novelsum_metric as nm
from core.features import Features
from core.metrics import compute, facility_location, mean_knn_sq_distance, partition_entropy
from core.metrics.classic import fit_partition

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pool(fixtures_dir):
    """680 real vectors: the fixture's 600 plus 80 exact repeats of some of them, in a seeded shuffled order."""
    data = json.loads((fixtures_dir / "novelselect_seed42.json").read_text())
    X = np.asarray(data["inputs"]["embeddings"], dtype=np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    X = np.concatenate([X, X[:50], X[300:330]])
    return np.ascontiguousarray(X[np.random.default_rng(7).permutation(X.shape[0])])


@pytest.fixture(scope="module")
def subset(pool):
    return np.sort(np.random.default_rng(3).choice(pool.shape[0], 150, replace=False))


@pytest.fixture
def pool_scale_paths(monkeypatch):
    """Lower the thresholds so a small pool takes the large-pool code paths."""
    monkeypatch.setattr(nm, "UNIQUE_SORT_MAX_ROWS", 100)  # row-hash dedup with a mask instead of np.unique
    monkeypatch.setattr(nm, "_KNN_REF_BLOCK", 37)  # the reference in many blocks (and a short last one)
    monkeypatch.setattr(checks, "CHECK_BLOCK_ROWS", 50)


def reference_knn_m(Q: np.ndarray, pool: np.ndarray, k: int) -> np.ndarray:
    """m_i straight from the definition: exact float64 squared distances to every distinct pool row, sorted, the
    first dropped, the mean of the next k."""
    R = np.unique(pool, axis=0).astype(np.float64)
    d2 = ((Q.astype(np.float64)[:, None, :] - R[None, :, :]) ** 2).sum(axis=2)
    d2.sort(axis=1)
    return d2[:, 1:k + 1].mean(axis=1)


def reference_novelsum(S: np.ndarray, pool: np.ndarray, k: int = 10, beta: float = 0.5, alpha: float = 1.0
                       ) -> float:
    """NovelSum of the set S with the pool as density reference, dense n x n, as the official code computes it."""
    U = (S / np.linalg.norm(S.astype(np.float64), axis=1, keepdims=True)).astype(np.float32)
    D = np.sort(1.0 - U @ U.T, axis=1)
    w = np.arange(1, S.shape[0] + 1, dtype=np.float64) ** -alpha
    rows = (D.astype(np.float64) * w).sum(axis=1) / w.sum()
    rho = (reference_knn_m(S, pool, k) + 1e-9) ** -beta
    return float(np.mean(rho * rows))


def test_density_of_subset_rows_against_the_pool_is_the_definition(pool, subset, pool_scale_paths):
    for k in (1, 10):
        got = mean_knn_sq_distance(pool[subset], pool, k)
        np.testing.assert_allclose(got, reference_knn_m(pool[subset], pool, k), rtol=1e-12, atol=0)
    whole = mean_knn_sq_distance(pool, None, 10)  # the pool against itself: each row's values are its own
    np.testing.assert_array_equal(whole[subset], mean_knn_sq_distance(pool[subset], pool, 10))


def _subset_metrics(pool: np.ndarray, subset: np.ndarray) -> dict:
    f = Features(n=pool.shape[0], embeddings=pool)
    return {name: compute(name, f, subset) for name in
            ("novelsum", "facility_location", "partition_entropy", "knn_distance", "distsum_cosine", "vendi")}


def test_subset_metrics_at_pool_scale_equal_the_default_path_and_a_plain_reference(pool, subset, monkeypatch):
    before = _subset_metrics(pool, subset)  # default thresholds: np.unique, one reference block
    monkeypatch.setattr(nm, "UNIQUE_SORT_MAX_ROWS", 100)
    monkeypatch.setattr(nm, "_KNN_REF_BLOCK", 37)
    monkeypatch.setattr(checks, "CHECK_BLOCK_ROWS", 50)
    after = _subset_metrics(pool.copy(), subset)  # a new array: nothing served from a per-array memo
    assert after == before  # the pool-scale paths give the same numbers, bit for bit

    assert before["novelsum"] == pytest.approx(reference_novelsum(pool[subset], pool), rel=1e-6)
    U = pool.astype(np.float64) / np.linalg.norm(pool.astype(np.float64), axis=1, keepdims=True)
    coverage = float((U @ U[subset].T).max(axis=1).mean())  # every pool row's best cosine to the subset
    assert before["facility_location"] == pytest.approx(coverage, rel=1e-6)
    assert before["facility_location"] == pytest.approx(facility_location(pool[subset], reference=pool), rel=1e-12)
    centres = fit_partition(pool, 100, seed=42, max_iter=20)  # the pool's clusters, the subset's shares
    assert before["partition_entropy"] == pytest.approx(partition_entropy(pool[subset], centroids=centres),
                                                        rel=1e-12)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_dedup_above_the_sort_limit_masks_repeats_instead_of_copying(pool, pool_scale_paths):
    R, keep, count = nm.distinct_reference(pool)
    assert R is pool or np.shares_memory(R, pool)  # the pool itself, repeats masked out
    assert count == 600 == int(keep.sum()) == np.unique(pool, axis=0).shape[0]
    first = {}
    for i, row in enumerate(map(bytes, pool)):
        first.setdefault(row, i)
    assert np.flatnonzero(keep).tolist() == sorted(first.values())  # the first occurrence of each row
    assert fit_partition(pool, 700, seed=0, max_iter=2).shape[0] == 600  # k capped at the distinct rows


def _traced_peak(fn, *args, **kwargs):
    tracemalloc.start()
    try:
        fn(*args, **kwargs)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_pool_side_work_allocates_no_pool_sized_array():
    rng = np.random.default_rng(0)
    big = rng.normal(size=(200_000, 64)).astype(np.float32)  # 51 MB; its whole bool NaN mask would be 12.8 MB
    big[5_000:5_400] = big[:400]  # repeats above the 50,000-row sort limit
    big /= np.linalg.norm(big, axis=1, keepdims=True)
    assert _traced_peak(checks.as_embeddings, big) < big.size / 2  # masks of 65,536-row blocks only
    assert _traced_peak(mean_knn_sq_distance, big[:20], big) < big.nbytes / 2  # no big[keep] copy
    assert _traced_peak(facility_location, big[:20], reference=big) < big.nbytes / 4
    from core.metrics.registry import _fingerprint

    assert _traced_peak(_fingerprint, big) < big.nbytes / 8  # hashed in place, no tobytes() copy


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_reading_a_npy_does_not_keep_its_mapped_pages_resident(tmp_path):
    """Resident memory, not tracemalloc (which does not see the pages of a memory map): reading the vectors must
    hold about one copy of the matrix, not the mapped file beside it."""
    matrix = np.random.default_rng(0).normal(size=(200_000, 128)).astype(np.float32)  # 102 MB
    path = tmp_path / "e.npy"
    np.save(path, matrix)
    del matrix
    code = (
        "import sys; sys.path.insert(0, sys.argv[2])\n"
        "from core.embed import load_precomputed\n"
        "def hwm():\n"
        "    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "before = hwm(); x = load_precomputed(sys.argv[1], 200000); print(hwm() - before, x.nbytes // 1024)\n")
    out = subprocess.run([sys.executable, "-c", code, str(path), str(REPO)], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    grew_kib, matrix_kib = map(int, out.stdout.split())
    assert grew_kib < 1.7 * matrix_kib  # the result + bounded blocks: 1.4x (through the memory map: 2.1x)
