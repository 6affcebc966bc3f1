"""sift: look at, measure and select instruction-tuning data. Run with ``streamlit run app.py``.

This file is the router: page config, the sidebar (dataset picker and embedding settings) and st.navigation.
The pages live in ``pages/``; shared state in ``ui/state.py``; the work in ``core/``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import state

HERE = Path(__file__).resolve().parent
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


def _shapes() -> list[str]:
    try:
        from core.data.shapes import SHAPES
    except ImportError:
        return ["auto"]
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


def sidebar() -> st.delta_generator.DeltaGenerator:
    """Draw the dataset picker and settings; return the placeholder for the status line."""
    from ui.widgets import persist

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
        shapes = _shapes()
        if st.session_state[state.K_SHAPE] not in shapes:
            st.session_state[state.K_SHAPE] = "auto"
        st.selectbox("Record shape", shapes, key=state.K_SHAPE,
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
            st.select_slider("Label graph threshold T", state.THRESHOLD_CHOICES, key=state.K_THRESHOLD, format_func=lambda t: t if isinstance(t, str) else f"{t:.2f}",
                             help="Labels whose embeddings have cosine >= T are linked; the Label graph page and "
                                  "every selector use this T. auto (default) picks T from the label similarities "
                                  "of the model (>= 80% of labels get a neighbour, mean degree <= 10, T in "
                                  "[0.5, 0.9]); 0.90 is MIG's official value (set for a 7B label model).")
    return status


def status_line(slot) -> None:
    """Records, shape and whether the pool is embedded yet (never loads or computes anything)."""
    if not state.pool_ready():
        slot.caption("No dataset loaded yet")
        return
    p = state.pool()
    embedded = "embedded" if state.features_ready() else "not embedded yet"
    graph_t = ""
    if state.features_ready():
        g = state.features().graph
        if g is not None:
            how = "auto" if state.settings().threshold == state.THRESHOLD_AUTO else "fixed"
            graph_t = f" · label graph T = {g.threshold:.3f} ({how})"
    slot.caption(f"**{len(p):,}** records · shape **{p.shape}** · {embedded}{graph_t}")


def main() -> None:
    st.set_page_config(page_title="sift: instruction data selection", page_icon=":material/filter_alt:",
                       layout="wide")
    pages = [st.Page(path, title=title, icon=icon) for path, title, icon in PAGES if (HERE / path).is_file()]
    nav = st.navigation(pages)
    st.session_state[state.ROUTED] = True
    slot = sidebar()
    status_line(slot)
    nav.run()  # every page loads the pool through ui.state and shows load errors (file, line, field) itself
    status_line(slot)  # the page may have loaded or embedded the pool


main()
