"""Figures of the label graph page as pure functions returning ``go.Figure`` (no Streamlit; tested on to_dict()).

Layout: a seeded force-directed layout (Fruchterman-Reingold, edge weight = cosine) of the labels shown.
Colour: connected component (the largest ones get their own colour, the rest share grey) or coverage by a set.
Label text is untrusted: it is HTML-escaped before it goes into hover text or node names.
"""

from __future__ import annotations

import html
from typing import Optional, Sequence

import numpy as np
import plotly.graph_objects as go

from ui.widgets import OTHER_COLOR, PALETTE, short

EDGE_COLOR, HIGHLIGHT = "#B0B0B0", PALETTE[3]
COMPONENT_COLORS = tuple(c for c in PALETTE if c != HIGHLIGHT)[:10]


def edges_among(graph, shown: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, cols, weights) of the edges between shown labels (positions within ``shown``), upper triangle."""
    sub = graph.weights[np.asarray(shown)][:, np.asarray(shown)].tocoo()
    keep = sub.row < sub.col
    return sub.row[keep], sub.col[keep], sub.data[keep]


def spring_positions(graph, shown: np.ndarray, *, seed: int = 0, iterations: int = 60,
                     gravity: float = 0.2) -> np.ndarray:
    """2-D positions (len(shown) x 2, in [-1, 1]) of the shown labels: a seeded force-directed layout.

    Fruchterman-Reingold on the subgraph of the shown labels (attraction along edges, scaled by the cosine
    weight; repulsion between every pair; linear cooling), dense in numpy, so O(n^2) memory for n shown labels.
    ``gravity`` (default 0.2) pulls every label toward the centre, so isolated labels do not fly off and squash
    the clusters into dots when the picture is rescaled. Deterministic for a ``seed`` (default 0).
    """
    shown = np.asarray(shown, dtype=np.int64)
    n = len(shown)
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, size=(n, 2)).astype(np.float32)
    if n < 2:
        return np.zeros((n, 2), dtype=np.float64)
    r, c, w = edges_among(graph, shown)
    adj = np.zeros((n, n), dtype=np.float32)
    adj[r, c] = w
    adj[c, r] = w
    k = np.float32(1.0 / np.sqrt(n))
    t = 0.2
    dt = t / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.sqrt((delta ** 2).sum(axis=-1)), 0.01)
        force = k * k / dist ** 2 - adj * dist / k
        disp = np.einsum("ijk,ij->ik", delta, force) - np.float32(gravity * n * k) * pos
        length = np.maximum(np.sqrt((disp ** 2).sum(axis=1)), 0.01)
        pos += disp * (t / length)[:, None]
        t -= dt
    pos = pos - pos.mean(axis=0)
    scale = float(np.abs(pos).max()) or 1.0
    return (pos / scale).astype(np.float64)


def component_colors(comp: np.ndarray, n_colors: int = len(COMPONENT_COLORS)) -> list[str]:
    """One colour per label: components ranked 0.. by size get the palette, the rest and singletons grey."""
    sizes = np.bincount(comp) if len(comp) else np.zeros(0, dtype=np.int64)
    return [COMPONENT_COLORS[c] if c < n_colors and sizes[c] > 1 else OTHER_COLOR for c in comp]


def graph_figure(graph, shown: np.ndarray, xy: np.ndarray, info: np.ndarray, colors: Sequence[str], *,
                 focus: Optional[int] = None, text_labels: int = 30, height: int = 640) -> go.Figure:
    """Edges among ``shown`` labels as one line trace ("edges"), labels as one marker trace ("labels").

    ``xy`` holds the positions of ``shown`` (same order); ``info`` is per label of the whole graph (node size);
    the ``text_labels`` first shown labels are named; ``focus`` (a label index among ``shown``) is ringed with
    its shown neighbours.
    """
    shown = np.asarray(shown, dtype=np.int64)
    r, c, _ = edges_among(graph, shown)
    nan = np.full(len(r), np.nan)
    ex = np.column_stack([xy[r, 0], xy[c, 0], nan]).ravel()
    ey = np.column_stack([xy[r, 1], xy[c, 1], nan]).ravel()
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", line={"width": 0.7, "color": EDGE_COLOR},
                             hoverinfo="skip", showlegend=False, name="edges"))
    top = float(info[shown].max()) if len(shown) else 0.0
    size = 6 + 30 * np.sqrt(np.clip(info[shown], 0, None) / max(top, 1e-12))
    degree = graph.degree
    hover = [f"<b>{html.escape(short(graph.labels[k], 60))}</b><br>information {info[k]:.3f}<br>"
             f"{degree[k]} neighbours" for k in shown]
    names = [html.escape(short(graph.labels[k], 24)) if rank < text_labels else "" for rank, k in enumerate(shown)]
    fig.add_trace(go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="markers+text", text=names, textposition="top center",
                             textfont={"size": 10}, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
                             customdata=shown, showlegend=False, name="labels",
                             marker={"size": size, "color": list(colors), "line": {"width": 0.5, "color": "white"}}))
    if focus is not None and focus in set(shown.tolist()):
        where = {int(k): p for p, k in enumerate(shown)}
        fpos = where[int(focus)]
        nb = [where[graph.index[lab]] for lab, _ in graph.neighbors(graph.labels[focus]) if graph.index[lab] in where]
        if nb:
            hx = np.column_stack([np.full(len(nb), xy[fpos, 0]), xy[nb, 0], np.full(len(nb), np.nan)]).ravel()
            hy = np.column_stack([np.full(len(nb), xy[fpos, 1]), xy[nb, 1], np.full(len(nb), np.nan)]).ravel()
            fig.add_trace(go.Scatter(x=hx, y=hy, mode="lines", line={"width": 2, "color": HIGHLIGHT},
                                     hoverinfo="skip", showlegend=False, name="focus edges"))
        ring = [fpos] + nb
        fig.add_trace(go.Scatter(
            x=xy[ring, 0], y=xy[ring, 1], mode="markers+text", showlegend=False, hoverinfo="skip", name="focus",
            text=[html.escape(short(graph.labels[shown[p]], 30)) for p in ring], textposition="bottom center",
            textfont={"color": HIGHLIGHT, "size": 11},
            marker={"size": [30] + [18] * len(nb), "symbol": "circle-open", "color": HIGHLIGHT,
                    "line": {"width": 2.5}}))
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10}, uirevision="labels",
                      xaxis={"visible": False}, yaxis={"visible": False}, plot_bgcolor="white")
    return fig


def similarity_histogram(counts: np.ndarray, edges: np.ndarray, threshold: float, *, coarsen: int = 10,
                         lo: float = -0.2) -> go.Figure:
    """Histogram of label-pair cosines (``counts`` of ordered pairs over bin ``edges``, as in
    ``core.label_graph.SimilarityProfile``) from ``lo`` up, in bins of ``coarsen`` source bins, with T marked."""
    counts = np.asarray(counts, dtype=np.int64)
    k = len(counts) // coarsen * coarsen
    merged = counts[:k].reshape(-1, coarsen).sum(axis=1) // 2  # unordered pairs
    left = np.asarray(edges)[:k:coarsen]
    width = float(edges[coarsen] - edges[0])
    keep = left >= lo - 1e-9
    linked = int(counts[int(np.searchsorted(edges, threshold - 1e-9)):].sum() // 2)
    fig = go.Figure(go.Bar(x=left[keep] + width / 2, y=merged[keep], width=width, name="label pairs",
                           marker={"color": PALETTE[0]}, hovertemplate="cosine %{x:.2f}: %{y:,} pairs<extra></extra>"))
    fig.add_vline(x=float(threshold), line={"color": HIGHLIGHT, "width": 2, "dash": "dash"})
    fig.add_annotation(x=float(threshold), y=1, yref="paper", showarrow=False, xanchor="left", yanchor="top",
                       text=f" T = {threshold:.3f}: {linked:,} pairs linked", font={"color": HIGHLIGHT})
    fig.update_layout(height=260, margin={"l": 10, "r": 10, "t": 10, "b": 30}, bargap=0, showlegend=False,
                      xaxis={"title": "cosine of a label pair"}, yaxis={"title": "pairs", "type": "log"})
    return fig
