"""The metric registry (coverage, needs, subsets, pool context, caching) and the ``metrics`` CLI command."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest

from core.errors import SiftError, InputError, MissingNeedError
from core.features import Features
from core.metrics import (REGISTRY, compute, compute_all, compute_result, facility_location, novelsum, novelty,
                          novelty_of, tag_coverage)

LABELS = ["alpha", "beta", "gamma", "delta", "eps"]


def _features(n: int = 60, seed: int = 0, **drop) -> Features:
    from core.label_graph import LabelGraph

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 12)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    words = ["apple", "river", "stone", "quick", "blue", "cloud", "seven", "paper", "light", "north"]
    texts = [" ".join(rng.choice(words, size=8)) for _ in range(n)]
    label_sets = [sorted(set(rng.choice(LABELS, size=2))) for _ in range(n)]
    weights = np.eye(len(LABELS))
    weights[0, 1] = weights[1, 0] = 0.95
    graph = LabelGraph.from_weights(sorted(LABELS), weights)
    values = dict(embeddings=X, texts=texts, label_sets=label_sets, quality=rng.uniform(1, 5, n), graph=graph,
                  reference=rng.normal(size=(15, 12)).astype(np.float32))
    values.update(drop)
    return Features(n=n, **values)


def test_every_entry_computes_a_finite_float():
    f = _features()
    for name, spec in REGISTRY.items():
        for subset in (None, np.arange(0, 60, 3)):
            value = compute(name, f, subset)
            assert isinstance(value, float) and math.isfinite(value), name
        assert spec.needs and spec.citation and spec.formula and spec.meaning, name
        assert spec.direction.startswith("higher = " if spec.higher_is_better else "lower = "), name


def test_missing_needs_raise_clearly_and_compute_all_skips_them():
    bare = Features(n=60, embeddings=_features().embeddings)
    for name, spec in REGISTRY.items():
        if spec.needs != ("embeddings",):
            with pytest.raises(MissingNeedError, match="needs"):
                compute(name, bare)
    values = compute_all(bare)
    assert set(values) == {n for n, s in REGISTRY.items() if s.needs == ("embeddings",)}
    with pytest.raises(MissingNeedError, match="embeddings"):
        compute("novelsum", Features(n=3, texts=["a", "b", "c"]))
    with pytest.raises(MissingNeedError, match="reference"):
        compute("facility_location", bare, reference_set="user")


def test_novelsum_subset_uses_the_whole_pool_as_density_reference():
    f = _features(80)
    idx = np.arange(0, 80, 4)
    X = f.embeddings
    assert compute("novelsum", f, idx) == pytest.approx(novelsum(X[idx], reference=X), rel=1e-9)
    assert compute("novelsum", f) == pytest.approx(novelsum(X), rel=1e-9)
    assert compute("novelsum", f, idx, neighbors=5, distance_power=2.0) == \
        pytest.approx(novelsum(X[idx], reference=X, neighbors=5, distance_power=2.0), rel=1e-9)
    assert compute("novelsum", f, idx, reference_set="user", neighbors=3) == \
        pytest.approx(novelsum(X[idx], reference=f.reference, neighbors=3), rel=1e-9)
    np.testing.assert_allclose(novelty_of(f, idx), novelty(X[idx], reference=X), rtol=1e-9)
    from core.metrics.knn_memo import self_knn_m
    from core.metrics.registry import pool_mean_knn_sq_distance

    assert self_knn_m(X, 10) is pool_mean_knn_sq_distance(f, 10)  # the pool density is computed once, then shared


def test_subset_context_for_coverage_measures():
    f = _features()
    idx = np.arange(10)
    assert compute("facility_location", f, idx) == pytest.approx(facility_location(f.embeddings[idx],
                                                                                   reference=f.embeddings))
    assert compute("facility_location", f) == 1.0
    vocab = sorted({t for s in f.label_sets for t in s})
    assert compute("tag_coverage", f, [0]) == pytest.approx(tag_coverage([f.label_sets[0]], vocabulary=vocab))
    mask = np.zeros(60, dtype=bool)
    mask[:10] = True
    assert compute("distsum_cosine", f, mask) == compute("distsum_cosine", f, idx)


def test_approximate_results_are_labelled(monkeypatch):
    from core.metrics import novelsum_metric

    f = _features(120)
    monkeypatch.setattr(novelsum_metric, "EXACT_MAX_ROWS", 50)
    with pytest.raises(SiftError, match="approximate=True"):
        compute("novelsum", f)
    res = compute_result("novelsum", f, approximate=True, sample_rows=40)
    assert res.approximate and res.stderr > 0 and res.params["approximate"] is True
    assert not compute_result("distsum_cosine", f).approximate


def test_bad_names_params_and_subsets():
    f = _features()
    with pytest.raises(SiftError, match="unknown metric"):
        compute("nope", f)
    with pytest.raises(SiftError, match="no parameter"):
        compute("vendi", f, bogus=1)
    with pytest.raises(SiftError, match="must be one of"):
        compute("knn_distance", f, metric="manhattan")
    with pytest.raises(InputError, match="empty"):
        compute("vendi", f, [])
    with pytest.raises(InputError, match="out of range"):
        compute("vendi", f, [0, 60])
    assert compute("knn_distance", f, k="3") == compute("knn_distance", f, k=3)  # CLI strings are parsed
    assert compute_all(f, names=["knn_distance"], params={"knn_distance": {"k": 3}}) == \
        {"knn_distance": compute("knn_distance", f, k=3)}


def test_mig_information_entry_is_core_information_of_the_subset():
    from core.information import information

    f = _features()
    idx = np.array([3, 7, 11, 20])
    assert compute("mig_information", f, idx) == pytest.approx(information(f.label_sets, f.quality, f.graph, idx),
                                                               rel=1e-12)
    assert compute("mig_information", f) > compute("mig_information", f, idx)  # more records, more information
    assert "mig_information" not in compute_all(_features(graph=None), names=["mig_information", "vendi"])


# ------------------------------------------------------------------------------------------------ CLI

@pytest.fixture
def fake_embed(monkeypatch):
    """Replace the encoder with a deterministic hash embedding so CLI tests need no model."""
    import core.embed

    def embed(texts, model=None, **kwargs):
        rng = np.random.default_rng(len(texts))
        X = rng.normal(size=(len(texts), 16)).astype(np.float32)
        return X / np.linalg.norm(X, axis=1, keepdims=True)

    monkeypatch.setattr(core.embed, "embed_texts", embed)


def _pool_file(tmp_path):
    import json

    path = tmp_path / "pool.jsonl"
    rows = [{"id": f"r{i}", "instruction": f"Write item {i} about topic {i % 5}", "input": "",
             "output": f"answer {i}", "tags": [f"t{i % 4}"], "quality": 1.0 + i % 3} for i in range(30)]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_cli_metrics_table_and_subset(tmp_path, capsys, fake_embed):
    from core.cli import main

    pool = _pool_file(tmp_path)
    ids = tmp_path / "ids.txt"
    ids.write_text("r1\n# a comment\nr2\n\nr3\nr4\nr5\n")
    assert main(["metrics", str(pool), "--metric", "vendi", "--metric", "tag_coverage", "--subset", str(ids),
                 "--param", "novelsum.neighbors=3"]) == 0
    out = capsys.readouterr().out
    assert "5 of 30 records" in out and "Vendi score" in out
    tag_line = next(line for line in out.splitlines() if line.startswith("tag_coverage"))
    assert float(tag_line.split()[-1]) == pytest.approx(1.0)  # r1..r5 cover t0..t3
    assert main(["metrics", str(pool), "--json", "--metric", "ttr"]) == 0
    assert '"measured": 30' in capsys.readouterr().out


def test_cli_errors(tmp_path, capsys, fake_embed):
    from core.cli import main

    pool = _pool_file(tmp_path)
    ids = tmp_path / "ids.txt"
    ids.write_text("r1\nmissing\n")
    assert main(["metrics", str(pool), "--subset", str(ids)]) == 2
    assert "line 2" in capsys.readouterr().err
    assert main(["metrics", str(pool), "--metric", "nope"]) == 2
    assert main(["metrics", str(pool), "--param", "novelsum.neighbors"]) == 2
    assert main(["metrics", "--list"]) == 0
    assert "novelsum" in capsys.readouterr().out
