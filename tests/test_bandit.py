"""Cluster bandit: both rewards, the trace the UI plots, reward sharing, budget filling and seeding."""

from __future__ import annotations

import numpy as np
import pytest

from core import selectors
from core.errors import SiftError, MissingNeedError
from core.features import Features
from core.selectors import bandit


def blobs(per: int = 30, k: int = 4, d: int = 16, spread: float = 0.05, seed: int = 0):
    """k tight, mutually orthogonal clusters; returns (unit rows, true cluster of each row)."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(k), per)
    X = np.eye(d)[labels] + spread * rng.standard_normal((k * per, d))
    return (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32), labels


def test_quality_reward_records_its_name_and_a_consistent_trace():
    X, labels = blobs()
    q = labels.astype(float)  # cluster 3 is best, cluster 0 worst
    sel = bandit.select(X, 40, reward="quality", quality=q, n_clusters=4, top_arms=2, probe_size=5)
    assert sel.info["reward"] == "quality" and "quality" in sel.info["reward_formula"]
    trace = sel.info["trace"]
    assert all(set(t) == {"step", "arm", "reward", "picked"} for t in trace)
    assert [i for t in trace for i in t["picked"]] == sel.indices.tolist()
    assert len(sel) == 40 and len(set(sel.indices.tolist())) == 40
    # Quad-style: only probes with a positive reward (above-median quality) are kept
    assert all(t["reward"] > 0 for t in trace if t["picked"])
    assert set(labels[sel.indices]) <= {2, 3}


def test_ot_reward_concentrates_on_the_cluster_nearest_the_reference():
    X, labels = blobs(per=30, k=4, seed=1)
    reference = X[labels == 2][:8] + 0.01  # examples of the "target task": cluster 2
    sel = bandit.select(X, 20, reward="ot", reference=reference, n_clusters=4, top_arms=1, probe_size=5)
    assert sel.info["reward"] == "ot" and "EMD" in sel.info["reward_formula"]
    rewards = {t["arm"]: t["reward"] for t in sel.info["trace"]}
    target_arm = max(rewards, key=rewards.get)
    assert rewards[target_arm] > 0.5 and min(rewards.values()) < 0  # 1 - ~0 - 0.12 vs 1 - ~1 - 0.12
    assert (labels[sel.indices] == 2).sum() >= 15  # EQUAL keeps every probe, so a few exploration probes remain


def test_neighbour_weights_follow_quads_linear_fall_off():
    means = np.array([[1.0, 0.0], [1.0, 0.3], [0.0, 1.0]])  # squared distances 0.09, 2.0, 1.09
    w = bandit.neighbour_weights(means, threshold=0.2, share=0.5)
    np.testing.assert_allclose(w, [[1, 0.5 * (1 - 0.09 / 0.2), 0], [0.5 * (1 - 0.09 / 0.2), 1, 0], [0, 0, 1]])


def test_a_bad_reward_shared_with_a_neighbour_sends_the_bandit_elsewhere():
    rng = np.random.default_rng(2)
    centres = np.array([[1.0, 0.0, 0.0], [1.0, 0.15, 0.0], [0.0, 0.0, 1.0]])  # arms 0 and 1 are neighbours
    labels = np.repeat([0, 1, 2], 10)
    X = centres[labels] + 0.01 * rng.standard_normal((30, 3))
    q = np.where(labels == 0, 0.0, 1.0)  # arm 0 is below the median: reward -1
    base = dict(quality=q, labels=labels, top_arms=1, probe_size=5, keep="all")
    solo = bandit.select(X, 10, neighbor_threshold=1e-6, **base)
    shared = bandit.select(X, 10, **base)
    assert [t["arm"] for t in solo.info["trace"]] == [0, 1]  # untouched arms tie; lowest index next
    assert [t["arm"] for t in shared.info["trace"]] == [0, 2]  # arm 1 inherited arm 0's bad reward


def test_fill_from_rejected_probes_when_arms_run_dry():
    X, _ = blobs(per=10, k=3, seed=3)
    q = np.zeros(len(X))
    q[:5] = 1.0  # only half of one cluster is above the median
    sel = bandit.select(X, 25, quality=q, n_clusters=3, top_arms=3, probe_size=5)
    assert len(sel) == 25 and sel.info["filled"] > 0
    assert [i for t in sel.info["trace"] for i in t["picked"]] == sel.indices.tolist()
    filled = [t for t in sel.info["trace"] if t.get("filled")]
    assert sum(len(t["picked"]) for t in filled) == sel.info["filled"]
    assert [t["reward"] for t in filled] == sorted((t["reward"] for t in filled), reverse=True)


def test_first_round_takes_the_first_arms_in_order_and_seed_is_deterministic():
    X, labels = blobs(per=15, k=4, seed=4)
    q = np.random.default_rng(5).random(len(X))
    a = bandit.select(X, 24, quality=q, n_clusters=4, top_arms=2, probe_size=3, seed=9)
    assert [t["arm"] for t in a.info["trace"][:2]] == [0, 1]
    b = bandit.select(X, 24, quality=q, n_clusters=4, top_arms=2, probe_size=3, seed=9)
    assert a.indices.tolist() == b.indices.tolist()
    r1 = bandit.select(X, 24, quality=q, n_clusters=4, order="random", seed=1).indices.tolist()
    r2 = bandit.select(X, 24, quality=q, n_clusters=4, order="random", seed=2).indices.tolist()
    assert r1 != r2


def test_registry_checks_the_need_of_the_chosen_reward():
    X, _ = blobs(per=10, k=2)
    f = Features(n=len(X), embeddings=X, quality=np.ones(len(X)))
    with pytest.raises(MissingNeedError, match="reference set"):
        selectors.run("bandit", f, 5, reward="ot")
    f_ref = Features(n=len(X), embeddings=X, reference=X[:3])
    sel = selectors.run("bandit", f_ref, 5, reward="ot", n_clusters=2)
    assert sel.method == "bandit" and sel.params["reward"] == "ot" and len(sel) == 5
    with pytest.raises(SiftError, match="must be one of"):
        selectors.run("bandit", f, 5, reward="influence")


def test_reference_with_other_dimension_is_rejected():
    X, _ = blobs(per=10, k=2)
    with pytest.raises(SiftError, match="dimensions"):
        bandit.select(X, 5, reward="ot", reference=np.ones((3, 5)), n_clusters=2)
