"""Map: the pool's embeddings in 2-D (UMAP), coloured by cluster, label, category, quality, novelty or selector.

Box or lasso selection on the map (or the picker under it, no mouse needed) sets the working subset, which is
listed, measured and exportable below.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import streamlit as st

from core.errors import SiftError
from ui import cached, shell, state
from ui.components import require, subset_panel
from ui.figures import OTHER_COLOR, PALETTE, indices_from_points, map_figure, sample_rows
from ui.forms import persist, valid_choice
from ui.text import escape_md, hover

shell.ensure_routed()

MAX_POINTS = 30_000
PICKED = "picked by "


@st.cache_data(max_entries=8, show_spinner=False)
def _hover_texts(key: str, rows: np.ndarray, _pool) -> list[str]:
    """Escaped hover text (id + truncated instruction) of the shown rows."""
    ids, inst = _pool.ids, _pool.instructions
    return [f"<b>{hover(ids[i], 40)}</b><br>{hover(inst[i])}" for i in rows.tolist()]


@st.cache_data(max_entries=8, show_spinner=False)
def _label_groups(key: str, top_n: int, _label_sets) -> tuple[list[str], list[str]]:
    """Per-row label for colouring: the row's most frequent pool label among the top ``top_n``, else 'other'."""
    counts = Counter(label for labels in _label_sets for label in set(labels))
    top = [label for label, _ in counts.most_common(top_n)]
    rank = {label: r for r, label in enumerate(top)}
    groups = []
    for labels in _label_sets:
        best = min((rank[lab] for lab in labels if lab in rank), default=None)
        groups.append(top[best] if best is not None else ("other" if labels else "(no label)"))
    return groups, top + ["other", "(no label)"]


def colour_options(pool, feats) -> list[str]:
    opts = ["cluster"]
    if feats.label_sets is not None:
        opts.append("label")
    if pool.categories is not None:
        opts.append("category")
    if feats.quality is not None:
        opts.append("quality")
    opts.append("novelty")
    opts += [PICKED + name for name in state.selections()]
    return opts


def colouring(choice: str, pool, feats, rows: np.ndarray, k: int, top_n: int) -> dict:
    """Keyword arguments of map_figure for colour choice ``choice`` on the shown ``rows``."""
    if choice == "cluster":
        c = cached.clusters(k)[rows]
        names = [f"cluster {i}" for i in range(k)]
        return {"groups": [names[i] for i in c], "order": names}
    if choice == "label":
        groups, order = _label_groups(state.embed_key(), top_n, feats.label_sets)
        return {"groups": [groups[i] for i in rows], "order": order,
                "colors": {"other": OTHER_COLOR, "(no label)": "#EEEEEE"}}
    if choice == "category":
        cats = [pool.categories[i] or "(none)" for i in rows]
        order = [c for c, _ in Counter(cats).most_common()]
        return {"groups": cats, "order": order}
    if choice == "quality":
        name = "quality ≈ proxy" if feats.quality_is_proxy else "quality"
        return {"values": feats.quality[rows], "value_name": name}
    if choice == "novelty":
        return {"values": cached.novelty()[rows], "value_name": "novelty v_i"}
    sel = state.selections()[choice[len(PICKED):]]
    groups = np.where(np.isin(rows, sel.indices), "picked", "not picked")
    return {"groups": groups, "order": ["not picked", "picked"],
            "colors": {"not picked": OTHER_COLOR, "picked": PALETTE[3]}}


def apply_chart_selection(event) -> None:
    """A new box/lasso selection on the chart becomes the working subset; clearing it clears a map subset."""
    sel = getattr(event, "selection", None) or {}
    points = sel.get("points", []) if hasattr(sel, "get") else []
    idx = indices_from_points(points)
    signature = hash(idx.tobytes()) if len(idx) else None
    ss = st.session_state
    if signature == ss.get("_map_sel_sig"):
        return
    ss["_map_sel_sig"] = signature
    if signature is not None:
        how = "lasso" if sel.get("lasso") else "box"
        state.set_working_subset(idx, f"a {how} selection on the map")
    elif state.working_subset_origin().endswith("on the map"):
        state.set_working_subset(None, "")


def picker(pool, feats, k: int) -> None:
    """Widget fallback: pick clusters, labels or categories (all rows, not only the shown sample)."""
    with st.expander("Pick a subset without the mouse", icon=":material/checklist:"):
        kinds = ["clusters"] + (["labels"] if feats.label_sets is not None else []) + \
                (["categories"] if pool.categories is not None else [])
        kind = st.radio("By", kinds, horizontal=True, key="map_pick_kind")
        if kind == "clusters":
            c = cached.clusters(k)
            counts = np.bincount(c, minlength=k)
            chosen = st.multiselect("Clusters", list(range(k)), key="map_pick_clusters",
                                    format_func=lambda i: f"cluster {i} ({counts[i]:,})")
            idx = np.flatnonzero(np.isin(c, chosen))
        elif kind == "labels":
            counts = Counter(label for labels in feats.label_sets for label in set(labels))
            chosen = st.multiselect("Labels (records with any of them)", [lab for lab, _ in counts.most_common()],
                                    key="map_pick_labels", format_func=lambda lab: f"{lab} ({counts[lab]:,})")
            wanted = set(chosen)
            idx = np.asarray([i for i, labels in enumerate(feats.label_sets) if not wanted.isdisjoint(labels)],
                             dtype=np.int64)
        else:
            counts = Counter(pool.categories)
            chosen = st.multiselect("Categories", [c for c, _ in counts.most_common()], key="map_pick_cats",
                                    format_func=lambda c: f"{c or '(none)'} ({counts[c]:,})")
            wanted = set(chosen)
            idx = np.asarray([i for i, c in enumerate(pool.categories) if c in wanted], dtype=np.int64)
        if st.button(f"Use these {len(idx):,} records as the working subset", key="map_pick_apply",
                     disabled=len(idx) == 0):
            state.set_working_subset(idx, f"the {kind} picker ({', '.join(map(str, chosen))[:80]})")


st.title("Map")
p = require(cached.pool)
f = require(cached.features)
xy_all = require(cached.coords)
n = len(p)

options = colour_options(p, f)
request = st.session_state.pop(state.MAP_COLOR_REQUEST, None)
if request in options:
    st.session_state["map_color"] = request
persist("map_color", "cluster")
valid_choice("map_color", options, "cluster")
persist("map_k", 8)
persist("map_topn", 10)
c1, c2, c3 = st.columns([2, 2, 2])
color_by = c1.selectbox("Colour by", options, key="map_color")
k = c2.slider("Clusters (k-means)", 2, 30, key="map_k")
top_n = c3.slider("Top labels", 3, 19, key="map_topn", disabled=color_by != "label")

keep = state.working_subset() if state.working_subset() is not None else ()
rows = sample_rows(n, MAX_POINTS, seed=0, keep=keep if len(keep) <= MAX_POINTS else ())
if len(rows) < n:
    st.caption(f"Showing a seeded sample of {len(rows):,} of {n:,} points; the picker below and every measure and "
               "export cover all rows.")
try:
    kwargs = colouring(color_by, p, f, rows, k, top_n)
except SiftError as exc:  # e.g. no novelty on a pool of fewer than 11 distinct records: fall back to clusters
    st.warning(escape_md(f"Cannot colour by {color_by} on this pool: {exc}. Showing clusters instead."))
    kwargs = require(colouring, "cluster", p, f, rows, k, top_n)
fig = map_figure(xy_all[rows], rows, _hover_texts(f"{state.pool_key()}|{len(rows)}", rows, p), **kwargs)
event = st.plotly_chart(fig, key="map_chart", on_select="rerun", selection_mode=("box", "lasso"),
                        config={"displaylogo": False})
apply_chart_selection(event)
st.caption("Drag a box or a lasso (toolbar, top right) to make the points the working subset; double-click to "
           "clear.")
picker(p, f, k)
st.divider()
subset_panel(p, f, state.features_key(), key="map_ws")
