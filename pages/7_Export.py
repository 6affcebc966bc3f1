"""Export: download a selection (or the map's working subset) as CSV or JSONL, with its manifest."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from ui import cached, shell, state
from ui import export_view as ev
from ui.components import require
from ui.forms import persist, valid_choice
from ui.tables import selection_caption
from ui.text import escape_md

shell.ensure_routed()

K_WHAT, K_FORMAT = "exp_what", "exp_format"
WORKING = "Working subset (from the map or label views)"
FORMATS = {"JSONL": ("jsonl", "application/jsonl"), "CSV": ("csv", "text/csv")}
PREVIEW_ROWS = 20


def _quality(pool) -> tuple:
    """(quality values, source) for the export: the features' quality (the proxy included) once they are built,
    else the pool's own quality column or DEITA scores (no proxy is computed here)."""
    from core.quality import given_quality_source, quality_source

    if cached.features_ready():
        f = cached.features()
        return f.quality, quality_source(f)
    return pool.quality, given_quality_source(pool)


def main() -> None:
    st.title("Export")
    st.caption("Every original field of every record is kept; the export adds selector, rank, gain, quality "
               "(quality_proxy when it is the heuristic proxy) and novelty columns. The manifest records the input "
               "file hash, the method, parameters, seed, quality source and ids.")
    pool = require(cached.pool)
    runs = state.selections()
    options = list(runs) + ([WORKING] if state.working_subset() is not None else [])
    if not options:
        st.info("Nothing to export yet: run a selector on the Selection page, or select points on the Map page.")
        return
    persist(K_WHAT, options[-1] if runs else WORKING)
    valid_choice(K_WHAT, options, options[len(runs) - 1] if runs else WORKING)
    persist(K_FORMAT, "JSONL")
    c1, c2 = st.columns([3, 1])
    what = c1.selectbox("Subset to export", options, key=K_WHAT)
    fmt_name = c2.radio("Format", list(FORMATS), key=K_FORMAT, horizontal=True)
    fmt, mime = FORMATS[fmt_name]

    if what == WORKING:
        sel = ev.working_selection(state.working_subset(), state.working_subset_origin())
    else:
        sel = runs[what]
    novelty = cached.novelty_or_none()  # optional: a tiny pool has no novelty, but its subsets still export
    quality, quality_src = _quality(pool)
    export = require(ev.build_export, state.embed_key(), pool, sel, what, fmt, quality, novelty, quality_src)
    if quality_src == "proxy":
        st.caption("Quality here is the heuristic proxy (≈ proxy, no quality column in the pool): it is written as "
                   "the column **quality_proxy**, and the manifest says quality_source: proxy, so loading this "
                   "export again never mistakes it for real quality.")

    if what == WORKING:
        origin = state.working_subset_origin() or "the map"
        st.caption(escape_md(f"{len(sel):,} records from {origin}, in pool order (no rank or gain of a selector)."))
    else:
        st.caption(escape_md(selection_caption(what, sel)))
    stem = ev.file_stem(pool.name, what)
    b1, b2, _ = st.columns([1, 1, 2])
    b1.download_button(f"Download {fmt_name} ({len(sel):,} records)", data=export["data"],
                       file_name=f"{stem}.{fmt}", mime=mime, type="primary", on_click="ignore",
                       key="exp_download")
    b2.download_button("Download manifest (JSON)", data=json.dumps(export["manifest"], indent=2,
                                                                   ensure_ascii=False).encode("utf-8"),
                       file_name=f"{stem}.manifest.json", mime="application/json", on_click="ignore",
                       key="exp_manifest")

    renamed = export["manifest"].get("renamed_columns", {})
    st.caption("Added columns: " + ", ".join(f"`{c}`" for c in export["manifest"]["added_columns"]) +
               "".join(f" (`{c}` is written as `{w}`: the records already have a `{c}` field)"
                       for c, w in renamed.items()))
    st.markdown(f"##### Preview (first {min(PREVIEW_ROWS, len(sel))} rows)")
    preview = export["preview"]
    # numbers keep every digit: a fixed format and a column wide enough (an auto-sized column cut 456.4 to "56.4")
    st.dataframe(preview, hide_index=True, column_config={
        c: st.column_config.NumberColumn(format="%.4g", width="small")
        for c in preview.columns if pd.api.types.is_numeric_dtype(preview[c])})
    with st.expander("Manifest"):
        st.json(export["manifest"], expanded=1)


main()
