"""Every metric's declared direction holds on real records: a set of duplicates scores worse than a spread set.

The pool is built from the sample: one record repeated 20 times plus the 20 records k-center spreads over the
sample (their real embeddings, texts, labels and label graph; one quality for all, so only diversity differs).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from core import selectors
from core.data import load_pool
from core.metrics import REGISTRY, compute, glossary
from core.metrics.registry import ASPECTS
from core.pipeline import build_features

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "instructions.jsonl"
SIZE = 20


@pytest.fixture(scope="module")
def sample_features():
    return build_features(load_pool(SAMPLE))


@pytest.fixture(scope="module")
def duplicates_and_spread(sample_features):
    f = sample_features
    spread = selectors.run("kcenter", f, SIZE, seed=0).indices
    repeated = int(np.setdiff1d(np.arange(f.n), spread)[0])
    rows = np.concatenate([np.full(SIZE, repeated), spread])
    pool = replace(f.subset(rows), quality=np.ones(rows.size), extra={})
    return pool, np.arange(SIZE), np.arange(SIZE, 2 * SIZE)


def test_duplicates_score_worse_than_a_spread_set_on_every_metric(duplicates_and_spread):
    pool, dupes, spread = duplicates_and_spread
    for name, spec in REGISTRY.items():
        params = {"n_clusters": 10} if name == "partition_entropy" else {}
        worse, better = compute(name, pool, dupes, **params), compute(name, pool, spread, **params)
        if not spec.higher_is_better:
            worse, better = -worse, -better
        assert better > worse, (name, better, worse)


def test_a_tight_cluster_is_less_diverse_than_a_spread_set(sample_features):
    """On the sample itself: a record and its 19 nearest neighbours against k-center's 20 picks."""
    f = sample_features
    spread = selectors.run("kcenter", f, SIZE, seed=0).indices
    sims = f.embeddings @ f.embeddings[0]
    tight = np.argsort(-sims, kind="stable")[:SIZE]
    for name, spec in REGISTRY.items():
        if spec.aspect != "diversity":
            continue
        sign = 1 if spec.higher_is_better else -1
        assert sign * compute(name, f, spread) > sign * compute(name, f, tight), name


def test_glossary_gives_every_metric_a_direction_and_a_meaning():
    rows = glossary()
    assert [r["name"] for r in rows] == list(REGISTRY)
    for row in rows:
        assert row["aspect"] in ASPECTS and row["meaning"] and row["formula"] and row["citation"]
        assert row["direction"] == ("higher" if row["higher_is_better"] else "lower") + " = " + ASPECTS[row["aspect"]]
    assert glossary(["vendi"])[0]["label"] == "Vendi score"
