"""ui.figures on fig.to_dict(): traces, point counts, escaped hover text and names, axis titles, one palette.

The label-graph figures (graph_figure, similarity_histogram) are checked on the sample's graph in
tests/test_label_graph_threshold.py; here every other figure, on small hand-made inputs whose right answer is known.
"""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import pytest

from core.selection import Selection
from ui import figures as F
from ui.text import escape_md, hover, plural, short

HOSTILE = '<img src=x onerror=alert(1)> **bold** [link](http://evil)'


def _array(data) -> np.ndarray:
    """Plotly writes numpy arrays as typed arrays ({"dtype", "bdata"}); lists pass through."""
    if isinstance(data, dict) and "bdata" in data:
        arr = np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
        return arr.reshape([int(x) for x in str(data["shape"]).split(",")]) if "shape" in data else arr
    return np.asarray(data)


def _by_name(fig: dict, name: str) -> dict:
    return next(t for t in fig["data"] if t.get("name") == name)


def _sel(indices, method="m") -> Selection:
    idx = np.asarray(indices, dtype=np.int64)
    return Selection(idx, np.arange(len(idx), dtype=float), method=method, params={})


# ----------------------------------------------------------------------------------------------- palette
def test_one_palette_of_twenty_distinct_colours_and_the_tail_is_other():
    assert len(F.PALETTE) == 20 and len(set(F.PALETTE)) == 20 and F.OTHER_COLOR not in F.PALETTE
    order = [f"g{i}" for i in range(25)]
    colours = F.group_colors(order, {"g3": "#000000"})
    assert colours["g3"] == "#000000"
    distinct = [colours[g] for g in order if colours[g] != F.OTHER_COLOR]
    assert len(distinct) == 21 and len(set(distinct)) == 21  # 20 palette colours + the fixed one
    assert [g for g in order if colours[g] == F.OTHER_COLOR] == ["g21", "g22", "g23", "g24"]

    groups = [f"g{i % 25}" for i in range(100)] + ["(no label)"] * 3
    lumped, new_order = F.lump_tail(groups, order + ["(no label)"], keep=20, fixed=("(no label)",))
    assert new_order == order[:20] + ["(no label)", F.OTHER]
    assert int((lumped == F.OTHER).sum()) == 5 * 4  # g20..g24, four rows each
    assert int((lumped == "(no label)").sum()) == 3
    same, same_order = F.lump_tail(["a", "b"], ["a", "b"], keep=20)
    assert list(same) == ["a", "b"] and same_order == ["a", "b"]


# --------------------------------------------------------------------------------------------------- map
def test_maps_figure_one_panel_per_run_on_shared_axes():
    coords = np.random.default_rng(1).normal(size=(50, 2))
    runs = {"a <x>": _sel([1, 2, 3]), "b": _sel([4, 5])}
    texts = {i: hover(HOSTILE) for i in range(50)}
    fig = F.maps_figure(coords, runs, texts).to_dict()
    picks = [t for t in fig["data"] if t["name"] != "pool"]
    assert [t["name"] for t in picks] == ["a &lt;x&gt;", "b"]
    assert [len(_array(t["x"])) for t in picks] == [3, 2]
    assert all(len(_array(t["x"])) == 50 for t in fig["data"] if t["name"] == "pool")
    assert _array(picks[0]["text"]).tolist()[0].startswith("#1: ") and "<img" not in _array(picks[0]["text"])[0]
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["a &lt;x&gt; (3)", "b (2)"]
    assert fig["layout"]["xaxis"]["range"] == fig["layout"]["xaxis2"]["range"]


# -------------------------------------------------------------------------------------------- run curves
def test_run_curves_small_multiples_name_each_quantity_and_smooth_long_runs():
    n = 1000
    E = np.cumsum(np.linspace(2, 1, n))
    exact = np.diff(np.concatenate([[0.0], E]))
    score = np.linspace(456.0, 300.0, n)
    smoothed = np.convolve(exact, np.ones(21) / 21, mode="same")
    fig = F.run_curves_figure(E, [("exact gain E(S_k) - E(S_k-1)", exact, smoothed),
                                  ("MIG ranking score", score, None)]).to_dict()
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    assert titles == ["information E(S_k) of the first k picks", "exact gain E(S_k) - E(S_k-1)", "MIG ranking score"]
    names = [t["name"] for t in fig["data"]]
    assert names == ["E(S_k)", "exact gain E(S_k) - E(S_k-1)", "exact gain E(S_k) - E(S_k-1), smoothed",
                     "MIG ranking score"]
    assert all(t["type"] == "scatter" for t in fig["data"])  # no bars: nothing vanishes at k = 1000
    assert [t.get("yaxis", "y") for t in fig["data"]] == ["y", "y2", "y2", "y3"]  # one quantity per axis
    assert all(len(_array(t["x"])) == n for t in fig["data"])
    assert fig["data"][1]["mode"] == "lines"  # long run: a line, not 1000 markers
    assert np.allclose(_array(fig["data"][2]["y"]), smoothed)
    assert fig["layout"]["xaxis3"]["title"]["text"] == "picks k (budget)"
    assert fig["layout"]["yaxis"]["title"]["text"] == "E(S_k)"

    short_run = F.run_curves_figure(None, [("score", np.array([3.0, 2.0, 1.0]), None)]).to_dict()
    assert len(short_run["data"]) == 1 and short_run["data"][0]["mode"] == "lines+markers"
    assert [a["text"] for a in short_run["layout"]["annotations"]] == ["score"]


def test_trace_figure_one_marker_per_pull():
    trace = [{"step": s, "arm": s % 3, "reward": 0.1 * s, "picked": [s, s + 1]} for s in range(7)]
    fig = F.trace_figure(trace, "<quality>").to_dict()
    pulls = fig["data"][0]
    assert np.array_equal(_array(pulls["x"]), np.arange(7)) and np.array_equal(_array(pulls["y"]), np.arange(7) % 3)
    assert np.allclose(_array(pulls["marker"]["color"]), 0.1 * np.arange(7))
    assert pulls["marker"]["colorbar"]["title"]["text"] == "reward (&lt;quality&gt;)"
    assert "items picked 2" in pulls["text"][0]
    assert fig["layout"]["xaxis"]["title"]["text"] == "round (step)"


# ------------------------------------------------------------------------------------------------ compare
def test_budget_curves_share_one_x_range_mark_k_and_draw_the_baseline():
    curves = {"short": {"m": ([5, 10], [0.2, 0.3])}, "long <b>": {"m": ([5, 10, 100], [0.1, 0.2, 0.5])}}
    base = {"m": ([5, 10, 100], [0.05, 0.1, 0.2], [0.01, 0.02, 0.03])}
    fig = F.budget_curves_figure(curves, {"m": "Metric <m>"}, k=10, baseline=base).to_dict()
    assert fig["layout"]["xaxis"]["range"][0] == 0 and fig["layout"]["xaxis"]["range"][1] >= 100
    assert fig["layout"]["annotations"][0]["text"] == "Metric &lt;m&gt;"
    runs = {t["name"]: t for t in fig["data"] if t["name"] in ("short", "long &lt;b&gt;")}
    assert list(_array(runs["short"]["x"])) == [5, 10] and list(_array(runs["long &lt;b&gt;"]["x"])) == [5, 10, 100]
    band = _by_name(fig, "random ± sd")
    assert band["fill"] == "toself"
    assert np.allclose(_array(band["y"]), [0.06, 0.12, 0.23, 0.17, 0.08, 0.04])
    assert np.allclose(_array(_by_name(fig, "random (mean)")["y"]), [0.05, 0.1, 0.2])
    lines = [s for s in fig["layout"]["shapes"] if s["type"] == "line"]
    assert len(lines) == 1 and lines[0]["x0"] == lines[0]["x1"] == 10
    assert fig["layout"]["xaxis"]["title"]["text"] == "budget k (first k picks)"


def test_overlap_figure_writes_the_jaccard_values():
    m = pd.DataFrame([[1.0, 0.25], [0.25, 1.0]], index=["a", "<b>"], columns=["a", "<b>"])
    fig = F.overlap_figure(m).to_dict()
    heat = fig["data"][0]
    assert heat["type"] == "heatmap" and np.allclose(_array(heat["z"]), m.values)
    assert list(heat["x"]) == ["a", "&lt;b&gt;"] and heat["zmin"] == 0 and heat["zmax"] == 1


# ------------------------------------------------------------------------------------------------ novelty
def test_novelty_histogram_and_factor_scatter():
    v = np.array([0.1, 0.2, np.nan, 0.4])
    fig = F.histogram(v, "Novelty v_i", x_title="novelty v_i").to_dict()
    assert np.allclose(_array(fig["data"][0]["x"]), [0.1, 0.2, 0.4])  # NaN rows are not counted
    assert fig["layout"]["yaxis"]["title"]["text"] == "records"
    assert fig["layout"]["xaxis"]["title"]["text"] == "novelty v_i"

    d, rho = np.array([0.5, 0.6]), np.array([2.0, 3.0])
    fig = F.factor_scatter(d, rho, d * rho, [HOSTILE, "plain"]).to_dict()
    pts = fig["data"][0]
    assert np.allclose(_array(pts["x"]), d) and np.allclose(_array(pts["y"]), rho)
    assert np.allclose(_array(pts["marker"]["color"]), d * rho)
    assert "<img" not in pts["text"][0] and "&lt;img" in pts["text"][0]
    assert fig["layout"]["xaxis"]["title"]["text"].startswith("distance factor d_i")


# ------------------------------------------------------------------------------------------------- text
@pytest.mark.parametrize("count, word, expected", [(0, "edge", "0 edges"), (1, "edge", "1 edge"),
                                                   (2, "label", "2 labels"), (1000, "label", "1,000 labels"),
                                                   (1, "was", "1 was"), (3, "neighbour", "3 neighbours")])
def test_plural(count, word, expected):
    assert plural(count, word) == expected


def test_text_helpers_escape_and_cut():
    assert short("a\n b   c", 10) == "a b c" and short("x" * 20, 10) == "x" * 9 + "…" and short(None) == ""
    md = escape_md(HOSTILE)
    assert "\\<img" in md and "\\*\\*bold\\*\\*" in md and "\\[link\\]\\(http\\:" in md
    h = hover("word " * 40, limit=100, width=30)
    assert h.count("<br>") >= 2 and all(len(line) <= 30 for line in h.split("<br>"))
