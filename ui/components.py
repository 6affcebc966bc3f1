"""Page components shared by several pages (streamlit): error display, the working-subset panel, measure tables.

Each draws widgets and calls ``ui.cached`` for its numbers; record text goes through ``st.dataframe`` / ``st.text``
or ``ui.text.escape_md``, never raw into Markdown.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import streamlit as st

from core.errors import SiftError
from ui import cached, state
from ui.text import escape_md, plural

#: Metrics of the working-subset panel (subset against the whole pool).
SUBSET_METRICS = ("novelsum", "vendi", "tag_coverage", "mig_information")


def show_error(exc: BaseException) -> None:
    """Show ``exc`` in the page: its message for SiftError; message + traceback in an expander else."""
    if isinstance(exc, SiftError):  # messages name files, fields and ids from the data: never render them
        st.error(escape_md(exc))
        return
    st.error(escape_md(f"Something went wrong: {type(exc).__name__}: {exc}"))
    with st.expander("Details (traceback)"):
        st.exception(exc)


def require(fn, *args, **kwargs):
    """Call ``fn``; on any error show it with :func:`show_error` and stop the page.

    (st.stop/st.rerun raise BaseException subclasses, so they pass through untouched.)
    """
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a message, never a bare traceback
        show_error(exc)
        st.stop()


def skipped_note(skipped: Mapping[str, str]) -> None:
    """A caption naming the metrics that could not be computed on this pool, and why."""
    if skipped:
        st.caption("Not computed here: " + "; ".join(escape_md(f"{label} ({why})") for label, why in skipped.items()))


def measure_table(feats, fkey: str, indices: np.ndarray, names: Sequence[str] = SUBSET_METRICS) -> None:
    """A small table: each metric on the subset and on the whole pool (metrics whose needs are missing say so)."""
    specs = cached.metric_registry()
    rows = []
    for name in names:
        spec = specs.get(name)
        if spec is None:
            continue
        sub, sub_approx, err = cached.measure(fkey, name, indices, feats)
        whole, whole_approx, _ = cached.measure(fkey, name, None, feats)
        rows.append({"metric": spec.label, "direction": spec.direction, "subset": sub, "pool": whole,
                     "note": err or ("approximate (row-sampled)" if sub_approx or whole_approx else "")})
    st.dataframe(pd.DataFrame(rows), hide_index=True,
                 column_config={"subset": st.column_config.NumberColumn(format="%.4f"),
                                "pool": st.column_config.NumberColumn(format="%.4f")})
    st.caption("NovelSum measures the subset with the whole pool as the density reference; tag coverage counts "
               "labels of the subset over labels of the pool.")


def subset_panel(pool, feats, fkey: str, *, key: str, table_rows: int = 1000) -> None:
    """The working subset (from ui.state): its records, its measures against the pool, and its exports."""
    from ui.export_view import download_buttons

    idx = state.working_subset()
    if idx is None:
        st.info("No working subset yet: draw a box or lasso on the map, or use the picker below it.")
        return
    head, clear = st.columns([5, 1])
    head.subheader(f"Working subset: {plural(len(idx), 'record')}")
    if clear.button("Clear", key=f"{key}_clear", icon=":material/close:"):
        state.set_working_subset(None, "")
        st.rerun()
    st.caption(f"From {escape_md(state.working_subset_origin())}. Measures and exports cover all "
               f"{plural(len(idx), 'record')}.")
    records, measures, export = st.tabs(["Records", "Measures", "Export"])
    with records:
        more = f" (first {table_rows:,} shown)" if len(idx) > table_rows else ""
        st.caption(f"{plural(len(idx), 'record')}{more}")
        st.dataframe(pool.subset(idx[:table_rows]).to_frame(max_chars=160), hide_index=True, height=300)
    with measures:
        measure_table(feats, fkey, idx)
    with export:
        download_buttons(pool, idx, method="working subset",
                         params={"origin": state.working_subset_origin()}, key=f"{key}_dl")
