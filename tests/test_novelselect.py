"""NovelSelect: the official fixture order, the seeded first centre, and the incremental loop vs the direct one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.errors import BudgetError, SiftError
from core.selectors import novelselect as ns

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"


@pytest.fixture(scope="module")
def fixture():
    path = FIXTURES / "novelselect_seed42.json"
    if not path.exists():
        pytest.skip("shared fixtures not available")
    data = json.loads(path.read_text())
    X = np.asarray(data["inputs"]["embeddings"], dtype=np.float32)
    return X, data


def clustered(n: int = 240, d: int = 24, seed: int = 0) -> np.ndarray:
    """Unit vectors in a few tight clusters plus noise, the shape of real embedding pools."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((6, d))
    X = centres[rng.integers(0, 6, n)] + 0.35 * rng.standard_normal((n, d))
    return (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32)


def test_fixture_order_with_given_start(fixture):
    X, data = fixture
    order = data["expected"]["order"]
    sel = ns.select(X, data["params"]["k"], start=order[0], neighbors=10, density_power=0.5, distance_power=1.0)
    assert sel.indices.tolist() == order


def test_fixture_order_from_seed_and_first_centre_is_102(fixture):
    X, data = fixture
    sel = ns.select(X, 60, seed=42)
    assert data["expected"]["first_center"] == 102
    assert sel.indices[0] == 102 and sel.info["start"] == 102
    assert sel.indices.tolist() == data["expected"]["order"]


def test_random_state_draw_equals_official_global_seeding():
    state = np.random.get_state()
    try:
        np.random.seed(42)
        official = np.random.randint(0, 600)  # what utils.set_seed + novelselect do
    finally:
        np.random.set_state(state)
    assert official == np.random.RandomState(42).randint(0, 600) == 102


def test_metrics_density_matches_fixture_density_map(fixture):
    from core.metrics import density

    X, data = fixture
    rho = density(X, None, 10, 0.5)
    np.testing.assert_allclose(rho, data["expected"]["density_map_float32"], rtol=1e-6)


def test_fixture_density_map_gives_the_same_order(fixture):
    X, data = fixture
    sel = ns.select(X, 60, density=np.asarray(data["expected"]["density_map_float32"]))
    assert sel.indices.tolist() == data["expected"]["order"]


@pytest.mark.parametrize("density_power,distance_power", [(0.5, 1.0), (0.0, 1.0), (0.25, 2.0), (0.5, 0.0)])
def test_incremental_equals_direct_official_loop(density_power, distance_power):
    X = clustered()
    fast = ns.select(X, 50, density_power=density_power, distance_power=distance_power, seed=3)
    slow = ns.select_reference(X, 50, density_power=density_power, distance_power=distance_power, seed=3)
    assert fast.indices.tolist() == slow.tolist()


def test_gains_are_the_direct_scores_of_each_pick():
    X = clustered(n=120)
    sel = ns.select(X, 12, start=5)
    rho = ns._density_or_given(X, None, 10, 0.5).astype(np.float32)
    Xn = ns.unit_rows(X)
    w = ns.rank_weights(12, 1.0)
    for t in range(1, 12):
        S = sel.indices[:t]
        u = np.sort(((1 - Xn[sel.indices[t]] @ Xn[S].T) * (rho[sel.indices[t]] + rho[S])).astype(np.float32))
        assert sel.gains[t] == pytest.approx(float(u.astype(np.float64) @ w[:t]) / t, rel=1e-9)
    assert sel.gains[0] == 0.0


def test_bounded_loop_equals_direct_loop_on_real_embeddings_at_a_large_budget(fixture):
    """The fixture's 600 real embeddings, half of them picked: most rows are skipped by the bound at most steps
    (scored_rows counts the exact scorings), and picks and gains still equal the official loop's."""
    X, _ = fixture
    budget = 300
    sel = ns.select(X, budget, seed=42)
    direct = ns.select_reference(X, budget, seed=42)
    assert sel.indices.tolist() == direct.tolist()
    assert sel.info["scored_rows"] < 0.2 * X.shape[0] * (budget - 1)  # the bound did skip rows
    rho = ns._density_or_given(X, None, 10, 0.5).astype(np.float32)
    Xn = ns.unit_rows(X)
    w = ns.rank_weights(budget, 1.0)
    for t in (1, 50, 150, budget - 1):  # a pick's gain is its exact official score at that step
        S, i = sel.indices[:t], sel.indices[t]
        u = np.sort(((1 - Xn[i] @ Xn[S].T) * (rho[i] + rho[S])).astype(np.float32))
        assert sel.gains[t] == pytest.approx(float(u.astype(np.float64) @ w[:t]) / t, rel=1e-9)


def test_bounded_loop_equals_direct_loop_with_include_and_flat_weights():
    X = clustered(n=300, seed=8)
    sel = ns.select(X, 120, include=[7, 3, 250], distance_power=0.0)
    assert sel.indices[:3].tolist() == [7, 3, 250]
    rho = ns._density_or_given(X, None, 10, 0.5).astype(np.float32)
    Xn = ns.unit_rows(X)
    picks = [7, 3, 250]
    for t in range(3, 120):  # the direct loop from the same starting set (alpha = 0: all weights 1)
        S = np.array(picks)
        score = ((1 - Xn @ Xn[S].T) * (rho[:, None] + rho[None, S])).astype(np.float32).astype(np.float64).sum(1) / t
        score[S] = -np.inf
        picks.append(int(np.argmax(score)))
    assert sel.indices.tolist() == picks


def test_exact_duplicates_and_ties_do_not_change_picks():
    X = clustered(n=100, seed=5)
    X = np.vstack([X, X[:30]])  # 30 exact duplicates: equal u values in many rows
    fast = ns.select(X, 25, start=0).indices.tolist()
    assert fast == ns.select_reference(X, 25, start=0).tolist()
    assert len(set(fast)) == 25


def test_smaller_budget_is_a_prefix():
    X = clustered(n=150, seed=6)
    assert ns.select(X, 15).indices.tolist() == ns.select(X, 40).indices[:15].tolist()


def test_bad_inputs_raise_clear_errors():
    X = clustered(n=30)
    with pytest.raises(BudgetError, match="larger than the pool"):
        ns.select(X, 31)
    with pytest.raises(SiftError, match="start index"):
        ns.select(X, 5, start=30)
    bad = X.copy()
    bad[3, 0] = np.nan
    with pytest.raises(SiftError, match="NaN"):
        ns.select(bad, 5)
    with pytest.raises(SiftError, match="non-empty"):
        ns.select(np.zeros((0, 4), dtype=np.float32), 1)
