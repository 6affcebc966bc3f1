"""The random baseline at equal budget (core/baseline.py): its mean matches closed-form expectations, its draws are
the random selector's picks, and its values are cached."""

from __future__ import annotations

from math import comb
from pathlib import Path

import numpy as np
import pytest

from core import selectors
from core.baseline import baseline_curve, draw, draws, random_baseline, versus_random
from core.data import load_pool
from core.errors import SiftError
from core.features import Features
from core.metrics import compute

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "instructions.jsonl"


@pytest.fixture(scope="module")
def pool():
    return load_pool(SAMPLE)


def _unit(n: int, d: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_tag_coverage_mean_matches_the_hypergeometric_expectation(pool):
    """E[coverage of k uniform rows] = mean over labels l of 1 - C(N - c_l, k) / C(N, k), c_l = rows carrying l."""
    labels = pool.tags
    f = Features(n=len(pool), label_sets=labels)
    n, k = len(pool), 20
    counts: dict[str, int] = {}
    for row in labels:
        for tag in set(row):
            counts[tag] = counts.get(tag, 0) + 1
    expected = float(np.mean([1 - comb(n - c, k) / comb(n, k) for c in counts.values()]))
    base = random_baseline(f, "tag_coverage", k, seeds=range(600))
    assert abs(base.mean - expected) < 4 * base.stderr
    assert abs(base.mean - expected) < 0.01
    # a different k has a different expectation, and the baseline follows it
    k2 = 100
    expected2 = float(np.mean([1 - comb(n - c, k2) / comb(n, k2) for c in counts.values()]))
    assert expected2 > expected + 0.1
    base2 = random_baseline(f, "tag_coverage", k2, seeds=range(200))
    assert abs(base2.mean - expected2) < 4 * base2.stderr


def test_distsum_mean_matches_the_pairwise_expectation():
    """DistSum averages all k^2 pairs with the zero diagonal: E = (k - 1) / k * mean pool distance over i != j."""
    X = _unit(120, 16, 3)
    f = Features(n=120, embeddings=X)
    d = 1.0 - X.astype(np.float64) @ X.T.astype(np.float64)
    off = d[~np.eye(120, dtype=bool)].mean()
    k = 8
    base = random_baseline(f, "distsum_cosine", k, seeds=range(800))
    expected = (k - 1) / k * off
    assert abs(base.mean - expected) < 4 * base.stderr
    assert base.std > 0 and base.low < base.mean < base.high


def test_a_draw_is_the_random_selectors_pick_and_a_prefix_of_a_larger_draw():
    f = Features(n=200, embeddings=_unit(200, 8, 0))
    for seed in (0, 7):
        sel = selectors.run("random", f, 30, seed=seed)
        assert draw(f, 30, seed).tolist() == sel.indices.tolist()
        assert draw(f, 10, seed).tolist() == sel.indices[:10].tolist()
    assert draw(f, 30, 0).tolist() != draw(f, 30, 1).tolist()


def test_draws_stay_within_the_candidates_and_values_are_cached():
    f = Features(n=200, embeddings=_unit(200, 8, 1))
    candidates = np.arange(50, 150)
    for seed in range(5):
        assert set(draw(f, 40, seed, candidates).tolist()) <= set(candidates.tolist())
    curve = baseline_curve(f, "vendi", [5, 20, 40], seeds=range(4), candidates=candidates)
    assert [b.k for b in curve] == [5, 20, 40] and all(b.candidates == 100 for b in curve)
    assert curve[0].mean < curve[2].mean  # more random rows, a larger effective number
    cached = dict(f.extra["metrics_cache"])
    assert len(cached) == 12  # 3 sizes x 4 seeds
    key = next(iter(cached))
    f.extra["metrics_cache"][key] = 123.0  # a planted value proves the next call reads the cache
    again = baseline_curve(f, "vendi", [5, 20, 40], seeds=range(4), candidates=candidates)
    assert 123.0 in {v for b in again for v in b.values}
    # each cached value is the metric of its draw
    seed, k = 2, 20
    assert again[1].values[seed] == pytest.approx(compute("vendi", f, draw(f, k, seed, candidates)))


def test_one_permutation_per_seed_serves_every_metric_and_every_k():
    """``draws`` are what ``baseline_curve`` measures (the random selector's picks); the metrics of one baseline
    share one permutation of the candidates per seed, and a larger k draws again and stays a prefix."""
    f = Features(n=300, embeddings=_unit(300, 8, 3), texts=[f"text {i % 17} word {i}" for i in range(300)])
    rows = draws(f, 25, seeds=[0, 3])
    for seed, r in zip((0, 3), rows):
        assert r.tolist() == selectors.run("random", f, 25, seed=seed).indices.tolist()
    curve = baseline_curve(f, "vendi", [10, 25], seeds=[0, 3])
    assert len(f.extra["baseline_draws"]) == 2  # one prefix per seed
    assert curve[1].values == tuple(compute("vendi", f, r) for r in rows)
    memo = {key: value.copy() for key, value in f.extra["baseline_draws"].items()}
    ttr = baseline_curve(f, "ttr", [25], seeds=[0, 3])[0]
    assert ttr.values == tuple(compute("ttr", f, r) for r in rows)
    assert all(np.array_equal(f.extra["baseline_draws"][key], value) for key, value in memo.items())
    longer = draws(f, 200, seeds=[3])[0]
    assert longer[:25].tolist() == rows[1].tolist() and longer.tolist() == draw(f, 200, 3).tolist()


def test_versus_random_is_signed_by_the_metric_direction():
    f = Features(n=100, embeddings=_unit(100, 8, 2))
    base = random_baseline(f, "distsum_cosine", 10)
    better = versus_random(base.mean + 2 * base.std, base)
    assert better.delta > 0 and better.z == pytest.approx(2.0) and "above random (2.0 sd)" in better.describe()
    worse = versus_random(base.mean - base.std, base)
    assert worse.delta < 0 and "below random" in worse.describe()
    flipped = versus_random(base.mean - base.std, base, higher_is_better=False)
    assert flipped.delta > 0 and "above random" in flipped.describe()


def test_bad_baseline_requests_fail_clearly():
    f = Features(n=10, embeddings=_unit(10, 4, 0))
    with pytest.raises(SiftError, match="between 1 and 10"):
        random_baseline(f, "vendi", 11)
    with pytest.raises(SiftError, match="unknown metric"):
        random_baseline(f, "no_such_metric", 3)
    with pytest.raises(SiftError, match="at least one seed"):
        random_baseline(f, "vendi", 3, seeds=[])
