"""Per-session app state: the sidebar settings, the fingerprints of what they define, selections, working subset.

Everything here lives in ``st.session_state`` (one browser session); the heavy objects those settings define
(pool, features, novelty, ...) are in ``ui.cached``. Selections and the working subset are row indices into the
pool, so they are cleared when the pool changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np
import streamlit as st

from core.defaults import (DEFAULT_MODEL, DEFAULT_SHAPE, DEFAULT_THRESHOLD_MODE, DEFAULT_TURNS,
                           DEFAULT_VIEW, TURNS, VIEWS)
from core.errors import SiftError
from core.selection import Selection

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PATH = ROOT / "sample_data" / "instructions.jsonl"

# Sidebar widget keys (drawn by ui.shell; read here).
K_SOURCE, K_PATH, K_UPLOAD = "src_kind", "src_path", "src_upload"
K_SHAPE, K_LENIENT = "src_shape", "src_lenient"
K_MODEL, K_VIEW, K_TURNS, K_THRESHOLD = "emb_model", "emb_view", "emb_turns", "graph_threshold"
K_DEDUP = "sel_dedup"  # sidebar toggle: selectors run on one record per duplicate group (core.dedup)
SOURCES = ("Sample data", "File path", "Upload")
# Label-graph threshold (sidebar key K_THRESHOLD): "auto" (core.label_graph.auto_threshold) or a cosine.
THRESHOLD_AUTO = DEFAULT_THRESHOLD_MODE
DEFAULT_THRESHOLD = THRESHOLD_AUTO
THRESHOLD_CHOICES = (THRESHOLD_AUTO,) + tuple(round(0.5 + 0.01 * i, 2) for i in range(51))

# Session keys other pages may read.
SELECTIONS = "selections"
WORKING = "working_subset"
MAP_COLOR_REQUEST = "map_color_request"  # set to a colour-by option name; the Map page applies it once


@dataclass(frozen=True)
class Settings:
    """The sidebar choices that define the pool and its features."""

    source: str = SOURCES[0]
    path: str = ""
    shape: str = DEFAULT_SHAPE
    lenient: bool = False
    model: str = DEFAULT_MODEL
    view: str = DEFAULT_VIEW
    turns: str = DEFAULT_TURNS
    threshold: Any = DEFAULT_THRESHOLD  # "auto" or a float cosine
    dedup: bool = False  # run selectors on core.dedup's kept records only


def settings() -> Settings:
    """Current sidebar settings (defaults when the sidebar has not been drawn, e.g. in tests)."""
    ss = st.session_state
    d = Settings()
    return Settings(
        source=ss.get(K_SOURCE, d.source), path=(ss.get(K_PATH) or "").strip(), shape=ss.get(K_SHAPE, d.shape),
        lenient=bool(ss.get(K_LENIENT, d.lenient)), model=(ss.get(K_MODEL) or d.model).strip(),
        view=ss.get(K_VIEW, d.view), turns=ss.get(K_TURNS, d.turns),
        threshold=_threshold_value(ss.get(K_THRESHOLD, d.threshold)),
        dedup=bool(ss.get(K_DEDUP, d.dedup)),
    )


def _threshold_value(value: Any) -> Any:
    """The sidebar threshold as "auto" or a float (anything unreadable falls back to "auto")."""
    from core.label_graph import parse_threshold

    try:
        return parse_threshold(value)
    except (SiftError, TypeError):
        return THRESHOLD_AUTO


def threshold_key(threshold: Any) -> str:
    """``"auto"`` or the cosine with 4 decimals, for cache keys."""
    return threshold if isinstance(threshold, str) else f"{float(threshold):.4f}"


# ----------------------------------------------------------------------------- sources and fingerprints
class Upload:
    """An uploaded file as ``load_pool`` expects it: ``.name`` and ``.getvalue()``."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


def _file_key(path: Path) -> str:
    stat = path.stat()
    return f"file:{path.resolve()}:{stat.st_mtime_ns}:{stat.st_size}"


def source() -> tuple[Any, str]:
    """The object to load and a fingerprint of it; SiftError when nothing is chosen yet."""
    s = settings()
    if s.source == "Upload":
        up = st.session_state.get(K_UPLOAD)
        if up is None:
            raise SiftError("Upload a file in the sidebar (JSONL, JSON, CSV or Parquet), or pick 'Sample data'.")
        cached = st.session_state.get("_upload_sha")
        file_id = getattr(up, "file_id", None) or up.name
        if not cached or cached[0] != file_id:
            cached = (file_id, hashlib.sha256(up.getvalue()).hexdigest())
            st.session_state["_upload_sha"] = cached
        return Upload(up.name, up.getvalue()), f"upload:{up.name}:{cached[1]}"
    if s.source == "File path":
        if not s.path:
            raise SiftError("Type the path of a JSONL, JSON, CSV or Parquet file in the sidebar.")
        path = Path(s.path).expanduser()
        if not path.is_file():
            raise SiftError(f"{s.path}: no such file")
        return str(path), _file_key(path)
    if not SAMPLE_PATH.is_file():
        raise SiftError(f"the bundled sample data is missing ({SAMPLE_PATH})")
    return str(SAMPLE_PATH), _file_key(SAMPLE_PATH)


def pool_key_of(source_key: str, s: Settings) -> str:
    return f"{source_key}|shape={s.shape}|lenient={s.lenient}"


def pool_key() -> str:
    """Fingerprint of the current pool: source bytes (or path + mtime + size), shape and leniency."""
    return pool_key_of(source()[1], settings())


def embed_key() -> str:
    """Fingerprint of the embeddings: pool key + model + text view + chat turns."""
    s = settings()
    return f"{pool_key()}|model={s.model}|view={s.view}|turns={s.turns}"


def features_key() -> str:
    """Fingerprint of the features: embedding key + label graph threshold."""
    return f"{embed_key()}|T={threshold_key(settings().threshold)}"


def reset_if_pool_changed(key: str) -> None:
    """Drop this session's selections and working subset when the pool they index into changed."""
    ss = st.session_state
    if ss.get("_pool_key") not in (None, key):
        for k in (SELECTIONS, WORKING, "_sel_counter", "_workspace_run_ids"):  # the workspace keeps each pool's runs
            ss.pop(k, None)
    ss["_pool_key"] = key


# ----------------------------------------------------------------------------- selections and working subset
def selections() -> dict[str, Selection]:
    """Runs and named subsets of the current pool, insertion-ordered, by name (e.g. ``"mig k=100 #3"``): this
    session's and, mirrored by ui.workspace_view.sync before every page, the workspace's (runs of other sessions
    and of the CLI, kept across refreshes and restarts)."""
    return st.session_state.setdefault(SELECTIONS, {})


#: Called as ``keep(selection, name, features) -> name`` when a run is added (ui.workspace_view registers the one
#: that stores it in the workspace and names it after its workspace id), so this module needs no workspace import.
RUN_KEEPERS: list = []


def add_selection(selection: Selection, features: Any = None) -> str:
    """Keep ``selection`` in the session (and wherever RUN_KEEPERS keep it); return the name it is listed under.
    ``features``: the Features the run read (None: the pool's full features), whose settings its record keeps."""
    ss = st.session_state
    ss["_sel_counter"] = ss.get("_sel_counter", 0) + 1
    name = f"{selection.method} k={len(selection)} #{ss['_sel_counter']}"
    for keep in RUN_KEEPERS:
        name = keep(selection, name, features)
    selections()[name] = selection
    return name


def working_subset() -> Optional[np.ndarray]:
    """The current working subset (sorted pool indices from the map or label views), or None."""
    entry = st.session_state.get(WORKING)
    return None if entry is None else entry["indices"]


def working_subset_origin() -> str:
    """Where the working subset came from ("" when there is none)."""
    entry = st.session_state.get(WORKING)
    return "" if entry is None else entry["origin"]


#: Called as ``keep(indices or None, origin)`` when the working subset is set or cleared (ui.workspace_view
#: registers the one that autosaves it in the workspace, so a reload or a server restart restores it).
WORKING_KEEPERS: list = []


def set_working_subset(indices, origin: str, *, keep: bool = True) -> None:
    """Replace the working subset with ``indices`` (None or empty clears it); ``origin`` says where from.
    ``keep`` (default True): also autosave (or clear) it wherever WORKING_KEEPERS keep it."""
    if indices is None or len(indices) == 0:
        st.session_state.pop(WORKING, None)
        idx = None
    else:
        idx = np.unique(np.asarray(indices, dtype=np.int64))
        st.session_state[WORKING] = {"indices": idx, "origin": str(origin)}
    if keep:
        for keeper in WORKING_KEEPERS:
            keeper(idx, str(origin))
