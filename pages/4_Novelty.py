"""Novelty: NovelSum's per-sample novelty v_i as its two factors (distance and density), ranked, with a check that
one duplicate/template group does not dominate the top, and a neighbour inspector.

v_i = rho_i * d_i: d_i is the proximity-weighted mean cosine distance of record i to the pool (its row of
1 - cos sorted ascending, rank r weighted r^-1, so the nearest records count most); rho_i = (mean squared L2
distance to its 10 nearest pool records + 1e-9)^-0.5 is *larger in crowded regions* (Yang et al. 2025, arXiv
2502.17184). NovelSelect's greedy score uses the same pieces against the chosen set:
(1 - cos(x_i, x_j)) * (rho_i + rho_j). The pool is the reference; NovelSum of the pool is the mean of v_i.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.errors import SiftError
from ui import cached, shell, state
from ui.components import require
from ui.dedup_view import DOMINANCE_SHARE, DOMINANCE_TOP, dominance_warning, dominant_group
from ui.figures import PALETTE, factor_scatter, histogram
from ui.forms import persist
from ui.text import escape_md, short

shell.ensure_routed()

NEIGHBOURS = 10
INSPECT_CHOICES = 3000
SCATTER_POINTS = 5000  # seeded sample of points drawn in the factor scatter
EXPLAIN = ("**What the score rewards.** NovelSum novelty is v_i = d_i \u00d7 \u03c1_i. The *distance factor* d_i is "
           "the mean cosine distance (1 \u2212 cos) from record i to the pool, with the nearest records weighted "
           "most (rank r gets weight 1/r). The *density factor* \u03c1_i = (mean squared distance to its 10 nearest "
           "records)^\u22120.5 is **larger in crowded regions**, so a record scores high when it is far from most "
           "of the pool *and* sits in a dense cluster; a lone outlier gets a small \u03c1. NovelSelect picks "
           "greedily with the same factors against the records already chosen: (1 \u2212 cos(x_i, x_j)) "
           "\u00d7 (\u03c1_i + \u03c1_j) (Yang et al. 2025, arXiv 2502.17184; k = 10, \u03b2 = 0.5, \u03b1 = 1).")


def ranked_table(pool, v, rho, evaluated) -> None:
    st.subheader("Ranked records")
    c1, c2 = st.columns([2, 1])
    end = c1.radio("Show", ["most novel", "least novel (most redundant)"], horizontal=True, key="nv_end")
    count = c2.number_input("Rows", 10, 1000, 50, step=10, key="nv_rows")
    desc = evaluated[np.argsort(-v[evaluated], kind="stable")]
    k = min(int(count), len(desc))
    if end == "most novel":
        top, ranks = desc[:k], np.arange(1, k + 1)
    else:
        top, ranks = desc[::-1][:k], len(desc) - np.arange(k)
    ids, inst = pool.ids, pool.instructions
    st.dataframe(pd.DataFrame({
        "rank": ranks,
        "id": [ids[i] for i in top], "novelty v_i": v[top], "distance factor d_i": v[top] / rho[top],
        "density factor rho_i": rho[top],
        "instruction": [short(inst[i], 160) for i in top]}), hide_index=True, height=320,
        column_config={"novelty v_i": st.column_config.NumberColumn(format="%.4f"),
                       "distance factor d_i": st.column_config.NumberColumn(
                           format="%.4f", help="proximity-weighted mean cosine distance to the pool"),
                       "density factor rho_i": st.column_config.NumberColumn(
                           format="%.3f", help="higher = more crowded neighbourhood")})


def factor_points(pool, v, rho, evaluated) -> dict:
    """Arguments of ui.figures.factor_scatter for a seeded sample of SCATTER_POINTS evaluated records."""
    rows = evaluated
    if len(rows) > SCATTER_POINTS:
        rows = np.sort(np.random.default_rng(0).choice(rows, size=SCATTER_POINTS, replace=False))
    return {"distance": v[rows] / rho[rows], "density": rho[rows], "novelty": v[rows],
            "texts": [pool.instructions[i] for i in rows]}


def inspector(pool, feats, v, rho, evaluated) -> None:
    st.subheader("Inspect a record")
    order = evaluated[np.argsort(-v[evaluated], kind="stable")]
    rank_of = {int(i): r + 1 for r, i in enumerate(order)}
    ids = pool.ids
    choices = order[:INSPECT_CHOICES].tolist()
    persist("nv_record", choices[0])
    if st.session_state["nv_record"] not in rank_of:
        st.session_state["nv_record"] = choices[0]
    if st.session_state["nv_record"] not in choices:
        choices.append(st.session_state["nv_record"])
    row = st.selectbox("Record (ranked by novelty)", choices, key="nv_record",
                       format_func=lambda i: f"#{rank_of[i]} · {ids[i]} · {short(pool.instructions[i], 70)}")
    c = st.columns(4)
    c[0].metric("Novelty v_i", f"{v[row]:.4f}", help="distance factor x density factor")
    c[1].metric("Distance factor d_i", f"{v[row] / rho[row]:.4f}",
                help="proximity-weighted mean cosine distance to the pool: higher = farther from the rest")
    c[2].metric("Density factor rho_i", f"{rho[row]:.3f}", help="higher = in a crowded region (many close neighbours)")
    c[3].metric("Rank", f"{rank_of[row]:,} of {len(order):,}")
    st.caption(f"id {escape_md(ids[row])} · instruction")
    st.text(short(pool.instructions[row], 2000))
    with st.expander("Response"):
        st.text(short(pool.responses[row], 4000))
    X = feats.embeddings
    sims = X @ X[row]
    sims[row] = -np.inf
    nn = np.argpartition(-sims, min(NEIGHBOURS, len(sims) - 1))[:NEIGHBOURS] if len(sims) > 1 else np.array([], int)
    nn = nn[np.argsort(-sims[nn], kind="stable")]
    st.markdown(f"**{len(nn)} nearest neighbours** (cosine, whole pool)")
    st.dataframe(pd.DataFrame({
        "id": [ids[j] for j in nn], "cosine": sims[nn], "distance (1 - cos)": 1 - sims[nn],
        "novelty v_i": v[nn], "instruction": [short(pool.instructions[j], 140) for j in nn]}), hide_index=True,
        column_config={"cosine": st.column_config.NumberColumn(format="%.4f"),
                       "distance (1 - cos)": st.column_config.NumberColumn(format="%.4f"),
                       "novelty v_i": st.column_config.NumberColumn(format="%.4f")})


def colour_map_button() -> None:
    if st.button("Colour the map by novelty", icon=":material/scatter_plot:", key="nv_to_map"):
        st.session_state[state.MAP_COLOR_REQUEST] = "novelty"
        st.switch_page("pages/2_Map.py")


st.title("Novelty")
p = require(cached.pool)
f = require(cached.features)
try:
    parts = cached.novelty_parts()
except SiftError as exc:  # e.g. fewer than 11 distinct records: no 10 nearest neighbours to measure against
    st.info("Per-sample novelty is not available for this pool. It compares each record with its 10 nearest "
            f"distinct neighbours, so the pool needs at least 11 distinct records. ({escape_md(exc)})")
    st.stop()
v, rho, evaluated = parts.v, parts.rho, parts.rows
head, button = st.columns([3, 1.4])
head.markdown(EXPLAIN)
with button:
    colour_map_button()
if len(evaluated) < f.n:
    st.info(f"The pool has {f.n:,} records, beyond the exact limit: novelty is computed for a seeded sample of "
            f"{len(evaluated):,} records (each against the whole pool).")
m = st.columns(4)
m[0].metric("NovelSum of the pool" if len(evaluated) == f.n else "NovelSum (sample mean)",
            f"{np.nanmean(v):.4f}")
m[1].metric("Median novelty", f"{np.nanmedian(v):.4f}")
m[2].metric("Median density", f"{np.nanmedian(rho):.3f}")
m[3].metric("Records evaluated", f"{len(evaluated):,}")
ranked = evaluated[np.argsort(-v[evaluated], kind="stable")]
try:
    found = dominant_group(cached.duplicates(), ranked)
except SiftError:
    found = None
if found is not None:
    dominance_warning(found, p.instructions, "novelty")
else:
    st.caption(f"No duplicate or template group holds more than {DOMINANCE_SHARE:.0%} of the top "
               f"{DOMINANCE_TOP} records by novelty (core.dedup groups, Dataset page).")
st.plotly_chart(factor_scatter(**factor_points(p, v, rho, evaluated)), key="nv_factors", config={"displaylogo": False})
h1, h2 = st.columns(2)
h1.plotly_chart(histogram(v, "Novelty v_i", PALETTE[0], "novelty v_i"), key="nv_hist_v", config={"displaylogo": False})
h2.plotly_chart(histogram(rho, "Density factor rho_i", PALETTE[1], "density factor rho_i"), key="nv_hist_rho", config={"displaylogo": False})
ranked_table(p, v, rho, evaluated)
inspector(p, f, v, rho, evaluated)
