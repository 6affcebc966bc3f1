"""Labels and the label graph kept in the workspace (core.workspace.derived through build_features(store=...)):
a second build reads them back (same label sets, same graph) without computing; another setting is another
entry; a damaged file is recomputed with a warning and rewritten; the CLI's features use the same store."""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pytest

from core.data import load_pool
from core.pipeline import build_features
from core.workspace import derived
from core.workspace.arrays import ArrayCacheWarning

SAMPLE = "sample_data/instructions.jsonl"


def _entries(root, kind):
    return sorted((root / "arrays" / kind).glob("*.npz"))


def _same_graph(a, b) -> None:
    assert a.labels == b.labels and a.threshold == b.threshold and a.threshold_rule == b.threshold_rule
    assert (a.weights != b.weights).nnz == 0
    np.testing.assert_array_equal(a.embeddings, b.embeddings)


@pytest.fixture(scope="module")
def pool():
    return load_pool(SAMPLE)


def test_labels_and_graph_are_read_back_not_recomputed(pool, tmp_path):
    root = tmp_path / "ws"
    first = build_features(pool, labels="data", need_embeddings=False, store=root)
    assert len(_entries(root, "labels")) == 1 and len(_entries(root, "label_graph")) == 1
    before = dict(derived.COUNTS)
    again = build_features(pool, labels="data", need_embeddings=False, store=root)
    assert derived.COUNTS.get("labels:read", 0) == before.get("labels:read", 0) + 1
    assert derived.COUNTS.get("label_graph:read", 0) == before.get("label_graph:read", 0) + 1
    assert derived.COUNTS.get("labels:computed", 0) == before.get("labels:computed", 0)
    assert first.extra["stored"] == {"labels": derived.COMPUTED, "graph": derived.COMPUTED}
    assert again.extra["stored"] == {"labels": derived.READ, "graph": derived.READ}
    assert again.label_sets == first.label_sets
    assert again.extra["labels"].vocabulary == first.extra["labels"].vocabulary
    assert again.extra["labels"].counts == first.extra["labels"].counts
    assert again.extra["labels"].report == first.extra["labels"].report
    _same_graph(again.graph, first.graph)
    assert again.extra["graph_threshold"] == first.extra["graph_threshold"]
    # the store gives what a build without it gives
    plain = build_features(pool, labels="data", need_embeddings=False)
    assert plain.label_sets == first.label_sets
    _same_graph(plain.graph, first.graph)


def test_another_threshold_is_another_graph_entry_same_labels(pool, tmp_path):
    root = tmp_path / "ws"
    build_features(pool, labels="data", need_embeddings=False, store=root)
    other = build_features(pool, labels="data", need_embeddings=False, graph_threshold=0.8, store=root)
    assert len(_entries(root, "labels")) == 1 and len(_entries(root, "label_graph")) == 2
    assert other.graph.threshold == pytest.approx(0.8)


def test_a_damaged_entry_is_recomputed_with_a_warning(pool, tmp_path):
    root = tmp_path / "ws"
    first = build_features(pool, labels="data", need_embeddings=False, store=root)
    (labels_file,) = _entries(root, "labels")
    (graph_file,) = _entries(root, "label_graph")
    labels_file.write_bytes(b"not an npz")
    with np.load(graph_file, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["indptr"] = arrays["indptr"][:-1]  # weights that do not fit the labels
    np.savez(graph_file, **arrays)
    with pytest.warns(ArrayCacheWarning) as caught:
        again = build_features(pool, labels="data", need_embeddings=False, store=root)
    text = " ".join(str(w.message) for w in caught)
    assert "labels" in text and "label_graph" in text
    assert again.label_sets == first.label_sets
    _same_graph(again.graph, first.graph)
    with warnings.catch_warnings():  # rewritten: the next read is clean
        warnings.simplefilter("error", ArrayCacheWarning)
        build_features(pool, labels="data", need_embeddings=False, store=root)


def test_labels_of_another_pool_are_not_reused(pool, tmp_path):
    root = tmp_path / "ws"
    build_features(pool, labels="data", need_embeddings=False, store=root)
    lines = open(SAMPLE, encoding="utf-8").read().splitlines()[:200]
    part = tmp_path / "part.jsonl"
    part.write_text("\n".join(lines) + "\n", encoding="utf-8")
    small = build_features(load_pool(str(part)), labels="data", need_embeddings=False, store=root)
    assert small.n == 200 and len(_entries(root, "labels")) == 2


def test_cli_features_use_the_workspace_store(pool, tmp_path, monkeypatch):
    from core.cli.options import features_from
    from core.defaults import DEFAULT_MODEL

    monkeypatch.setenv("SIFT_HOME", str(tmp_path / "home"))
    args = argparse.Namespace(model=DEFAULT_MODEL, view="instruction", turns="first", no_cache=False)
    features_from(args, pool, labels="data", need_embeddings=False)
    assert len(_entries(tmp_path / "home", "labels")) == 1
    assert len(_entries(tmp_path / "home", "label_graph")) == 1
    before = derived.COUNTS.get("labels:read", 0)
    features_from(args, pool, labels="data", need_embeddings=False)
    assert derived.COUNTS.get("labels:read", 0) == before + 1
    args.no_cache = True  # --no-cache: nothing read from or written to the store
    features_from(args, pool, labels="data", need_embeddings=False)
    assert derived.COUNTS.get("labels:read", 0) == before + 1
