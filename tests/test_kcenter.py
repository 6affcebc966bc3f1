"""k-center's lazy loop gives exactly the plain full-pass loop's picks and gains; the pipeline's one in-place
normalisation gives exactly the picks of k-center on its own unit_rows copy."""

from __future__ import annotations

import numpy as np
import pytest

from core.selectors import kcenter
from core.vectors import unit_rows


def _no_fallback(monkeypatch):
    """Make the lazy path fail loudly if it handed over to the full-pass loop (then a comparison would be void)."""
    def fail(*args, **kwargs):
        raise AssertionError("the lazy loop fell back to the full pass")

    original = kcenter._lazy_loop

    def lazy_only(Xn, nearest, picks, gains, budget, progress):
        saved = kcenter._full_loop
        kcenter._full_loop = fail
        try:
            original(Xn, nearest, picks, gains, budget, progress)
        finally:
            kcenter._full_loop = saved

    monkeypatch.setattr(kcenter, "_lazy_loop", lazy_only)


def _assert_same(X, budget, **kwargs):
    lazy = kcenter.select(X, budget, **kwargs)
    full = kcenter.select(X, budget, full_pass=True, **kwargs)
    assert lazy.indices.tolist() == full.indices.tolist()
    assert np.array_equal(lazy.gains, full.gains)  # bit for bit, not approximately
    assert lazy.info == full.info
    return lazy


def _clustered(n, d=384, centres=40, spread=0.35, seed=0):
    rng = np.random.default_rng(seed)
    C = rng.standard_normal((centres, d))
    return (C[rng.integers(0, centres, n)] + spread * rng.standard_normal((n, d))).astype(np.float32)


def test_uniform_384d_same_picks_and_gains(monkeypatch):
    _no_fallback(monkeypatch)
    X = np.random.default_rng(1).standard_normal((20_011, 384)).astype(np.float32)
    sel = _assert_same(X, 300)
    assert len(set(sel.indices.tolist())) == 300 and np.all(np.diff(sel.gains[1:]) <= 0)


def test_clustered_384d_same_picks_and_gains_with_and_without_include(monkeypatch):
    _no_fallback(monkeypatch)
    X = _clustered(30_007)
    _assert_same(X, 400, seed=7)
    sel = _assert_same(X, 250, include=[5, 17, 29_000, 12])
    assert sel.indices[:4].tolist() == [5, 17, 29_000, 12]


def test_duplicates_and_exact_ties(monkeypatch):
    _no_fallback(monkeypatch)
    rng = np.random.default_rng(2)
    dups = np.repeat(rng.standard_normal((300, 64)).astype(np.float32), 20, axis=0)  # every row 20 times
    sel = _assert_same(dups, 350)
    assert sel.gains[-1] <= 1e-6  # past 300 picks only duplicates are left
    corners = rng.integers(0, 2, size=(5003, 8)).astype(np.float32)  # many rows at exactly equal distances
    _assert_same(corners, 256)
    _assert_same(corners, 300, seed=3)


@pytest.mark.parametrize("n", [1, 2, 5, 15, 16, 17, 31, 33, 100, 257, 1000, 4099])
def test_small_pools_and_every_tail_length(n, monkeypatch):
    _no_fallback(monkeypatch)
    X = np.random.default_rng(n).standard_normal((n, 24)).astype(np.float32)
    _assert_same(X, n)  # the whole pool, down to the last remaining row
    _assert_same(X, max(1, n // 3), start=n - 1)


def test_real_sentence_embeddings(sample_path, monkeypatch):
    """The bundled sample embedded by all-MiniLM-L6-v2 (the shared pool's embeddings are not cached here)."""
    from core.data import load_pool
    from core.embed import embed_texts

    X = embed_texts(load_pool(sample_path).texts())
    _no_fallback(monkeypatch)
    _assert_same(X, len(X) // 2)
    _assert_same(X, 100, include=[3, 200])


def test_gathered_products_equal_the_full_pass_on_this_blas():
    """The property the lazy loop relies on (it checks it at run time too and falls back if it fails)."""
    rng = np.random.default_rng(4)
    for n in (4096, 4097, 4099, 4103, 4111):  # n % 16 = 0, 1, 3, 7, 15
        U = unit_rows(rng.standard_normal((n, 384)).astype(np.float32))
        c = int(rng.integers(0, n))
        from core.selectors._common import single_thread

        with single_thread():
            full = 1.0 - U @ U[c]
            assert kcenter._gathered_rows_match(U, c, full, n - n % kcenter.GROUP)


def test_falls_back_to_the_full_pass_when_gathered_rows_differ(monkeypatch):
    X = _clustered(3_001, d=32)
    expected = kcenter.select(X, 120, full_pass=True)
    monkeypatch.setattr(kcenter, "_gathered_rows_match", lambda *a, **k: False)
    calls = []
    original = kcenter._full_loop
    monkeypatch.setattr(kcenter, "_full_loop", lambda *a: (calls.append(1), original(*a)))
    sel = kcenter.select(X, 120)
    assert calls and sel.indices.tolist() == expected.indices.tolist() and np.array_equal(sel.gains, expected.gains)


def test_unit_true_uses_the_rows_as_given():
    L = _clustered(5_000, d=48)
    L /= np.linalg.norm(L, axis=1, keepdims=True)  # float32 unit rows, as core.embed.load_precomputed makes them
    U = unit_rows(L)
    assert not np.array_equal(U, L)  # re-normalising changes last bits, so normalising twice would not do
    before = U.copy()
    a = kcenter.select(U, 200, unit=True)
    b = kcenter.select(L, 200)  # today's path: k-center's own unit_rows copy of the loaded rows
    assert a.indices.tolist() == b.indices.tolist() and np.array_equal(a.gains, b.gains)
    assert np.array_equal(U, before)


def test_unit_rows_in_place_has_the_same_values():
    X = np.random.default_rng(5).standard_normal((70_000, 16)).astype(np.float32)  # more than one block
    X[3] = 0.0
    expected = unit_rows(X)
    Y = X.copy()
    out = unit_rows(Y, copy=False)
    assert out is Y and np.array_equal(out, expected)
    with pytest.raises(ValueError, match="float32"):
        unit_rows(X.astype(np.float64), copy=False)
    X.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        unit_rows(X, copy=False)


def test_pipeline_normalises_its_own_copy_once_and_kcenter_picks_are_unchanged(sample_path):
    from core import selectors
    from core.data import load_pool
    from core.embed import load_precomputed
    from core.features import Features
    from core.pipeline import build_features

    pool = load_pool(sample_path)
    given = np.random.default_rng(6).normal(size=(len(pool), 40))  # float64, not unit rows
    before = given.copy()
    features = build_features(pool, embeddings=given, labels="none")
    assert np.array_equal(given, before)  # the user's array is not touched
    assert features.embeddings_unit and features.embeddings.dtype == np.float32
    loaded = load_precomputed(given, len(pool))
    assert np.array_equal(features.embeddings, unit_rows(loaded))
    assert features.subset([4, 1]).embeddings_unit
    today = selectors.run("kcenter", Features(n=len(pool), embeddings=loaded), 40, seed=42)
    now = selectors.run("kcenter", features, 40, seed=42)
    assert now.indices.tolist() == today.indices.tolist() and np.array_equal(now.gains, today.gains)
