"""The selector registry: every entry runs through one interface and refuses bad budgets and missing inputs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core import selectors
from core.errors import BudgetError, SiftError, MissingNeedError
from core.features import EMBEDDINGS, GRAPH, LABELS, NEEDS, QUALITY, REFERENCE, TEXTS, Features
from core.params import Param
from core.selection import Selection

EXPECTED = {"mig", "novelselect", "random", "quality_topk", "kcenter", "deita", "qdit", "instag", "car", "kmq",
            "bandit"}
REPO = Path(__file__).resolve().parents[1]


def full_features(n: int = 60, seed: int = 0) -> Features:
    """Every input a selector may need, on a small synthetic pool."""
    from core.label_graph import LabelGraph

    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 12)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    vocab = [f"tag{i}" for i in range(8)]
    tags = [sorted(rng.choice(vocab, size=int(rng.integers(1, 4)), replace=False).tolist()) for _ in range(n)]
    emb = rng.standard_normal((len(vocab), 6)).astype(np.float32)
    graph = LabelGraph.from_embeddings(vocab, emb / np.linalg.norm(emb, axis=1, keepdims=True), 0.5)
    return Features(n=n, embeddings=X, texts=[f"text {i}" for i in range(n)], label_sets=tags,
                    quality=rng.random(n) * 10, graph=graph, reference=X[:5] + 0.01)


@pytest.fixture(scope="module")
def features() -> Features:
    return full_features()


def without(features: Features, need: str) -> Features:
    field = {EMBEDDINGS: "embeddings", TEXTS: "texts", LABELS: "label_sets", QUALITY: "quality", GRAPH: "graph",
             REFERENCE: "reference"}[need]
    from dataclasses import replace

    return replace(features, **{field: None})


def test_registry_lists_every_selector_with_a_complete_spec():
    assert set(selectors.REGISTRY) == EXPECTED
    for name, spec in selectors.REGISTRY.items():
        assert spec.name == name and spec.label and spec.summary and callable(spec.run)
        assert "arXiv" in spec.citation or name == "random"
        assert set(spec.needs) <= set(NEEDS)
        assert all(isinstance(p, Param) for p in spec.params)
        assert len({p.name for p in spec.params}) == len(spec.params)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_selector_runs_through_the_registry(name, features):
    sel = selectors.run(name, features, 7, seed=3)
    assert isinstance(sel, Selection) and sel.method == name
    assert len(sel) == 7 and len(set(sel.indices.tolist())) == 7
    assert 0 < sel.seconds < 120 and sel.gains.shape == (7,)  # the registry timed the run
    raw = spec_run(name, features)
    assert raw.seconds == 0.0  # the selector itself records no time: the registry alone sets it
    spec = selectors.get(name)
    assert set(sel.params) >= {p.name for p in spec.params}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_selector_rejects_a_budget_larger_than_the_pool(name, features):
    with pytest.raises(BudgetError, match="larger than the pool"):
        selectors.run(name, features, features.n + 1)
    with pytest.raises(BudgetError, match="at least 1"):
        selectors.run(name, features, 0)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_selector_names_each_missing_need(name, features):
    spec = selectors.get(name)
    if not spec.needs:
        pytest.skip(f"{name} needs nothing but the pool size")
    for need in spec.needs:
        with pytest.raises(MissingNeedError, match=f"selector '{name}' needs"):
            selectors.run(name, without(features, need), 5)


@pytest.mark.parametrize("name", sorted(EXPECTED - {"mig", "instag", "quality_topk", "random"}))
def test_embedding_selectors_reject_nan_embeddings(name, features):
    X = features.embeddings.copy()
    X[2, 1] = np.nan
    from dataclasses import replace

    with pytest.raises(SiftError, match="NaN"):
        selectors.run(name, replace(features, embeddings=X), 5)


def test_unknown_name_and_bad_parameters_are_clear_errors(features):
    with pytest.raises(SiftError, match="available: .*novelselect"):
        selectors.run("novelty", features, 5)
    with pytest.raises(SiftError, match="has no parameter taus"):
        selectors.run("deita", features, 5, taus=0.5)
    with pytest.raises(SiftError, match=r"must be in \[-1.0, 1.0\]"):
        selectors.run("deita", features, 5, tau=3.0)
    with pytest.raises(SiftError, match="expects float"):
        selectors.run("deita", features, 5, tau="high")
    with pytest.raises(SiftError, match="pool is empty"):
        selectors.run("random", Features(n=0), 1)


def test_string_parameters_are_parsed_and_recorded(features):
    sel = selectors.run("deita", features, 5, tau="0.5")
    assert sel.params == {"tau": 0.5, "fill": "quality"}


def test_seed_reaches_random_selectors_and_is_dropped_for_deterministic_ones(features):
    a = selectors.run("random", features, 10, seed=1).indices.tolist()
    assert a == selectors.run("random", features, 10, seed=1).indices.tolist()
    assert a != selectors.run("random", features, 10, seed=2).indices.tolist()
    assert "seed" not in selectors.run("quality_topk", features, 5, seed=1).params
    assert selectors.run("kcenter", features, 5, seed=9).params["seed"] == 9


SEEDED = {"novelselect", "random", "kcenter", "car", "kmq", "bandit"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_seed_is_passed_and_recorded_exactly_when_the_spec_says_uses_seed(name, features):
    spec = selectors.get(name)
    assert spec.uses_seed is (name in SEEDED)
    assert "seed" not in {p.name for p in spec.params}  # one shared seed, decided by the registry
    sel = selectors.run(name, features, 6, seed=5)
    default = selectors.run(name, features, 6)
    if spec.uses_seed:
        assert sel.params["seed"] == 5 and default.params["seed"] == selectors.registry.DEFAULT_SEED
        assert selectors.describe([name])[0]["params"]["seed"] == selectors.registry.DEFAULT_SEED
    else:
        assert "seed" not in sel.params and "seed" not in default.params
        assert sel.indices.tolist() == default.indices.tolist()  # deterministic: the seed changes nothing
    with pytest.raises(SiftError, match="seed must be"):
        selectors.run(name, features, 6, seed=-1)


def test_only_the_bandit_declares_a_reference_and_records_its_size(features):
    assert {n for n in selectors.names() if selectors.get(n).uses_reference} == {"bandit"}
    sel = selectors.run("bandit", features, 6, reward="ot", top_arms=2, probe_size=3)
    assert sel.info["reference_rows"] == features.reference.shape[0]
    assert "reference_rows" not in selectors.run("bandit", features, 6).info  # the quality reward reads none


def test_importing_the_registry_is_cheap():
    code = ("import sys, core.selectors; heavy = [m for m in ('torch', 'sentence_transformers', 'sklearn', 'ot', "
            "'numba') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_selector_module_may_not_declare_its_own_seed():
    from types import SimpleNamespace

    from core.selectors.registry import SEED, _spec_from_module

    module = SimpleNamespace(__name__="fake", NAME="fake", LABEL="Fake", SUMMARY="s", CITATION="c", NEEDS=(),
                             USES_SEED=True, USES_REFERENCE=False, TAKES_INCLUDE=False, TAKES_QUOTAS=False,
                             PARAMS=[SEED], run=lambda *a, **k: None)
    with pytest.raises(ValueError, match="set USES_SEED instead"):
        _spec_from_module(module)
    module.PARAMS = []
    assert _spec_from_module(module).uses_seed is True


def spec_run(name: str, features) -> Selection:
    """The selector called directly, bypassing the registry (same seed and defaults as the registry run)."""
    spec = selectors.get(name)
    params = {p.name: p.default for p in spec.params}
    if spec.uses_seed:
        params["seed"] = 3
    return spec.run(features, 7, **params)
