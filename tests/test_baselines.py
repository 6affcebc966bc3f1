"""Baseline selectors on tiny pools whose right answer can be checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import BudgetError, SiftError
from core.selectors import car, deita, instag, kcenter, kmq, qdit, quality_topk, random_select


def unit(X) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    return (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32)


def arc(n: int) -> np.ndarray:
    """n unit vectors evenly spaced on a half circle, from angle 0 to pi."""
    t = np.linspace(0.0, np.pi, n)
    return unit(np.c_[np.cos(t), np.sin(t)])


def blobs(per: int = 25, k: int = 4, d: int = 16, spread: float = 0.05, seed: int = 0):
    """k tight, mutually orthogonal clusters of ``per`` unit vectors; returns (X, true cluster of each row)."""
    rng = np.random.default_rng(seed)
    centres = np.eye(d)[:k]
    labels = np.repeat(np.arange(k), per)
    return unit(centres[labels] + spread * rng.standard_normal((k * per, d))), labels


# ----------------------------------------------------------------------------------------------- random

def test_random_is_seeded_distinct_and_prefix_consistent():
    a = random_select.select(100, 20, seed=7).indices
    assert a.tolist() == random_select.select(100, 20, seed=7).indices.tolist()
    assert a.tolist() != random_select.select(100, 20, seed=8).indices.tolist()
    assert len(set(a.tolist())) == 20 and a.min() >= 0 and a.max() < 100
    assert random_select.select(100, 5, seed=7).indices.tolist() == a[:5].tolist()


# ---------------------------------------------------------------------------------------------- top-k

def test_quality_topk_is_descending_with_stable_ties():
    q = np.array([1.0, 5.0, 3.0, 5.0, 2.0])
    sel = quality_topk.select(q, 4)
    assert sel.indices.tolist() == [1, 3, 2, 4]
    assert sel.gains.tolist() == [5.0, 5.0, 3.0, 2.0]


# ------------------------------------------------------------------------------------------- k-center

def test_kcenter_from_the_middle_picks_the_two_extremes():
    X = arc(9)  # angles 0, 22.5, ..., 180 degrees; row 4 is the middle
    sel = kcenter.select(X, 3, start=4)
    assert sel.indices.tolist() == [4, 0, 8]
    assert sel.gains[1] == pytest.approx(1.0, abs=1e-6)  # 1 - cos(90 degrees)


def test_kcenter_then_fills_the_largest_gaps_and_seeds_the_start():
    X = arc(9)
    assert kcenter.select(X, 5, start=0).indices.tolist() == [0, 8, 4, 2, 6]
    first = np.random.RandomState(11).randint(0, 9)
    assert kcenter.select(X, 2, seed=11).indices[0] == first


# ---------------------------------------------------------------------------------------------- DEITA

def test_deita_never_accepts_two_items_more_similar_than_tau():
    X, _ = blobs(per=20, k=5, spread=0.3, seed=1)
    q = np.random.default_rng(2).random(len(X))
    sel = deita.select(X, q, 5, tau=0.9, fill="error")
    S = X[sel.indices] @ X[sel.indices].T
    assert (S[~np.eye(5, dtype=bool)] <= 0.9).all()
    # and it is score-first: the best record always comes first
    assert sel.indices[0] == int(np.argmax(q))


def test_deita_skips_a_near_duplicate_of_a_better_record_and_fills_by_quality():
    X = unit([[1.0, 0.0], [1.0, 0.01], [0.0, 1.0]])  # rows 0 and 1 are near-duplicates
    q = np.array([10.0, 9.0, 8.0])
    assert deita.select(X, q, 2).indices.tolist() == [0, 2]
    filled = deita.select(X, q, 3)
    assert filled.indices.tolist() == [0, 2, 1]
    assert filled.info == {"filter_passed": 2, "filled": 1}
    with pytest.raises(BudgetError, match="pass the similarity filter"):
        deita.select(X, q, 3, fill="error")


# ----------------------------------------------------------------------------------------------- QDIT

def brute_force_fl(S: np.ndarray, q: np.ndarray, budget: int, a: float) -> list:
    n = len(S)
    cover, picks = np.zeros(n), []
    for _ in range(budget):
        gains = [(-np.inf if i in picks else
                  (1 - a) * np.maximum(S[:, i] - cover, 0).sum() + a * q[i]) for i in range(n)]
        best = int(np.argmax(gains))
        picks.append(best)
        cover = np.maximum(cover, S[:, best])
    return picks


@pytest.mark.parametrize("a", [0.0, 0.3, 0.7])
def test_qdit_lazy_greedy_equals_brute_force_greedy(a):
    X, _ = blobs(per=15, k=4, spread=0.4, seed=3)
    q = np.random.default_rng(4).random(len(X)) * 30
    sel = qdit.select(X, q, 12, a=a)
    qn = (q - q.min()) / (q.max() - q.min())
    assert sel.indices.tolist() == brute_force_fl(X @ X.T, qn, 12, a)


def test_qdit_a_one_is_quality_order_and_a_zero_covers_every_cluster():
    X, labels = blobs(per=10, k=4, spread=0.05, seed=5)
    q = np.random.default_rng(6).random(len(X))
    assert qdit.select(X, q, 6, a=1.0).indices.tolist() == quality_topk.select(q, 6).indices.tolist()
    assert set(labels[qdit.select(X, q, 4, a=0.0).indices]) == {0, 1, 2, 3}


def test_qdit_default_trades_quality_for_coverage():
    # The best records all sit in one cluster: top-k quality takes only that cluster, QDIT at the default a=0.7
    # still reaches the others (coverage gains outweigh the quality gap early on).
    X, labels = blobs(per=20, k=4, spread=0.05, seed=9)
    q = np.where(labels == 0, 9.0, 6.0) + np.random.default_rng(10).random(len(X)) * 0.1
    top = quality_topk.select(q, 8).indices
    assert set(labels[top]) == {0}
    assert set(labels[qdit.select(X, q, 8).indices]) == {0, 1, 2, 3}


def test_qdit_sparse_knn_path_with_all_neighbours_equals_dense():
    X, _ = blobs(per=10, k=3, spread=0.5, seed=7)
    q = np.random.default_rng(8).random(len(X))
    dense = qdit.select(X, q, 8)
    sparse = qdit.select(X, q, 8, dense_limit=5, knn=len(X))
    assert sparse.info["similarity"].startswith("sparse") and dense.info["similarity"] == "dense"
    assert sparse.indices.tolist() == dense.indices.tolist()


# ---------------------------------------------------------------------------------------------- InsTag

def test_instag_covers_every_tag_before_repeating_most_tags_first():
    tags = [["a"], ["a", "b", "c"], ["b"], ["c", "d"], ["d"], ["a", "e"], []]
    sel = instag.select(tags, 7)
    # pass 1 (by tag count, ties by index): row 1 (a b c), row 3 (adds d), row 5 (adds e) -> every tag covered
    # pass 2 (covered reset): rows 0, 2, 4 each bring a tag again; the untagged row 6 comes last
    assert sel.indices.tolist() == [1, 3, 5, 0, 2, 4, 6]
    assert sel.gains.tolist() == [3, 1, 1, 1, 1, 1, 0]
    first_pass = set().union(*(tags[i] for i in sel.indices[:3]))
    assert first_pass == {"a", "b", "c", "d", "e"}
    assert sel.info == {"passes": 2, "filled_untagged": 1}


def test_instag_rejects_a_plain_string_as_tags():
    with pytest.raises(SiftError, match="list of tags"):
        instag.select(["abc"], 1)


# ------------------------------------------------------------------------------------------------- CaR

def test_car_includes_the_best_record_of_every_cluster_then_the_best_overall():
    X, labels = blobs(per=10, k=3, spread=0.05, seed=9)
    q = np.zeros(len(X))
    q[labels == 0] = np.linspace(10, 19, 10)  # cluster 0 holds every top score
    q[labels == 1] = np.linspace(0, 4.5, 10)
    q[labels == 2] = np.linspace(5, 9.5, 10)
    sel = car.select(X, q, 6, n_clusters=3, pca_variance=0.0)
    best = [int(np.flatnonzero(labels == c)[np.argmax(q[labels == c])]) for c in range(3)]
    assert sel.indices[:3].tolist() == sorted(best, key=lambda i: -q[i])
    rest = [i for i in np.argsort(-q, kind="stable") if i not in best][:3]
    assert sel.indices[3:].tolist() == rest
    assert car.select(X, q, 4, n_clusters=3, pca_variance=0.0).indices.tolist() == sel.indices[:4].tolist()


def test_car_default_cluster_count_is_the_official_rule():
    X, _ = blobs(per=25, k=4, spread=0.3, seed=10)
    sel = car.select(X, np.arange(len(X), dtype=float), 10)
    assert sel.info["n_clusters"] == int(np.sqrt(len(X) / 2))


# ------------------------------------------------------------------------------------------------- kMQ

def test_kmq_gives_every_cluster_an_equal_share():
    X, labels = blobs(per=25, k=4, spread=0.05, seed=11)
    q = np.random.default_rng(12).random(len(X))
    sel = kmq.select(X, q, 20, n_clusters=4)
    counts = np.bincount(labels[sel.indices], minlength=4)
    assert counts.tolist() == [5, 5, 5, 5]
    # round-robin order: every prefix of length 4 m is balanced as well
    assert sorted(np.bincount(labels[sel.indices[:8]], minlength=4).tolist()) == [2, 2, 2, 2]


def test_kmq_quotas_water_fill_small_clusters_and_spread_the_remainder():
    rng = np.random.RandomState(0)
    assert kmq.equal_quotas(np.array([2, 10, 10]), 12, rng).tolist() == [2, 5, 5]
    quota = kmq.equal_quotas(np.array([10, 10, 10]), 10, rng)
    assert quota.sum() == 10 and set(quota.tolist()) == {3, 4}


def test_kmq_samples_high_quality_more_often():
    X, labels = blobs(per=40, k=2, spread=0.05, seed=13)
    q = np.tile(np.r_[np.ones(20), np.zeros(20)], 2)  # first half of every cluster is better
    hits = 0
    for seed in range(5):
        sel = kmq.select(X, q, 10, n_clusters=2, seed=seed)
        hits += int((q[sel.indices] == 1).sum())
    assert hits >= 45  # exp(9) : exp(0) odds -> almost every draw is a good record


@pytest.mark.parametrize("module", [car, kmq])
def test_clustering_selectors_are_deterministic_under_a_seed(module):
    X, _ = blobs(per=20, k=3, spread=0.4, seed=14)
    q = np.random.default_rng(15).random(len(X))
    assert module.select(X, q, 9, seed=5).indices.tolist() == module.select(X, q, 9, seed=5).indices.tolist()
