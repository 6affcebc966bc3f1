"""Every plotly figure of the app, as pure functions: data in, ``go.Figure`` out (BERTopic's plotting style).

No streamlit here: pages only arrange widgets and these figures, and ``tests/test_figures.py`` checks each one on
``fig.to_dict()``. One palette (:data:`PALETTE`, 20 distinct colours; groups past it share :data:`OTHER_COLOR` as
"other"). Dataset text is untrusted: it reaches hover labels, names and titles only through ``ui.text`` escaping.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from ui.text import PREVIEW_CHARS, hover, html_text, short

#: Tableau 10 in Vega's order (the first ten groups; plotly's T10 holds the same colours), then ten of plotly's
#: Dark24 whose hues differ from those: 20 distinct colours.
TABLEAU10 = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#EECA3B", "#B279A2", "#FF9DA6", "#9D755D",
             "#BAB0AC")
PALETTE: tuple[str, ...] = TABLEAU10 + tuple(qualitative.Dark24[i] for i in (19, 11, 14, 16, 10, 4, 6, 22, 18, 9))
OTHER_COLOR = "#D0D0D0"
OTHER = "other"
BACKGROUND = "#c9ccd1"
MAX_BACKGROUND_POINTS = 6000
#: Per-pick series longer than this are drawn as a thin line (bars or markers would be under a pixel wide).
MARKERS_UP_TO = 200


def color_of(i: int) -> str:
    """The palette colour of group or run number ``i`` (cycles past the palette; see :func:`group_colors`)."""
    return PALETTE[i % len(PALETTE)]


def group_colors(order: Sequence[str], fixed: Optional[Mapping[str, str]] = None) -> dict[str, str]:
    """A colour per group in ``order``: ``fixed`` first, then the palette; groups past the palette get "other"."""
    fixed = dict(fixed or {})
    out, i = {}, 0
    for name in order:
        if name in fixed:
            out[name] = fixed[name]
        elif i < len(PALETTE):
            out[name] = PALETTE[i]
            i += 1
        else:
            out[name] = OTHER_COLOR
    return out


def lump_tail(groups: Sequence[str], order: Sequence[str], keep: int = len(PALETTE),
              fixed: Sequence[str] = ()) -> tuple[np.ndarray, list[str]]:
    """(groups, order) with every group after the first ``keep`` of ``order`` renamed "other" (``fixed`` groups,
    e.g. "(no label)", are kept and not counted), so a legend never runs out of distinct colours."""
    order = list(order)
    ranked = [g for g in order if g not in fixed]
    kept = set(ranked[:keep]) | set(fixed)
    g = np.asarray(groups, dtype=object)
    if len(ranked) <= keep:
        return g, order
    g = np.where(np.isin(g, list(kept)), g, OTHER).astype(object)
    new_order = [x for x in order if x in kept and x != OTHER] + [OTHER]
    return g, new_order


def _style(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), template="plotly_white",
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return fig


# ---------------------------------------------------------------------------------------------------- the map

def maps_figure(coords: np.ndarray, selections: Mapping[str, Any], hover_texts: Mapping[int, str],
                seed: int = 0) -> go.Figure:
    """Small multiples of the map with shared axes: the pool in grey, each selection's picks coloured.

    ``selections`` maps a run name to anything with ``.indices`` (pick order); ``hover_texts`` maps a pool row to
    its already escaped hover text (see :func:`ui.text.hover`).
    """
    names = list(selections)
    cols = max(1, len(names))
    fig = make_subplots(rows=1, cols=cols, shared_xaxes=True, shared_yaxes=True,
                        subplot_titles=[html_text(f"{n} ({len(selections[n].indices)})") for n in names],
                        horizontal_spacing=0.02)
    n = len(coords)
    back = np.arange(n)
    if n > MAX_BACKGROUND_POINTS:
        back = np.sort(np.random.default_rng(seed).choice(n, MAX_BACKGROUND_POINTS, replace=False))
    pad_x = (coords[:, 0].max() - coords[:, 0].min()) * 0.04 + 1e-9
    pad_y = (coords[:, 1].max() - coords[:, 1].min()) * 0.04 + 1e-9
    for c, name in enumerate(names, start=1):
        fig.add_trace(go.Scatter(x=coords[back, 0], y=coords[back, 1], mode="markers",
                                 marker=dict(color=BACKGROUND, size=4), hoverinfo="skip",
                                 showlegend=False, name="pool"), row=1, col=c)
        idx = np.asarray(selections[name].indices)
        fig.add_trace(go.Scatter(
            x=coords[idx, 0], y=coords[idx, 1], mode="markers", name=html_text(name),
            marker=dict(color=color_of(c - 1), size=7, line=dict(width=0.5, color="white")),
            text=[f"#{r + 1}: {hover_texts[int(i)]}" for r, i in enumerate(idx)], hoverinfo="text",
            showlegend=False), row=1, col=c)
    fig.update_xaxes(range=[coords[:, 0].min() - pad_x, coords[:, 0].max() + pad_x], showticklabels=False,
                     zeroline=False, showgrid=False)
    fig.update_yaxes(range=[coords[:, 1].min() - pad_y, coords[:, 1].max() + pad_y], showticklabels=False,
                     zeroline=False, showgrid=False)
    fig.update_yaxes(scaleanchor="x", scaleratio=1, row=1, col=1)
    return _style(fig, 380 if cols > 2 else 440)


# ------------------------------------------------------------------------------------ the pool map (Map page)

#: Every point is drawn (WebGL) up to this many rows in view; above it a density layer and a seeded sample.
MAX_DRAWN = 200_000
#: Points drawn over the density layer (for hover and clicks) when the view holds more than MAX_DRAWN.
DENSITY_SAMPLE = 30_000
DENSITY_BINS = 200
#: Overlay styles: search matches, rows picked in a table, the working subset, the open record.
MATCH_COLOR, PICKED_COLOR, SUBSET_COLOR, RECORD_COLOR = "#D62728", "#FF7F0E", "#111111", "#111111"


def density_layer(xy: np.ndarray, *, bins: int = DENSITY_BINS, x_range: Optional[Sequence[float]] = None,
                  y_range: Optional[Sequence[float]] = None, opacity: float = 0.9) -> go.Heatmap:
    """A grey heatmap of log(1 + points per cell) over a ``bins`` x ``bins`` grid (numpy histogram2d), so dense
    regions read as dark whatever the number of points; empty cells are transparent."""
    xy = np.asarray(xy, dtype=np.float64)
    xr = x_range if x_range is not None else (float(xy[:, 0].min()), float(xy[:, 0].max()) + 1e-9)
    yr = y_range if y_range is not None else (float(xy[:, 1].min()), float(xy[:, 1].max()) + 1e-9)
    counts, xe, ye = np.histogram2d(xy[:, 0], xy[:, 1], bins=bins, range=[list(xr), list(yr)])
    z = np.where(counts > 0, np.log1p(counts), np.nan).T  # heatmap rows are y
    return go.Heatmap(x=(xe[:-1] + xe[1:]) / 2, y=(ye[:-1] + ye[1:]) / 2, z=z, colorscale="Greys", showscale=False,
                      zmin=0, opacity=opacity, hoverinfo="skip", name="density", zsmooth=False)


def pool_map_figure(xy: np.ndarray, rows: np.ndarray, *, groups: Optional[Sequence[str]] = None,
                    order: Optional[Sequence[str]] = None, colors: Optional[Mapping[str, str]] = None,
                    values: Optional[np.ndarray] = None, value_name: str = "", hover_text: Optional[Sequence[str]] = None,
                    density: Optional[np.ndarray] = None, marker_size: float = 4.0, opacity: float = 0.7,
                    labels: Sequence[tuple[float, float, str]] = (), overlays: Sequence[Mapping[str, Any]] = (),
                    view: Optional[tuple[Sequence[float], Sequence[float]]] = None, height: int = 640,
                    dragmode: str = "select", webgl: bool = True, selection_revision: int = 0) -> go.Figure:
    """The Map: points ``xy`` (pool rows ``rows``, which travel as customdata so a click or a selection names the
    record), coloured by ``groups`` (a legend entry per group in ``order``, tail past the palette as "other") or by
    numeric ``values`` (NaN grey); optional ``density`` (the coordinates of every row in view, drawn under the
    points as a log-count heatmap); ``labels`` (x, y, text) written on the map (cluster names); ``overlays``:
    dicts with ``xy``, ``rows``, ``name``, ``color``, ``symbol``, ``size`` (and optional escaped ``text``) drawn on top (matches, picks, the
    working subset); ``view`` (x range, y range) sets the axes; ``webgl=False`` draws SVG markers (small maps);
    a new ``selection_revision`` drops the selection the user drew on the chart (plotly ``selectionrevision``).
    Points the user did not select stay visible (unselected opacity a third of ``opacity``, at least 0.15).
    Every text must already be escaped."""
    fig = go.Figure()
    Points = go.Scattergl if webgl else go.Scatter
    if density is not None and len(density):
        fig.add_trace(density_layer(density, x_range=view[0] if view else None, y_range=view[1] if view else None))
    rows = np.asarray(rows, dtype=np.int64)
    xy = np.asarray(xy, dtype=np.float32)
    text = None if hover_text is None else np.asarray(hover_text, dtype=object)
    template = ("%{text}" if text is not None else "row %{customdata}") + "<extra>%{fullData.name}</extra>"

    def scatter(mask, name, marker, showlegend=True, tmpl=template):
        return Points(x=xy[mask, 0], y=xy[mask, 1], mode="markers", name=name, customdata=rows[mask],
                      text=None if text is None else text[mask], hovertemplate=tmpl, marker=marker,
                      showlegend=showlegend, unselected={"marker": {"opacity": max(0.15, opacity / 3)}})

    if groups is not None:
        g = np.asarray(groups, dtype=object)
        order = list(order) if order is not None else sorted(set(g.tolist()))
        fixed = dict(colors or {})
        g, order = lump_tail(g, order, fixed=tuple(fixed))
        palette = group_colors(order, {**fixed, OTHER: fixed.get(OTHER, OTHER_COLOR)})
        for name in order:
            m = g == name
            if m.any():
                fig.add_trace(scatter(m, html_text(f"{name} ({int(m.sum()):,})"),
                                      {"size": marker_size, "color": palette[name], "opacity": opacity}))
    else:
        v = np.asarray(values, dtype=np.float64)
        ok = np.isfinite(v)
        if (~ok).any():
            fig.add_trace(scatter(~ok, "no value", {"size": marker_size, "color": OTHER_COLOR, "opacity": opacity}))
        tmpl = template.replace("<extra>", "<br>" + html_text(value_name) + " = %{marker.color:.3f}<extra>")
        fig.add_trace(scatter(ok, html_text(value_name),
                              {"size": marker_size, "color": v[ok], "colorscale": "Viridis", "opacity": opacity,
                               "colorbar": {"title": {"text": html_text(value_name)}, "len": 0.6}},
                              showlegend=False, tmpl=tmpl))
    for o in overlays:
        oxy = np.asarray(o["xy"], dtype=np.float32).reshape(-1, 2)
        orows = np.asarray(o["rows"], dtype=np.int64)
        open_symbol = str(o.get("symbol", "circle")).endswith("-open")
        marker = {"size": o.get("size", marker_size + 4), "color": o["color"], "symbol": o.get("symbol", "circle"),
                  "line": {"width": 1.5 if open_symbol else 0.8, "color": o["color"] if open_symbol else "white"}}
        otext = o.get("text")
        fig.add_trace(Points(x=oxy[:, 0], y=oxy[:, 1], mode="markers", name=o["name"], customdata=orows,
                                   text=otext, marker=marker,
                                   hovertemplate=("%{text}" if otext is not None else "row %{customdata}")
                                   + "<extra>" + o["name"] + "</extra>"))
    if len(labels):  # cluster names, largest first, nudged or dropped so that none hides another
        from ui.label_layout import place_labels, size_in_text

        anchors = np.array([lab[:2] for lab in labels], dtype=np.float64).reshape(-1, 2)
        extent = np.vstack([xy, anchors]) if len(xy) else anchors
        lo, hi = np.nanmin(extent, axis=0), np.nanmax(extent, axis=0)
        pad = (hi - lo) * 0.03
        placed, dropped = place_labels(anchors, [lab[2] for lab in labels],
                                       [lab[3] if len(lab) > 3 else (size_in_text(lab[2]) or 0) for lab in labels],
                                       x_range=view[0] if view else (lo[0] - pad[0], hi[0] + pad[0]),
                                       y_range=view[1] if view else (lo[1] - pad[1], hi[1] + pad[1]),
                                       height_px=max(height - 40, 100))
        for lab in placed:
            fig.add_annotation(x=lab.x, y=lab.y, text=lab.text, showarrow=lab.nudged, ax=lab.dx, ay=-lab.dy,
                               arrowwidth=1, arrowcolor="#888888", arrowhead=0, standoff=2,
                               font={"size": 12, "color": "#111111"}, bgcolor="rgba(255,255,255,0.75)",
                               bordercolor="#888888", borderwidth=1, borderpad=2)
        # the names left out where they would overlap a kept one, for the page to say so (ui.label_layout)
        fig.update_layout(meta={"dropped_labels": [str(labels[i][2]) for i in dropped
                                                   if np.isfinite(anchors[i]).all()]})
    axis = {"showticklabels": False, "title": None, "zeroline": False, "showgrid": False}
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, dragmode=dragmode,
                      legend={"itemsizing": "constant"}, uirevision="map", template="plotly_white",
                      selectionrevision=str(selection_revision),
                      xaxis=dict(axis, **({"range": list(view[0])} if view else {})),
                      yaxis=dict(axis, **({"range": list(view[1])} if view else {})))
    return fig


# ------------------------------------------------------------------------------------------ selection curves

def _per_pick_traces(k: np.ndarray, y: np.ndarray, smoothed: Optional[np.ndarray], name: str,
                     color: str) -> list[go.Scatter]:
    """Per-pick values as markers on a thin line (short runs) or a faint line (long runs), plus the smoothed line
    when given: visible at any run length, unlike bars."""
    long_run = len(k) > MARKERS_UP_TO
    traces = [go.Scatter(x=k, y=y, name=html_text(name), mode="lines" if long_run else "lines+markers",
                         line=dict(color=color, width=1), opacity=0.45 if smoothed is not None else 0.9,
                         marker=dict(size=5), hovertemplate="pick %{x}: %{y:.4g}<extra></extra>")]
    if smoothed is not None:
        traces.append(go.Scatter(x=k, y=smoothed, name=html_text(f"{name}, smoothed"), mode="lines",
                                 line=dict(color=color, width=3),
                                 hovertemplate="pick %{x}: %{y:.4g} (moving average)<extra></extra>"))
    return traces


def run_curves_figure(information: Optional[np.ndarray],
                      series: Sequence[tuple[str, np.ndarray, Optional[np.ndarray]]]) -> go.Figure:
    """Small multiples sharing the pick axis, one quantity per panel and y axis: the information E(S_k) of the first
    k picks (top, when given), then one panel per ``(name, per-pick values, smoothed values or None)`` in
    ``series`` (e.g. the exact gain E(S_k) - E(S_k-1) and the selector's ranking score, named apart)."""
    panels = ([("information E(S_k) of the first k picks", None)] if information is not None else []) + \
        [(name, None) for name, _, _ in series]
    rows = max(1, len(panels))
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.08 if rows > 1 else 0.0,
                        subplot_titles=[html_text(t) for t, _ in panels])
    row = 1
    if information is not None:
        k = np.arange(1, len(information) + 1)
        fig.add_trace(go.Scatter(x=k, y=information, mode="lines", name="E(S_k)",
                                 line=dict(color=PALETTE[0], width=3),
                                 hovertemplate="k = %{x}: E = %{y:.4g}<extra></extra>"), row=1, col=1)
        fig.update_yaxes(title_text="E(S_k)", rangemode="tozero", row=1, col=1)
        row = 2
    for i, (name, values, smoothed) in enumerate(series):
        y = np.asarray(values, dtype=np.float64)
        k = np.arange(1, len(y) + 1)
        for tr in _per_pick_traces(k, y, None if smoothed is None else np.asarray(smoothed, dtype=np.float64),
                                   name, color_of(i + 1)):
            fig.add_trace(tr, row=row, col=1)
        fig.update_yaxes(title_text="per pick", row=row, col=1)
        row += 1
    fig.update_xaxes(title_text="picks k (budget)", row=rows, col=1)
    _style(fig, 150 + 190 * rows)
    fig.update_layout(showlegend=False)  # each panel is titled with its one quantity
    return fig


def trace_figure(trace: Sequence[Mapping[str, Any]], reward_name: str = "reward") -> go.Figure:
    """The bandit's pulls: arm against step, coloured by the reward it returned."""
    frame = pd.DataFrame(list(trace))
    picked = frame["picked"] if "picked" in frame else [()] * len(frame)
    count = [len(p) if isinstance(p, (list, tuple, np.ndarray)) else p for p in picked]
    text = [html_text(f"step {s}, arm {a}, reward {r:.3f}, items picked {c}")
            for s, a, r, c in zip(frame["step"], frame["arm"], frame["reward"], count)]
    fig = go.Figure(go.Scatter(
        x=frame["step"], y=frame["arm"], mode="markers", text=text, hoverinfo="text", name="pulls",
        marker=dict(color=frame["reward"], colorscale="Viridis", size=9, showscale=True,
                    colorbar=dict(title=html_text(f"reward ({reward_name})")))))
    steps = int(frame["step"].max()) if len(frame) else 0
    fig.update_xaxes(title_text="round (step)", dtick=1 if steps <= 20 else None)
    arms = int(frame["arm"].max()) if len(frame) else 0
    fig.update_yaxes(title_text="arm (k-means cluster)", dtick=1 if arms <= 25 else None, range=[-0.5, arms + 0.5])
    return _style(fig, 340)


# -------------------------------------------------------------------------------------------------- compare

def budget_curves_figure(curves: Mapping[str, Mapping[str, tuple[Sequence[int], Sequence[float]]]],
                         metric_labels: Mapping[str, str], *, k: Optional[int] = None,
                         baseline: Optional[Mapping[str, tuple[Sequence[int], Sequence[float],
                                                               Sequence[float]]]] = None,
                         x_max: Optional[int] = None) -> go.Figure:
    """One panel per metric; one line per run: the metric of each pick-order prefix against its size.

    ``curves[run][metric] = (ks, values)``. Every panel shares one x range, 0 to ``x_max`` (default: the longest
    run), so runs of different budgets line up; ``k`` draws the equal-budget line; ``baseline[metric] =
    (ks, mean, sd)`` draws the random baseline as a grey band (mean ± sd).
    """
    metrics = list(metric_labels)
    fig = make_subplots(rows=1, cols=max(1, len(metrics)), horizontal_spacing=0.08,
                        subplot_titles=[html_text(metric_labels[m]) for m in metrics])
    longest = max((max(ks) for per in curves.values() for ks, _ in per.values() if len(ks)), default=1)
    x_max = int(x_max or longest)
    for c, metric in enumerate(metrics, start=1):
        if baseline and metric in baseline:
            ks, mean, sd = (np.asarray(a, dtype=float) for a in baseline[metric])
            fig.add_trace(go.Scatter(x=np.concatenate([ks, ks[::-1]]), y=np.concatenate([mean + sd, (mean - sd)[::-1]]),
                                     fill="toself", fillcolor="rgba(120,120,120,0.18)", line=dict(width=0),
                                     hoverinfo="skip", name="random ± sd", legendgroup="random",
                                     showlegend=c == 1), row=1, col=c)
            fig.add_trace(go.Scatter(x=ks, y=mean, mode="lines", line=dict(color="#7F7F7F", dash="dot", width=2),
                                     name="random (mean)", legendgroup="random", showlegend=False,
                                     hovertemplate="random, k = %{x}: %{y:.4g}<extra></extra>"), row=1, col=c)
    for s, (name, per_metric) in enumerate(curves.items()):
        for c, metric in enumerate(metrics, start=1):
            if metric not in per_metric:
                continue
            ks, values = per_metric[metric]
            fig.add_trace(go.Scatter(x=list(ks), y=list(values), mode="lines+markers", name=html_text(name),
                                     line=dict(color=color_of(s), width=2.5), legendgroup=name,
                                     hovertemplate=html_text(name) + ", k = %{x}: %{y:.4g}<extra></extra>",
                                     showlegend=c == 1), row=1, col=c)
    fig.update_xaxes(title_text="budget k (first k picks)", range=[0, x_max * 1.02])
    if k is not None:
        for c in range(1, len(metrics) + 1):
            fig.add_vline(x=int(k), line=dict(color="#444444", width=1.5, dash="dash"), row=1, col=c)
    _style(fig, 420)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.18, x=0), margin=dict(b=40, t=40))
    return fig


def overlap_figure(matrix: pd.DataFrame) -> go.Figure:
    """Heatmap of a Jaccard overlap matrix, values written in the cells."""
    labels = [html_text(n) for n in matrix.index]
    fig = go.Figure(go.Heatmap(z=matrix.values, x=labels, y=labels, zmin=0, zmax=1, colorscale="Blues",
                               text=np.round(matrix.values, 2), texttemplate="%{text}",
                               colorbar=dict(title="Jaccard")))
    fig.update_yaxes(autorange="reversed")
    return _style(fig, 140 + 70 * len(labels))


# ------------------------------------------------------------------------------------------------- novelty

def histogram(values: np.ndarray, title: str, color: str = PALETTE[0], x_title: str = "") -> go.Figure:
    """Histogram of the finite ``values`` (50 bins), records on the y axis."""
    v = np.asarray(values, dtype=np.float64)
    fig = go.Figure(go.Histogram(x=v[np.isfinite(v)], nbinsx=50, marker_color=color, name=html_text(title)))
    fig.update_layout(height=260, margin={"l": 10, "r": 10, "t": 40, "b": 10}, title={"text": html_text(title)},
                      bargap=0.05, yaxis_title="records", xaxis_title=html_text(x_title or title))
    return fig


def factor_scatter(distance: np.ndarray, density: np.ndarray, novelty: np.ndarray,
                   texts: Sequence[Any]) -> go.Figure:
    """NovelSum's distance factor d_i against its density factor rho_i, coloured by novelty v_i (one point per
    record given; ``texts`` are raw record texts, escaped here)."""
    fig = go.Figure(go.Scattergl(
        x=distance, y=density, mode="markers", name="records",
        marker={"size": 5, "color": novelty, "colorscale": "Viridis", "colorbar": {"title": "v_i"}, "opacity": 0.7},
        text=[hover(t, PREVIEW_CHARS) for t in texts],
        hovertemplate="%{text}<br>d=%{x:.4f} rho=%{y:.3f}<extra></extra>"))
    fig.update_layout(height=340, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      title={"text": "Distance factor d_i vs density factor rho_i (colour: novelty v_i)"},
                      xaxis_title="distance factor d_i (far from the pool →)",
                      yaxis_title="density factor rho_i (crowded ↑)")
    return fig


# --------------------------------------------------------------------------------------------- label graph

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
    hover_text = [f"<b>{html_text(short(graph.labels[k], 60))}</b><br>information {info[k]:.3f}<br>"
                  f"{degree[k]} neighbour{'' if degree[k] == 1 else 's'}" for k in shown]
    names = [html_text(short(graph.labels[k], 24)) if rank < text_labels else "" for rank, k in enumerate(shown)]
    fig.add_trace(go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="markers+text", text=names, textposition="top center",
                             textfont={"size": 10}, hovertext=hover_text,
                             hovertemplate="%{hovertext}<extra></extra>",
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
            text=[html_text(short(graph.labels[shown[p]], 30)) for p in ring], textposition="bottom center",
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
                       text=f" T = {threshold:.3f}: {linked:,} pair{'' if linked == 1 else 's'} linked",
                       font={"color": HIGHLIGHT})
    fig.update_layout(height=260, margin={"l": 10, "r": 10, "t": 10, "b": 30}, bargap=0, showlegend=False,
                      xaxis={"title": "cosine of a label pair"}, yaxis={"title": "pairs", "type": "log"})
    return fig
