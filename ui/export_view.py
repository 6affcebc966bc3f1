"""Export assembly for the app: the added columns, the file bytes and manifest of a run, and download buttons.

The Export page and the Map's working-subset panel build their files here, so there is one place in the app
that decides what an export holds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from core.selection import Selection
from ui.cached import cache as _cache
from ui.cached import order_key


def working_selection(indices: np.ndarray, origin: str) -> Selection:
    """The map's working subset as a Selection (pool order, no gains)."""
    idx = np.asarray(indices, dtype=np.int64)
    return Selection(idx, np.full(idx.shape, np.nan), method="working subset",
                     params={"origin": origin} if origin else {})


def file_stem(pool_name: str, run_name: str) -> str:
    """A safe file name stem from the pool and run names."""
    import re
    from pathlib import Path

    raw = f"{Path(str(pool_name)).stem}-{run_name}"
    return re.sub(r"[^A-Za-z0-9._=-]+", "_", raw).strip("_") or "export"


def added_columns(sel: Selection, run_name: str, quality: np.ndarray | None,
                  novelty: np.ndarray | None, quality_source: str | None = None) -> dict[str, list]:
    """The columns an export adds, aligned with the pick order: selector, rank, gain, quality, novelty.

    ``quality_source`` ("deita", "column", "proxy"; default None = from the data) names the quality column:
    ``quality_proxy`` for the proxy (``core.quality.quality_column``), so a re-load never reads it as quality.
    """
    idx = sel.indices
    cols: dict[str, list] = {
        "selector": [sel.method] * len(idx),
        "rank": list(range(1, len(idx) + 1)),
        "gain": [None if not np.isfinite(g) else float(g) for g in sel.gains],
    }
    if quality is not None:
        from core.quality import quality_column

        cols[quality_column(quality_source or "column")] = [None if not np.isfinite(q) else float(q)
                                                             for q in np.asarray(quality)[idx]]
    if novelty is not None:
        # NaN (rows outside the novelty sample of a big pool) is written as null, never as a bare NaN
        cols["novelty"] = [None if not np.isfinite(v) else float(v) for v in np.asarray(novelty)[idx]]
    return cols


def _export(pool: Any, sel: Selection, run_name: str, fmt: str, quality: np.ndarray | None,
            novelty: np.ndarray | None, quality_source: str | None = None) -> dict:
    import hashlib

    from core.data import make_manifest, to_csv_bytes, to_jsonl_bytes
    from core.data.manifest import added_column_names

    added = added_columns(sel, run_name, quality, novelty, quality_source)
    data = (to_jsonl_bytes if fmt == "jsonl" else to_csv_bytes)(pool, sel.indices, added=added)
    info = {k: v for k, v in (sel.info or {}).items() if k != "trace"}
    seed = (sel.params or {}).get("seed")
    manifest = make_manifest(pool, method=sel.method, params=sel.params, seed=seed, indices=sel.indices,
                             added_columns=list(added), extra={"run": run_name, "seconds": sel.seconds,
                                                               "quality_source": (quality_source or "column")
                                                               if quality is not None else None,
                                                               "info": info})
    manifest["output"] = {"format": fmt, "rows": len(sel), "sha256": hashlib.sha256(data).hexdigest()}
    head = sel.indices[:20]
    names = added_column_names(pool, added)
    preview = pd.DataFrame({names[name]: values[: len(head)] for name, values in added.items()})
    records = pool.subset(head).to_frame(max_chars=120)
    preview = pd.concat([preview, records.drop(columns=[c for c in records if c in preview])], axis=1)
    return {"data": data, "manifest": manifest, "preview": preview}


@_cache
def _export_cached(pkey: str, okey: str, run_name: str, fmt: str, _pool: Any, _sel: Selection,
                   _quality: Any, _novelty: Any, quality_source: str | None = None) -> dict:
    return _export(_pool, _sel, run_name, fmt, _quality, _novelty, quality_source)


def build_export(key: str, pool: Any, sel: Selection, run_name: str, fmt: str, quality: np.ndarray | None,
                 novelty: np.ndarray | None, quality_source: str | None = None) -> dict:
    """{"data": file bytes, "manifest": dict, "preview": DataFrame of the first rows}.

    Cached per ``key`` (a fingerprint of the pool and embedding settings), run, format and quality source
    (see :func:`added_columns`).
    """
    return _export_cached(key, order_key(sel), run_name, fmt, pool, sel, quality, novelty, quality_source)


def download_buttons(pool, indices: np.ndarray, *, method: str, params: dict, key: str, seed: int = 0) -> None:
    """JSONL / CSV downloads of rows ``indices`` (every original field kept) and the manifest that reproduces them."""
    import json

    import streamlit as st

    from core.data import make_manifest, to_csv_bytes, to_jsonl_bytes

    idx = np.asarray(indices, dtype=np.int64)
    stem = f"{pool.name.rsplit('/', 1)[-1].rsplit('.', 1)[0]}_{method.replace(' ', '_')}_{len(idx)}"
    manifest = make_manifest(pool, method=method, params=params, seed=seed, indices=idx)
    c1, c2, c3 = st.columns(3)
    c1.download_button("JSONL", lambda: to_jsonl_bytes(pool, idx), file_name=f"{stem}.jsonl",
                       mime="application/jsonl", key=f"{key}_jsonl", on_click="ignore", icon=":material/download:")
    c2.download_button("CSV", lambda: to_csv_bytes(pool, idx), file_name=f"{stem}.csv", mime="text/csv",
                       key=f"{key}_csv", on_click="ignore", icon=":material/download:")
    c3.download_button("Manifest", json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"),
                       file_name=f"{stem}.manifest.json", mime="application/json", key=f"{key}_manifest",
                       on_click="ignore", icon=":material/description:")
