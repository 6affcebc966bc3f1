"""Named clusters: class-based TF-IDF by hand, and names of the sample's categories used as clusters."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from core.cluster_names import cluster_centres, ctfidf, name_clusters
from core.data import load_pool
from core.errors import SiftError


@pytest.fixture(scope="module")
def pool(sample_path):
    return load_pool(sample_path)


@pytest.fixture(scope="module")
def category_ids(pool):
    cats = sorted(set(pool.categories))
    return cats, np.array([cats.index(c) for c in pool.categories])


def test_ctfidf_by_hand():
    counts = np.array([[2, 0, 2], [0, 3, 1]], dtype=float)
    # A = 8 / 2 = 4; f = [2, 3, 3]; idf = log(1 + 4 / f); tf rows divided by 4.
    expect = np.array([[0.5 * np.log(3), 0, 0.5 * np.log(1 + 4 / 3)],
                       [0, 0.75 * np.log(1 + 4 / 3), 0.25 * np.log(1 + 4 / 3)]])
    np.testing.assert_allclose(ctfidf(counts), expect)


def test_label_names_are_characteristic(pool, category_ids):
    cats, ids = category_ids
    names = name_clusters(ids, label_sets=pool.tags, top_n=3)
    assert [n.cluster for n in names] == list(range(len(cats)))
    assert [n.size for n in names] == np.bincount(ids).tolist()
    for n in names:
        assert n.source == "labels" and len(n.terms) == 3 and list(n.scores) == sorted(n.scores, reverse=True)
        members = [pool.tags[i] for i in np.flatnonzero(ids == n.cluster)]
        inside = Counter(t for tags in members for t in set(tags))
        outside = Counter(t for i, tags in enumerate(pool.tags) if ids[i] != n.cluster for t in set(tags))
        top = n.terms[0]
        assert inside[top] >= 2
        # the top label is more common in its cluster (share of records) than in the rest of the pool
        assert inside[top] / n.size > outside[top] / (len(pool) - n.size)
    by_cat = {cats[n.cluster]: n for n in names}
    assert "translation" in by_cat["translation"].name


def test_word_names_without_labels(pool, category_ids):
    cats, ids = category_ids
    names = name_clusters(ids, texts=pool.texts("instruction"), top_n=4)
    by_cat = {cats[n.cluster]: n for n in names}
    assert names[0].source == "words"
    assert "translate" in by_cat["translation"].terms
    assert "classify" in by_cat["classification"].terms
    for n in names:
        members = [pool.texts("instruction")[i].lower() for i in np.flatnonzero(ids == n.cluster)]
        for term in n.terms:  # every naming word occurs in at least 2 of the cluster's records
            assert sum(term in t for t in members) >= 2


def test_empty_cluster_and_errors():
    names = name_clusters([0, 0, 2, 2], label_sets=[["a"], ["a", "b"], ["c"], ["c"]])
    assert [n.size for n in names] == [2, 0, 2]
    assert names[0].terms[0] == "a" and names[1].terms == () and names[1].name == "(no terms)"
    assert names[2].terms == ("c",)
    with pytest.raises(SiftError, match="labels or texts"):
        name_clusters([0, 1])
    with pytest.raises(SiftError, match="label sets"):
        name_clusters([0, 1], label_sets=[["a"]])


def test_cluster_centres_by_hand():
    xy = np.array([[0, 0], [2, 2], [4, 0], [10, 10], [12, 10]], dtype=float)
    got = cluster_centres(xy, [0, 0, 0, 2, 2])
    np.testing.assert_allclose(got[0], [2, 0])
    assert np.isnan(got[1]).all()
    np.testing.assert_allclose(got[2], [11, 10])
