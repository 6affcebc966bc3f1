"""Export: download a run, a named subset or the map's working subset as CSV or JSONL, with its manifest.

The files come from core.workspace.export_run (through ui.export_view), the function ``python -m core select``
and ``python -m core runs export`` use, so the app's export of a run is the CLI's.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from ui import cached, shell, state
from ui import export_view as ev
from ui import workspace_view
from ui.components import require
from ui.forms import persist, valid_choice
from ui.tables import selection_caption
from ui.text import escape_md

shell.ensure_routed()

K_WHAT, K_FORMAT = "exp_what", "exp_format"
WORKING = "Working subset (from the map or label views)"
FORMATS = {"JSONL": ("jsonl", "application/jsonl"), "CSV": ("csv", "text/csv")}


def main() -> None:
    st.title("Export")
    st.caption("Every original field of every record is kept; the export adds selector, rank, gain, quality "
               "(quality_proxy when it is the heuristic proxy) and novelty (each record's NovelSum novelty within "
               "the exported subset) columns. The manifest holds everything needed to repeat the run: "
               "`python -m core select --from-manifest M.json -o out.jsonl`.")
    pool = require(cached.pool)
    runs = state.selections()
    options = list(runs) + ([WORKING] if state.working_subset() is not None else [])
    if not options:
        st.info("Nothing to export yet: run a selector on the Selection page, or select points on the Map page.")
        return
    st.caption(f"Runs and named subsets of this pool are kept in the workspace "
               f"({escape_md(str(workspace_view.home()))}), across refreshes and restarts; "
               "`python -m core runs list` shows the same runs.")
    persist(K_WHAT, options[-1] if runs else WORKING)
    valid_choice(K_WHAT, options, options[len(runs) - 1] if runs else WORKING)
    persist(K_FORMAT, "JSONL")
    c1, c2 = st.columns([3, 1])
    what = c1.selectbox("Subset to export", options, key=K_WHAT)
    fmt_name = c2.radio("Format", list(FORMATS), key=K_FORMAT, horizontal=True)
    fmt, mime = FORMATS[fmt_name]

    feats = require(cached.features)
    if what == WORKING:
        sel = ev.working_selection(state.working_subset(), state.working_subset_origin())
        record = require(ev.app_record, pool, feats, "working subset", sel)
    else:
        sel = runs[what]
        record = require(ev.record_for, what, sel, pool, feats)
    run_feats = require(ev.features_for, record, pool, feats)
    export = require(ev.build_export, ev.features_key(pool, run_feats), pool, record, run_feats, fmt)
    if record.features.get("quality_source") == "proxy":
        st.caption("Quality here is the heuristic proxy (≈ proxy, no quality column in the pool): it is written as "
                   "the column **quality_proxy**, and the manifest says quality_source: proxy, so loading this "
                   "export again never mistakes it for real quality.")

    if record.kind == "subset":
        origin = (record.params or {}).get("origin") or "the map"
        st.caption(escape_md(f"{len(sel):,} records from {origin}, in pool order (no rank or gain of a selector)."))
    else:
        st.caption(escape_md(selection_caption(what, sel)))
    if record.id is not None:
        st.caption(f"Workspace run {record.id}: `python -m core runs export {record.id} -o FILE` writes the same file.")
    stem = export["stem"]
    b1, b2, _ = st.columns([1, 1, 2])
    b1.download_button(f"Download {fmt_name} ({len(sel):,} records)", data=export["data"],
                       file_name=f"{stem}.{fmt}", mime=mime, type="primary", on_click="ignore",
                       key="exp_download")
    b2.download_button("Download manifest (JSON)", data=json.dumps(export["manifest"], indent=2,
                                                                   ensure_ascii=False).encode("utf-8"),
                       file_name=f"{stem}.manifest.json", mime="application/json", on_click="ignore",
                       key="exp_manifest")

    manifest = export["manifest"]
    renamed = manifest.get("renamed_columns", {})
    st.caption("Added columns: " + ", ".join(f"`{c}`" for c in manifest["added_columns"]) +
               "".join(f" (`{c}` is written as `{w}`: the records already have a `{c}` field)"
                       for c, w in renamed.items()))
    for column, why in manifest.get("columns_skipped", {}).items():
        st.caption(escape_md(f"No {column} column: {why}."))
    st.markdown(f"##### Preview (first {min(ev.PREVIEW_ROWS, len(sel))} rows)")
    preview = export["preview"]
    # numbers keep every digit: a fixed format and a column wide enough (an auto-sized column cut 456.4 to "56.4")
    st.dataframe(preview, hide_index=True, column_config={
        c: st.column_config.NumberColumn(format="%.4g", width="small")
        for c in preview.columns if pd.api.types.is_numeric_dtype(preview[c])})
    with st.expander("Manifest"):
        st.json(manifest, expanded=1)
    workspace_view.manage_runs(key="exp_runs")


main()
