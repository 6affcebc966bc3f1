"""The one lazy-greedy optimiser: lazy == naive (recompute everything) on real data, the key order, includes,
the budget check and the progress cadence."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.sparse as sp

from core.errors import BudgetError, SiftError
from core.information import InformationObjective, d_phi
from core.label_graph import LabelGraph
from core.selectors._common import minmax
from core.vectors import unit_rows
from core.selectors.lazy_greedy import lazy_greedy, ordered_bits
from core.selectors.qdit import CoverageQualityObjective, knn_similarity


def mig_fixture(fixtures_dir, name):
    data = json.loads((fixtures_dir / name).read_text())
    exp = data["expected"]
    t = np.array(exp["W_triples"], dtype=np.float64)
    w = sp.csr_matrix((t[:, 2], (t[:, 0].astype(int), t[:, 1].astype(int))), shape=tuple(exp["W_shape"]))
    graph = LabelGraph.from_weights(exp["labels"], w)
    pool = data["inputs"]["pool"]
    h = graph.propagate([p["labels"] for p in pool], np.array([p["score"] for p in pool]))
    return h, exp


@pytest.fixture(scope="module")
def fixture_embeddings(fixtures_dir):
    """600 real instructions embedded with all-MiniLM-L6-v2 (the NovelSelect fixture's inputs)."""
    data = json.loads((fixtures_dir / "novelselect_seed42.json").read_text())
    return unit_rows(np.asarray(data["inputs"]["embeddings"], dtype=np.float32))


def qdit_objective(X, a, sparse):
    quality = minmax(np.random.default_rng(0).integers(0, 4, X.shape[0]).astype(float))  # few values: ties
    S = knn_similarity(X, 20) if sparse else X @ X.T
    return CoverageQualityObjective(S, quality=quality, a=a)


def both(make, budget, **kwargs):
    lazy = lazy_greedy(make(), budget, lazy=True, **kwargs)
    naive = lazy_greedy(make(), budget, lazy=False, **kwargs)
    return lazy, naive


@pytest.mark.parametrize("name", ["mig_t0.9.json", "mig_t0.6.json"])
@pytest.mark.parametrize("include, phi", [((), "pow"), ((2999, 5, 1234), "pow"), ((), "exp")])
def test_lazy_equals_naive_for_mig_on_the_official_pools(fixtures_dir, name, include, phi):
    h, exp = mig_fixture(fixtures_dir, name)
    (lp, lg), (npk, ng) = both(lambda: InformationObjective(h, phi=phi), 400, include=include)
    assert lp.tolist() == npk.tolist()
    np.testing.assert_array_equal(lg, ng)  # the same kernel: equal to the bit
    if phi == "exp":
        assert lp.tolist() != exp["order_pool_indices"]  # another objective, another order
    elif not include:
        assert lp.tolist() == exp["order_pool_indices"]
    else:
        assert lp[:3].tolist() == list(include) and len(set(lp.tolist())) == 400


@pytest.mark.parametrize("a, sparse", [(0.0, False), (0.7, False), (0.7, True)])
def test_lazy_equals_naive_for_qdit_on_real_embeddings(fixture_embeddings, a, sparse):
    X = fixture_embeddings
    (lp, lg), (npk, ng) = both(lambda: qdit_objective(X, a, sparse), 120, include=(7,))
    assert lp.tolist() == npk.tolist()
    np.testing.assert_array_equal(lg, ng)
    assert lp[0] == 7 and np.all(np.diff(lg[1:]) <= 1e-12)  # gains of a submodular objective only fall


def test_ties_go_to_the_lowest_row_in_both_strategies():
    graph = LabelGraph.from_weights(["a", "b"], np.eye(2))
    h = graph.propagate([["a"], ["b"], ["a"], ["b"], ["a"]], [2.0] * 5)
    for lazy in (True, False):
        picks, _ = lazy_greedy(InformationObjective(h), 5, lazy=lazy)
        assert picks.tolist() == [0, 1, 2, 3, 4]


def test_included_rows_come_first_and_count_in_the_objective():
    """x-records: after an included x-record the other x-record's gain has fallen, so the y-record comes next."""
    graph = LabelGraph.from_weights(["x", "y"], np.eye(2))
    h = graph.propagate([["x"], ["x"], ["y"]], [4.0, 4.0, 1.0])
    picks, gains = lazy_greedy(InformationObjective(h), 3, include=[1])
    assert picks.tolist() == [1, 2, 0]
    fresh = 0.8 * 1e-6 ** -0.2
    np.testing.assert_allclose(gains, [4 * fresh, fresh, 4 * d_phi(np.array([4.0]))[0]], rtol=1e-12)


def test_the_order_of_heap_keys_is_the_order_of_the_floats():
    values = np.array([-np.inf, -3.5, -1e-300, -0.0, 0.0, 5e-324, 1e-12, 0.5, 2.0, 1e300, np.inf])
    bits = ordered_bits(values)
    assert np.all(np.diff(bits[[0, 1, 2, 3, 5, 6, 7, 8, 9, 10]].astype(object)) > 0)
    assert bits[3] == bits[4]  # -0.0 and 0.0 are the same gain
    with pytest.raises(SiftError, match="NaN"):
        ordered_bits(np.array([1.0, np.nan]))


def test_one_budget_check_and_one_progress_cadence():
    graph = LabelGraph.from_weights(["x"], np.eye(1))
    h = graph.propagate([["x"]] * 250, np.ones(250))
    with pytest.raises(BudgetError, match="larger than the 3 records that have labels"):
        lazy_greedy(InformationObjective(h), 4, candidates=np.arange(3), available="records that have labels")
    with pytest.raises(BudgetError, match="2 records must be included but the budget is 1"):
        lazy_greedy(InformationObjective(h), 1, include=[0, 1])
    calls = []
    lazy_greedy(InformationObjective(h), 250, include=[9], label="MIG", progress=lambda f, m: calls.append((f, m)))
    assert [round(f * 250) for f, _ in calls] == list(range(2, 251, 2))  # every 1% (2 picks) and the end
    assert calls[-1] == (1.0, "MIG: picked 250 / 250")


def test_lazy_equals_naive_under_per_stratum_quotas(fixtures_dir):
    """Quotas inside the optimiser: full strata leave the search in both strategies; counts meet the quotas."""
    h, exp = mig_fixture(fixtures_dir, "mig_t0.6.json")
    strata = np.random.default_rng(5).integers(0, 4, h.shape[0])
    quotas = [10, 150, 40, 0]
    (lp, lg), (npk, ng) = both(lambda: InformationObjective(h), 200, include=(17,), strata=strata, quotas=quotas)
    assert lp.tolist() == npk.tolist() and np.array_equal(lg, ng)
    assert np.bincount(strata[lp], minlength=4).tolist() == quotas and lp[0] == 17
    assert lp.tolist() != exp["order_pool_indices"][:200]
    with pytest.raises(BudgetError, match="more must-include records than its quota"):
        lazy_greedy(InformationObjective(h), 200, include=np.flatnonzero(strata == 3)[:1], strata=strata,
                    quotas=quotas)
    with pytest.raises(BudgetError, match="quotas cannot be filled"):
        tiny = np.where(np.arange(h.shape[0]) < 5, 0, 1)  # stratum 0 has 5 rows but a quota of 6
        lazy_greedy(InformationObjective(h), 10, strata=tiny, quotas=[6, 4])


@pytest.mark.parametrize("block", [1, 3, 64])
def test_a_small_reserve_block_gives_the_same_picks(fixtures_dir, fixture_embeddings, monkeypatch, block):
    """The heap starts with only ``block`` candidates (the rest wait in the reserve, joining as their initial gain
    could beat the top): picks and gains equal the naive strategy's, for MIG (ties, includes, quotas) and QDIT."""
    import core.selectors.lazy_greedy as lg_module

    monkeypatch.setattr(lg_module, "_RESERVE_BLOCK", block)
    h, exp = mig_fixture(fixtures_dir, "mig_t0.6.json")
    lazy, _ = lazy_greedy(InformationObjective(h), 400, lazy=True)
    assert lazy.tolist() == exp["order_pool_indices"]
    strata = np.random.default_rng(5).integers(0, 4, h.shape[0])
    (lp, lgains), (npk, ng) = both(lambda: InformationObjective(h), 200, include=(17,), strata=strata,
                                   quotas=[10, 150, 40, 0])
    assert lp.tolist() == npk.tolist() and np.array_equal(lgains, ng)
    (lp, lgains), (npk, ng) = both(lambda: qdit_objective(fixture_embeddings, 0.7, False), 80, include=(7,))
    assert lp.tolist() == npk.tolist() and np.array_equal(lgains, ng)
    graph = LabelGraph.from_weights(["a", "b"], np.eye(2))
    ties = graph.propagate([["a"], ["b"], ["a"], ["b"], ["a"]], [2.0] * 5)
    assert lazy_greedy(InformationObjective(ties), 5)[0].tolist() == [0, 1, 2, 3, 4]
