"""Map: every record of the pool in 2-D (UMAP, or the pool's own coordinate columns), coloured by anything.

Up to ``MAX_DRAWN`` points in view are all drawn (WebGL); above that a density layer with a seeded sample on top,
and "Zoom to the selection" redraws the selected region with every point in it. A box or lasso becomes the
working subset through the coordinates (every record in the region, whatever is drawn); a click on a point opens
its record; search matches and rows picked in the tables are highlighted on the map.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.errors import SiftError
from ui import map_view as mv
from ui import cached, shell, state
from ui.figures import (DENSITY_SAMPLE, MATCH_COLOR, MAX_DRAWN, PICKED_COLOR, RECORD_COLOR, SUBSET_COLOR,
                        pool_map_figure)
from ui.record_view import show_record
from ui.text import escape_md, html_text
from ui.components import require
from ui.forms import persist, valid_choice
from ui.label_layout import dropped_names, dropped_note

shell.ensure_routed()

SEARCH, VIEW, RECORD = "_map_search", "_map_view", "_map_record"
#: USER_EVENT: the chart's selection changed by the user's hand; LIVE: the subset the chart's own selection
#: shows; DRAWN: the key of the figure drawn last; FIGURE: (key, figure) cached; REVISION: bumped to drop the
#: chart's selection (the Clear button).
USER_EVENT, LIVE, DRAWN, FIGURE, REVISION = "_map_user_event", "_map_live", "_map_drawn", "_map_fig", "_map_rev"
SEMANTIC = "records like this text"
#: The chart's drag modes (plotly dragmode): a click opens a record only in pan mode (Streamlit turns clicks off
#: while box or lasso select is on).
DRAG_MODES = {"pan, click a point": "pan", "box select": "select", "lasso select": "lasso"}
SEARCH_MODES = ("text", "regex", SEMANTIC)
TABLE_ROWS = 1000
#: Working subsets up to this size are measured and their export files built as soon as they are made.
EAGER_MAX = 5000


def search_box(pool, feats) -> None:
    """Text / regex / semantic search; the result (rows, scores, what was asked) is kept in the session."""
    from core.search import ALL_TEXT, search_pool, searchable_fields, semantic_search

    with st.form("map_search_form", border=False):
        c1, c2, c3, c4 = st.columns([2, 2, 5, 2], vertical_alignment="bottom")
        mode = c1.selectbox("Search", SEARCH_MODES, key="map_search_mode")
        fields = searchable_fields(pool)
        field = c2.selectbox("in", fields, key="map_search_field", disabled=False,
                             help="Text and regex search one field (or all text of each record); "
                                  "'records like this text' embeds the query and ranks by cosine.")
        query = c3.text_input("Query", key="map_search_query", placeholder="a word, a regex, or any text")
        submitted = c4.form_submit_button("Search", icon=":material/search:")
    ss = st.session_state
    if submitted:
        if not query.strip():
            ss.pop(SEARCH, None)
            return
        try:
            if mode == SEMANTIC:
                if feats.embeddings is None:
                    raise SiftError("semantic search needs the pool's embeddings")
                idx, sims = semantic_search(query, feats.embeddings, model=state.settings().model, k=50)
                ss[SEARCH] = {"rows": idx, "scores": sims, "what": f"the 50 records most like {query!r}",
                              "mode": mode}
            else:
                texts = _field_texts(state.pool_key(), field, pool)
                r = search_pool(pool, query, field=field, mode=mode, texts=texts)
                where = "all text" if field == ALL_TEXT else f"field {field}"
                ss[SEARCH] = {"rows": r.indices, "scores": None, "mode": mode,
                              "what": f"{mode} search for {query!r} in {where}"}
        except SiftError as exc:
            ss.pop(SEARCH, None)
            st.error(escape_md(exc))


@st.cache_data(max_entries=4, show_spinner="Indexing the text ...")
def _field_texts(key: str, field: str, _pool) -> list[str]:
    from core.search import field_texts

    return field_texts(_pool, field)


def _chart_changed() -> None:
    """on_select callback: the user changed the chart's selection (a box, a lasso, a click, or a double-click
    that cleared it). A redraw that resets the chart sends nothing, so only these reach apply_event."""
    st.session_state[USER_EVENT] = True


def apply_event(xy: np.ndarray, event) -> None:
    """Apply a selection the user just made on the chart: a box/lasso becomes the working subset (every row
    inside it, from the coordinates), a box/lasso around one point or a click on a point opens its record, and a
    cleared selection (double-click) clears the working subset it had made. ``LIVE`` remembers the subset the
    chart itself shows (its selection), so the page does not draw it again and the figure stays the same."""
    parsed = mv.parse_event(event)
    ss = st.session_state
    live = ss.pop(LIVE, None)
    if parsed["boxes"] or parsed["lassos"]:
        ss["_map_region"] = mv.bounds(xy, parsed)
        idx = mv.region_of(xy, parsed)
        how = "lasso" if parsed["lassos"] else "box"
        if len(idx) == 1:  # a region around one point opens that record (the subset stays as it is)
            ss[RECORD] = int(idx[0])
        elif len(idx):
            state.set_working_subset(idx, f"a {how} selection on the map")
            ss[LIVE] = {"subset": mv.signature(state.working_subset()), "figure": ss.get(DRAWN)}
        else:
            st.toast("No record inside that region.")
    elif parsed["rows"]:  # a click on a point (it replaces the chart's selection)
        ss[RECORD] = int(parsed["rows"][0])
    elif live is not None and live["subset"] == mv.signature(state.working_subset()):
        state.set_working_subset(None, "")  # the selection that made the subset was cleared on the chart
        ss.pop("_map_region", None)


def table_picks(key: str, rows: np.ndarray) -> np.ndarray:
    """Pool rows picked in table ``key`` (its selection state, read before the table is drawn this run)."""
    ev = st.session_state.get(key)
    picked = []
    try:
        picked = list(ev.selection.rows) if ev is not None else []
    except AttributeError:
        picked = list((ev or {}).get("selection", {}).get("rows", []))
    picked = [r for r in picked if 0 <= r < len(rows)]
    return rows[picked] if picked else np.zeros(0, dtype=np.int64)


def record_table(pool, feats, rows: np.ndarray, key: str, caption: str, extra=None) -> None:
    shown = rows[:TABLE_ROWS]
    more = f" (first {TABLE_ROWS:,} shown)" if len(rows) > TABLE_ROWS else ""
    st.caption(caption + more + ". Pick rows to highlight them on the map; pick one to open it.")
    st.dataframe(mv.key_frame(pool, shown, feats, extra), hide_index=True, height=300, key=key,
                 on_select="rerun", selection_mode="multi-row")


def picker(pool, feats, k: int, names) -> None:
    """Widget fallback: pick clusters, labels or categories (all rows, whatever the map draws)."""
    from collections import Counter

    with st.expander("Pick a subset without the mouse", icon=":material/checklist:"):
        kinds = ["clusters"] + (["labels"] if feats.label_sets is not None else []) + \
                (["categories"] if pool.categories is not None else [])
        kind = st.radio("By", kinds, horizontal=True, key="map_pick_kind")
        if kind == "clusters":
            c = cached.clusters(k)
            counts = np.bincount(c, minlength=k)
            label = (lambda i: f"{i}: {names[i].name} ({counts[i]:,})") if names else \
                (lambda i: f"cluster {i} ({counts[i]:,})")
            chosen = st.multiselect("Clusters", list(range(k)), key="map_pick_clusters", format_func=label)
            idx = np.flatnonzero(np.isin(c, chosen))
        elif kind == "labels":
            counts = Counter(lab for labels in feats.label_sets for lab in set(labels))
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
            st.rerun()


st.title("Map")
p = require(cached.pool)
f = require(cached.features)
n = len(p)
ss = st.session_state

# ---------------------------------------------------------------- controls
xy_fields = mv.coordinate_choice(p)
sources = [mv.DATA_XY, mv.UMAP] if xy_fields else [mv.UMAP]
persist("map_xy_source", sources[0])
valid_choice("map_xy_source", sources, sources[0])
options = mv.colour_options(p, f)
request = ss.pop(state.MAP_COLOR_REQUEST, None)
if request in options:
    ss["map_color"] = request
for key, default in (("map_color", mv.CLUSTER), ("map_k", 8), ("map_topn", 10), ("map_size", 4.0),
                     ("map_opacity", 0.7)):
    persist(key, default)
valid_choice("map_color", options, mv.CLUSTER)
c1, c2, c3, c4, c5 = st.columns([3, 2, 2, 2, 2])
color_by = c1.selectbox("Colour by", options, key="map_color",
                        format_func=lambda o: mv.quality_name(f) if o == mv.QUALITY else o)
k = c2.slider("Clusters (k-means)", 2, 30, key="map_k")
top_n = c3.slider("Top labels", 3, 19, key="map_topn", disabled=color_by != mv.LABEL)
size = c4.slider("Point size", 1.0, 12.0, step=0.5, key="map_size")
opacity = c5.slider("Opacity", 0.05, 1.0, step=0.05, key="map_opacity")
c1, c2, c3, c4, c5 = st.columns([3, 2, 2, 2, 2])
if len(sources) > 1:
    c1.radio("Coordinates", sources, key="map_xy_source", horizontal=True,
             help=f"The pool has coordinate columns ({', '.join(xy_fields)}); UMAP is computed from the embeddings.")
persist("map_density", n > 20_000)
shade = c2.toggle("Density shading", key="map_density",
                  help="A grey log-count heatmap under the points, so overplotted regions read as dense.")
show_names = c3.toggle("Cluster names on the map", value=True, key="map_names")
persist("map_limit", MAX_DRAWN)
limit = int(c4.number_input("Points drawn at most", 100, MAX_DRAWN, step=10_000, key="map_limit",
                            help=f"Every point in view is drawn (WebGL) up to this many (default {MAX_DRAWN:,}); "
                                 "above it a density layer of every point with a seeded sample on top. Lower it "
                                 "on a slow machine."))
dragmode = DRAG_MODES[c5.radio("Mouse drag", list(DRAG_MODES), key="map_drag", horizontal=False,
                               help="Pan: drag moves the map, a click on a point opens its record. Box / lasso: "
                                    "drag a region to make every record inside it the working subset (the "
                                    "chart's toolbar switches too).")]
xy = require(mv.coordinates, p, ss.get("map_xy_source", sources[0]))

search_box(p, f)
# the chart's selection from the last interaction is in the session before the chart is drawn again: apply it
# first, so the new subset / open record is drawn in this same run (no second run)
if ss.pop(USER_EVENT, False):
    apply_event(xy, ss.get("map_chart"))

# ---------------------------------------------------------------- what is drawn
view = ss.get(VIEW)
in_view = mv.rows_in_view(xy, view)
rows, dense = mv.drawn_rows(in_view, limit, DENSITY_SAMPLE)
try:
    colours = mv.colouring(color_by, p, f, k, top_n)
except SiftError as exc:  # e.g. no novelty on a pool of fewer than 11 distinct records
    st.warning(escape_md(f"Cannot colour by {color_by} on this pool: {exc}. Showing clusters instead."))
    color_by = mv.CLUSTER
    colours = require(mv.colouring, mv.CLUSTER, p, f, k, top_n)

labels = []
names = None
if color_by == mv.CLUSTER or show_names:
    from core.cluster_names import cluster_centres

    cids = cached.clusters(k)
    names = mv.cluster_names(state.embed_key(), k, cids, f.label_sets, f.texts)
    if show_names:
        centres = cluster_centres(xy, cids)
        labels = [(float(centres[c.cluster, 0]), float(centres[c.cluster, 1]),
                   html_text(f"{' · '.join(c.terms[:2]) or c.name} ({c.size:,})")) for c in names if c.size and np.isfinite(centres[c.cluster]).all()]
        if view is not None:
            labels = [(x, y, t) for x, y, t in labels
                      if view[0][0] <= x <= view[0][1] and view[1][0] <= y <= view[1][1]]

overlays = []
ws = state.working_subset()
live = ss.get(LIVE)
# the subset made by the chart's own box/lasso is shown by the chart's selection as long as the figure under it
# is the one it was drawn on: drawing it again would change the figure, and Streamlit would reset the chart
# (its selection, so a double-click could no longer clear it)
ws_live = ws is not None and live is not None and live["subset"] == mv.signature(ws)
if ws is not None and color_by != mv.SUBSET:
    overlays.append(("ws", mv.signature(ws)))
search = ss.get(SEARCH)
if search is not None and len(search["rows"]):
    overlays.append(("search", mv.signature(search["rows"])))
picked = np.union1d(table_picks("map_table_ws", ws if ws is not None else np.zeros(0, np.int64)),
                    table_picks("map_table_search", search["rows"] if search else np.zeros(0, np.int64)))
if len(picked):
    overlays.append(("picked", mv.signature(picked)))
    if len(picked) == 1 and ss.get("_map_pick_sig") != int(picked[0]):
        ss[RECORD] = int(picked[0])  # a newly picked single row opens; a click on the map may replace it
    ss["_map_pick_sig"] = int(picked[0]) if len(picked) == 1 else None
else:
    ss["_map_pick_sig"] = None
record = ss.get(RECORD)
if record is not None and not 0 <= record < n:
    record = None
    ss.pop(RECORD, None)
if record is not None:
    overlays.append(("record", record))

base_key = mv.signature(state.pool_key(), state.features_key(), ss.get("map_xy_source"), color_by, k, top_n, size,
                        opacity, shade, labels, view, limit, ss.get(REVISION, 0), dragmode,
                        *[colours[c] for c in sorted(colours)])
if ws_live and mv.signature(base_key, [o for o in overlays if o[0] != "ws"]) == live["figure"]:
    overlays = [o for o in overlays if o[0] != "ws"]
elif ws_live:
    ss.pop(LIVE, None)  # the figure changed under the selection: the subset is drawn as a layer from now on
fig_key = mv.signature(base_key, overlays)
cached_fig = ss.get(FIGURE)
if cached_fig is not None and cached_fig[0] == fig_key:
    fig = cached_fig[1]  # the same figure object: Streamlit sends the chart by reference, the chart keeps its state
else:
    layers = {"ws": lambda: mv.overlay(xy, ws, "working subset", SUBSET_COLOR, "circle-open", size + 4, p.ids),
              "search": lambda: mv.overlay(xy, search["rows"], "search matches", MATCH_COLOR, "diamond", size + 5,
                                           p.ids),
              "picked": lambda: mv.overlay(xy, picked, "picked in a table", PICKED_COLOR, "star", size + 9, p.ids),
              "record": lambda: mv.overlay(xy, np.array([record]), "open record", RECORD_COLOR, "circle-open-dot",
                                           size + 14, p.ids)}
    kwargs = {key: (value[rows] if key in ("groups", "values") else value) for key, value in colours.items()}
    fig = pool_map_figure(xy[rows], rows, **kwargs,
                          hover_text=mv.hover_texts(mv.signature(state.pool_key(), rows), rows, p),
                          density=xy[in_view] if (dense or shade) else None, marker_size=size, opacity=opacity,
                          labels=labels, overlays=[layers[o[0]]() for o in overlays], view=view, dragmode=dragmode,
                          selection_revision=ss.get(REVISION, 0))
    ss[FIGURE] = (fig_key, fig)
ss[DRAWN] = mv.signature(base_key, overlays)
drawn = (f"all {len(rows):,} points in view drawn" if not dense else
         f"{len(in_view):,} points in view (more than the {limit:,} drawn at most): a density layer (every point) "
         f"with a seeded sample of {len(rows):,} drawn on top; select a region and press 'Zoom to the selection' "
         f"to draw every point in it")
st.caption(f"{n:,} records · {drawn}. Coordinates: {escape_md(ss.get('map_xy_source', sources[0]))}"
           + (f" · colour: {escape_md(mv.quality_name(f))} (a heuristic proxy, core.quality)"
              if color_by == mv.QUALITY and f.quality_is_proxy else ""))
st.plotly_chart(fig, key="map_chart", on_select=_chart_changed, selection_mode=("points", "box", "lasso"),
                config={"displaylogo": False, "scrollZoom": True})
not_drawn = dropped_names(fig)
if not_drawn:  # place_labels left these out: say so rather than let a cluster look unnamed
    st.caption(escape_md(dropped_note(not_drawn)) + ". 'Zoom to the selection' or fewer clusters makes room; "
               "every name is listed under 'Named clusters' below.")
    if len(not_drawn) > 5:
        with st.expander(f"The {len(not_drawn):,} cluster names not drawn", icon=":material/visibility_off:"):
            st.markdown("\n".join(f"- {escape_md(name)}" for name in not_drawn))

z1, z2, z3 = st.columns([2, 2, 6])
region = ss.get("_map_region")
if z1.button("Zoom to the selection", key="map_zoom", icon=":material/zoom_in:", disabled=region is None):
    ss[VIEW] = region
    st.rerun()
if z2.button("Whole map", key="map_unzoom", icon=":material/zoom_out_map:", disabled=view is None):
    ss.pop(VIEW, None)
    st.rerun()
z3.caption("Click a point to open its record (mouse drag: pan; so does picking one row in a table). With box or "
           "lasso select, drag a region to make every record inside it the working subset; a double-click on the "
           "map or 'Clear' under it drops that subset.")
if names is not None:
    with st.expander(f"Named clusters (k = {k}; names from the {names[0].source if names else 'labels'}, "
                     "class-based TF-IDF)", icon=":material/label:"):
        import pandas as pd

        st.dataframe(pd.DataFrame([{"cluster": c.cluster, "records": c.size, "name": c.name,
                                    "top terms": ", ".join(c.terms)} for c in names]), hide_index=True)

picker(p, f, k, names)

# ---------------------------------------------------------------- linked records
st.divider()
if search is not None:
    st.subheader(f"Search: {len(search['rows']):,} matches")
    st.caption(escape_md(search["what"]) + " · matches are red diamonds on the map.")
    if len(search["rows"]):
        extra = {"cosine": search["scores"]} if search["scores"] is not None else None
        record_table(p, f, search["rows"], "map_table_search", f"{len(search['rows']):,} matching records", extra)
        if st.button("Use the matches as the working subset", key="map_search_ws"):
            state.set_working_subset(search["rows"], escape_md(search["what"]))
            st.rerun()
    if st.button("Clear the search", key="map_search_clear"):
        ss.pop(SEARCH, None)
        st.rerun()

if record is not None:
    st.subheader("Record")
    extra = {}
    if names is not None:
        c = names[int(cached.clusters(k)[record])]
        extra["cluster"] = f"{c.cluster}: {c.name}"
    extra["map x, y"] = f"{xy[record, 0]:.3f}, {xy[record, 1]:.3f}"
    show_record(p, record, key="map_record", extra=extra)

if ws is None:
    st.info("No working subset yet: draw a box or lasso on the map, or use the search.")
else:
    head, clear = st.columns([5, 1])
    head.subheader(f"Working subset: {len(ws):,} records")
    if clear.button("Clear", key="map_ws_clear", icon=":material/close:"):
        state.set_working_subset(None, "")
        ss.pop(LIVE, None)
        ss.pop("_map_region", None)
        ss[REVISION] = ss.get(REVISION, 0) + 1  # a new figure revision drops the box/lasso drawn on the chart
        st.rerun()
    st.caption(f"From {escape_md(state.working_subset_origin())}; drawn with black rings on the map. Measures and "
               f"exports cover all {len(ws):,} records.")
    t1, t2, t3 = st.tabs(["Records", "Measures", "Export"])
    big = len(ws) > EAGER_MAX  # large subsets are measured and exported on request, so selecting stays fast
    with t1:
        record_table(p, f, ws, "map_table_ws", f"{len(ws):,} records")
    with t2:
        from ui.components import measure_table

        if not big or st.toggle(f"Measure these {len(ws):,} records", key="map_ws_measure"):
            measure_table(f, state.features_key(), ws)
    with t3:
        from ui.export_view import download_buttons

        if not big or st.toggle(f"Prepare the export of {len(ws):,} records", key="map_ws_export"):
            download_buttons(p, ws, method="working subset", params={"origin": state.working_subset_origin()},
                             key="map_ws_dl")
