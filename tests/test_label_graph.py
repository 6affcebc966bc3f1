"""LabelGraph: from_weights round trip on the official W, from_labels reproducing its pattern, propagation."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.sparse as sp

from core.errors import SiftError, InputError
from core.label_graph import LabelGraph


def fixture_graph(fixtures_dir, name):
    exp = json.loads((fixtures_dir / name).read_text())["expected"]
    t = np.array(exp["W_triples"], dtype=np.float64)
    w = sp.csr_matrix((t[:, 2], (t[:, 0].astype(int), t[:, 1].astype(int))), shape=tuple(exp["W_shape"]))
    return exp, w


@pytest.mark.parametrize("name, edges", [("mig_t0.9.json", 3), ("mig_t0.6.json", 423)])
def test_from_weights_round_trip(fixtures_dir, name, edges):
    exp, w = fixture_graph(fixtures_dir, name)
    graph = LabelGraph.from_weights(exp["labels"], w)
    assert graph.labels == exp["labels"] == sorted(exp["labels"])
    assert graph.index[exp["labels"][5]] == 5
    coo = graph.weights.tocoo()
    triples = sorted(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist()))
    assert triples == [(int(i), int(j), v) for i, j, v in exp["W_triples"]]  # exact, diagonal included
    assert graph.weights.nnz == exp["W_nnz"] and graph.n_edges == edges
    assert int(graph.degree.sum()) == 2 * edges
    dense = LabelGraph.from_weights(exp["labels"], w.toarray())
    assert (dense.weights != graph.weights).nnz == 0
    p = graph.propagation()
    np.testing.assert_allclose(np.asarray(p.sum(axis=0)).ravel(), 1.0, rtol=1e-12)


def test_from_labels_default_model_gives_the_official_pattern(fixtures_dir):
    """Every label with a neighbour at 0.6 (which covers every edge at 0.9) plus 40 isolated ones, re-embedded."""
    exp9, w9 = fixture_graph(fixtures_dir, "mig_t0.9.json")
    exp6, w6 = fixture_graph(fixtures_dir, "mig_t0.6.json")
    coo = w6.tocoo()
    linked = sorted(set(coo.row[coo.row != coo.col].tolist()))
    isolated = sorted(set(range(len(exp6["labels"]))) - set(linked))[::8][:40]
    keep = np.array(sorted(linked + isolated))
    names = [exp6["labels"][i] for i in keep]
    shuffled = list(reversed(names)) + names[:10]  # order and repeats do not matter
    for threshold, w in ((0.9, w9), (0.6, w6)):
        graph = LabelGraph.from_labels(shuffled, threshold=threshold)
        assert graph.labels == names == sorted(names)
        assert graph.embeddings.shape == (len(names), 384)
        theirs = w[keep][:, keep].tocoo()
        ours = graph.weights.tocoo()
        assert set(zip(ours.row.tolist(), ours.col.tolist())) == set(zip(theirs.row.tolist(), theirs.col.tolist()))
        np.testing.assert_allclose(graph.weights.toarray(), theirs.toarray(), atol=2e-6)


def test_from_embeddings_thresholds_and_sorts():
    emb = np.array([[1.0, 0.0], [0.6, 0.8], [0.96, 0.28]], dtype=np.float32)  # cos(c, a) = 0.96, cos(b, c) = 0.8
    graph = LabelGraph.from_embeddings(["c", "b", "a"], emb, threshold=0.9)
    assert graph.labels == ["a", "b", "c"]
    np.testing.assert_allclose(graph.weights.toarray(), [[1, 0, 0.96], [0, 1, 0], [0.96, 0, 1]], atol=1e-6)
    assert graph.neighbors("a") == [("c", pytest.approx(0.96, abs=1e-6))]
    assert graph.neighbors("b") == []
    assert graph.degree.tolist() == [1, 0, 1]
    # the blocked product gives the same graph as one dense product
    big = np.random.default_rng(0).normal(size=(300, 16)).astype(np.float32)
    big /= np.linalg.norm(big, axis=1, keepdims=True)
    import core.label_graph as lg
    one = LabelGraph.from_embeddings([f"l{i:03d}" for i in range(300)], big, threshold=0.5)
    old, lg._BLOCK_ENTRIES = lg._BLOCK_ENTRIES, 3000  # 10 rows per block
    try:
        blocked = LabelGraph.from_embeddings([f"l{i:03d}" for i in range(300)], big, threshold=0.5)
    finally:
        lg._BLOCK_ENTRIES = old
    assert one.n_edges > 0 and (abs(one.weights - blocked.weights) > 1e-6).nnz == 0
    a, b = one.weights.tocoo(), blocked.weights.tocoo()
    assert set(zip(a.row.tolist(), a.col.tolist())) == set(zip(b.row.tolist(), b.col.tolist()))


def test_propagation_matrix_by_hand():
    graph = LabelGraph.from_weights(["x", "y"], np.array([[1.0, 0.5], [0.5, 1.0]]))
    np.testing.assert_allclose(graph.propagation().toarray(), [[2 / 3, 1 / 3], [1 / 3, 2 / 3]])
    np.testing.assert_allclose(graph.propagation(0.5).toarray(), [[0.8, 0.2], [0.2, 0.8]])
    np.testing.assert_allclose(graph.propagation(0.0).toarray(), np.eye(2))
    with pytest.raises(SiftError, match="prop_weight"):
        graph.propagation(-1)


def test_label_information_sums_to_the_set_information():
    graph = LabelGraph.from_weights(["x", "y"], np.array([[1.0, 0.5], [0.5, 1.0]]))
    per_label = graph.label_information([["x"], ["y"], ["x", "y"]], [3.0, 3.0, 1.0], subset=[0, 2])
    # z = (2, 1) + (1, 1) = (3, 2)
    np.testing.assert_allclose(per_label, [3 ** 0.8, 2 ** 0.8])


def test_bad_graphs_and_labels():
    with pytest.raises(SiftError, match="2 x 2"):
        LabelGraph.from_weights(["x", "y"], np.eye(3))
    with pytest.raises(SiftError, match="duplicate"):
        LabelGraph.from_weights(["x", "x"], np.eye(2))
    with pytest.raises(SiftError, match="non-negative"):
        LabelGraph.from_weights(["x", "y"], -np.eye(2))
    graph = LabelGraph.from_weights(["x", "y"], np.eye(2))
    with pytest.raises(InputError, match="not in the label graph"):
        graph.vectorize([["x", "q"]], [1.0])
    with pytest.raises(SiftError, match="not in the label graph"):
        graph.neighbors("q")


def test_threshold_out_of_range_is_refused():
    emb = np.eye(3, dtype=np.float32)
    for bad in (1.5, -2.0, float("nan")):
        with pytest.raises(SiftError, match="threshold"):
            LabelGraph.from_embeddings(["a", "b", "c"], emb, bad)
    assert len(LabelGraph.from_embeddings(["a", "b", "c"], emb, 1.0)) == 3
