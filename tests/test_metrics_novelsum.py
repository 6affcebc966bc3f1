"""NovelSum against the official-code fixture (all 36 grid values, the m_i intermediates) and hand-checkable cases."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.errors import SiftError, InputError
from core.metrics import novelsum_metric as ns_module
from core.metrics import ExactLimitError, density, mean_knn_sq_distance, novelsum, novelsum_estimate, novelty

GRID = [(name, i) for name in ("full", "first200") for i in range(18)]


@pytest.fixture(scope="module")
def fixture(fixtures_dir):
    data = json.loads((fixtures_dir / "novelsum.json").read_text())
    # the official loader reads the JSON as float64 and casts to float32
    data["E"] = np.asarray(data["inputs"]["embeddings"], dtype=np.float64).astype(np.float32)
    return data


def _dense_official(X, R, k, beta, alpha):
    """The official computation written out densely (full n x n matrix, np.average of each sorted row)."""
    x = X.astype(np.float64)
    u = x / np.linalg.norm(x, axis=1, keepdims=True)
    D = 1.0 - u @ u.T
    ref = np.unique(R.astype(np.float32), axis=0).astype(np.float64)
    d2 = ((x[:, None, :] - ref[None, :, :]) ** 2).sum(-1)
    m = np.sort(d2, axis=1)[:, 1:k + 1].mean(axis=1)
    rho = 1.0 / np.power(m + 1e-9, beta)
    W = D * rho[:, None]
    w = 1.0 / np.power(np.arange(1, X.shape[0] + 1), alpha)
    return np.mean([np.average(np.sort(row), weights=w) for row in W])


@pytest.mark.parametrize("set_name,i", GRID)
def test_fixture_grid_value(fixture, set_name, i):
    s = fixture["expected"]["sets"][set_name]
    point = s["grid"][i]
    X = fixture["E"][s["indices"]]
    got = novelsum(X, reference=fixture["E"], neighbors=point["neighbors"], density_power=point["density_power"],
                   distance_power=point["distance_power"])
    assert abs(got - point["novelsum"]) <= 1e-5
    assert got == pytest.approx(point["novelsum"], rel=1e-6)
    assert s["official_keys"][point["key"]] == point["novelsum"]


@pytest.mark.parametrize("k", [5, 10])
def test_fixture_mean_sq_l2_intermediates(fixture, k):
    expected = np.asarray(fixture["expected"]["intermediate"]["mean_sq_l2_to_knn_full_pool"][str(k)])
    got = mean_knn_sq_distance(fixture["E"], None, k)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-7)


def test_subset_density_is_row_of_pool_density(fixture):
    E = fixture["E"]
    idx = fixture["expected"]["sets"]["first200"]["indices"]
    np.testing.assert_allclose(density(E[idx], E, 10, 0.5), density(E, None, 10, 0.5)[idx], rtol=1e-12)
    assert np.array_equal(density(E, None, 5, 0.0), np.ones(len(E)))


def test_block_size_does_not_change_the_value(fixture):
    X = fixture["E"][:200]
    for alpha in (0.0, 1.0, 2.0):
        a = novelsum(X, reference=fixture["E"], distance_power=alpha, block_size=7)
        b = novelsum(X, reference=fixture["E"], distance_power=alpha, block_size=1000)
        assert abs(a - b) < 1e-7  # float32 matmul rounding only


def test_matches_dense_official_on_random_data_with_duplicates():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 8)).astype(np.float32)
    X[5] = X[4]  # an exact duplicate: the reference keeps one copy, so the 2nd hit is a real neighbour
    R = np.vstack([X, rng.normal(size=(20, 8)).astype(np.float32), X[:10]])
    for k, beta, alpha in [(3, 0.5, 1.0), (5, 0.25, 2.0), (10, 0.5, 0.0), (4, 1.0, 0.5)]:
        want = _dense_official(X, R, k, beta, alpha)
        assert novelsum(X, reference=R, neighbors=k, density_power=beta, distance_power=alpha) == \
            pytest.approx(want, rel=1e-6)
    assert novelsum(X, neighbors=3) == pytest.approx(_dense_official(X, X, 3, 0.5, 1.0), rel=1e-6)


def test_hand_computed_two_orthogonal_points():
    X = np.eye(2, dtype=np.float32)
    # rows of D sorted: [0, 1]; weights 1, 1/2 -> (0 + 0.5) / 1.5
    assert novelsum(X, density_power=0.0, neighbors=1, reference=np.eye(3)[:, :2]) == pytest.approx(1 / 3)
    assert novelsum(X, density_power=0.0, distance_power=0.0, neighbors=1,
                    reference=np.eye(3)[:, :2]) == pytest.approx(0.5)


def test_novelty_mean_is_novelsum_and_duplicates_are_less_novel():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 6)).astype(np.float32)
    v = novelty(X, neighbors=3, density_power=0.0)
    assert v.shape == (30,)
    assert v.mean() == pytest.approx(novelsum(X, neighbors=3, density_power=0.0), rel=1e-12)
    Y = np.vstack([X, np.repeat(X[:1], 10, axis=0)])  # ten copies of one point
    vy = novelty(Y, neighbors=3, density_power=0.0)
    assert vy[0] < v[0]


def test_approximate_estimate_and_size_limit(monkeypatch):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(400, 16)).astype(np.float32)
    exact = novelsum(X)
    monkeypatch.setattr(ns_module, "EXACT_MAX_ROWS", 100)
    assert issubclass(ExactLimitError, SiftError)
    with pytest.raises(ExactLimitError, match="approximate=True"):
        novelsum(X)
    with pytest.raises(ExactLimitError, match="approximate=True"):
        novelty(X)
    est = novelsum_estimate(X, approximate=True, sample_rows=150, seed=7)
    assert est.approximate and est.rows_used == 150 and est.n == 400 and est.stderr > 0
    assert abs(est.value - exact) < 5 * est.stderr
    assert novelsum(X, approximate=True, sample_rows=150, seed=7) == est.value  # seeded: reproducible
    other = novelsum_estimate(X, approximate=True, sample_rows=150, seed=8)  # another seed, another row sample
    assert other.value != est.value and abs(other.value - exact) < 5 * other.stderr
    small = novelsum_estimate(X[:80], approximate=True, sample_rows=150)  # fewer rows than the sample: exact
    assert not small.approximate and small.stderr == 0.0


def test_input_errors():
    good = np.eye(12, dtype=np.float32)
    with pytest.raises(InputError, match="empty"):
        novelsum(np.zeros((0, 4)))
    bad = good.copy()
    bad[3, 2] = np.nan
    with pytest.raises(InputError, match="row 3"):
        novelsum(bad, neighbors=2)
    with pytest.raises(InputError, match="dimension mismatch"):
        novelsum(good, reference=np.eye(20, 5))
    with pytest.raises(InputError, match="neighbo"):
        novelsum(good[:4], neighbors=10)  # 4 distinct reference rows cannot give 10 neighbours
    with pytest.raises(InputError, match="zero vector"):
        novelsum(np.vstack([good, np.zeros((1, 12))]), density_power=0.0)
    with pytest.raises(InputError, match="2-D"):
        novelsum(np.ones(5))
    with pytest.raises(InputError, match="neighbors"):
        novelsum(good, neighbors=0)
