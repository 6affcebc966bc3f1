"""Cached core objects of the current settings: pool, features, label graphs, map coordinates, novelty, duplicates,
and cached core calls along a run (information curve, subset metrics, metric curves).

Heavy objects are computed once per fingerprint (``ui.state``) and shared by sessions through a keyed
``st.cache_resource`` slot per object (one lock each, so two sessions asking for the same pool compute it once);
each session also pins the objects it uses in its own ``st.session_state``, so nothing another session loads can
evict them. They are computed outside Streamlit's cache decorators on purpose: the first call draws a live
``st.progress`` bar, which a cached function would replay on every rerun.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any, Callable, Mapping, Optional, Sequence

import numpy as np
import streamlit as st

from core.errors import SiftError
from core.features import Features
from core.selection import Selection
from ui import state

_HELD = "_held_objects"  # session key: {kind: (fingerprint, object)}


class _Slot:
    """One shared object and the lock that guards its computation."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.value: Any = None


@st.cache_resource(show_spinner=False, max_entries=64)
def _slot(kind: str, key: str) -> _Slot:
    """The process-wide slot of object ``kind`` with fingerprint ``key`` (explicit key, no shared LRU of values:
    a slot dropped from this cache stays alive in every session that pinned its value)."""
    return _Slot()


def _held(kind: str, key: str) -> Any:
    """This session's pinned object of ``kind`` if it has fingerprint ``key``, else the shared one, else None."""
    entry = st.session_state.get(_HELD, {}).get(kind)
    if entry is not None and entry[0] == key:
        return entry[1]
    return _slot(kind, key).value


def _pin(kind: str, key: str, value: Any) -> Any:
    st.session_state.setdefault(_HELD, {})[kind] = (key, value)
    return value


def _get(kind: str, key: str, compute: Callable[[], Any]) -> Any:
    """The object ``kind`` with fingerprint ``key``: pinned, shared, or computed once (under the slot's lock)."""
    value = _held(kind, key)
    if value is None:
        slot = _slot(kind, key)
        with slot.lock:
            if slot.value is None:
                slot.value = compute()
            value = slot.value
    return _pin(kind, key, value)


def _progress_bar(text: str):
    bar = st.progress(0.0, text=text)
    return bar, progress_callback(bar, text)


def progress_callback(bar: Any, text: str = "") -> Callable[[float, str], None]:
    """Turn a ``st.progress`` element into a core Progress callback ``progress(fraction, message)``."""

    def report(fraction: float, message: str = "") -> None:
        value = float(np.clip(fraction if np.isfinite(fraction) else 0.0, 0.0, 1.0))
        bar.progress(value, text=str(message) or text or f"{value:.0%}")

    return report


# ----------------------------------------------------------------------------- pool and features
def pool():
    """The current dataset (core.data.Pool) from the sidebar choice; raises SiftError on bad input."""
    from core.data import load_pool

    src, skey = state.source()
    s = state.settings()
    key = state.pool_key_of(skey, s)

    def load():
        with st.spinner("Loading the dataset ..."):
            return load_pool(src, shape=s.shape, lenient=s.lenient)

    p = _get("pool", key, load)
    state.reset_if_pool_changed(key)
    return p


def pool_ready() -> bool:
    """True when the current pool is loaded (without loading it)."""
    try:
        return _held("pool", state.pool_key()) is not None
    except (SiftError, OSError):
        return False


def features_ready() -> bool:
    """True when the features of the current settings are computed (without computing them)."""
    try:
        return _held("features", state.features_key()) is not None
    except (SiftError, OSError):
        return False


def features() -> Features:
    """Embeddings, labels, quality and label graph of the pool, built by background jobs (``ui.background``):
    the embedding job, then the labels-and-graph job, each with progress and Cancel; labels and the graph are
    read back from the workspace when they were built before (``build_features(store=True)``, as the CLI does).

    Another threshold on the same embeddings only rebuilds the label graph (core.features.with_graph_threshold).
    """
    from core.features import with_graph_threshold

    key = state.features_key()
    held = _held("features", key)
    if held is not None:
        return _pin("features", key, held)
    p, s = pool(), state.settings()
    prefix = state.embed_key() + "|T="
    other = st.session_state.get(_HELD, {}).get("features")
    reuse = other is not None and other[0].startswith(prefix) and other[1].graph is not None \
        and other[1].graph.embeddings is not None
    if reuse:
        def rebuild() -> Features:
            f = with_graph_threshold(other[1], s.threshold)
            f.extra["stored"] = {**(f.extra.get("stored") or {}), "graph": "rebuilt from the label embeddings"}
            return f

        return _get("features", key, rebuild)
    from ui.background import run_in_background, wait_for_embeddings

    wait_for_embeddings(p, s.view, s.turns, s.model)  # a background job; the vectors are then a cache hit
    slot = _slot("features", key)
    if slot.value is None:
        value = run_in_background(f"features|{key}", "labels", f"Labels and label graph of {len(p):,} records",
                                  lambda progress, stop: build_features_of(p, s, progress), what="building labels",
                                  resume_hint="The embeddings are cached; labels start again.")
        with slot.lock:
            if slot.value is None:
                slot.value = value
    return _pin("features", key, slot.value)


def build_features_of(p: Any, s: "state.Settings", progress: Any = None, **kwargs: Any) -> Features:
    """core.pipeline.build_features of pool ``p`` with the sidebar settings ``s``, labels and graph kept in the
    workspace (``store=True``: read back on a later session or after a restart, as the CLI does)."""
    from core.pipeline import build_features

    return build_features(p, model=s.model, view=s.view, turns=s.turns, graph_threshold=s.threshold,
                          progress=progress, store=True, **kwargs)


def features_for(needs: Sequence[str]) -> tuple[Features, str]:
    """``(features, cache key)`` holding at least ``needs`` (core.features NEEDS): the full features when they are
    built or some need requires the pool's embeddings (EMBEDDINGS, or labels that are automatic tags), else
    features without embeddings (data labels, quality, the label graph if needed), so a selector that needs no
    vectors never waits for the embedding job. The key tells the two apart for the caches along a run."""
    from core.features import EMBEDDINGS, GRAPH, LABELS
    from core.pipeline import labels_need_embeddings

    needs = tuple(needs)
    if features_ready():
        return features(), state.features_key()
    p, s = pool(), state.settings()
    wants_labels = LABELS in needs or GRAPH in needs
    if EMBEDDINGS in needs or (wants_labels and labels_need_embeddings(p, "auto")):
        return features(), state.features_key()
    key = state.features_key() + ("|light:labels" if wants_labels else "|light:none") + \
        ("+graph" if GRAPH in needs else "")

    def build() -> Features:
        with st.spinner("Reading labels and quality (no embeddings needed) ..."):
            return build_features_of(p, s, labels="auto" if wants_labels else "none", need_embeddings=False,
                                     need_graph=GRAPH in needs)

    return _get("features_light", key, build), key


def label_graph(threshold: Any = None):
    """The label graph of the current features at ``threshold`` ("auto" or a cosine; None = the sidebar's)."""
    f = features()
    if threshold is None or f.graph is None or \
            state.threshold_key(threshold) == state.threshold_key(state.settings().threshold):
        return f.graph
    from core.features import with_graph_threshold

    def build():
        with st.spinner("Rebuilding the label graph ..."):
            return with_graph_threshold(f, threshold).graph

    return _get("graph", f"{state.embed_key()}|graphT={state.threshold_key(threshold)}", build)


def coords(method: str = "auto", seed: int = 0) -> np.ndarray:
    """2-D map coordinates (n, 2) of the pool embeddings: UMAP (PCA for tiny pools) run as a background job with
    progress and Cancel (``ui.background``), kept in the workspace (core.workspace.arrays.map_coordinates), so a
    server restart reads the map back; seeded, so a recomputation gives the same map."""
    from core.workspace.arrays import map_coordinates

    f = features()
    key = f"{state.embed_key()}|map={method}|seed={int(seed)}"
    held = _held("coords", key)
    if held is not None:
        return _pin("coords", key, held)
    slot = _slot("coords", key)
    if slot.value is None:
        from ui.background import run_in_background

        X = f.embeddings
        value = run_in_background(f"coords|{key}", "map", f"Map (UMAP) of {f.n:,} records",
                                  lambda progress, stop: map_coordinates(X, method=method, seed=int(seed),
                                                                         progress=progress),
                                  what="the map", resume_hint="The map starts again.")
        with slot.lock:
            if slot.value is None:
                slot.value = value
    return _pin("coords", key, slot.value)


@st.cache_data(show_spinner="Clustering ...", max_entries=16)
def _clusters(key: str, _X: np.ndarray, k: int, seed: int) -> np.ndarray:
    from core.projection import clusters as kmeans

    return kmeans(_X, k=k, seed=seed)


def clusters(k: int = 8, seed: int = 0) -> np.ndarray:
    """k-means cluster id per row (seeded, cached) for colouring the map."""
    f = features()
    return _clusters(state.embed_key(), f.embeddings, int(k), int(seed))


def novelty_parts():
    """Per-sample NovelSum novelty of the pool (core.novelty.pool_novelty: ``v``, ``rho``, ``rows``), cached per
    embeddings; pools above core.metrics.EXACT_MAX_ROWS get a seeded sample of rows (NaN elsewhere)."""
    from core.novelty import pool_novelty

    f = features()

    def compute():
        with st.spinner(f"Computing per-sample novelty of {f.n:,} records ..."):
            return pool_novelty(f.embeddings, unit=f.embeddings_unit)  # unit rows used as they are

    return _get("novelty", state.embed_key(), compute)


def novelty() -> np.ndarray:
    """Per-sample NovelSum novelty v_i with the pool itself as the reference (cached; see novelty_parts)."""
    return novelty_parts().v


def novelty_or_none() -> Optional[np.ndarray]:
    """:func:`novelty`, or None when this pool has none (e.g. fewer than 11 distinct records for k = 10)."""
    try:
        return novelty()
    except SiftError:
        return None


def duplicates():
    """Exact / near / template duplicate groups of the pool's embedded text view (core.dedup defaults; cached)."""
    from core.dedup import pool_duplicates

    s = state.settings()
    p = pool()

    def compute():
        with st.spinner(f"Finding duplicate groups among {len(p):,} records ..."):
            return pool_duplicates(p, view=s.view, turns=s.turns)

    return _get("dups", f"{state.pool_key()}|view={s.view}|turns={s.turns}", compute)


def dedup_or_none():
    """:func:`duplicates` when the sidebar's dedup toggle is on (selectors then see one record per group), else
    None; pass it to core.dedup.select_deduplicated, the function the CLI's ``--dedup`` uses."""
    return duplicates() if state.settings().dedup else None


# ----------------------------------------------------------------------------- registries and runs
def selector_registry() -> dict:
    """core.selectors.REGISTRY (name -> SelectorSpec)."""
    from core.selectors import REGISTRY

    return dict(REGISTRY)


def metric_registry() -> dict:
    """core.metrics.REGISTRY (name -> MetricSpec)."""
    from core.metrics import REGISTRY

    return dict(REGISTRY)


def run_selector(method: str, feats: Features, budget: int, params: Mapping[str, Any], seed: int | None = None,
                 progress: Callable[[float, str], None] | None = None, dups: Any = "sidebar") -> Selection:
    """core.selectors.run with the form's parameters and seed (deterministic selectors ignore the seed).

    ``dups``: core.dedup groups to restrict the candidates to one record per group (the CLI's ``--dedup``, through
    the same core.dedup.select_deduplicated), None for the whole pool, or "sidebar" (default): the sidebar toggle.
    """
    from core.dedup import select_deduplicated

    if isinstance(dups, str):
        dups = dedup_or_none()
    kwargs = dict(params)
    if seed is not None:
        kwargs["seed"] = int(seed)
    return select_deduplicated(method, feats, budget, dups, progress=progress, **kwargs)


# ----------------------------------------------------------------------------- cached core calls along a run
def order_key(sel: Selection) -> str:
    """A short fingerprint of a pick order (for cache keys)."""
    return sel.method + ":" + hashlib.sha1(np.ascontiguousarray(sel.indices).tobytes()).hexdigest()[:16]


def cache(fn):
    """``st.cache_data`` for the app's calls along a run (128 entries; keyed by explicit fingerprints)."""
    return st.cache_data(show_spinner=False, max_entries=128)(fn)


@cache
def _information_curve(fkey: str, okey: str, _features: Any, _order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from core.curves import information_curve

    return information_curve(_features.label_sets, _features.quality, _features.graph, _order)


def information_curve(fkey: str, feats: Features, sel: Selection) -> tuple[np.ndarray, np.ndarray]:
    """(E(S_k), exact gain E(S_k) - E(S_k-1)) along ``sel``'s pick order, cached per features key and order."""
    return _information_curve(fkey, order_key(sel), feats, sel.indices)


@cache
def _subset_metrics(fkey: str, okey: str, _features: Any, _subset: np.ndarray) -> tuple[dict, dict]:
    """({metric: value}, {metric: why it was skipped}): one metric failing (e.g. NovelSum's density on a pool
    of fewer than 11 distinct records) leaves the others standing."""
    from core.metrics import REGISTRY, compute_all

    values, skipped = {}, {}
    for name in REGISTRY:
        try:
            values.update(compute_all(_features, subset=_subset, names=[name]))
        except SiftError as exc:
            skipped[name] = str(exc)
    return values, skipped


def subset_metrics(fkey: str, feats: Features, sel: Selection) -> dict:
    """Every registry metric of the selection's subset (core.metrics.compute_all), cached; see skipped_metrics."""
    return _subset_metrics(fkey, order_key(sel), feats, sel.indices)[0]


def skipped_metrics(fkey: str, feats: Features, sel: Selection) -> dict:
    """{metric label: reason} of the metrics :func:`subset_metrics` could not compute on this pool."""
    specs = metric_registry()
    skipped = _subset_metrics(fkey, order_key(sel), feats, sel.indices)[1]
    return {specs[m].label if m in specs else m: why for m, why in skipped.items()}


@cache
def _metric_curve(fkey: str, okey: str, metric: str, ks: tuple, _features: Any, _order: np.ndarray) -> np.ndarray:
    from core.curves import metric_curve

    return metric_curve(metric, _features, _order, list(ks))


def metric_curve(fkey: str, feats: Features, sel: Selection, metric: str, ks: Sequence[int]) -> np.ndarray:
    """A registry metric on prefixes ``ks`` of ``sel``'s pick order (core.curves.metric_curve), cached."""
    return _metric_curve(fkey, order_key(sel), metric, tuple(int(k) for k in ks), feats, sel.indices)


@cache
def reference_embeddings(data: bytes, name: str, view: str, turns: str, model: str) -> np.ndarray:
    """Embed an uploaded reference set (any format load_pool reads) with the pool's text view and model."""
    from core.data import load_pool
    from core.embed import embed_texts

    ref = load_pool(state.Upload(name, data), lenient=True)
    texts = [t for t in ref.texts(view, turns) if t.strip()]
    if not texts:
        raise SiftError(f"{name}: the reference set has no text to embed")
    return embed_texts(texts, model)


#: Subsets above this size get NovelSum's row-sampled estimate in measure() (labelled approximate).
EXACT_SUBSET = 5000


@st.cache_data(show_spinner="Measuring ...", max_entries=64)
def _measure(fkey: str, name: str, idx: Optional[np.ndarray], _features) -> tuple[Optional[float], bool, str]:
    from core.metrics import compute_result

    size = _features.n if idx is None else len(idx)
    params = {"approximate": True} if name == "novelsum" and size > EXACT_SUBSET else {}
    try:
        r = compute_result(name, _features, idx, **params)
    except SiftError as exc:
        return None, False, str(exc)
    return r.value, r.approximate, ""


def measure(fkey: str, name: str, indices: Optional[np.ndarray], feats: Features) -> tuple[Optional[float], bool, str]:
    """(value, approximate, error message) of registry metric ``name`` on rows ``indices`` (None = the pool)."""
    idx = None if indices is None else np.asarray(indices, dtype=np.int64)
    return _measure(fkey, name, idx, feats)


# ----------------------------------------------------------------------------- random baseline at equal budget
def _baseline_draws() -> int:
    from core.baseline import DEFAULT_DRAWS

    return DEFAULT_DRAWS


#: Seeded random draws per baseline (core.baseline.DEFAULT_DRAWS, seeds 0..n-1).
BASELINE_DRAWS = _baseline_draws()


def candidates_of(sel: Selection) -> Optional[np.ndarray]:
    """The rows a run could pick from: the records dedup kept when the run was deduplicated, else None (the pool),
    so its random baseline draws from the same candidates."""
    if not (sel.info or {}).get("dedup"):
        return None
    return duplicates().keep()


@cache
def _random_baseline(fkey: str, metric: str, k: int, ckey: str, _features: Any, _candidates: Any):
    from core.baseline import random_baseline as baseline

    try:
        return baseline(_features, metric, int(k), candidates=_candidates)
    except SiftError:  # e.g. a metric this pool cannot compute: the table shows no baseline for it
        return None


def random_baseline(fkey: str, feats: Features, metric: str, k: int, candidates: Optional[np.ndarray] = None):
    """core.baseline.random_baseline of ``metric`` at size ``k`` (None when it cannot be computed), cached."""
    ckey = "pool" if candidates is None else hashlib.sha1(np.ascontiguousarray(candidates).tobytes()).hexdigest()
    return _random_baseline(fkey, metric, int(k), ckey, feats, candidates)


@cache
def _compare_at(fkey: str, okeys: tuple, k: int, ckey: str, _features: Any, _runs: dict, _candidates: Any,
                _dups: Any):
    from core.compare import compare_at_k

    return compare_at_k(_features, _runs, int(k), candidates=_candidates, dups=_dups)


def compare_at(fkey: str, feats: Features, runs: Mapping[str, Selection], k: int,
               candidates: Optional[np.ndarray] = None, dups: Any = None):
    """core.compare.compare_at_k of ``runs`` at prefix size ``k`` (every metric, ranks, random baseline among
    ``candidates``, disagreements explained with ``dups``), cached per features, run orders, k and candidates."""
    okeys = tuple((name, order_key(sel)) for name, sel in runs.items())
    ckey = "pool" if candidates is None else hashlib.sha1(np.ascontiguousarray(candidates).tobytes()).hexdigest()
    return _compare_at(fkey, okeys, int(k), ckey, feats, dict(runs), candidates, dups)


@cache
def _baseline_curve(fkey: str, metric: str, ks: tuple, ckey: str, _features: Any, _candidates: Any):
    from core.baseline import baseline_curve

    try:
        return baseline_curve(_features, metric, list(ks), candidates=_candidates)
    except SiftError:
        return None


def baseline_curve(fkey: str, feats: Features, metric: str, ks: Sequence[int],
                   candidates: Optional[np.ndarray] = None):
    """core.baseline.baseline_curve of ``metric`` at sizes ``ks`` (None when it cannot be computed), cached."""
    ckey = "pool" if candidates is None else hashlib.sha1(np.ascontiguousarray(candidates).tobytes()).hexdigest()
    return _baseline_curve(fkey, metric, tuple(int(k) for k in ks), ckey, feats, candidates)
