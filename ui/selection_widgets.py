"""Widgets, tables and figures shared by the Selection, Compare and Export pages.

Figures and tables are built by plain functions (no streamlit) so they are easy to reason about; the few
functions that draw widgets say so in their docstring. Dataset text only ever reaches plotly hover labels
through :func:`html.escape` and tables through ``st.dataframe``.
"""

from __future__ import annotations

import html
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.params import Param
from core.selection import Selection, jaccard
from ui.widgets import short

#: Colours for selections (colour-blind friendly, Okabe-Ito order).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
BACKGROUND = "#c9ccd1"
PREVIEW_CHARS = 90
MAX_BACKGROUND_POINTS = 6000


# ---------------------------------------------------------------- parameter form (widgets)

def param_widget(param: Param, key: str) -> Any:
    """Draw one widget for ``param`` (streamlit) and return its value, typed as the Param's kind.

    The value is kept across page switches (``ui.widgets.persist``), starting from the Param's default.
    """
    import streamlit as st

    from ui.widgets import persist, valid_choice

    label = param.name.replace("_", " ")
    help_text = param.help or None
    if param.choices is not None:
        choices = list(param.choices)
        default = param.default if param.default in choices else choices[0]
        persist(key, default)
        valid_choice(key, choices, default)
        return st.selectbox(label, choices, help=help_text, key=key,
                            format_func=lambda c: "none" if c is None else str(c))
    if param.kind is bool:
        persist(key, bool(param.default))
        return st.checkbox(label, help=help_text, key=key)
    if param.kind is int:
        low = None if param.low is None else int(np.ceil(param.low))
        high = None if param.high is None else int(np.floor(param.high))
        persist(key, int(param.default))
        return int(st.number_input(label, min_value=low, max_value=high, step=1, help=help_text, key=key))
    if param.kind is float:
        low = None if param.low is None else float(param.low)
        high = None if param.high is None else float(param.high)
        persist(key, float(param.default))
        step = _float_step(float(param.default), low, high)
        return float(st.number_input(label, min_value=low, max_value=high, step=step,
                                     format=_float_format(step, float(param.default)), help=help_text, key=key))
    persist(key, "" if param.default is None else str(param.default))
    text = st.text_input(label, help=help_text, key=key)
    return param.kind(text) if param.kind not in (str, object) and text else text


def param_form(params: Sequence[Param], key_prefix: str, skip: Sequence[str] = (), columns: int = 3) -> dict:
    """Draw a widget per Param (streamlit), laid out in ``columns`` columns; return {name: value}."""
    import streamlit as st

    shown = [p for p in params if p.name not in skip]
    if not shown:
        st.caption("This selector has no parameters.")
        return {}
    cols = st.columns(min(columns, len(shown)))
    values = {}
    for i, param in enumerate(shown):
        with cols[i % len(cols)]:
            values[param.name] = param_widget(param, key=f"{key_prefix}:{param.name}")
    return values


def _float_step(value: float, low: float | None, high: float | None) -> float:
    """A sensible step for a float input: about 1/100 of its range (or of its default), at most 1."""
    if low is not None and high is not None and np.isfinite(high - low) and high - low <= 100:
        span = high - low
    else:
        span = abs(value) or 1.0
    return float(min(10.0 ** np.floor(np.log10(max(span, 1e-9) / 100.0) + 0.01), 1.0))


def _float_format(step: float, default: float) -> str:
    """A printf format showing enough decimals for ``step`` and the default (scientific for tiny values)."""
    if default != 0 and abs(default) < 1e-3:
        return "%.2e"
    digits = max(1, int(-np.floor(np.log10(step)))) if step < 1 else 1
    return f"%.{min(digits, 6)}f"


def progress_callback(bar: Any) -> Callable[[float, str], None]:
    """Turn a ``st.progress`` element into a core Progress callback ``progress(fraction, message)``."""

    def report(fraction: float, message: str = "") -> None:
        value = float(np.clip(fraction if np.isfinite(fraction) else 0.0, 0.0, 1.0))
        bar.progress(value, text=str(message) or f"{value:.0%}")

    return report


# ---------------------------------------------------------------- small helpers

def preview(text: Any, limit: int = PREVIEW_CHARS) -> str:
    """One-line preview of a record text, cut at ``limit`` characters (empty for a missing text)."""
    return short(text or "", limit)


def hover(text: Any, limit: int = PREVIEW_CHARS) -> str:
    """Preview escaped for plotly hover labels (which render a subset of HTML)."""
    return html.escape(preview(text, limit))


def prefix_sizes(length: int, count: int = 10) -> list[int]:
    """About ``count`` evenly spaced prefix sizes from ``length / count`` up to ``length`` (always included)."""
    if length <= 0:
        return []
    ks = np.unique(np.linspace(length / count, length, num=min(count, length)).round().astype(int))
    return [int(k) for k in ks if k >= 1]


def color_of(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def selection_caption(name: str, sel: Selection) -> str:
    """One line naming a run: method, size, parameters and time."""
    params = ", ".join(f"{k}={v}" for k, v in (sel.params or {}).items())
    dedup = (sel.info or {}).get("dedup")
    note = (f", deduplicated: {dedup['kept']:,} of {dedup['records']:,} records were candidates" if dedup else "")
    return f"{name}: {sel.method}, {len(sel)} picks" + (f" ({params})" if params else "") + \
        f", {sel.seconds:.2f} s" + note


def runs_frame(selections: Mapping[str, Selection]) -> pd.DataFrame:
    """One row per run kept in the session: name, method, budget, parameters, seconds."""
    rows = [{"run": name, "method": sel.method, "picks": len(sel),
             "parameters": ", ".join(f"{k}={v}" for k, v in (sel.params or {}).items()),
             "seconds": round(float(sel.seconds), 3)} for name, sel in selections.items()]
    return pd.DataFrame(rows, columns=["run", "method", "picks", "parameters", "seconds"])


# ---------------------------------------------------------------- tables

def picks_frame(sel: Selection, ids: Sequence[Any], instructions: Sequence[Any],
                quality: np.ndarray | None, label_sets: Sequence[Sequence[str]] | None) -> pd.DataFrame:
    """The chosen records in pick order: rank, gain, id, instruction preview, quality, labels."""
    idx = sel.indices
    frame = pd.DataFrame({
        "rank": np.arange(1, len(idx) + 1),
        "gain": sel.gains,
        "id": [str(ids[i]) for i in idx],
        "instruction": [preview(instructions[i]) for i in idx],
    })
    if quality is not None:
        frame["quality"] = np.asarray(quality, dtype=float)[idx]
    if label_sets is not None:
        frame["labels"] = [", ".join(map(str, label_sets[i])) for i in idx]
    return frame


def overlap_matrix(selections: Mapping[str, Selection]) -> pd.DataFrame:
    """Pairwise Jaccard overlap |A∩B| / |A∪B| of the selections' index sets."""
    names = list(selections)
    mat = [[jaccard(selections[a].indices, selections[b].indices) for b in names] for a in names]
    return pd.DataFrame(mat, index=names, columns=names, dtype=float)


def exclusive_labels(selections: Mapping[str, Selection],
                     label_sets: Sequence[Sequence[str]]) -> dict[str, list[str]]:
    """For each selection, the sorted labels it covers that none of the others cover."""
    covered = {n: {lab for i in sel.indices for lab in label_sets[int(i)]} for n, sel in selections.items()}
    out = {}
    for name, labs in covered.items():
        others = set().union(*(c for m, c in covered.items() if m != name))
        out[name] = sorted(labs - others)
    return out


# ---------------------------------------------------------------- figures

def _style(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), template="plotly_white",
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return fig


def curve_figure(E: np.ndarray, marginal: np.ndarray, title: str = "") -> go.Figure:
    """Information E(S_k) along the pick order (line, left axis) and the marginal gain per pick (bars, right).

    The bars sit on the primary axis (drawn first) so the line stays on top of them.
    """
    k = np.arange(1, len(E) + 1)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(x=k, y=marginal, name="marginal gain E(S_k) - E(S_k-1)", marker_color=PALETTE[4],
                         opacity=0.55), secondary_y=False)
    fig.add_trace(go.Scatter(x=k, y=E, mode="lines", name="E(S_k)", line=dict(color=PALETTE[0], width=3)),
                  secondary_y=True)
    fig.update_xaxes(title_text="picks k (budget)")
    fig.update_layout(title=title or None, bargap=0.05,
                      yaxis=dict(title_text="marginal gain", side="right", showgrid=False, rangemode="tozero"),
                      yaxis2=dict(title_text="information E(S_k)", side="left", rangemode="tozero",
                                  tickmode="auto", showgrid=True))
    return _style(fig, 400)


def gains_figure(gains: np.ndarray, method: str) -> go.Figure:
    """The selector's own per-pick score, for runs where the information curve is unavailable."""
    k = np.arange(1, len(gains) + 1)
    fig = go.Figure(go.Scatter(x=k, y=gains, mode="lines+markers", name=f"{method} score",
                               line=dict(color=PALETTE[0])))
    fig.update_xaxes(title_text="pick")
    fig.update_yaxes(title_text="score / gain at pick")
    return _style(fig, 320)


def trace_figure(trace: Sequence[Mapping[str, Any]], reward_name: str = "reward") -> go.Figure:
    """The bandit's pulls: arm against step, coloured by the reward it returned."""
    frame = pd.DataFrame(list(trace))
    picked = frame["picked"] if "picked" in frame else [()] * len(frame)
    count = [len(p) if isinstance(p, (list, tuple, np.ndarray)) else p for p in picked]
    text = [html.escape(f"step {s}, arm {a}, reward {r:.3f}, items picked {c}")
            for s, a, r, c in zip(frame["step"], frame["arm"], frame["reward"], count)]
    fig = go.Figure(go.Scatter(
        x=frame["step"], y=frame["arm"], mode="markers", text=text, hoverinfo="text",
        marker=dict(color=frame["reward"], colorscale="Viridis", size=9, showscale=True,
                    colorbar=dict(title=html.escape(f"reward ({reward_name})")))))
    steps = int(frame["step"].max()) if len(frame) else 0
    fig.update_xaxes(title_text="round (step)", dtick=1 if steps <= 20 else None)
    arms = int(frame["arm"].max()) if len(frame) else 0
    fig.update_yaxes(title_text="arm (k-means cluster)", dtick=1 if arms <= 25 else None, range=[-0.5, arms + 0.5])
    return _style(fig, 340)


def maps_figure(coords: np.ndarray, selections: Mapping[str, Selection], hover_texts: Sequence[str],
                seed: int = 0) -> go.Figure:
    """Small multiples of the UMAP map with shared axes: the pool in grey, each selection's picks coloured.

    ``hover_texts`` must already be escaped (see :func:`hover`).
    """
    names = list(selections)
    cols = len(names)
    fig = make_subplots(rows=1, cols=cols, shared_xaxes=True, shared_yaxes=True,
                        subplot_titles=[html.escape(f"{n} ({len(selections[n])})") for n in names],
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
        idx = selections[name].indices
        fig.add_trace(go.Scatter(
            x=coords[idx, 0], y=coords[idx, 1], mode="markers", name=html.escape(name),
            marker=dict(color=color_of(c - 1), size=7, line=dict(width=0.5, color="white")),
            text=[f"#{r + 1}: {hover_texts[i]}" for r, i in enumerate(idx)], hoverinfo="text",
            showlegend=False), row=1, col=c)
    fig.update_xaxes(range=[coords[:, 0].min() - pad_x, coords[:, 0].max() + pad_x], showticklabels=False,
                     zeroline=False, showgrid=False)
    fig.update_yaxes(range=[coords[:, 1].min() - pad_y, coords[:, 1].max() + pad_y], showticklabels=False,
                     zeroline=False, showgrid=False)
    fig.update_yaxes(scaleanchor="x", scaleratio=1, row=1, col=1)
    return _style(fig, 380 if cols > 2 else 440)


def budget_curves_figure(curves: Mapping[str, Mapping[str, tuple[Sequence[int], Sequence[float]]]],
                         metric_labels: Mapping[str, str]) -> go.Figure:
    """One panel per metric; one line per selection: the metric of each pick-order prefix against its size.

    ``curves[selection][metric] = (ks, values)``.
    """
    metrics = list(metric_labels)
    fig = make_subplots(rows=1, cols=len(metrics), subplot_titles=[html.escape(metric_labels[m])
                                                                      for m in metrics],
                        horizontal_spacing=0.08)
    for s, (name, per_metric) in enumerate(curves.items()):
        for c, metric in enumerate(metrics, start=1):
            if metric not in per_metric:
                continue
            ks, values = per_metric[metric]
            fig.add_trace(go.Scatter(x=list(ks), y=list(values), mode="lines+markers", name=html.escape(name),
                                     line=dict(color=color_of(s), width=2.5), legendgroup=name,
                                     showlegend=c == 1), row=1, col=c)
    fig.update_xaxes(title_text="budget k (first k picks)", rangemode="tozero")
    _style(fig, 420)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.18, x=0), margin=dict(b=40, t=40))
    return fig


def overlap_figure(matrix: pd.DataFrame) -> go.Figure:
    """Heatmap of a Jaccard overlap matrix, values written in the cells."""
    labels = [html.escape(str(n)) for n in matrix.index]
    fig = go.Figure(go.Heatmap(z=matrix.values, x=labels, y=labels, zmin=0, zmax=1, colorscale="Blues",
                               text=np.round(matrix.values, 2), texttemplate="%{text}",
                               colorbar=dict(title="Jaccard")))
    fig.update_yaxes(autorange="reversed")
    return _style(fig, 140 + 70 * len(labels))


# ---------------------------------------------------------------- cached core calls (streamlit)

def order_key(sel: Selection) -> str:
    """A short fingerprint of a pick order (for cache keys)."""
    import hashlib

    return sel.method + ":" + hashlib.sha1(np.ascontiguousarray(sel.indices).tobytes()).hexdigest()[:16]


def _cache(fn):
    import streamlit as st

    return st.cache_data(show_spinner=False, max_entries=128)(fn)


@_cache
def _information_curve(fkey: str, okey: str, _features: Any, _order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from core.curves import information_curve

    return information_curve(_features.label_sets, _features.quality, _features.graph, _order)


def information_curve(fkey: str, features: Any, sel: Selection) -> tuple[np.ndarray, np.ndarray]:
    """(E(S_k), marginal gain) along ``sel``'s pick order, cached per features key and order."""
    return _information_curve(fkey, order_key(sel), features, sel.indices)


@_cache
def _subset_metrics(fkey: str, okey: str, _features: Any, _subset: np.ndarray) -> tuple[dict, dict]:
    """({metric: value}, {metric: why it was skipped}): one metric failing (e.g. NovelSum's density on a pool
    of fewer than 11 distinct records) leaves the others standing."""
    from core.errors import SiftError
    from core.metrics import REGISTRY, compute_all

    values, skipped = {}, {}
    for name in REGISTRY:
        try:
            values.update(compute_all(_features, subset=_subset, names=[name]))
        except SiftError as exc:
            skipped[name] = str(exc)
    return values, skipped


def subset_metrics(fkey: str, features: Any, sel: Selection) -> dict:
    """Every registry metric of the selection's subset (core.metrics.compute_all), cached; see skipped_metrics."""
    return _subset_metrics(fkey, order_key(sel), features, sel.indices)[0]


def skipped_note(skipped: Mapping[str, str]) -> None:
    """Draw (streamlit) a caption naming the metrics that could not be computed on this pool, and why."""
    import streamlit as st

    if skipped:
        st.caption("Not computed here: " + "; ".join(escape_md(f"{label} ({why})") for label, why in skipped.items()))


def skipped_metrics(fkey: str, features: Any, sel: Selection) -> dict:
    """{metric label: reason} of the metrics :func:`subset_metrics` could not compute on this pool."""
    specs = metric_registry()
    skipped = _subset_metrics(fkey, order_key(sel), features, sel.indices)[1]
    return {specs[m].label if m in specs else m: why for m, why in skipped.items()}


@_cache
def _metric_curve(fkey: str, okey: str, metric: str, ks: tuple, _features: Any, _order: np.ndarray) -> np.ndarray:
    from core.curves import metric_curve

    return metric_curve(metric, _features, _order, list(ks))


def metric_curve(fkey: str, features: Any, sel: Selection, metric: str, ks: Sequence[int]) -> np.ndarray:
    """A registry metric on prefixes ``ks`` of ``sel``'s pick order (core.curves.metric_curve), cached."""
    return _metric_curve(fkey, order_key(sel), metric, tuple(int(k) for k in ks), features, sel.indices)


@_cache
def reference_embeddings(data: bytes, name: str, view: str, turns: str, model: str) -> np.ndarray:
    """Embed an uploaded reference set (any format load_pool reads) with the pool's text view and model."""
    from core.data import load_pool
    from core.embed import embed_texts

    from ui.state import _Upload

    ref = load_pool(_Upload(name, data), lenient=True)
    texts = [t for t in ref.texts(view, turns) if t.strip()]
    if not texts:
        from core.errors import SiftError

        raise SiftError(f"{name}: the reference set has no text to embed")
    return embed_texts(texts, model)


# ---------------------------------------------------------------- registries

def selector_registry() -> dict:
    """core.selectors.REGISTRY (name -> SelectorSpec)."""
    from core.selectors import REGISTRY

    return dict(REGISTRY)


def metric_registry() -> dict:
    """core.metrics.REGISTRY (name -> MetricSpec)."""
    from core.metrics import REGISTRY

    return dict(REGISTRY)


def run_selector(method: str, features: Any, budget: int, params: Mapping[str, Any], seed: int | None = None,
                 progress: Callable[[float, str], None] | None = None, dups: Any = "sidebar") -> Selection:
    """core.selectors.run with the form's parameters and seed (deterministic selectors ignore the seed).

    ``dups``: core.dedup groups to restrict the candidates to one record per group (the CLI's ``--dedup``, through
    the same core.dedup.select_deduplicated), None for the whole pool, or "sidebar" (default): the sidebar toggle.
    """
    from core.dedup import select_deduplicated

    if isinstance(dups, str):
        from ui import state

        dups = state.dedup_or_none()
    kwargs = dict(params)
    if seed is not None:
        kwargs["seed"] = int(seed)
    return select_deduplicated(method, features, budget, dups, progress=progress, **kwargs)


def _label_coverage(features: Any, indices: Sequence[int]) -> float:
    """The registry's tag coverage of ``indices`` (NaN when no record has a label)."""
    from core.errors import SiftError
    from core.metrics import compute

    try:
        return float(compute("tag_coverage", features, indices))
    except SiftError:
        return float("nan")


def metrics_frame(values: Mapping[str, float], features: Any, sel: Selection) -> pd.DataFrame:
    """Metric label and value rows for one subset, plus its quality mean and label coverage."""
    specs = metric_registry()
    rows = [{"metric": specs[name].label if name in specs else name, "value": float(v)}
            for name, v in values.items()]
    if features.quality is not None:
        rows.append({"metric": "Quality mean" + (" (proxy)" if features.quality_is_proxy else ""),
                     "value": float(np.nanmean(np.asarray(features.quality)[sel.indices]))})
    if features.label_sets is not None and "tag_coverage" not in values:
        rows.append({"metric": "Label coverage", "value": _label_coverage(features, sel.indices)})
    return pd.DataFrame(rows, columns=["metric", "value"])


def compare_frame(values: Mapping[str, Mapping[str, float]], features: Any,
                  selections: Mapping[str, Selection]) -> pd.DataFrame:
    """Metrics (rows) by selection (columns): every registry metric, quality mean and label coverage."""
    columns = {}
    for name, sel in selections.items():
        frame = metrics_frame(values[name], features, sel)
        columns[name] = pd.Series(frame["value"].to_numpy(), index=frame["metric"].to_numpy())
    out = pd.DataFrame(columns)
    out.index.name = "metric"
    return out


def escape_md(text: str) -> str:
    """``text`` made inert for st.markdown/st.caption (see :func:`ui.widgets.escape_md`, the one implementation)."""
    from ui.widgets import escape_md as _escape

    return _escape(text)
