"""Comparing runs at an equal budget (core/compare.py) on the sample with real selector runs: prefixes, ranks in the
declared direction, the random baseline per row, disagreements and the named, smoothed gains."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core import selectors
from core.compare import (MARGINAL_INFORMATION, Comparison, MetricRow, compare_at_k, duplicate_share, equal_budget,
                          find_disagreements, gain_series, k_grid, metric_curves, rank, score_kind, smooth)
from core.information import information
from core.data import load_pool
from core.dedup import pool_duplicates
from core.errors import SiftError
from core.features import Features
from core.metrics import REGISTRY, compute
from core.pipeline import build_features

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "instructions.jsonl"


@pytest.fixture(scope="module")
def sample():
    pool = load_pool(SAMPLE)
    features = build_features(pool)
    runs = {"mig": selectors.run("mig", features, 60), "quality_topk": selectors.run("quality_topk", features, 45),
            "kcenter": selectors.run("kcenter", features, 50, seed=0),
            "random": selectors.run("random", features, 80, seed=0)}
    return pool, features, runs


def test_every_run_is_measured_on_its_first_k_picks(sample):
    pool, features, runs = sample
    assert equal_budget(runs) == 45
    c = compare_at_k(features, runs, metrics=["vendi", "tag_coverage", "mig_information"], baseline=False)
    assert c.k == 45 and c.runs == list(runs)
    for row in c.rows:
        for name, sel in runs.items():
            assert row.values[name] == pytest.approx(compute(row.metric, features, sel.prefix(45).indices))
    c30 = compare_at_k(features, runs, 30, metrics=["vendi"], baseline=False)
    assert c30.row("vendi").values["random"] == pytest.approx(compute("vendi", features, runs["random"].indices[:30]))
    with pytest.raises(SiftError, match="between 1 and 45"):
        compare_at_k(features, runs, 46)


def test_ranks_follow_the_declared_direction_and_name_the_best_run(sample):
    _, features, runs = sample
    c = compare_at_k(features, runs, 40, dups=pool_duplicates(load_pool(SAMPLE)))
    assert {r.metric for r in c.rows} == set(REGISTRY)  # the sample has every input
    for row in c.rows:
        spec = REGISTRY[row.metric]
        best_value = max(row.values.values()) if spec.higher_is_better else min(row.values.values())
        assert row.best == [n for n in runs if row.values[n] == best_value]
        assert all(row.ranks[n] == 1 for n in row.best)
        ordered = sorted(row.values, key=lambda n: row.ranks[n])
        signs = np.diff([row.values[n] for n in ordered]) * (1 if spec.higher_is_better else -1)
        assert (signs <= 0).all(), row.metric
        assert row.baseline is not None and row.baseline.k == 40 and len(row.baseline.values) == 10
        assert set(row.versus) == set(runs)
    # on the sample, MIG is the best run on its own objective and k-center on the spread of the embeddings
    assert c.row("mig_information").best == ["mig"] and c.row("knn_distance").best == ["kcenter"]
    assert c.row("mig_information").versus["mig"].delta > 0
    assert c.duplicate_shares == {n: duplicate_share(pool_duplicates(load_pool(SAMPLE)), runs[n].indices[:40])
                                  for n in runs}
    mean_rank = c.mean_rank()
    assert mean_rank["kcenter"] < mean_rank["random"]


def test_a_quality_run_rated_best_by_information_but_last_on_spread_is_explained(sample):
    pool, features, runs = sample
    picked = {n: runs[n] for n in ("quality_topk", "random", "kcenter")}
    c = compare_at_k(features, picked, 40, metrics=["mig_information", "ttr", "partition_entropy", "cluster_inertia"],
                     baseline=False, dups=pool_duplicates(pool))
    assert c.row("mig_information").best == ["quality_topk"]
    found = [d for d in c.disagreements if d.metric == "mig_information"]
    assert len(found) == 1 and found[0].run == "quality_topk"
    for d in c.disagreements:  # every reported disagreement is what the ranks say
        assert c.row(d.metric).best == [d.run]
        assert all(c.row(m).ranks[d.run] > (len(picked) + 1) // 2 for m in d.against)
        assert 2 * len(d.against) >= d.others
    assert "duplicates do not explain it" in found[0].text and "MIG information E(S) measures" in found[0].text


def _row(metric: str, values: dict) -> MetricRow:
    spec = REGISTRY[metric]
    ranks = rank(values, spec.higher_is_better)
    return MetricRow(metric, spec.label, spec.direction, True, spec.meaning, values, ranks,
                     [n for n, r in ranks.items() if r == 1])


def test_a_run_full_of_duplicates_is_named_as_the_cause():
    runs = ["novelselect", "mig", "random"]
    rows = [_row("novelsum", {"novelselect": 3.0, "mig": 1.0, "random": 1.1}),
            _row("vendi", {"novelselect": 10.0, "mig": 40.0, "random": 30.0}),
            _row("knn_distance", {"novelselect": 0.2, "mig": 0.8, "random": 0.7}),
            _row("radius", {"novelselect": 0.1, "mig": 0.2, "random": 0.3})]
    with_dups = Comparison(100, runs, rows, {"novelselect": 0.4, "mig": 0.02, "random": 0.04})
    [d] = find_disagreements(with_dups)
    assert (d.metric, d.run, d.against, d.duplicate_share) == ("novelsum", "novelselect",
                                                               ["vendi", "knn_distance", "radius"], 0.4)
    assert "40% of its first 100 picks duplicate another of its picks" in d.text and "median of 3%" in d.text
    clean = Comparison(100, runs, rows, {"novelselect": 0.0, "mig": 0.0, "random": 0.0})
    assert "duplicates do not explain it" in find_disagreements(clean)[0].text
    # two of three metrics agree with NovelSum: nothing to report about it (radius still disagrees about random)
    agreeing = Comparison(100, runs, rows[:1] + [_row("vendi", {"novelselect": 50.0, "mig": 40.0, "random": 30.0}),
                                                 _row("knn_distance", {"novelselect": 0.9, "mig": 0.8,
                                                                       "random": 0.7})] + rows[3:])
    assert [(d.metric, d.run) for d in find_disagreements(agreeing)] == [("radius", "random")]


def test_rank_ties_and_missing_values():
    assert rank({"a": 2.0, "b": 5.0, "c": 5.0, "d": None}) == {"b": 1, "c": 1, "a": 3}
    assert rank({"a": 2.0, "b": 5.0}, higher_is_better=False) == {"a": 1, "b": 2}


def test_shared_k_grid_and_curves(sample):
    _, features, runs = sample
    lengths = [len(s) for s in runs.values()]
    exact = k_grid(lengths)
    assert exact[0] == 1 and exact[-1] == 45 and len(exact) == 10 and exact == sorted(set(exact))
    shared = k_grid(lengths, upto="max")
    assert shared[-1] == 80 and {45, 50, 60} <= set(shared)
    curves = metric_curves(features, runs, "tag_coverage", shared)
    for name, sel in runs.items():
        inside = np.array(shared) <= len(sel)
        assert np.isfinite(curves[name][inside]).all() and np.isnan(curves[name][~inside]).all()
        assert (np.diff(curves[name][inside]) >= 0).all()  # coverage only grows along an order
    with pytest.raises(SiftError):
        k_grid(lengths, upto="mean")


def test_mig_gains_are_named_apart_and_the_exact_ones_sum_to_information(sample):
    _, features, runs = sample
    series = gain_series(features, runs["mig"])
    score_meaning, score = series["score"]
    exact_meaning, exact = series["marginal_information"]
    assert score_meaning == score_kind("mig") and exact_meaning == MARGINAL_INFORMATION
    assert score_meaning.name != exact_meaning.name and "first-order" in score_meaning.name
    assert exact.sum() == pytest.approx(information(features.label_sets, features.quality, features.graph,
                                                    runs["mig"].indices))
    assert (score >= exact - 1e-9).all()  # phi is concave: the linearised gain overestimates the exact one
    assert (np.diff(score) <= 1e-9).all()  # the ranking score only falls
    assert (np.diff(exact) > 0).any()  # the exact gain is not monotone
    # any run can be read on E(S); a selector's own score is named by its kind
    assert score_kind("kcenter").key == "kcenter_distance" and score_kind("deita").key == "quality"
    assert "marginal_information" in gain_series(features, runs["random"])


def test_smoothing_keeps_length_and_trends_and_removes_noise():
    rng = np.random.default_rng(0)
    trend = np.linspace(10.0, 0.0, 1000)
    noisy = trend + rng.normal(0, 1.0, 1000)
    s = smooth(noisy)
    assert s.shape == noisy.shape
    assert np.std(s - trend) < 0.3 * np.std(noisy - trend)
    assert smooth(trend, 21)[50:-50] == pytest.approx(trend[50:-50])
    assert smooth(noisy[:50]).tolist() == noisy[:50].tolist()  # short series are shown as they are
    with_gap = np.array([1.0, np.nan, 3.0])
    assert smooth(with_gap, 3).tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(SiftError):
        smooth(noisy, 0)


def test_a_comparison_as_plain_json(sample):
    import json

    _, features, runs = sample
    c = compare_at_k(features, runs, 20, metrics=["vendi", "mig_information"], seeds=range(3))
    d = json.loads(json.dumps(c.as_dict()))
    assert d["k"] == 20 and d["runs"] == list(runs) and [m["metric"] for m in d["metrics"]] == ["vendi",
                                                                                               "mig_information"]
    vendi = d["metrics"][0]
    assert vendi["direction"] == REGISTRY["vendi"].direction and vendi["random"]["draws"] == 3
    assert vendi["values"]["kcenter"] == pytest.approx(c.row("vendi").values["kcenter"])
    assert vendi["versus_random"]["kcenter"]["text"] == c.row("vendi").versus["kcenter"].describe()


def test_novelsum_explainer_reports_the_density_free_ranks_and_the_density_weight(sample):
    from core.compare import EXPLAINERS, order_of
    from core.metrics.registry import pool_mean_knn_sq_distance

    _, features, runs = sample
    orders = {n: order_of(s) for n, s in runs.items()}
    text = EXPLAINERS["novelsum"](features, orders, 30, "kcenter", {})
    flat = {n: compute("novelsum", features, o[:30], density_power=0.0) for n, o in orders.items()}
    assert f"ranks kcenter {rank(flat)['kcenter']} of 4" in text
    rho = pool_mean_knn_sq_distance(features) ** -0.5
    assert f"averages {rho[orders['kcenter'][:30]].mean():.2f} against {rho.mean():.2f}" in text
    assert EXPLAINERS["novelsum"](features, orders, 30, "kcenter", {"density_power": 0.0}) == ""


def test_metrics_without_their_inputs_are_listed_as_skipped():
    from core.features import Features

    x = np.random.default_rng(0).normal(size=(60, 8)).astype(np.float32)
    f = Features(n=60, embeddings=x / np.linalg.norm(x, axis=1, keepdims=True))
    runs = {"a": np.arange(20), "b": np.arange(20, 45)}
    c = compare_at_k(f, runs, metrics=["vendi", "tag_coverage", "mig_information", "ttr"], seeds=range(2))
    assert [r.metric for r in c.rows] == ["vendi"] and c.k == 20
    assert c.skipped == {"tag_coverage": "needs labels", "mig_information": "needs labels, quality, graph",
                         "ttr": "needs texts"}
    assert c.disagreements == [] and c.duplicate_shares is None  # two runs: nothing to call a disagreement



# ------------------------------------------------------------------- pool-side work done once per compare

def _fresh(features):
    """The same pool in new arrays and an empty ``extra``: no memo or cache of ``features`` applies to it."""
    from dataclasses import replace

    return replace(features, embeddings=None if features.embeddings is None else features.embeddings.copy(),
                   label_sets=None if features.label_sets is None else list(features.label_sets), extra={})


def test_compare_on_the_sample_equals_every_value_computed_from_scratch(sample):
    """Every value of the comparison (each run and each of the 10 random draws, every metric) is what a fresh
    computation of that one subset gives, bit for bit: sharing the pool's density, vocabulary, fingerprints and
    draws across runs and draws changes nothing."""
    from core.baseline import draws

    _, features, runs = sample
    runs = {n: runs[n] for n in ("mig", "kcenter", "random")}
    runs["novelselect"] = selectors.run("novelselect", features, 50)
    shared = _fresh(features)
    c = compare_at_k(shared, runs, 40)
    assert {r.metric for r in c.rows} == set(REGISTRY)
    random_rows = draws(features, 40)
    for row in c.rows:
        for name, sel in runs.items():
            assert row.values[name] == compute(row.metric, _fresh(features), sel.indices[:40]), (row.metric, name)
        assert row.baseline.values == tuple(compute(row.metric, _fresh(features), r) for r in random_rows), row.metric
    again = compare_at_k(shared, runs, 40).as_dict()  # from the caches: the same JSON
    assert json.dumps(again, sort_keys=True, default=float) == json.dumps(c.as_dict(), sort_keys=True, default=float)


def _big_pool(n: int = 3000, d: int = 16) -> Features:
    x = np.random.default_rng(7).normal(size=(n, d)).astype(np.float32)
    return Features(n=n, embeddings=x / np.linalg.norm(x, axis=1, keepdims=True), embeddings_unit=True)


def test_above_the_exact_limit_the_runs_and_draws_share_one_sweep_of_the_pool(monkeypatch):
    """Above EXACT_MAX_ROWS (lowered to 1,000 here so a 3,000-row pool is "large") NovelSum measures each subset's
    density against the whole pool: compare searches every row of the runs and the draws in one sweep, and the
    values equal NovelSum computed subset by subset against the pool."""
    import core.metrics.novelsum_metric as ns
    import core.metrics.registry as registry
    from core.baseline import draws
    from core.metrics import knn_memo, novelsum

    monkeypatch.setattr(ns, "EXACT_MAX_ROWS", 1000)
    monkeypatch.setattr(registry, "EXACT_MAX_ROWS", 1000)
    f = _big_pool()
    X = f.embeddings
    runs = {"kcenter": selectors.run("kcenter", f, 120, seed=0), "random": selectors.run("random", f, 120, seed=3),
            "first": np.arange(120)}
    before = knn_memo.COMPUTED["count"]
    c = compare_at_k(f, runs, 100, metrics=["novelsum", "vendi"])
    assert knn_memo.COMPUTED["count"] == before + 1  # one search for 3 runs and 10 draws
    row = c.row("novelsum")
    for name, run in runs.items():
        idx = (run.indices if hasattr(run, "indices") else run)[:100]
        assert row.values[name] == novelsum(X[idx], reference=X)
    assert row.baseline.values == tuple(novelsum(X[r], reference=X) for r in draws(f, 100))
    # beyond the exact limit for k * pool rows the metric still refuses, as before (listed as skipped)
    monkeypatch.setattr(ns, "EXACT_MAX_ROWS", 500)
    monkeypatch.setattr(registry, "EXACT_MAX_ROWS", 500)
    assert "exact limit" in compare_at_k(_big_pool(), runs, 100, metrics=["novelsum"]).skipped["novelsum"]


def test_the_pool_density_is_computed_once_per_array_and_shared(sample):
    """NovelSelect, the NovelSum metric and the pool's novelty ask one memo; a copy of the array is a new entry."""
    from core.metrics import knn_memo
    from core.metrics.registry import pool_mean_knn_sq_distance
    from core.metrics.novelsum_metric import density
    from core.novelty import pool_novelty

    _, features, _ = sample
    f = _fresh(features)
    before = knn_memo.COMPUTED["count"]
    sel = selectors.run("novelselect", f, 30)
    compute("novelsum", f, sel.indices)
    novelty = pool_novelty(f.embeddings)
    assert knn_memo.COMPUTED["count"] == before + 1
    np.testing.assert_array_equal(novelty.rho, density(f.embeddings))  # the memo holds what density computes
    copy = f.embeddings.copy()
    assert knn_memo.self_knn_m(copy) is not pool_mean_knn_sq_distance(f)
    assert knn_memo.COMPUTED["count"] == before + 2
