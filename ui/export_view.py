"""Export in the app: a run or subset becomes a RunRecord and goes through core.workspace.export_run, the function
``python -m core select`` and ``python -m core runs export`` use, so the app's file and manifest are the CLI's.

:func:`ui.workspace_view.app_record` turns a session Selection into its RunRecord (the app's feature settings:
label source "auto", the sidebar threshold); :func:`export_files` builds the bytes, manifest and preview;
:func:`build_export` caches them; :func:`download_buttons` draws JSONL / CSV / manifest downloads of a working
subset.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Optional

import numpy as np
import pandas as pd

from core.selection import Selection
from core.workspace import RunRecord, export_run, record_subset
from ui import workspace_view
from ui.workspace_view import WORKING_METHOD, app_record

PREVIEW_ROWS = 20


def working_selection(indices: np.ndarray, origin: str) -> Selection:
    """The map's working subset as a Selection (pool order, no gains)."""
    idx = np.asarray(indices, dtype=np.int64)
    return Selection(idx, np.full(idx.shape, np.nan), method=WORKING_METHOD,
                     params={"origin": origin} if origin else {})


def file_stem(pool_name: str, run_name: str) -> str:
    """A safe file name stem from the pool and run names."""
    raw = f"{Path(str(pool_name)).stem}-{run_name}"
    return re.sub(r"[^A-Za-z0-9._=-]+", "_", raw).strip("_") or "export"


def export_files(pool: Any, record: RunRecord, features: Any, fmt: str) -> dict:
    """{"data": file bytes, "manifest": dict, "preview": first rows, "stem": file name stem} of ``record``."""
    stem = file_stem(pool.name, record.name)
    out = export_run(pool, record, features, fmt=fmt, name=f"{stem}.{fmt}")
    head = record.indices[:PREVIEW_ROWS]
    preview = pd.DataFrame({name: values[: len(head)] for name, values in out["columns"].items()})
    records = pool.subset(head).to_frame(max_chars=120)
    preview = pd.concat([preview, records.drop(columns=[c for c in records if c in preview])], axis=1)
    return {"data": out["data"], "manifest": out["manifest"], "preview": preview, "stem": stem}


def record_for(name: str, sel: Selection, pool: Any, features: Any) -> RunRecord:
    """The record to export for the session's run ``name``: the workspace's (its own settings, id and time) when
    the run is stored there, else one made now from the session's features and sidebar settings."""
    from core.errors import SiftError
    from ui import state

    rid = workspace_view.run_id(name)
    if rid is not None:
        try:
            return workspace_view.workspace().run(rid)
        except SiftError:
            pass  # deleted elsewhere meanwhile: export what the session holds
    return app_record(pool, features, name, sel, threshold=state.settings().threshold)


def features_for(record: RunRecord, pool: Any, features: Any) -> Any:
    """``features`` when they were built like the run's (model, text view, turns), else the run's own (quality,
    and embeddings from the on-disk cache when the novelty column needs them), so the export is the run's."""
    extra = getattr(features, "extra", {}) or {}
    if all(record.features.get(k) in (None, extra.get(k)) for k in ("model", "view", "turns")):
        return features
    f = record.features
    return _run_features(pool.file_sha256, str(f.get("model")), str(f.get("view")), str(f.get("turns")),
                         str(f.get("embeddings")), record.read_embeddings or record.kind == "subset", pool, record)


def _cache_resource(fn):
    import streamlit as st

    return st.cache_resource(show_spinner="Rebuilding the run's features ...", max_entries=2)(fn)


@_cache_resource
def _run_features(sha: str, model: str, view: str, turns: str, embeddings: str, embedded: bool, _pool: Any,
                  _record: RunRecord) -> Any:
    from core.workspace import features_for_export

    return features_for_export(_pool, _record)


def record_key(record: RunRecord) -> str:
    """A fingerprint of what an export of ``record`` depends on (for cache keys)."""
    h = hashlib.sha1(np.ascontiguousarray(record.indices).tobytes())
    h.update(json.dumps([record.name, record.method, record.params, record.seed, record.features, record.id],
                        sort_keys=True, default=str).encode("utf-8"))
    return h.hexdigest()[:20]


def _cache(fn):
    import streamlit as st

    return st.cache_data(show_spinner=False, max_entries=64)(fn)


@_cache
def _export_cached(fkey: str, rkey: str, fmt: str, _pool: Any, _record: RunRecord, _features: Any) -> dict:
    return export_files(_pool, _record, _features, fmt)


def build_export(fkey: str, pool: Any, record: RunRecord, features: Any, fmt: str) -> dict:
    """:func:`export_files`, cached per features key ``fkey``, record and format."""
    return _export_cached(fkey, record_key(record), fmt, pool, record, features)


def _current_features() -> Any:
    """The session's features (computed already: a working subset only exists once the pool is embedded)."""
    from ui import cached

    return cached.features()


def features_key(pool: Any, features: Any) -> str:
    """A fingerprint of the features an export reads (pool file, model, text view, turns)."""
    extra = getattr(features, "extra", {}) or {}
    return f"{pool.file_sha256}|{extra.get('model')}|{extra.get('view')}|{extra.get('turns')}|{features.n}"


def download_buttons(pool, indices: np.ndarray, *, method: str = WORKING_METHOD, params: Optional[dict] = None,
                     key: str, seed: int = 0, features: Any = None, name: str = "working subset") -> None:
    """JSONL / CSV downloads of the working subset ``indices`` (every original field kept, the added columns of
    core.workspace.export_run) and its manifest, drawn with streamlit; the files are built when clicked. Below
    them, a form keeps the subset under a name (ui.workspace_view.save_subset_form).
    ``method``/``seed`` are kept for callers of the old signature (a subset has neither)."""
    import streamlit as st

    features = _current_features() if features is None else features
    origin = str((params or {}).get("origin", ""))
    record = record_subset(pool, features, indices, origin="app", name=name, source=origin)
    fkey = features_key(pool, features)

    def files(fmt: str) -> dict:
        return build_export(fkey, pool, record, features, fmt)

    stem = file_stem(pool.name, record.name)
    c1, c2, c3 = st.columns(3)
    c1.download_button("JSONL", lambda: files("jsonl")["data"], file_name=f"{stem}.jsonl", mime="application/jsonl",
                       key=f"{key}_jsonl", on_click="ignore", icon=":material/download:")
    c2.download_button("CSV", lambda: files("csv")["data"], file_name=f"{stem}.csv", mime="text/csv",
                       key=f"{key}_csv", on_click="ignore", icon=":material/download:")
    c3.download_button("Manifest", lambda: json.dumps(files("jsonl")["manifest"], indent=2,
                                                      ensure_ascii=False).encode("utf-8"),
                       file_name=f"{stem}.manifest.json", mime="application/json", key=f"{key}_manifest",
                       on_click="ignore", icon=":material/description:")
    workspace_view.save_subset_form(record.indices, origin, key=f"{key}_subset")
