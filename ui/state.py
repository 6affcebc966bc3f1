"""Shared app state: the current pool, its features, map coordinates, selections and the working subset.

Heavy objects (pool, features, novelty) live in a small process-wide LRU store (``st.cache_resource``) keyed
by a fingerprint of the source and settings, so page switches recompute nothing. They are computed outside
Streamlit's cache decorators on purpose: that lets the first call draw a live ``st.progress`` bar, which a
cached function could not replay. Per-session things (selections, working subset) live in
``st.session_state`` and are cleared when the pool changes, since they are row indices into it.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np
import streamlit as st

from core.errors import SiftError
from core.features import Features
from core.selection import Selection

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PATH = ROOT / "sample_data" / "instructions.jsonl"
DEFAULT_MODEL = "all-MiniLM-L6-v2"

# Sidebar widget keys (set by app.py; read here).
K_SOURCE, K_PATH, K_UPLOAD = "src_kind", "src_path", "src_upload"
K_SHAPE, K_LENIENT = "src_shape", "src_lenient"
K_MODEL, K_VIEW, K_TURNS, K_THRESHOLD = "emb_model", "emb_view", "emb_turns", "graph_threshold"
K_DEDUP = "sel_dedup"  # sidebar toggle: selectors run on one record per duplicate group (core.dedup)
SOURCES = ("Sample data", "File path", "Upload")
VIEWS = ("instruction", "instruction+response")
TURNS = ("first", "all")
# Label-graph threshold (sidebar key K_THRESHOLD): "auto" (core.label_graph.auto_threshold) or a cosine.
THRESHOLD_AUTO = "auto"
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
    shape: str = "auto"
    lenient: bool = False
    model: str = DEFAULT_MODEL
    view: str = VIEWS[0]
    turns: str = TURNS[0]
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


# ----------------------------------------------------------------------------- process-wide store
class _Store:
    """A few small LRU maps (one per kind of object) shared by all sessions, guarded by a lock."""

    SIZES = {"pool": 3, "features": 3, "novelty": 3, "graph": 6, "dups": 3}

    def __init__(self) -> None:
        self._maps: dict[str, OrderedDict] = {k: OrderedDict() for k in self.SIZES}
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}

    def lock_for(self, key: str) -> threading.Lock:
        """One lock per key, so two sessions asking for the same object compute it once."""
        with self._lock:
            if len(self._key_locks) > 64:
                self._key_locks = {k: v for k, v in self._key_locks.items() if v.locked()}
            return self._key_locks.setdefault(key, threading.Lock())

    def get(self, kind: str, key: str) -> Any:
        with self._lock:
            m = self._maps[kind]
            if key in m:
                m.move_to_end(key)
                return m[key]
        return None

    def find(self, kind: str, prefix: str) -> Any:
        """Most recent value whose key starts with ``prefix`` (None when there is none)."""
        with self._lock:
            for key in reversed(self._maps[kind]):
                if key.startswith(prefix):
                    return self._maps[kind][key]
        return None

    def put(self, kind: str, key: str, value: Any) -> None:
        with self._lock:
            m = self._maps[kind]
            m[key] = value
            m.move_to_end(key)
            while len(m) > self.SIZES[kind]:
                m.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _store() -> _Store:
    return _Store()


# ----------------------------------------------------------------------------- sources and keys
class _Upload:
    """An uploaded file as ``load_pool`` expects it: ``.name`` and ``.getvalue()``."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


def _file_key(path: Path) -> str:
    stat = path.stat()
    return f"file:{path.resolve()}:{stat.st_mtime_ns}:{stat.st_size}"


ROUTED = "_routed"  # set by app.py on every run it makes


def _ensure_router() -> None:
    """Rerun through app.py when Streamlit ran a page script directly in a fresh session.

    Streamlit starts in its legacy multipage mode when a ``pages/`` folder sits next to the entry point, and
    leaves it only once some session runs ``st.navigation``. Until then, a fresh session opened on a deep link
    (e.g. ``/Novelty``) runs ``pages/4_Novelty.py`` alone: no sidebar, no page config. Switching the mode off
    and rerunning makes app.py route the same URL (same page hash), sidebar included. Only a session's first
    run is rerun, so no widget event (a button click) is ever dropped.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - a Streamlit without this internal
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        if not st.session_state.get(ROUTED):
            st.rerun()


def _source() -> tuple[Any, str]:
    """The object to load and a fingerprint of it; SiftError when nothing is chosen yet."""
    _ensure_router()
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
        return _Upload(up.name, up.getvalue()), f"upload:{up.name}:{cached[1]}"
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


def _pool_key(source_key: str, s: Settings) -> str:
    return f"{source_key}|shape={s.shape}|lenient={s.lenient}"


def pool_key() -> str:
    """Fingerprint of the current pool: source bytes (or path + mtime + size), shape and leniency."""
    return _pool_key(_source()[1], settings())


def embed_key() -> str:
    """Fingerprint of the embeddings: pool key + model + text view + chat turns."""
    s = settings()
    return f"{pool_key()}|model={s.model}|view={s.view}|turns={s.turns}"


def features_key() -> str:
    """Fingerprint of the features: embedding key + label graph threshold."""
    return f"{embed_key()}|T={threshold_key(settings().threshold)}"


def _reset_if_pool_changed(key: str) -> None:
    ss = st.session_state
    if ss.get("_pool_key") not in (None, key):
        for k in (SELECTIONS, WORKING, "_sel_counter"):
            ss.pop(k, None)
    ss["_pool_key"] = key


# ----------------------------------------------------------------------------- pool and features
def pool():
    """The current dataset (core.data.Pool) from the sidebar choice; raises SiftError on bad input."""
    from core.data import load_pool

    src, skey = _source()
    s = settings()
    key = _pool_key(skey, s)
    p = _store().get("pool", key)
    if p is None:
        with _store().lock_for("pool|" + key):
            p = _store().get("pool", key)
            if p is None:
                with st.spinner("Loading the dataset ..."):
                    p = load_pool(src, shape=s.shape, lenient=s.lenient)
                _store().put("pool", key, p)
    _reset_if_pool_changed(key)
    return p


def pool_ready() -> bool:
    """True when the current pool is loaded (without loading it)."""
    try:
        return _store().get("pool", pool_key()) is not None
    except (SiftError, OSError):
        return False


def features_ready() -> bool:
    """True when the features of the current settings are computed (without computing them)."""
    try:
        return _store().get("features", features_key()) is not None
    except (SiftError, OSError):
        return False


def _progress_bar(text: str):
    bar = st.progress(0.0, text=text)

    def progress(fraction: float, message: str) -> None:
        bar.progress(float(min(max(fraction, 0.0), 1.0)), text=message or text)

    return bar, progress


def features() -> Features:
    """Embeddings, labels, quality and label graph of the pool; the first call shows a progress bar."""
    from core.pipeline import build_features

    key = features_key()
    f = _store().get("features", key)
    if f is not None:
        return f
    p, s = pool(), settings()
    with _store().lock_for("features|" + key):
        f = _store().get("features", key) or _regraph(key)
        if f is None:
            bar, progress = _progress_bar("Embedding the pool and building labels ...")
            try:
                f = build_features(p, model=s.model, view=s.view, turns=s.turns, graph_threshold=s.threshold,
                                   progress=progress)
            finally:
                bar.empty()
            _store().put("features", key, f)
    return f


def _regraph(key: str) -> Optional[Features]:
    """Features of the same embeddings at another graph threshold, with only the label graph rebuilt."""
    from dataclasses import replace

    prefix = embed_key() + "|T="
    other = _store().find("features", prefix)
    if other is None or other.graph is None or other.graph.embeddings is None:
        return None
    from core.label_graph import LabelGraph

    g = other.graph
    graph = LabelGraph.from_embeddings(g.labels, g.embeddings, settings().threshold, model=g.model)
    extra = {k: v for k, v in other.extra.items() if "cache" not in k}  # caches may depend on the graph
    extra["graph_threshold"] = float(graph.threshold)
    extra["graph_threshold_rule"] = graph.threshold_rule
    f = replace(other, graph=graph, extra=extra)
    _store().put("features", key, f)
    return f


def label_graph(threshold: Any = None):
    """The label graph of the current features at ``threshold`` ("auto" or a cosine; None = the sidebar's)."""
    f = features()
    if threshold is None or f.graph is None or threshold_key(threshold) == threshold_key(settings().threshold):
        return f.graph
    key = f"{embed_key()}|graphT={threshold_key(threshold)}"
    g = _store().get("graph", key)
    if g is None:
        from core.label_graph import LabelGraph

        if f.graph.embeddings is None:
            raise SiftError("this label graph has no label embeddings, so its threshold cannot change")
        with st.spinner("Rebuilding the label graph ..."):
            g = LabelGraph.from_embeddings(f.graph.labels, f.graph.embeddings, threshold, model=f.graph.model)
        _store().put("graph", key, g)
    return g


@st.cache_data(show_spinner="Computing the map (UMAP) ...", max_entries=8)
def _coords(key: str, _X: np.ndarray, method: str, seed: int) -> np.ndarray:
    from core.projection import project

    return project(_X, method=method, seed=seed)


def coords(method: str = "auto", seed: int = 0) -> np.ndarray:
    """2-D map coordinates (n, 2) of the pool embeddings: UMAP (PCA for tiny pools), cached."""
    f = features()
    return _coords(embed_key(), f.embeddings, method, int(seed))


@st.cache_data(show_spinner="Clustering ...", max_entries=16)
def _clusters(key: str, _X: np.ndarray, k: int, seed: int) -> np.ndarray:
    from core.projection import clusters as _kmeans

    return _kmeans(_X, k=k, seed=seed)


def clusters(k: int = 8, seed: int = 0) -> np.ndarray:
    """k-means cluster id per row (seeded, cached) for colouring the map."""
    f = features()
    return _clusters(embed_key(), f.embeddings, int(k), int(seed))


#: Pools above core.metrics.EXACT_MAX_ROWS get per-sample novelty on this many seeded rows (others NaN).
NOVELTY_SAMPLE = 5000


def novelty_parts() -> dict:
    """Per-sample NovelSum novelty ``v``, density ``rho`` and the ``rows`` evaluated (all rows unless the pool is
    larger than core.metrics.EXACT_MAX_ROWS; then a seeded sample of NOVELTY_SAMPLE rows, NaN elsewhere).

    The reference is the pool itself (NovelSum defaults k=10, beta=0.5, alpha=1); cached per embeddings.
    """
    key = embed_key()
    parts = _store().get("novelty", key)
    if parts is not None:
        return parts
    f = features()
    with _store().lock_for("novelty|" + key):
        parts = _store().get("novelty", key)
        if parts is not None:
            return parts
        from core.metrics import EXACT_MAX_ROWS, density, novelty, proximity_weighted_distance

        X, n = f.embeddings, f.n
        with st.spinner(f"Computing per-sample novelty of {n:,} records ..."):
            if n <= EXACT_MAX_ROWS:
                rows = np.arange(n)
                rho = density(X)
                v = np.asarray(novelty(X, densities=rho), dtype=np.float64)
            else:
                rows = np.sort(np.random.default_rng(0).choice(n, size=NOVELTY_SAMPLE, replace=False))
                rho = np.full(n, np.nan)
                v = np.full(n, np.nan)
                rho[rows] = density(X[rows], X)
                v[rows] = rho[rows] * proximity_weighted_distance(X, rows=rows)
        parts = {"v": v, "rho": np.asarray(rho, dtype=np.float64), "rows": rows}
        _store().put("novelty", key, parts)
    return parts


def novelty() -> np.ndarray:
    """Per-sample NovelSum novelty v_i with the pool itself as the reference (cached; see novelty_parts)."""
    return novelty_parts()["v"]


def novelty_or_none() -> Optional[np.ndarray]:
    """:func:`novelty`, or None when this pool has none (e.g. fewer than 11 distinct records for k = 10)."""
    try:
        return novelty()
    except SiftError:
        return None


def duplicates():
    """Exact / near / template duplicate groups of the pool's embedded text view (core.dedup defaults; cached)."""
    s = settings()
    key = f"{pool_key()}|view={s.view}|turns={s.turns}"
    dups = _store().get("dups", key)
    if dups is not None:
        return dups
    p = pool()
    with _store().lock_for("dups|" + key):
        dups = _store().get("dups", key)
        if dups is None:
            from core.dedup import pool_duplicates

            with st.spinner(f"Finding duplicate groups among {len(p):,} records ..."):
                dups = pool_duplicates(p, view=s.view, turns=s.turns)
            _store().put("dups", key, dups)
    return dups


def dedup_or_none():
    """:func:`duplicates` when the sidebar's dedup toggle is on (selectors then see one record per group), else
    None; pass it to core.dedup.select_deduplicated, the function the CLI's ``--dedup`` uses."""
    return duplicates() if settings().dedup else None


# ----------------------------------------------------------------------------- session things
def selections() -> dict[str, Selection]:
    """Selector runs of this session, insertion-ordered, by name (e.g. ``"mig k=100 #1"``)."""
    return st.session_state.setdefault(SELECTIONS, {})


def add_selection(selection: Selection) -> str:
    """Keep ``selection`` in the session and return the name it is stored under."""
    ss = st.session_state
    ss["_sel_counter"] = ss.get("_sel_counter", 0) + 1
    name = f"{selection.method} k={len(selection)} #{ss['_sel_counter']}"
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


def set_working_subset(indices, origin: str) -> None:
    """Replace the working subset with ``indices`` (None or empty clears it); ``origin`` says where from."""
    if indices is None or len(indices) == 0:
        st.session_state.pop(WORKING, None)
        return
    idx = np.unique(np.asarray(indices, dtype=np.int64))
    st.session_state[WORKING] = {"indices": idx, "origin": str(origin)}


def show_error(exc: BaseException) -> None:
    """Show ``exc`` in the page: its message for SiftError; message + traceback in an expander else."""
    from ui.widgets import escape_md  # messages name files, fields and ids from the data: never render them

    if isinstance(exc, SiftError):
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
