"""Dataset: what was loaded (shape, counts, problems), a filterable table, one record in full, and embedding."""

from __future__ import annotations

from collections import Counter
from typing import Optional

import numpy as np
import pandas as pd
import streamlit as st

from ui import cached, shell, state
from ui.components import require
from ui.forms import persist
from ui.record_view import record_parts, show_record
from ui.tables import dataset_frame
from ui.text import escape_md, plural

shell.ensure_routed()

TABLE_ROWS = 1000
DETAIL_CHOICES = 2000


@st.cache_resource(max_entries=3, show_spinner="Indexing the records ...")
def _index(key: str, _pool) -> dict:
    """Display frame, lower-cased search text and tag/category counts of one pool (cached per pool key)."""
    frame = _pool.to_frame(max_chars=200)  # ordered, with the other fields, by ui.tables.dataset_frame
    haystack = pd.Series([f"{q}\n{a}".lower() for q, a in zip(_pool.instructions, _pool.responses)])
    tags = _pool.tags
    tag_counts = Counter(t for ts in tags for t in set(ts)) if tags is not None else Counter()
    cats = _pool.categories
    cat_counts = Counter(c for c in cats if c) if cats is not None else Counter()
    return {"frame": frame, "haystack": haystack, "tags": tag_counts, "categories": cat_counts}


def _mask(pool, idx: dict, text: str, cats: list, tags: list, qrange) -> np.ndarray:
    """Boolean mask of the records matching every active filter."""
    n = len(pool)
    mask = np.ones(n, dtype=bool)
    if text.strip():
        mask &= idx["haystack"].str.contains(text.strip().lower(), regex=False).to_numpy()
    if cats:
        wanted = set(cats)
        mask &= np.fromiter((c in wanted for c in pool.categories), dtype=bool, count=n)
    if tags:
        wanted = set(tags)
        mask &= np.fromiter((not wanted.isdisjoint(ts) for ts in pool.tags), dtype=bool, count=n)
    if qrange is not None:
        q = pool.quality
        with np.errstate(invalid="ignore"):
            mask &= (q >= qrange[0]) & (q <= qrange[1])
    return mask


def summary(pool) -> None:
    """Shape, counts and lenient-mode problems."""
    n = len(pool)
    tags, quality, cats = pool.tags, pool.quality, pool.categories
    cols = st.columns(5)
    cols[0].metric("Records", f"{n:,}")
    cols[1].metric("Fields", f"{len(pool.fields):,}")
    cols[2].metric("With tags", f"{sum(1 for t in tags if t):,}" if tags is not None else "none")
    cols[3].metric("With quality",
                   f"{int(np.isfinite(quality).sum()):,}" if quality is not None else "none · ≈ proxy",
                   help="records with a quality score from the data (a 'quality'/'score' column or DEITA scores); "
                        "without one, quality-driven selectors use the heuristic proxy (core.quality), and "
                        "exports name that column quality_proxy")
    cols[4].metric("With category", f"{sum(1 for c in cats if c):,}" if cats is not None else "none")
    # file and field names come from the user's data: escaped, never Markdown
    st.caption(f"Shape detected: **{pool.shape}** · format {pool.format} · file {escape_md(pool.name)} · "
               f"sha256 `{pool.file_sha256[:12]}…` · fields: {escape_md(', '.join(map(str, pool.fields[:20])))}"
               + (f" and {len(pool.fields) - 20:,} more" if len(pool.fields) > 20 else ""))
    if pool.problems:
        st.warning(f"{plural(len(pool.problems), 'line')} {'was' if len(pool.problems) == 1 else 'were'} skipped "
                   "(lenient mode); they are listed below.")
        with st.expander("Skipped lines"):
            st.dataframe(pd.DataFrame([p.as_dict() for p in pool.problems]), hide_index=True)


def filters(pool, idx: dict) -> np.ndarray:
    """The filter widgets; returns the matching row indices."""
    c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
    persist("ds_search", "")
    text = c1.text_input("Search instruction and response", key="ds_search", placeholder="e.g. python")
    cats = (c2.multiselect(escape_md(pool.fieldmap.category or "Category"), sorted(idx["categories"]), key="ds_cats")
            if idx["categories"] else [])
    tags = (c3.multiselect("Tags (any of)", [t for t, _ in idx["tags"].most_common()], key="ds_tags")
            if idx["tags"] else [])
    qrange = None
    q = pool.quality
    if q is not None and np.isfinite(q).any():
        lo, hi = float(np.nanmin(q)), float(np.nanmax(q))
        if hi > lo:
            chosen = c4.slider("Quality", lo, hi, (lo, hi), key="ds_quality")
            if chosen != (lo, hi):
                qrange = chosen
    mask = _mask(pool, idx, text, cats, tags, qrange)
    c1, c2, c3 = st.columns([2, 2, 3])
    persist("ds_col", "(none)")
    fields = ["(none)"] + list(pool.fields)
    if st.session_state.get("ds_col") not in fields:
        st.session_state["ds_col"] = "(none)"
    field = c1.selectbox("Filter any column", fields, key="ds_col",
                         help="Records whose value in this column contains the text (case-insensitive); lists "
                              "are read as their items joined with ', ', other values as JSON.")
    persist("ds_col_text", "")
    needle = c2.text_input("contains", key="ds_col_text", disabled=field == "(none)")
    how = c3.radio("as", ["text", "regex"], key="ds_col_mode", horizontal=True, disabled=field == "(none)")
    values = _column_values(state.pool_key(), field, pool) if field != "(none)" else None
    if values:  # a column of few distinct values (e.g. source, license): pick values too
        persist("ds_col_values", [])
        ss = st.session_state
        ss["ds_col_values"] = [v for v in ss.get("ds_col_values", []) if v in values]
        wanted = st.multiselect(f"{escape_md(field)} is one of", list(values), key="ds_col_values",
                                format_func=lambda v: f"{v or '(empty)'} ({values[v]:,})")
        if wanted:
            texts = _column_texts(state.pool_key(), field, pool)
            keep = set(wanted)
            mask &= np.fromiter((t in keep for t in texts), dtype=bool, count=len(pool))
    if field != "(none)" and needle.strip():
        from core.errors import SiftError
        from core.search import search_pool

        try:
            hits = search_pool(pool, needle.strip(), field=field, mode=how,
                               texts=_column_texts(state.pool_key(), field, pool)).indices
            col = np.zeros(len(pool), dtype=bool)
            col[hits] = True
            mask &= col
        except SiftError as exc:
            st.error(escape_md(exc))
    return np.flatnonzero(mask)


@st.cache_data(max_entries=4, show_spinner=False)
def _column_texts(key: str, field: str, _pool) -> list[str]:
    from core.search import field_texts

    return field_texts(_pool, field)


#: A column with at most this many distinct values gets an "is one of" picker beside its text filter, on pools of
#: at most PICK_MAX_RECORDS records (finding the distinct values reads every record; the category column has its
#: own picker whatever the size).
MAX_PICK_VALUES = 60
PICK_MAX_RECORDS = 200_000


@st.cache_data(max_entries=8, show_spinner="Reading the column's values ...")
def _column_values(key: str, field: str, _pool) -> dict:
    """value -> count of a column (its text as the column filter reads it), most common first, or {} when it holds
    more than MAX_PICK_VALUES distinct values (the scan stops there) or the pool is larger than PICK_MAX_RECORDS."""
    from core.data.shapes import get_path
    from core.search import DERIVED, cell_text

    if len(_pool) > PICK_MAX_RECORDS or (field in DERIVED and field not in _pool.fields):
        return {}
    counts: Counter = Counter()
    for record in _pool.records:
        counts[cell_text(get_path(record, field))] += 1
        if len(counts) > MAX_PICK_VALUES:
            return {}
    return dict(counts.most_common())


def table(pool, idx: dict, rows: np.ndarray) -> Optional[int]:
    """The matching records (key columns first); returns the pool row picked in the table, if any."""
    n = len(pool)
    shown = rows[:TABLE_ROWS]
    more = f" (showing the first {TABLE_ROWS:,})" if len(rows) > TABLE_ROWS else ""
    st.caption(f"**{len(rows):,}** of {n:,} records match{more}. Click a row to read the record.")
    import hashlib

    # keyed by the matching rows, so a row picked before the filters changed never points at another record
    key = "ds_table_" + hashlib.blake2b(np.ascontiguousarray(rows).tobytes(), digest_size=8).hexdigest()
    fm = pool.fieldmap
    columns = pool.load_options.get("columns")
    frame = dataset_frame(idx["frame"].iloc[shown], [record_parts(pool.records[int(i)], pool.shape, columns)[1]
                                                     for i in shown],
                          category=fm.category or ("category" if pool.categories is not None else None),
                          has_quality=pool.quality is not None, has_tags=pool.tags is not None,
                          skip={f for f in (fm.id, fm.tags, fm.quality, fm.embedding, "_id") if f})
    event = st.dataframe(frame, hide_index=True, height=380, key=key,
                         on_select="rerun", selection_mode="single-row",
                         column_config={"quality": st.column_config.NumberColumn(format="%.2f")})
    picked = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    row = int(shown[picked[0]]) if picked and picked[0] < len(shown) else None
    if 0 < len(rows) < n and st.button(f"Use these {plural(len(rows), 'record')} as the working subset",
                                       key="ds_use_subset"):
        state.set_working_subset(rows, "dataset filter")
        st.success("Working subset set: see it on the Map page, measure it, export it.")
    return row


def detail(pool, rows: np.ndarray, picked: Optional[int] = None) -> None:
    """One record, readable (ui.record_view): the row picked in the table (when it is new), else the selector's."""
    st.subheader("Record")
    ids = pool.ids
    if not len(rows):  # nothing matches: show no record rather than one the filters exclude
        st.session_state.pop("ds_record", None)
        st.info("No record matches the filters.")
        return
    choices = [ids[i] for i in rows[:DETAIL_CHOICES]]
    ss = st.session_state
    if picked is not None and ss.get("_ds_picked") != ids[picked] and ids[picked] in choices:
        ss["ds_record"] = ids[picked]
    ss["_ds_picked"] = ids[picked] if picked is not None else None
    if ss.get("ds_record") not in choices:  # filtered out: never show a stale id
        ss.pop("ds_record", None)
    rid = st.selectbox("Record id", choices, key="ds_record",
                       help=f"The first {DETAIL_CHOICES:,} matching records; narrow the filters to reach others.")
    if rid is None:
        return
    row = _ids_lookup(state.pool_key(), ids)[rid]
    show_record(pool, row, key="ds_record_view")
    with st.expander("Keep/drop marks (used by Selection's Constraints)"):
        from ui.constraints_view import marks_panel

        marks_panel(pool, rows, row, key="ds_marks")


@st.cache_resource(max_entries=3, show_spinner=False)
def _ids_lookup(key: str, _ids) -> dict:
    """id -> row of one pool (cached per pool key)."""
    return {r: i for i, r in enumerate(_ids)}


def embedding_panel() -> None:
    st.subheader("Embeddings")
    if cached.features_ready():
        features_summary(cached.features())
        return
    s = state.settings()
    st.write(f"Not embedded yet. Model {escape_md(s.model)}, text: {s.view}, chat turns: {s.turns}. The Map, "
             "Novelty and Compare pages embed the pool when opened. The Label graph and Selection pages embed it "
             "only when they need vectors: the pool's own tags are reused as labels (the Label graph waits for "
             "embeddings only when the pool has no tags), and Selection asks only for what the chosen selector "
             "needs (random, or MIG on the data's tags, never waits).")
    if st.button("Embed now", type="primary", key="ds_embed"):
        f = require(cached.features)
        features_summary(f)


def features_summary(f) -> None:
    top, bottom = st.columns(2), st.columns(2)
    top[0].metric("Embedding dim", f.embeddings.shape[1] if f.embeddings is not None else "none")
    top[1].metric("Records with labels", f"{sum(1 for ls in f.label_sets if ls):,}" if f.label_sets else "none")
    bottom[0].metric("Label vocabulary", f"{len(f.graph.labels):,}" if f.graph is not None else "none")
    bottom[1].metric("Graph edges", f"{f.graph.n_edges:,}" if f.graph is not None else "none",
                     help=f"label pairs with cosine >= T = {f.graph.threshold:.3f} "
                          f"({f.extra.get('graph_threshold_rule') or 'threshold rule not recorded'})"
                     if f.graph is not None else None)
    notes = []
    labels = f.extra.get("labels")
    if labels is not None:
        where = {"data": "from the data's tags", "auto_tags": "automatic tags (no tags in the data)"}
        notes.append(f"labels: {where.get(labels.source, labels.source)}"
                     + (f", {labels.n_empty:,} records without a label" if labels.n_empty else ""))
    quality = f.extra.get("quality")
    if quality is not None:
        notes.append(f"quality: {quality.note or quality.source}")
    elif f.extra.get("quality_error") is not None:
        notes.append(f"quality not usable, selectors that rank by quality refuse this pool (the others run): "
                     f"{f.extra['quality_error']}")
    elif f.quality_is_proxy:
        notes.append("quality is the heuristic proxy (the pool has no quality column)")
    if notes:
        st.caption(escape_md(" · ".join(notes)))


st.title("Dataset")
p = require(cached.pool)
summary(p)
index = _index(state.pool_key(), p)
matching = filters(p, index)
picked_row = table(p, index, matching)
detail(p, matching, picked_row)
embedding_panel()
with st.expander("Duplicates: exact, near-duplicate and template groups", expanded=False):
    from ui.dedup_view import duplicates_section

    duplicates_section(p, require(cached.duplicates), state.settings().dedup)
