"""MIG selector: the official fixtures' pick orders and E(S), lazy vs full search, hand-checked steps, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.sparse as sp

from core import selectors
from core.information import d_phi, information, row_gains
from core.errors import BudgetError, SiftError, InputError, MissingNeedError
from core.features import Features
from core.label_graph import LabelGraph
from core.selectors import mig
from core.selectors.mig import select


def load_fixture(fixtures_dir, name):
    data = json.loads((fixtures_dir / name).read_text())
    exp = data["expected"]
    triples = np.array(exp["W_triples"], dtype=np.float64)
    w = sp.csr_matrix((triples[:, 2], (triples[:, 0].astype(int), triples[:, 1].astype(int))),
                      shape=tuple(exp["W_shape"]))
    graph = LabelGraph.from_weights(exp["labels"], w)
    pool = data["inputs"]["pool"]
    return [p["labels"] for p in pool], np.array([p["score"] for p in pool]), graph, exp, data["params"]


@pytest.mark.parametrize("name", ["mig_t0.9.json", "mig_t0.6.json"])
@pytest.mark.parametrize("lazy", [True, False])
def test_fixture_order_and_information(fixtures_dir, name, lazy):
    labels, score, graph, exp, params = load_fixture(fixtures_dir, name)
    assert params["phi_b"] == 0.8 and params["prop_weight"] == 1.0 and params["norm"] is False
    sel = select(labels, score, graph, params["num_sample"], lazy=lazy)
    assert sel.indices.tolist() == exp["order_pool_indices"]
    assert [f"s{i:04d}" for i in sel.indices] == exp["order"]
    for k, value in exp["energy_prefix"].items():
        assert information(labels, score, graph, sel.indices[: int(k)]) == pytest.approx(value, rel=1e-6)


@pytest.mark.parametrize("name, low, high", [("mig_t0.9.json", 1e-6, 1e-5), ("mig_t0.6.json", 5e-6, 5e-5)])
def test_fixture_top_gain_gap_is_far_above_float_error(fixtures_dir, name, low, high):
    """The README's smallest relative gap between the two best gains (4e-6 at 0.9, 1.5e-5 at 0.6), recomputed."""
    labels, score, graph, exp, _ = load_fixture(fixtures_dir, name)
    h = graph.propagate(labels, score)
    z = np.zeros(len(graph))
    remaining = np.ones(len(labels), dtype=bool)
    gaps = []
    for pick in exp["order_pool_indices"]:
        gains = np.where(remaining, h @ d_phi(z), -np.inf)
        top2 = np.sort(gains)[-2:]
        gaps.append((top2[1] - top2[0]) / top2[1])
        assert int(np.argmax(gains)) == pick
        remaining[pick] = False
        z += h[pick].toarray().ravel()
    assert low < min(gaps) < high  # float32 rounding (~1e-7) cannot flip any pick; float64 even less


def random_pool(seed, n=300, k=40):
    """Labels with a Zipf-ish spread, integer qualities and exact duplicate records, so gains tie."""
    rng = np.random.default_rng(seed)
    vocab = [f"tag{j:02d}" for j in range(k)]
    probs = 1.0 / np.arange(1, k + 1)
    probs /= probs.sum()
    label_sets = [list(rng.choice(vocab, size=rng.integers(1, 5), replace=False, p=probs)) for _ in range(n)]
    quality = rng.integers(0, 6, size=n).astype(float)
    for i in range(0, n, 7):  # duplicates of earlier records: identical gains, tie broken by index
        j = int(rng.integers(0, n))
        label_sets[j], quality[j] = list(label_sets[i]), quality[i]
    emb = rng.normal(size=(k, 8))
    emb[1::2] = emb[0::2] + 0.3 * rng.normal(size=(k // 2, 8))  # pairs of similar labels -> edges
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    graph = LabelGraph.from_embeddings(vocab, emb, threshold=0.8)
    return label_sets, quality, graph


def test_ties_go_to_the_lowest_index():
    graph = LabelGraph.from_weights(["a", "b"], np.eye(2))
    sel = select([["a"], ["b"], ["a"], ["b"]], [2.0, 2.0, 2.0, 2.0], graph, 4)
    assert sel.indices.tolist() == [0, 1, 2, 3]


def test_hand_checked_steps():
    """Two unconnected labels: gains are q * 0.8 (z + 1e-6)^-0.2 on the record's label."""
    graph = LabelGraph.from_weights(["x", "y"], np.eye(2))
    sel = select([["x"], ["x"], ["y"]], [4.0, 1.0, 2.0], graph, 3)
    assert sel.indices.tolist() == [0, 2, 1]
    fresh = 0.8 * 1e-6 ** -0.2
    np.testing.assert_allclose(sel.gains, [4 * fresh, 2 * fresh, 0.8 * (4 + 1e-6) ** -0.2], rtol=1e-12)


def test_propagation_spreads_to_neighbours():
    """x~y with weight 0.5: P = [[2/3, 1/3], [1/3, 2/3]]; a record on x informs y too, so z is the mix."""
    graph = LabelGraph.from_weights(["x", "y", "z"], np.array([[1, .5, 0], [.5, 1, 0], [0, 0, 1.0]]))
    h = graph.propagate([["x"], ["y"], ["z"]], [3.0, 3.0, 1.0]).toarray()
    np.testing.assert_allclose(h, [[2, 1, 0], [1, 2, 0], [0, 0, 1]], rtol=1e-12)
    sel = select([["x"], ["y"], ["z"]], [3.0, 3.0, 1.0], graph, 3)
    # step 1: x and y records tie at 3 * 0.8 (1e-6)^-0.2 (lowest index wins); step 2: after z = (2, 1, 0) the
    # y-record gains 0.8 (1 * 2^-0.2 + 2 * 1^-0.2) = 2.30 and the z-record 0.8 (1e-6)^-0.2 = 12.7, so z comes first
    assert sel.indices.tolist() == [0, 2, 1]
    no_prop = graph.propagate([["x"]], [3.0], prop_weight=0.0).toarray()
    np.testing.assert_allclose(no_prop, [[3, 0, 0]])


def test_norm_divides_quality_over_labels():
    graph = LabelGraph.from_weights(["x", "y"], np.eye(2))
    v = graph.vectorize([["x", "y", "x"]], [6.0], norm=True).toarray()
    np.testing.assert_allclose(v, [[3.0, 3.0]])  # the duplicate 'x' counts once


def test_bad_input():
    graph = LabelGraph.from_weights(["x", "y"], np.eye(2))
    with pytest.raises(InputError, match="record 1 has label 'w'"):
        select([["x"], ["w"]], [1.0, 1.0], graph, 1)
    with pytest.raises(InputError, match="record 1 has no labels"):
        select([["x"], []], [1.0, 1.0], graph, 1, empty="error")
    with pytest.raises(InputError, match="negative"):
        select([["x"], ["y"]], [1.0, -2.0], graph, 1)
    with pytest.raises(InputError, match="NaN"):
        select([["x"], ["y"]], [np.nan, 1.0], graph, 1)
    with pytest.raises(BudgetError, match="larger than the pool"):
        select([["x"], ["y"]], [1.0, 1.0], graph, 3)
    with pytest.raises(BudgetError, match="1 records that have labels"):
        select([["x"], []], [1.0, 1.0], graph, 2)
    with pytest.raises(SiftError, match="phi"):
        select([["x"]], [1.0], graph, 1, phi="log")


def test_empty_label_sets_are_skipped_and_counted():
    graph = LabelGraph.from_weights(["x", "y"], np.eye(2))
    sel = select([[], ["x"], [], ["y"]], [9.0, 1.0, 9.0, 2.0], graph, 2)
    assert sel.indices.tolist() == [3, 1]
    assert sel.info["skipped_empty"] == 2


def test_registry_adapter():
    label_sets, quality, graph = random_pool(7, n=60)
    features = Features(n=60, label_sets=label_sets, quality=quality, graph=graph)
    sel = selectors.run("mig", features, 10, phi_b="0.5")
    assert sel.method == "mig" and len(sel) == 10 and sel.params["phi_b"] == 0.5
    assert sel.indices.tolist() == select(label_sets, quality, graph, 10, phi_b=0.5).indices.tolist()
    assert {p.name for p in mig.PARAMS} >= {"prop_weight", "phi", "phi_b", "phi_a", "phi_alpha", "norm"}
    assert "2504.13835" in mig.CITATION
    with pytest.raises(MissingNeedError, match="label graph"):
        selectors.run("mig", Features(n=60, label_sets=label_sets, quality=quality), 5)
    with pytest.raises(SiftError, match="no parameter"):
        selectors.run("mig", features, 5, alpha=1.0)


def test_row_gains_matches_sparse_matvec():
    rng = np.random.default_rng(0)
    h = sp.random(50, 30, density=0.2, random_state=1, format="lil")
    h[5] = 0  # an empty row gives 0, not its neighbour's sum
    h = h.tocsr()
    h.eliminate_zeros()
    assert h[5].nnz == 0
    g = rng.random(30)
    rows = np.array([5, 0, 49, 5, 17])
    np.testing.assert_allclose(row_gains(h, rows, g), (h @ g)[rows], rtol=1e-12)
