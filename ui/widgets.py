"""Small widget and figure helpers shared by the pages (escaping, truncation, sticky widget values)."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any, Optional, Sequence

import numpy as np
import streamlit as st

if TYPE_CHECKING:
    import plotly.graph_objects as go

PALETTE = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#EECA3B", "#B279A2", "#FF9DA6",
           "#9D755D", "#BAB0AC", "#1F77B4", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#17BECF",
           "#BCBD22", "#7F7F7F", "#AEC7E8", "#FFBB78")
OTHER_COLOR = "#D0D0D0"


def short(text: Any, limit: int = 120) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~$:])")


def escape_md(text: Any) -> str:
    """``text`` made inert for st.markdown/st.caption/st.error: Markdown and HTML specials backslash-escaped.

    Kills links, images, raw HTML, emphasis, LaTeX (``$``), emoji shortcodes and ``http:``/``www.`` autolinks,
    while plain words, dots and dashes stay as they are (file names and "line 2" read unchanged).
    """
    out = _MD_SPECIAL.sub(r"\\\1", str(text))
    return re.sub(r"(?i)\b(www)\.", r"\1\\.", out)


def hover(text: Any, limit: int = 160, width: int = 60) -> str:
    """Escaped, truncated text for plotly hover labels, wrapped with <br> every ~``width`` characters."""
    words, lines, line = short(text, limit).split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "<br>".join(html.escape(x) for x in lines)


def persist(key: str, default: Any) -> None:
    """Keep a page widget's value across page switches (Streamlit drops state of widgets not drawn).

    Call before creating the widget with ``key=key`` and no explicit default.
    """
    shadow = f"_keep_{key}"
    ss = st.session_state
    if key in ss:
        ss[shadow] = ss[key]
    else:
        ss[key] = ss.get(shadow, default)


def valid_choice(key: str, options: Sequence[Any], default: Any) -> None:
    """Reset session value ``key`` to ``default`` when it is no longer one of ``options``."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def indices_from_points(points: Sequence[dict]) -> np.ndarray:
    """Pool row indices of plotly selection points, read from each point's customdata (not trace indices)."""
    rows = []
    for p in points:
        cd = p.get("customdata")
        if cd is None:
            continue
        rows.append(int(cd[0] if isinstance(cd, (list, tuple)) else cd))
    return np.unique(np.asarray(rows, dtype=np.int64))


def sample_rows(n: int, limit: int, seed: int = 0, keep: Sequence[int] = ()) -> np.ndarray:
    """All rows when ``n <= limit``; else a sorted seeded sample of ``limit`` rows that includes ``keep``."""
    if n <= limit:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    rows = rng.choice(n, size=limit, replace=False)
    return np.union1d(rows, np.asarray(keep, dtype=np.int64))


# ----------------------------------------------------------------------------- map figure
def map_figure(xy: np.ndarray, rows: np.ndarray, hover_text: Sequence[str], *, groups: Optional[Sequence[str]] = None,
               order: Optional[Sequence[str]] = None, colors: Optional[dict] = None,
               values: Optional[np.ndarray] = None, value_name: str = "", height: int = 620,
               marker_size: float = 5.0) -> "go.Figure":
    """A Scattergl map of the points ``xy`` (already restricted to ``rows``), customdata = pool row index.

    Colour either by ``groups`` (one legend entry per group, in ``order``; ``colors`` maps group -> colour) or by
    continuous ``values`` (NaN drawn grey). ``hover_text`` must already be escaped (see :func:`hover`).
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    rows = np.asarray(rows)
    text = np.asarray(hover_text, dtype=object)
    template = "%{text}<extra>%{fullData.name}</extra>"
    if groups is not None:
        g = np.asarray(groups, dtype=object)
        order = list(order) if order is not None else sorted(set(g.tolist()))
        colors = colors or {}
        for i, name in enumerate(order):
            m = g == name
            if not m.any():
                continue
            fig.add_trace(go.Scattergl(
                x=xy[m, 0], y=xy[m, 1], mode="markers", name=html.escape(f"{name} ({int(m.sum()):,})"),
                customdata=rows[m], text=text[m], hovertemplate=template,
                marker={"size": marker_size, "color": colors.get(name, PALETTE[i % len(PALETTE)]), "opacity": 0.8}))
    else:
        v = np.asarray(values, dtype=np.float64)
        ok = np.isfinite(v)
        if (~ok).any():
            fig.add_trace(go.Scattergl(
                x=xy[~ok, 0], y=xy[~ok, 1], mode="markers", name="no value", customdata=rows[~ok], text=text[~ok],
                hovertemplate=template, marker={"size": marker_size, "color": OTHER_COLOR}))
        fig.add_trace(go.Scattergl(
            x=xy[ok, 0], y=xy[ok, 1], mode="markers", name=value_name, customdata=rows[ok], text=text[ok],
            hovertemplate="%{text}<br>" + html.escape(value_name) + " = %{marker.color:.3f}<extra></extra>",
            marker={"size": marker_size, "color": v[ok], "colorscale": "Viridis", "opacity": 0.85,
                    "colorbar": {"title": {"text": html.escape(value_name)}}}, showlegend=False))
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, dragmode="lasso",
                      legend={"itemsizing": "constant"}, uirevision="map",
                      xaxis={"showticklabels": False, "title": None, "zeroline": False},
                      yaxis={"showticklabels": False, "title": None, "zeroline": False})
    return fig


# ----------------------------------------------------------------------------- working subset panel
SUBSET_METRICS = ("novelsum", "vendi", "tag_coverage", "mig_information")
EXACT_SUBSET = 5000  # larger sets get NovelSum's row-sampled estimate (labelled approximate)


@st.cache_data(show_spinner="Measuring ...", max_entries=64)
def _measure(fkey: str, name: str, idx: Optional[np.ndarray], _features) -> tuple[Optional[float], bool, str]:
    """(value, approximate, error message) of registry metric ``name`` on rows ``idx`` (None = the pool)."""
    from core.errors import SiftError
    from core.metrics import compute_result

    size = _features.n if idx is None else len(idx)
    params = {"approximate": True} if name == "novelsum" and size > EXACT_SUBSET else {}
    try:
        r = compute_result(name, _features, idx, **params)
    except SiftError as exc:
        return None, False, str(exc)
    return r.value, r.approximate, ""


def measure_table(features, fkey: str, indices: np.ndarray, names: Sequence[str] = SUBSET_METRICS) -> None:
    """A small table: each metric on the subset and on the whole pool (metrics whose needs are missing say so)."""
    import pandas as pd
    from core.metrics import REGISTRY

    rows = []
    for name in names:
        spec = REGISTRY.get(name)
        if spec is None:
            continue
        sub, sub_approx, err = _measure(fkey, name, np.asarray(indices, dtype=np.int64), features)
        whole, whole_approx, _ = _measure(fkey, name, None, features)
        rows.append({"metric": spec.label,
                     "subset": sub, "pool": whole,
                     "note": err or ("approximate (row-sampled)" if sub_approx or whole_approx else "")})
    st.dataframe(pd.DataFrame(rows), hide_index=True,
                 column_config={"subset": st.column_config.NumberColumn(format="%.4f"),
                                "pool": st.column_config.NumberColumn(format="%.4f")})
    st.caption("Higher means more diverse. NovelSum measures the subset with the whole pool as the density "
               "reference; tag coverage counts labels of the subset over labels of the pool.")


def subset_panel(pool, features, fkey: str, *, key: str, table_rows: int = 1000) -> None:
    """The working subset (from ui.state): its records, its measures against the pool, and its exports."""
    from ui import state

    idx = state.working_subset()
    if idx is None:
        st.info("No working subset yet: draw a box or lasso on the map, or use the picker below it.")
        return
    head, clear = st.columns([5, 1])
    head.subheader(f"Working subset: {len(idx):,} records")
    if clear.button("Clear", key=f"{key}_clear", icon=":material/close:"):
        state.set_working_subset(None, "")
        st.rerun()
    st.caption(f"From {escape_md(state.working_subset_origin())}. Measures and exports cover all {len(idx):,} records.")
    records, measures, export = st.tabs(["Records", "Measures", "Export"])
    with records:
        more = f" (first {table_rows:,} shown)" if len(idx) > table_rows else ""
        st.caption(f"{len(idx):,} records{more}")
        st.dataframe(pool.subset(idx[:table_rows]).to_frame(max_chars=160), hide_index=True, height=300)
    with measures:
        measure_table(features, fkey, idx)
    with export:
        from ui.export_view import download_buttons

        download_buttons(pool, idx, method="working subset",
                         params={"origin": state.working_subset_origin()}, key=f"{key}_dl")
