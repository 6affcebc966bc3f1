"""Budget curves: E(S_k) along any order matches E recomputed from scratch; metric curves along an order."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.sparse as sp

from core.curves import information, information_curve, metric_curve, mig_information
from core.errors import SiftError, MissingNeedError
from core.features import Features
from core.label_graph import LabelGraph


@pytest.fixture(scope="module")
def fixture_pool(fixtures_dir):
    data = json.loads((fixtures_dir / "mig_t0.6.json").read_text())
    exp = data["expected"]
    t = np.array(exp["W_triples"], dtype=np.float64)
    w = sp.csr_matrix((t[:, 2], (t[:, 0].astype(int), t[:, 1].astype(int))), shape=tuple(exp["W_shape"]))
    pool = data["inputs"]["pool"]
    return ([p["labels"] for p in pool], np.array([p["score"] for p in pool]),
            LabelGraph.from_weights(exp["labels"], w), exp)


def test_curve_on_the_official_order_hits_the_fixture_values(fixture_pool):
    labels, score, graph, exp = fixture_pool
    energy, gains = information_curve(labels, score, graph, exp["order_pool_indices"])
    assert energy.shape == gains.shape == (400,)
    for k, value in exp["energy_prefix"].items():
        assert energy[int(k) - 1] == pytest.approx(value, rel=1e-9)
    np.testing.assert_allclose(np.diff(energy), gains[1:], rtol=1e-9, atol=1e-9)


def test_curve_on_any_order_matches_from_scratch(fixture_pool):
    labels, score, graph, _ = fixture_pool
    order = np.random.default_rng(3).permutation(len(labels))[:500]
    for kwargs in ({}, {"phi": "exp", "phi_alpha": 0.05}, {"prop_weight": 0.3, "norm": True}):
        energy, gains = information_curve(labels, score, graph, order, **kwargs)
        assert np.all(gains >= 0)  # quality >= 0: information never falls
        for k in (1, 7, 120, 500):
            assert energy[k - 1] == pytest.approx(information(labels, score, graph, order[:k], **kwargs), rel=1e-9)


def test_records_without_labels_add_nothing():
    graph = LabelGraph.from_weights(["x"], np.eye(1))
    energy, gains = information_curve([["x"], [], ["x"]], [1.0, 5.0, 1.0], graph, [0, 1, 2])
    np.testing.assert_allclose(energy, [1.0, 1.0, 2 ** 0.8])
    assert gains[1] == 0.0


def test_mig_information_and_metric_curve(fixture_pool):
    labels, score, graph, exp = fixture_pool
    features = Features(n=len(labels), label_sets=labels, quality=score, graph=graph)
    order = np.array(exp["order_pool_indices"])
    assert mig_information(features, order) == pytest.approx(exp["energy_prefix"]["400"], rel=1e-9)
    values = metric_curve(mig_information, features, order, ks=[50, 100, 400])
    np.testing.assert_allclose(values, [exp["energy_prefix"][k] for k in ("50", "100", "400")], rtol=1e-9)
    assert metric_curve(lambda f, s: float(len(s)), features, order).tolist()[-1] == 400.0
    by_name = metric_curve("mig_information", features, order, ks=[200])
    assert by_name[0] == pytest.approx(exp["energy_prefix"]["200"], rel=1e-9)
    with pytest.raises(MissingNeedError):
        mig_information(Features(n=3, label_sets=[["x"]] * 3, quality=np.ones(3)), [0])


def test_bad_orders():
    graph = LabelGraph.from_weights(["x"], np.eye(1))
    with pytest.raises(SiftError, match="repeats"):
        information_curve([["x"], ["x"]], [1.0, 1.0], graph, [0, 0])
    with pytest.raises(SiftError, match="outside"):
        information_curve([["x"], ["x"]], [1.0, 1.0], graph, [0, 2])
    with pytest.raises(SiftError, match="empty"):
        information_curve([["x"]], [1.0], graph, [])
    features = Features(n=2, label_sets=[["x"], ["x"]], quality=np.ones(2), graph=graph)
    with pytest.raises(SiftError, match="prefix sizes"):
        metric_curve(mig_information, features, [0, 1], ks=[3])
