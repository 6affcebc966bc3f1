"""Labels as integer codes (core.features.LabelSets) end to end: the clean-up on codes gives what the record-by-record
rules give, V and H built from the codes equal the ones built from lists bit for bit, and MIG picks the same."""

from __future__ import annotations

import json
import pickle
from collections import Counter

import numpy as np
import pytest

from core.data import load_pool
from core.errors import InputError
from core.features import Features, LabelSets
from core.information import information_curve, label_information
from core.label_graph import LabelGraph
from core.labels import clean_label_codes, clean_labels, extract_labels, normalize_label
from core.selectors.mig import select


@pytest.fixture
def whitelist_path(fixtures_dir):
    path = fixtures_dir.parent / "data" / "instag_valid_tags.json"
    if not path.is_file():
        pytest.skip("../shared/data/instag_valid_tags.json is not present")
    return path


def fixture_pool(fixtures_dir, name="mig_t0.6.json"):
    data = json.loads((fixtures_dir / name).read_text())
    pool = data["inputs"]["pool"]
    return [p["labels"] for p in pool], np.array([p["score"] for p in pool])


def by_the_rules(label_sets, whitelist=None, min_freq=1):
    """The documented clean-up, one record and one tag at a time (normalise, whitelist, first occurrence kept,
    then labels on fewer than ``min_freq`` records dropped)."""
    out, not_listed, changed = [], {}, 0
    for labels in label_sets:
        row = []
        for tag in labels or ():
            norm = normalize_label(tag)
            changed += norm != tag
            if not norm:
                continue
            if whitelist is not None and norm not in whitelist:
                not_listed[norm] = not_listed.get(norm, 0) + 1
                continue
            if norm not in row:
                row.append(norm)
        out.append(row)
    records = {}
    for row in out:
        for t in row:
            records[t] = records.get(t, 0) + 1
    out = [[t for t in row if records[t] >= min_freq] for row in out]
    return out, not_listed, changed


def noisy(label_sets, seed=0):
    """The same labels with case, spacing, repeats, blanks and a few made-up tags, as raw data tags come."""
    rng = np.random.default_rng(seed)
    out = []
    for labels in label_sets:
        row = []
        for t in labels:
            r = rng.random()
            row.append(t.upper() if r < 0.1 else f"  {t} " if r < 0.2 else t.replace(" ", "  ") if r < 0.3 else t)
            if rng.random() < 0.1:
                row.append(t)  # a repeat
        if rng.random() < 0.05:
            row.append("   ")
        if rng.random() < 0.05:
            row.append(f"Unlisted  tag {rng.integers(4)}")  # outside InsTag's whitelist
        out.append(row if rng.random() > 0.03 else [])
    return out


def test_label_sets_read_like_lists():
    lists = [["b", "a"], [], ["c"], ["a", "a", "c"]]
    ls = LabelSets.from_lists(lists)
    assert len(ls) == 4 and ls == lists and list(ls) == lists
    assert ls[0] == ["b", "a"] and ls[-1] == ["a", "a", "c"] and ls[1] == []
    assert ls[1:3] == lists[1:3] and isinstance(ls[1:3], LabelSets)
    assert ls.take([3, 0]) == [lists[3], lists[0]]
    assert ls.lengths.tolist() == [2, 0, 1, 3]
    assert dict(zip(ls.vocabulary, ls.counts().tolist())) == {"b": 1, "a": 3, "c": 2}
    assert pickle.loads(pickle.dumps(ls)) == lists
    assert ls != [["b", "a"], [], ["c"], ["a", "c"]]
    with pytest.raises(IndexError):
        ls[4]
    with pytest.raises(ValueError):
        LabelSets(["a"], [0, 2], [0])  # indptr says two codes, one given


def test_features_subset_keeps_codes():
    ls = LabelSets.from_lists([["x"], ["y", "x"], []])
    sub = Features(n=3, label_sets=ls, quality=np.array([1.0, 2.0, 3.0])).subset([2, 1])
    assert isinstance(sub.label_sets, LabelSets) and sub.label_sets == [[], ["y", "x"]]


@pytest.mark.parametrize("min_freq", [1, 3])
def test_clean_label_codes_follow_the_record_by_record_rules(fixtures_dir, whitelist_path, min_freq):
    labels, _ = fixture_pool(fixtures_dir)
    raw = noisy(labels)
    whitelist = json.loads(whitelist_path.read_text())
    for valid in (None, whitelist):
        wl = None if valid is None else {normalize_label(t) for t in valid}
        want, not_listed, changed = by_the_rules(raw, wl, min_freq)
        coded = LabelSets.from_lists(raw)
        sets, report = clean_label_codes(coded.vocabulary, coded.indptr, coded.codes, valid_tags=valid,
                                         min_freq=min_freq, ids=[f"r{i}" for i in range(len(raw))])
        assert sets == want
        assert sets.vocabulary == sorted({t for row in want for t in row})
        assert report["normalised"] == changed and changed > 0
        assert list(report["not_whitelisted"].items()) == Counter(not_listed).most_common()  # ties: first seen
        assert (valid is None) == (not not_listed)
        assert report["empty_records"] == sum(1 for row in want if not row) > 0
        assert report["empty_examples"] == [f"r{i}" for i, row in enumerate(want) if not row][:20]
        lists, list_report = clean_labels(raw, valid_tags=valid, min_freq=min_freq,
                                          ids=[f"r{i}" for i in range(len(raw))])
        assert lists == want and list_report == report


def test_extract_labels_from_the_loader_codes(tmp_path, fixtures_dir):
    labels, score = fixture_pool(fixtures_dir)
    raw = noisy(labels, seed=1)
    path = tmp_path / "tagged.jsonl"
    path.write_text("".join(json.dumps({"instruction": f"task {i}", "output": "ok", "tags": t, "quality": float(s)})
                            + "\n" for i, (t, s) in enumerate(zip(raw, score))), encoding="utf-8")
    pool = load_pool(path)
    assert pool.tag_codes is not None
    result = extract_labels(pool, source="data")
    assert isinstance(result.label_sets, LabelSets)
    want, _, _ = by_the_rules(pool.tags)
    assert result.label_sets == want
    assert result.counts == {t: sum(t in row for row in want) for t in result.vocabulary}
    assert result.n_empty == sum(1 for row in want if not row)


def test_h_from_codes_equals_h_from_lists(fixtures_dir):
    labels, score = fixture_pool(fixtures_dir)
    vocab = sorted({t for row in labels for t in row})
    rng = np.random.default_rng(0)
    emb = rng.standard_normal((len(vocab), 16)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    graph = LabelGraph.from_embeddings(vocab, emb, 0.3)
    assert graph.n_edges > 0
    with_repeats = [row + row[:1] for row in labels]  # a label twice in a record counts once either way
    for sets in (labels, with_repeats):
        coded = LabelSets.from_lists(sets)
        for norm in (False, True):
            a = graph.propagate(sets, score, norm=norm)
            b = graph.propagate(coded, score, norm=norm)
            assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
            assert np.array_equal(a.data, b.data)  # bit for bit: the same summation order
    coded = LabelSets.from_lists(labels)
    sel_lists, sel_codes = select(labels, score, graph, 200), select(coded, score, graph, 200)
    assert sel_codes.indices.tolist() == sel_lists.indices.tolist()
    assert np.array_equal(sel_codes.gains, sel_lists.gains)
    order = sel_codes.indices[:50]
    assert np.array_equal(information_curve(coded, score, graph, order)[0],
                          information_curve(labels, score, graph, order)[0])
    assert np.array_equal(label_information(coded, score, graph, order), label_information(labels, score, graph, order))


def test_unknown_label_named_as_from_lists():
    graph = LabelGraph.from_weights(["a", "b"], np.eye(2))
    sets = [["a"], ["b", "zz", "yy"], ["yy"]]
    with pytest.raises(InputError) as from_lists:
        graph.vectorize(sets, [1.0, 1.0, 1.0])
    with pytest.raises(InputError) as from_codes:
        graph.vectorize(LabelSets.from_lists(sets), [1.0, 1.0, 1.0])
    assert str(from_codes.value) == str(from_lists.value)
    assert "record 1" in str(from_codes.value) and "'zz'" in str(from_codes.value)
