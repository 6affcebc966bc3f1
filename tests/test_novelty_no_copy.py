"""The pool's proximity-weighted distance (the Novelty page above 50,000 rows, NovelSum row samples) uses float32
unit rows as they are: no pool-sized copy, and the same values as before.

``proximity_weighted_distance`` normalised its input into a new float32 array every call (1.5 GB at 1M x 384).
Now (a) rows that are a fixed point of ``core.vectors.unit_rows`` are used as they are (same bits, so same
values), and (b) ``unit=True`` (the pipeline's given/column vectors, normalised once in place:
``Features.embeddings_unit``) uses them without a check, giving the values of the vectors before that
normalisation. Normalising ``unit_rows`` output again moves the last bit of a few rows (31 of the 20,400 here),
so (b) is what spares the copy for the pipeline's vectors. The tests run on the NovelSelect fixture's real
all-MiniLM-L6-v2 vectors (tiled with a seeded rotation of each copy) and compare against the previous code path
(a forced copy) bit for bit.
"""

from __future__ import annotations

import json
import tracemalloc

import numpy as np
import pytest

import core.metrics as metrics_pkg
import core.metrics.novelsum_metric as nm
import core.vectors as vectors
from core.errors import InputError
from core.metrics import proximity_weighted_distance
from core.metrics._checks import unit_rows as checked_unit_rows
from core.novelty import pool_novelty


def _copying(X, what="embeddings"):
    """The code path before this change: always a normalised copy."""
    return checked_unit_rows(X, what)


@pytest.fixture(scope="module")
def real_vectors(fixtures_dir) -> np.ndarray:
    """The fixture's 600 real vectors as float32, raw (each row's norm is not exactly 1 after the cast)."""
    data = json.loads((fixtures_dir / "novelselect_seed42.json").read_text())
    return np.ascontiguousarray(np.asarray(data["inputs"]["embeddings"], dtype=np.float32))


@pytest.fixture(scope="module")
def raw(real_vectors) -> np.ndarray:
    """20,400 x 384 float32 vectors as given (norms near 1, not exactly): the 600 real vectors and 33 copies, each
    under a seeded random rotation so no two rows repeat."""
    rng = np.random.default_rng(11)
    parts = [real_vectors]
    for _ in range(33):
        q, _r = np.linalg.qr(rng.standard_normal((real_vectors.shape[1], real_vectors.shape[1])))
        parts.append((real_vectors.astype(np.float64) @ q).astype(np.float32))
    return np.ascontiguousarray(np.concatenate(parts))


@pytest.fixture(scope="module")
def normalised(raw) -> np.ndarray:
    """``unit_rows(raw)``: what the pipeline holds for given vectors after normalising them in place."""
    return vectors.unit_rows(raw)


@pytest.fixture(scope="module")
def pool(normalised) -> np.ndarray:
    """The rows of ``normalised`` that normalising again leaves bit for bit unchanged (a fixed point)."""
    fixed = (vectors.unit_rows(normalised).view(np.uint32) == normalised.view(np.uint32)).all(axis=1)
    assert 0 < np.count_nonzero(~fixed) < 100  # a few rows move by an ulp
    return np.ascontiguousarray(normalised[fixed])


@pytest.fixture
def small_blocks(monkeypatch):
    """Normalisation blocks of 1,000 rows, so the check spans many blocks (and a short last one)."""
    monkeypatch.setattr(vectors, "UNIT_ROWS_BLOCK", 1000)


def test_unit_rows_are_a_fixed_point_and_used_as_they_are(pool, small_blocks):
    assert np.array_equal(vectors.unit_rows(pool).view(np.uint32), pool.view(np.uint32))
    assert nm.unit_rows_or_self(pool) is pool


def _traced_peak(fn):
    """``(fn(), peak bytes Python allocated while it ran)``, from tracemalloc."""
    tracemalloc.start()
    try:
        return fn(), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_same_values_as_the_copy_and_no_copy(pool, small_blocks, monkeypatch):
    rows = np.sort(np.random.default_rng(5).choice(pool.shape[0], 64, replace=False))
    got, peak = _traced_peak(lambda: proximity_weighted_distance(pool, rows=rows))
    monkeypatch.setattr(nm, "unit_rows_or_self", _copying)
    before, peak_copy = _traced_peak(lambda: proximity_weighted_distance(pool, rows=rows))
    assert np.array_equal(got, before)  # bit for bit
    assert peak < pool.nbytes / 2 < pool.nbytes <= peak_copy, (peak, peak_copy, pool.nbytes)


def test_rows_that_change_are_normalised_as_before(real_vectors, pool, small_blocks):
    """Rows that are not a fixed point (raw vectors, or rows normalised in float32 as a model does) get the copy,
    with unit_rows' values; the blocks before the first change are copied unchanged."""
    mixed = pool.copy()
    raw_rows = slice(5000, 5600)  # the sixth 1,000-row block is the first that changes
    mixed[raw_rows] = real_vectors
    out = nm.unit_rows_or_self(mixed)
    assert not np.shares_memory(out, mixed)
    assert np.array_equal(out.view(np.uint32), vectors.unit_rows(mixed).view(np.uint32))
    f32 = real_vectors / np.linalg.norm(real_vectors, axis=1, keepdims=True)  # float32 arithmetic
    assert not np.array_equal(vectors.unit_rows(f32), f32)  # some rows move by an ulp
    got = nm.unit_rows_or_self(np.ascontiguousarray(f32))
    assert np.array_equal(got.view(np.uint32), vectors.unit_rows(f32).view(np.uint32))


def test_all_zero_row_raises_the_same_error(pool, small_blocks):
    bad = pool.copy()
    bad[7321] = 0.0
    with pytest.raises(InputError) as copied:
        _copying(bad)
    with pytest.raises(InputError) as checked:
        nm.unit_rows_or_self(bad)
    assert str(checked.value) == str(copied.value)
    assert "row 7321" in str(checked.value)


def test_other_dtypes_and_layouts_still_normalise_a_copy(pool, small_blocks):
    part = pool[:3000]
    fortran = np.asfortranarray(part)
    out = nm.unit_rows_or_self(fortran)
    assert not np.shares_memory(out, fortran) and np.array_equal(out, vectors.unit_rows(part))
    as64 = part.astype(np.float64)
    assert np.array_equal(nm.unit_rows_or_self(as64), vectors.unit_rows(as64))


def test_equal_weights_column_sums_bit_for_bit_without_a_float64_copy(pool, monkeypatch):
    """distance_power = 0 summed the rows through a float64 copy of the whole matrix (3 GB at 1M x 384)."""
    full = pool.astype(np.float64).sum(axis=0)
    tracemalloc.start()
    try:
        got = nm._column_sums(pool, block=1000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert np.array_equal(got.view(np.uint64), full.view(np.uint64))
    assert peak < pool.nbytes / 4
    rows = np.arange(0, pool.shape[0], 97)
    now = proximity_weighted_distance(pool, 0.0, rows=rows)
    expected = 1.0 - (pool[rows].astype(np.float64) @ full) / pool.shape[0]
    assert np.array_equal(now, expected)


def _traced(fn):
    """``(fn(), peak traced bytes)``."""
    tracemalloc.start()
    try:
        out = fn()
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_unit_flag_uses_the_pipelines_rows_as_they_are(raw, normalised, monkeypatch):
    """``unit=True`` on ``unit_rows(raw)``: no copy, and the values of ``raw`` through the previous copying path;
    the default (no flag) on the same array still gives the previous values of that array."""
    rows = np.sort(np.random.default_rng(8).choice(raw.shape[0], 48, replace=False))
    got, peak = _traced(lambda: proximity_weighted_distance(normalised, rows=rows, unit=True))
    default = proximity_weighted_distance(normalised, rows=rows)
    monkeypatch.setattr(nm, "unit_rows_or_self", _copying)
    assert np.array_equal(got, proximity_weighted_distance(raw, rows=rows))
    assert np.array_equal(default, proximity_weighted_distance(normalised, rows=rows))
    assert peak < normalised.nbytes / 2, (peak, normalised.nbytes)


def _spy(monkeypatch, target):
    seen = []
    real = nm.unit_rows_or_self

    def spy(X, what="embeddings"):
        U = real(X, what)
        seen.append(U is target)
        return U

    monkeypatch.setattr(nm, "unit_rows_or_self", spy)
    return seen


def test_pool_novelty_above_the_exact_limit_uses_the_pool_as_is(pool, raw, normalised, monkeypatch):
    """The Novelty page's sampled path (pools above EXACT_MAX_ROWS; the limit lowered here) hands the pool's
    array itself to the distance rows, and gives the same novelty as the previous copying path."""
    monkeypatch.setattr(metrics_pkg, "EXACT_MAX_ROWS", 5000)
    seen = _spy(monkeypatch, pool)
    got = pool_novelty(pool, sample=40, seed=3)
    assert seen == [True]  # a fixed point: the array itself
    seen = _spy(monkeypatch, normalised)
    flagged = pool_novelty(normalised, sample=40, seed=3, unit=True)
    assert seen == []  # unit=True: not even checked
    monkeypatch.setattr(nm, "unit_rows_or_self", _copying)
    before = pool_novelty(pool, sample=40, seed=3)
    assert not got.exact and np.array_equal(got.rows, before.rows)
    assert np.array_equal(got.v, before.v, equal_nan=True) and np.array_equal(got.rho, before.rho, equal_nan=True)
    assert np.isfinite(got.v[got.rows]).all()
    rows = flagged.rows
    assert np.array_equal(flagged.v[rows], flagged.rho[rows] * proximity_weighted_distance(raw, rows=rows))
