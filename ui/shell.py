"""The app's frame: page config, the router (``st.navigation`` over ``pages/``), the sidebar and its status line.

``app.py`` calls :func:`run_app`. Every page calls :func:`ensure_routed` first: Streamlit runs a ``pages/`` script
on its own (its legacy pages-directory mode) until some session has called ``st.navigation``, e.g. for a
server's first visitor opening a deep link such as ``/Novelty``, and AppTest starts every run that way. A page
run like that frames itself with :func:`run_app`, which calls ``st.navigation`` (documented to switch the app to
page-and-navigation mode for every session) and runs the page through it, then stops the outer run, so the
sidebar and the page's widgets are the same as in a routed run and no click is lost to a rerun.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import cached, state, workspace_view
from ui.forms import persist

ROOT = Path(__file__).resolve().parents[1]
#: (script, title, icon) of every page, in menu order.
PAGES = (
    ("pages/1_Dataset.py", "Dataset", ":material/table_view:"),
    ("pages/2_Map.py", "Map", ":material/scatter_plot:"),
    ("pages/3_Label_graph.py", "Label graph", ":material/hub:"),
    ("pages/4_Novelty.py", "Novelty", ":material/auto_awesome:"),
    ("pages/5_Selection.py", "Selection", ":material/filter_alt:"),
    ("pages/6_Compare.py", "Compare", ":material/compare_arrows:"),
    ("pages/7_Export.py", "Export", ":material/download:"),
)
VIEW_LABELS = {"instruction": "instruction", "instruction+response": "instruction + response"}
ROUTED = "_routed"  # session flag, set only while run_app runs the page it routed to


def shapes() -> list[str]:
    """Record shapes the sidebar offers: auto, then every core.data.shapes shape but the column mapping."""
    from core.data.shapes import SHAPES

    return ["auto"] + [s for s in SHAPES if s != "columns"]


def _defaults() -> None:
    # The threshold is not seeded here: its select_slider's first choice is the default ("auto"). It sits in a
    # collapsed expander, whose widgets the browser does not mount; a number slider seeded only through session
    # state fell back to its minimum (0.5) on the next page switch, silently changing every MIG run.
    d, ss = state.Settings(), st.session_state
    for key, value in ((state.K_SOURCE, d.source), (state.K_SHAPE, d.shape), (state.K_LENIENT, d.lenient),
                       (state.K_MODEL, d.model), (state.K_VIEW, d.view), (state.K_TURNS, d.turns),
                       (state.K_DEDUP, d.dedup)):
        ss.setdefault(key, value)


def sidebar():
    """Draw the dataset picker and settings; return the placeholder for the status line."""
    from ui import url_state

    url_state.restore()  # a refresh reopens the dataset and settings kept in the URL
    _defaults()
    with st.sidebar:
        st.subheader("Dataset")
        source = st.radio("Source", state.SOURCES, key=state.K_SOURCE, horizontal=True)
        if source == "File path":
            persist(state.K_PATH, "")
            st.text_input("Path", key=state.K_PATH, placeholder="/data/pool.jsonl",
                          help="A JSONL, JSON, CSV or Parquet file on this machine; it is only read.")
        elif source == "Upload":
            st.file_uploader("File", type=["jsonl", "json", "csv", "parquet"], key=state.K_UPLOAD)
        options = shapes()
        if st.session_state[state.K_SHAPE] not in options:
            st.session_state[state.K_SHAPE] = "auto"
        st.selectbox("Record shape", options, key=state.K_SHAPE,
                     help="auto detects Alpaca, ShareGPT, OpenAI messages and the MIG/Tulu annotated format.")
        st.checkbox("Lenient (skip bad records, list them)", key=state.K_LENIENT)
        st.toggle("Deduplicate before selecting", key=state.K_DEDUP,
                  help="Selection and Compare run every selector on one record per exact / near-duplicate / "
                       "template group (core.dedup, the CLI's --dedup); picks stay pool rows. The Dataset page "
                       "lists the groups.")
        status = st.empty()
        with st.expander("Embeddings and labels"):
            st.text_input("Embedding model", key=state.K_MODEL,
                          help="A sentence-transformers name or local path; the default is bundled (offline).")
            st.radio("Text to embed", state.VIEWS, key=state.K_VIEW, format_func=VIEW_LABELS.get)
            st.radio("Chat turns", state.TURNS, key=state.K_TURNS, horizontal=True,
                     help="first: the first user turn only; all: every turn of the dialogue.")
            # No value=: the default is the first choice, "auto", even in the collapsed expander, and the
            # Label graph page can set this key from its own control (a callback) without a duplicate warning.
            st.select_slider("Label graph threshold T", state.THRESHOLD_CHOICES, key=state.K_THRESHOLD,
                             format_func=lambda t: t if isinstance(t, str) else f"{t:.2f}",
                             help="Labels whose embeddings have cosine >= T are linked; the Label graph page and "
                                  "every selector use this T. auto (default) picks T from the label similarities "
                                  "of the model (>= 80% of labels get a neighbour, mean degree <= 10, T in "
                                  "[0.5, 0.9]); 0.90 is MIG's official value (set for a 7B label model).")
    url_state.remember()
    return status


def status_line(slot) -> None:
    """Records, shape and whether the pool is embedded yet (never loads or computes anything)."""
    if not cached.pool_ready():
        slot.caption("No dataset loaded yet")
        return
    p = cached.pool()
    ready = cached.features_ready()
    embedded = "embedded" if ready else "not embedded yet"
    graph_t = ""
    if ready:
        g = cached.features().graph
        if g is not None:
            how = "auto" if state.settings().threshold == state.THRESHOLD_AUTO else "fixed"
            graph_t = f" · label graph T = {g.threshold:.3f} ({how})"
    slot.caption(f"**{len(p):,}** records · shape **{p.shape}** · {embedded}{graph_t}")


def run_app() -> None:
    """Page config, navigation, sidebar, then the chosen page; the status line is redrawn after the page ran."""
    st.set_page_config(page_title="sift: instruction data selection", page_icon=":material/filter_alt:",
                       layout="wide")
    nav = st.navigation([st.Page(path, title=title, icon=icon) for path, title, icon in PAGES
                         if (ROOT / path).is_file()])
    slot = sidebar()
    status_line(slot)
    from ui.background import sidebar_jobs

    sidebar_jobs()  # what runs in the background (embedding, labels, map), on every page
    workspace_view.sync(state.selections())  # the workspace's runs of this pool: other sessions', the CLI's
    st.session_state[ROUTED] = True
    try:
        nav.run()  # every page loads the pool through ui.cached and shows load errors (file, line, field) itself
    finally:
        st.session_state.pop(ROUTED, None)
    status_line(slot)  # the page may have loaded or embedded the pool


def ensure_routed() -> None:
    """First line of every page: when Streamlit ran this page script on its own (not through :func:`run_app`),
    frame it with the router and the sidebar, run it through them, and end this outer run."""
    if st.session_state.get(ROUTED):
        return
    run_app()
    st.stop()
