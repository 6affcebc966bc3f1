"""The label-graph threshold: the auto rule (on the InsTag vocabulary and the sample's labels), the official 0.9
one flag away (fixtures), ``python -m core graph``, the manifests' recorded T, and the page's figures."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from core.cli import main
from core.errors import InputError
from core.label_graph import (AUTO_COVERAGE, AUTO_MAX_MEAN_DEGREE, AUTO_MAX_T, AUTO_MIN_T, OFFICIAL_THRESHOLD,
                              LabelGraph, auto_threshold, components, graph_stats, parse_threshold,
                              similarity_profile)

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "instructions.jsonl"
INSTAG = REPO.parent / "shared" / "data" / "instag_valid_tags.json"


def _array(value) -> np.ndarray:
    """A plotly figure array from to_dict() (plotly 6+ stores numpy arrays as base64 typed arrays)."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
    return np.asarray(value, dtype=float)


def dense_stats(emb: np.ndarray, threshold: float) -> tuple[int, float, float]:
    """(edges, mean degree, share with a neighbour) at ``threshold`` from the dense cosine matrix."""
    s = np.asarray(emb, dtype=np.float32) @ np.asarray(emb, dtype=np.float32).T
    np.fill_diagonal(s, -np.inf)
    linked = s >= threshold
    edges = int(np.triu(linked, 1).sum())
    return edges, 2.0 * edges / len(s), float(linked.any(axis=1).mean())


@pytest.fixture(scope="module")
def instag():
    """(sorted normalised InsTag vocabulary, its default-model embeddings); skips without ../shared."""
    if not INSTAG.is_file():
        pytest.skip("../shared/data/instag_valid_tags.json is not present")
    from core.embed import embed_texts
    from core.labels import load_whitelist

    vocab = sorted(load_whitelist(INSTAG))
    return vocab, embed_texts(vocab, batch_size=32)


@pytest.fixture(scope="module")
def sample_graph():
    """The sample's label graph with the default (auto) threshold, through the pipeline."""
    from core.data import load_pool
    from core.pipeline import build_features

    f = build_features(load_pool(SAMPLE))
    return f


def test_auto_threshold_on_instag_meets_the_target(instag):
    vocab, emb = instag
    t, rule = auto_threshold(emb)
    edges, mean_degree, share = dense_stats(emb, t)
    assert 2.0 <= mean_degree <= 12.0, (t, mean_degree)
    assert share >= 0.6, (t, share)
    assert AUTO_MIN_T <= t < OFFICIAL_THRESHOLD
    # the graph built with "auto" is exactly the graph at that T, and records T and the rule
    g = LabelGraph.from_embeddings(vocab, emb, "auto")
    assert g.threshold == t and g.threshold_rule == rule and rule.startswith("auto")
    assert g.n_edges == edges
    # the official value leaves almost every label alone with this model: the reason for the auto mode
    _, mean9, share9 = dense_stats(emb, OFFICIAL_THRESHOLD)
    assert share9 < 0.05 and mean9 < 0.1


def test_auto_threshold_rule_on_the_sample_labels(sample_graph):
    g = sample_graph.graph
    emb = g.embeddings
    t, rule = auto_threshold(emb)
    assert g.threshold == t and g.threshold_rule == rule
    assert AUTO_MIN_T <= t <= AUTO_MAX_T
    edges, mean_degree, share = dense_stats(emb, t)
    assert g.n_edges == edges > 0
    assert mean_degree <= AUTO_MAX_MEAN_DEGREE
    if t > AUTO_MIN_T:  # not clipped from below: the coverage target holds
        assert share >= AUTO_COVERAGE
    # T_cov is the largest 0.001 step that keeps the coverage: one step up would lose it (unless capped)
    nearest = (emb @ emb.T - 2 * np.eye(len(emb), dtype=np.float32)).max(axis=1)
    t_cov = float(rule.split("T_cov = ")[1].split()[0])
    assert np.mean(nearest >= t_cov) >= AUTO_COVERAGE > np.mean(nearest >= t_cov + 0.001)
    assert sample_graph.extra["graph_threshold"] == t
    assert sample_graph.extra["graph_threshold_rule"] == rule


def test_degree_cap_and_bounds_bind_on_near_duplicates():
    rng = np.random.default_rng(0)
    base = rng.normal(size=(1, 16))
    emb = base + 0.05 * rng.normal(size=(60, 16))  # 60 near-identical labels: every pair is very similar
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    t, rule = auto_threshold(emb, coverage=0.8, max_mean_degree=4.0, lo=0.0, hi=1.0)
    _, mean_degree, _ = dense_stats(emb, t)
    assert mean_degree <= 4.0 and "degree cap" in rule
    _, looser, _ = dense_stats(emb, t - 0.002)
    assert looser > mean_degree  # the cap picks (about) the loosest T that still fits
    t_hi, rule_hi = auto_threshold(emb, max_mean_degree=4.0, hi=0.9)  # the cap wants > 0.9: clipped
    assert t_hi == 0.9 and "clipped" in rule_hi
    assert auto_threshold(emb[:1])[0] == AUTO_MAX_T  # one label: nothing to measure


def test_similarity_profile_matches_dense_pairs(sample_graph):
    emb = sample_graph.graph.embeddings
    prof = similarity_profile(emb)
    k = len(emb)
    assert prof.counts.sum() == k * (k - 1)  # ordered pairs, diagonal excluded
    s = emb @ emb.T
    np.fill_diagonal(s, -np.inf)
    np.testing.assert_allclose(prof.nearest, s.max(axis=1), atol=1e-6)
    assert prof.mean_degree_at(0.6) == pytest.approx((s >= 0.6).sum() / k)


def test_parse_threshold():
    assert parse_threshold("auto") == "auto" and parse_threshold(" AUTO ") == "auto"
    assert parse_threshold("0.9") == 0.9 and parse_threshold(0.6) == 0.6
    for bad in ("high", "1.5", -2, float("nan"), True, None):
        with pytest.raises(InputError, match="threshold"):
            parse_threshold(bad)


def test_fixed_09_reproduces_the_official_graph(fixtures_dir):
    exp = json.loads((fixtures_dir / "mig_t0.9.json").read_text())["expected"]
    t = np.array(exp["W_triples"], dtype=np.float64)
    official = sp.csr_matrix((t[:, 2], (t[:, 0].astype(int), t[:, 1].astype(int))), shape=tuple(exp["W_shape"]))
    g = LabelGraph.from_labels(exp["labels"][::-1], threshold=parse_threshold("0.9"))
    assert g.labels == exp["labels"] and g.threshold == 0.9 and "official" in g.threshold_rule
    assert (g.weights != 0).sum() == official.nnz
    np.testing.assert_allclose(g.weights.toarray(), official.toarray(), atol=1e-6)
    # the default (auto) graph of the same labels is denser than the official one
    assert LabelGraph.from_labels(exp["labels"], threshold="auto").n_edges > g.n_edges


def _graph_json(capsys, *argv) -> dict:
    code = main(["graph", *argv, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def test_graph_cli_json_matches_a_direct_computation(capsys, sample_graph):
    g = sample_graph.graph
    data = _graph_json(capsys, str(SAMPLE))
    t, rule = auto_threshold(g.embeddings)
    edges, mean_degree, share = dense_stats(g.embeddings, t)
    assert data["labels"] == len(g.labels) == len(set(sample_graph.extra["labels"].vocabulary))
    assert data["threshold"] == t and data["threshold_rule"] == rule
    assert data["edges"] == edges and data["mean_degree"] == pytest.approx(mean_degree)
    assert data["share_with_neighbour"] == pytest.approx(share)
    sizes = [c["size"] for c in data["largest_components"]]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == np.bincount(components(g)).max()
    info = g.label_information(sample_graph.label_sets, sample_graph.quality)
    assert data["top_labels"][0]["label"] == g.labels[int(np.argmax(info))]
    assert data["information_total"] == pytest.approx(info.sum())
    # the official value, one flag away
    fixed = _graph_json(capsys, str(SAMPLE), "--threshold", "0.9")
    assert fixed["threshold"] == 0.9 and "official" in fixed["threshold_rule"]
    assert fixed["edges"] == dense_stats(g.embeddings, 0.9)[0] < data["edges"]


def test_graph_cli_vocab_and_bad_input(capsys, instag, tmp_path):
    vocab, emb = instag
    data = _graph_json(capsys, "--vocab", str(INSTAG))
    t, rule = auto_threshold(emb)
    edges, mean_degree, share = dense_stats(emb, t)
    assert data["labels"] == len(vocab) and data["threshold"] == t and data["edges"] == edges
    assert data["share_with_neighbour"] == pytest.approx(share) and "top_labels" not in data
    assert main(["graph"]) == 2 and "exactly one" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a list"}')
    assert main(["graph", "--vocab", str(bad)]) == 2
    assert main(["graph", "--vocab", str(INSTAG), "--threshold", "high"]) == 2
    assert "threshold" in capsys.readouterr().err


def test_manifest_records_the_threshold_used_and_its_rule(capsys, tmp_path, sample_graph):
    g = sample_graph.graph
    t, rule = auto_threshold(g.embeddings)
    for argv, want_t, want_rule in (([], t, rule), (["--threshold", "0.9"], 0.9, "fixed: T = 0.9 (official MIG value)")):
        out = tmp_path / f"mig{len(argv)}.jsonl"
        code = main(["select", str(SAMPLE), "--method", "mig", "--budget", "10", "-o", str(out), *argv])
        assert code == 0, capsys.readouterr().err
        manifest = json.loads((tmp_path / f"mig{len(argv)}.manifest.json").read_text())
        assert manifest["extra"]["graph_threshold"] == want_t
        assert manifest["extra"]["graph_threshold_rule"] == want_rule
        # MIG's own info carries them too (the app's manifests take it from there)
        assert manifest["extra"]["info"]["graph_threshold"] == want_t
        assert manifest["extra"]["info"]["graph_threshold_rule"] == want_rule


def test_graph_stats_on_a_hand_built_graph():
    w = sp.csr_matrix(np.array([[1, .8, 0, 0], [.8, 1, .7, 0], [0, .7, 1, 0], [0, 0, 0, 1]]))
    g = LabelGraph.from_weights(["a", "b", "c", "d"], w)
    s = graph_stats(g, np.array([1.0, 3.0, 2.0, 0.5]), top_labels=2)
    assert (s["labels"], s["edges"], s["max_degree"], s["isolated"], s["components"]) == (4, 2, 2, 1, 2)
    assert s["mean_degree"] == 1.0 and s["share_with_neighbour"] == 0.75
    assert s["largest_components"][0] == {"size": 3, "labels": ["b", "a", "c"]}
    assert [r["label"] for r in s["top_labels"]] == ["b", "c"]


# ------------------------------------------------------------------------------------------- page figures
def test_graph_figure_draws_the_edges_among_shown_labels(sample_graph):
    from ui.figures import component_colors, graph_figure, spring_positions

    g = sample_graph.graph
    shown = np.arange(len(g))
    xy = spring_positions(g, shown, seed=0)
    assert np.array_equal(xy, spring_positions(g, shown, seed=0))  # seeded
    info = g.label_information(sample_graph.label_sets, sample_graph.quality)
    fig = graph_figure(g, shown, xy, info, component_colors(components(g)), focus=int(np.argmax(g.degree))).to_dict()
    edges = next(t for t in fig["data"] if t.get("name") == "edges")
    x = _array(edges["x"]).astype(float)
    assert edges["mode"] == "lines" and len(x) == 3 * g.n_edges and np.isnan(x[2::3]).all()
    # every drawn segment joins two labels that are linked in the graph
    starts = {tuple(np.round(p, 9)) for p in np.column_stack([x[0::3], _array(edges["y"]).astype(float)[0::3]])}
    w = g.weights.tocoo()
    linked = {tuple(np.round(xy[i], 9)) for i, j in zip(w.row, w.col) if i < j}
    assert starts <= linked
    # force-directed: linked labels sit closer than random pairs
    r, c = w.row[w.row < w.col], w.col[w.row < w.col]
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, len(g), 500), rng.integers(0, len(g), 500)
    assert np.linalg.norm(xy[r] - xy[c], axis=1).mean() < 0.5 * np.linalg.norm(xy[a] - xy[b], axis=1).mean()
    assert any(t.get("name") == "focus edges" for t in fig["data"])
    nodes = next(t for t in fig["data"] if t.get("name") == "labels")
    assert len(set(nodes["marker"]["color"])) > 2  # components are told apart


def test_similarity_histogram_marks_t(sample_graph):
    from ui.figures import similarity_histogram

    prof = similarity_profile(sample_graph.graph.embeddings)
    t = sample_graph.graph.threshold
    fig = similarity_histogram(prof.counts, prof.edges, t).to_dict()
    assert any(s.get("type") == "line" and s["x0"] == t == s["x1"] for s in fig["layout"]["shapes"])
    linked = sample_graph.graph.n_edges
    assert f"{linked:,} pairs linked" in fig["layout"]["annotations"][0]["text"]
    k = len(sample_graph.graph)
    assert _array(fig["data"][0]["y"]).sum() <= k * (k - 1) // 2
