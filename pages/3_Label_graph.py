"""Label graph: MIG's labels as nodes (size = information in the pool), edges where label cosine >= T.

T is the sidebar's (one threshold for this page and every selector; this page's control sets it): "auto"
(core.label_graph.auto_threshold) or a fixed cosine. The graph is drawn with a seeded force-directed layout,
coloured by connected component (or by the labels a selection covers); a histogram shows every label pair's
cosine with T marked. Search a label to see its neighbours; pick one to list its records.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.features import GRAPH, LABELS, QUALITY
from core.label_graph import components, graph_stats, similarity_profile
from ui import cached, shell, state
from ui.components import require
from ui.figures import (COMPONENT_COLORS, PALETTE, component_colors, graph_figure, similarity_histogram,
                        spring_positions)
from ui.forms import persist, valid_choice
from ui.text import escape_md, plural, short

shell.ensure_routed()

MAX_SHOWN = 800
TEXT_LABELS = 30
COVERED, NOT_COVERED = PALETTE[2], "#C8C8C8"


@st.cache_data(max_entries=16, show_spinner="Measuring label information ...")
def _information(key: str, _graph, _label_sets, _quality) -> np.ndarray:
    """phi(z_k) per label of the whole pool (MIG defaults)."""
    return np.asarray(_graph.label_information(_label_sets, _quality), dtype=np.float64)


@st.cache_data(max_entries=16, show_spinner="Laying out the graph ...")
def _layout(key: str, _graph, shown: tuple) -> np.ndarray:
    """Seeded force-directed positions of the shown labels (``key`` names the graph)."""
    return spring_positions(_graph, np.asarray(shown, dtype=np.int64), seed=0)


@st.cache_data(max_entries=8, show_spinner="Measuring label-pair similarities ...")
def _profile(key: str, _embeddings):
    """Histogram of label-pair cosines (the threshold does not change it)."""
    prof = similarity_profile(_embeddings)
    return prof.counts, prof.edges


def covered_labels(label_sets, indices) -> set:
    return {label for i in indices for label in label_sets[i]}


def _set_sidebar_threshold() -> None:
    st.session_state[state.K_THRESHOLD] = st.session_state["lg_threshold"]


def threshold_control(container) -> None:
    """This page's T control: mirrors the sidebar value and sets it (callback), so there is one threshold."""
    st.session_state["lg_threshold"] = state.settings().threshold
    valid_choice("lg_threshold", list(state.THRESHOLD_CHOICES), state.THRESHOLD_AUTO)
    container.select_slider("Threshold T (cosine)", state.THRESHOLD_CHOICES, key="lg_threshold",
                            on_change=_set_sidebar_threshold,
                            format_func=lambda t: t if isinstance(t, str) else f"{t:.2f}",
                            help="The sidebar threshold (this control sets it): every selector uses the same T. "
                                 "auto picks T from the label similarities of the model; 0.90 is MIG's value.")


def coverage_source(feats) -> tuple[str, object]:
    """The coverage picker; returns (name, indices or None)."""
    options = ["(nothing)"]
    if state.working_subset() is not None:
        options.append("working subset")
    options += list(state.selections())
    persist("lg_cover", "(nothing)")
    valid_choice("lg_cover", options, "(nothing)")
    name = st.selectbox("Colour: labels covered by", options, key="lg_cover")
    if name == "(nothing)":
        return name, None
    if name == "working subset":
        return name, state.working_subset()
    return name, state.selections()[name].indices


def neighbours_panel(graph, info, covered, query: str):
    """Matches of ``query``; the first match becomes the focus; returns its label index (or None)."""
    q = query.strip().lower()
    if not q:
        return None
    matches = [k for k, lab in enumerate(graph.labels) if q in lab.lower()]
    if not matches:
        st.warning(f"No label contains “{escape_md(short(query, 60))}”.")
        return None
    exact = [k for k in matches if graph.labels[k].lower() == q]
    matches.sort(key=lambda k: -info[k])
    focus = exact[0] if exact else matches[0]
    if len(matches) > 1:
        st.caption(f"{len(matches):,} labels match; showing “{escape_md(short(graph.labels[focus], 60))}”. Others: "
                   + escape_md(", ".join(short(graph.labels[k], 30) for k in matches[:12] if k != focus)))
    nb = graph.neighbors(graph.labels[focus])
    st.markdown(f"**{escape_md(short(graph.labels[focus], 80))}**: {plural(len(nb), 'neighbour')} "
                f"at T = {graph.threshold:.3f}")
    if nb:
        st.dataframe(pd.DataFrame({
            "neighbour": [lab for lab, _ in nb], "weight (cosine)": [w for _, w in nb],
            "information": [info[graph.index[lab]] for lab, _ in nb],
            **({"covered": [lab in covered for lab, _ in nb]} if covered is not None else {}),
        }), hide_index=True, height=min(36 * (len(nb) + 1) + 2, 300))
    return focus


def label_records(pool, feats, graph, info) -> None:
    st.subheader("Records of a label")
    order = np.argsort(-info, kind="stable")[:5000]
    labels = [graph.labels[k] for k in order]
    label = st.selectbox("Label", labels, key="lg_pick", index=None, placeholder="Pick a label (by information)")
    if label is None:
        return
    idx = np.asarray([i for i, ls in enumerate(feats.label_sets) if label in ls], dtype=np.int64)
    st.caption(f"{plural(len(idx), 'record')} {'carries' if len(idx) == 1 else 'carry'} “{escape_md(short(label, 60))}” · "
               f"information {info[graph.index[label]]:.3f}")
    st.dataframe(pool.subset(idx[:1000]).to_frame(max_chars=160), hide_index=True, height=280)
    if len(idx) and st.button(f"Use these {plural(len(idx), 'record')} as the working subset", key="lg_use"):
        state.set_working_subset(idx, f"the label “{short(label, 40)}”")
        st.success("Working subset set: see it on the Map page.")


def stats_header(graph, stats: dict) -> None:
    """T in use with its rule, then the graph statistics (core.label_graph.graph_stats)."""
    how = "auto" if state.settings().threshold == state.THRESHOLD_AUTO else "fixed"
    st.markdown(f"**T = {graph.threshold:.3f}** ({how}) · {escape_md(stats['threshold_rule'])}")
    cols = st.columns(5)
    cols[0].metric("Labels", f"{stats['labels']:,}")
    cols[1].metric("Edges", f"{stats['edges']:,}", help="label pairs with cosine >= T (a label with itself "
                                                       "is not counted)")
    cols[2].metric("Mean degree", f"{stats['mean_degree']:.2f}", help="2 x edges / labels")
    cols[3].metric("Labels with a neighbour", f"{stats['share_with_neighbour']:.0%}")
    cols[4].metric("Components", f"{stats['components']:,}",
                   help=f"{plural(stats['isolated'], 'label')} {'has' if stats['isolated'] == 1 else 'have'} no neighbour")


st.title("Label graph")
p = require(cached.pool)
f, _ = require(cached.features_for, (LABELS, QUALITY, GRAPH))  # no wait for embeddings when the data has tags
if f.graph is None or f.label_sets is None:
    st.info("This pool has no labels, so there is no label graph. Add a 'tags' column (or MIG/InsTag "
            "annotations), or let the app tag records automatically (the default when the data has no tags).")
    st.stop()

st.caption("MIG's label graph (arXiv 2504.13835): one node per label, an edge where two labels' embeddings have "
           "cosine >= T. Information is phi(sum of quality-weighted label mass), phi(x) = x^0.8: labels that many "
           "good records carry weigh more, with diminishing returns.")
c1, c2, c3 = st.columns([2, 2, 2])
threshold_control(c1)
g = f.graph
tkey = f"{state.embed_key()}|T={g.threshold:.4f}"
quality = f.quality if f.quality is not None else np.ones(f.n)
info = _information(tkey, g, f.label_sets, quality)
stats = graph_stats(g, info)
stats_header(g, stats)
K = len(g.labels)
if K > 10:
    persist("lg_top", min(150, K))
    st.session_state["lg_top"] = min(st.session_state["lg_top"], min(K, MAX_SHOWN))
    top = c2.slider("Labels shown (top by information)", 10, min(K, MAX_SHOWN), key="lg_top")
else:
    top = K
with c3:
    cover_name, cover_idx = coverage_source(f)
covered = covered_labels(f.label_sets, cover_idx) if cover_idx is not None else None

query = st.text_input("Find a label", key="lg_search", placeholder="e.g. python")
left, right = st.columns([5, 2]) if query.strip() else (st.container(), None)
focus = None
if right is not None:
    with right:
        focus = neighbours_panel(g, info, covered, query)
shown = np.argsort(-info, kind="stable")[:top]
if focus is not None and focus not in shown:
    shown = np.append(shown, focus)
comp = components(g)
if covered is None:
    colors = component_colors(comp[shown])
else:
    colors = [COVERED if g.labels[k] in covered else NOT_COVERED for k in shown]
xy = _layout(tkey, g, tuple(int(k) for k in shown))
fig = graph_figure(g, shown, xy, info, colors, focus=focus, text_labels=TEXT_LABELS)
with left:
    st.plotly_chart(fig, key="lg_chart", config={"displaylogo": False})
shown_edges = int(np.count_nonzero(~np.isnan(np.asarray(fig.data[0].x, dtype=float)))) // 2
caption = (f"{plural(K, 'label')} · {plural(g.n_edges, 'edge')} at T = {g.threshold:.3f} · pool information "
           f"E = {info.sum():.2f} · showing the top {len(shown):,} by information and the "
           f"{plural(shown_edges, 'edge')} among them")
if covered is not None:
    n_cov = sum(1 for lab in g.labels if lab in covered)
    caption += f" · {escape_md(cover_name)} covers {n_cov:,} of {plural(K, 'label')} ({n_cov / K:.0%})"
colour_note = ("colour: the largest connected components (grey: smaller ones and isolated labels)"
               if covered is None else "colour: covered (green) or not (grey)")
st.caption(caption + f". Node size: information of the label in the pool; layout: force-directed (seed 0); "
           f"{colour_note}.")
kept = f.extra.get("stored") or {}
if kept:
    st.caption("Workspace: " + " · ".join(f"{what} {how}" for what, how in
                                           (("labels", kept.get("labels")), ("label graph", kept.get("graph")))
                                           if how) + " (kept in $SIFT_HOME for later sessions and the CLI).")

hist, comps = st.columns([3, 2])
with hist:
    st.subheader("Label-pair similarity")
    if g.embeddings is not None:
        counts, bin_edges = _profile(state.embed_key(), g.embeddings)
        st.plotly_chart(similarity_histogram(counts, bin_edges, g.threshold), key="lg_hist",
                        config={"displaylogo": False})
        st.caption("Cosine of every pair of distinct labels (log scale); pairs right of the dashed line T are edges.")
    else:
        st.caption("This graph came without label embeddings, so there is no similarity histogram.")
with comps:
    st.subheader("Largest components")
    st.dataframe(pd.DataFrame({
        "colour": [COMPONENT_COLORS[i] if c["size"] > 1 and i < len(COMPONENT_COLORS) else "grey"
                   for i, c in enumerate(stats["largest_components"])],
        "labels": [c["size"] for c in stats["largest_components"]],
        "best-connected labels": [", ".join(c["labels"]) for c in stats["largest_components"]],
    }), hide_index=True)
label_records(p, f, g, info)
