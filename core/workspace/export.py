"""The one export path: a RunRecord's added columns and manifest, for the app's download, ``select`` and
``runs export`` alike.

Added columns, in this order (each only when it can be computed; the manifest's ``columns`` says what each means
and ``columns_skipped`` why one is missing):

- ``selector``, ``rank`` (1-based pick order), ``gain`` (the selector's score at the pick, null when it has none);
- ``quality`` (scores from the data: a quality column or DEITA scores) or ``quality_proxy`` (the heuristic proxy,
  see core.quality: a re-load never reads it as quality);
- ``novelty``: NovelSum per-sample novelty **within the exported subset**: the proximity-weighted distance of the
  record to the other exported records, times its density measured over the whole pool (k = 10, beta = 0.5,
  alpha = 1). It depends only on the run, so app and CLI agree, and its mean is the subset's NovelSum. Written
  for runs that read embeddings and for subsets (their features are always embedded).

The manifest (core.data.make_manifest) holds the input file's SHA-256 and load options, the method, resolved
parameters, the seed (selectors that use one), the budget and every feature setting the run read, so
``python -m core select --from-manifest M.json`` repeats it. Everything about who made this copy and when sits
in ``created_utc`` and ``extra.run`` (name, origin, workspace id, seconds); the rest is the same for the app's
and the CLI's export of one run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Union

import numpy as np

from core.data.manifest import added_column_names, plain
from core.errors import SiftError
from core.workspace.record import RunRecord

COLUMN_MEANINGS = {
    "selector": "name of the selector that picked the record",
    "rank": "1-based position in the pick order (the first k rows are the run's pick under budget k)",
    "gain": "the selector's own score or marginal gain at this pick (null when it has none)",
    "quality": "quality score from the data (a quality column or DEITA scores)",
    "quality_proxy": "heuristic quality proxy (the pool has no quality column), see core.quality",
    "novelty": "NovelSum per-sample novelty within the exported subset: proximity-weighted distance to the other "
               "exported records times the record's density over the whole pool (k=10, beta=0.5, alpha=1); "
               "its mean is the subset's NovelSum",
}


def export_columns(record: RunRecord, features: Any) -> tuple[dict[str, list], dict[str, str]]:
    """(added columns aligned with the pick order, {column: why it was left out})."""
    from core.quality import quality_column

    idx = record.indices
    k = len(idx)
    cols: dict[str, list] = {"selector": [record.method] * k, "rank": list(range(1, k + 1)),
                             "gain": [plain(float(g)) for g in record.gains]}
    skipped: dict[str, str] = {}
    if features.quality is not None:
        source = record.features.get("quality_source") or "column"
        cols[quality_column(source)] = [plain(float(v)) for v in np.asarray(features.quality, dtype=float)[idx]]
    else:
        skipped["quality"] = "the pool has no usable quality values"
    if record.read_embeddings or record.kind == "subset":
        if features.embeddings is None:
            skipped["novelty"] = "the pool's embeddings are not available"
        elif k < 2:
            skipped["novelty"] = "a single record has no novelty within its subset"
        else:
            from core.metrics import novelty_of

            try:
                cols["novelty"] = [plain(float(v)) for v in novelty_of(features, idx)]
            except SiftError as exc:
                skipped["novelty"] = str(exc)
    else:
        skipped["novelty"] = f"{record.method} does not read embeddings"
    return cols, skipped


def manifest_extra(record: RunRecord) -> dict:
    """The manifest's ``extra``: budget, the feature settings, Selection.info, and (volatile) who made the run."""
    f = record.features
    return {"kind": record.kind, "budget": int(record.budget),
            **{key: f.get(key) for key in ("model", "view", "turns", "embeddings", "embedding_origin", "labels",
                                           "labels_from", "valid_tags", "tag_vocab", "graph_threshold",
                                           "graph_threshold_rule", "threshold_requested", "quality_source",
                                           "quality_is_proxy", "reference", "dedup")},
            "info": record.info,
            "run": {"name": record.name, "origin": record.origin, "id": record.id,
                    "created_utc": record.created_utc, "seconds": round(float(record.seconds), 3)}}


def run_manifest(pool: Any, record: RunRecord, added: dict, skipped: dict) -> dict:
    """The manifest of ``record``'s export with columns ``added`` (core.data.make_manifest plus column notes)."""
    from core.data import make_manifest

    manifest = make_manifest(pool, method=record.method, params=record.params, seed=record.seed,
                             indices=record.indices, added_columns=list(added), extra=manifest_extra(record))
    names = added_column_names(pool, added)
    manifest["columns"] = {names[c]: COLUMN_MEANINGS.get(c, "") for c in added}
    manifest["columns_skipped"] = dict(skipped)
    return manifest


def export_run(pool: Any, record: RunRecord, features: Any, out: Union[None, str, Path] = None, *,
               fmt: Optional[str] = None, name: Optional[str] = None, csv_raw: bool = False) -> dict:
    """Export ``record``'s rows of ``pool`` (its pick order) with the added columns and the manifest.

    With ``out`` (a path ending in .jsonl or .csv) the file and ``<stem>.manifest.json`` are written through
    core.data.export_subset (atomic, the umask's mode); without it the bytes are returned for a download button
    (``fmt`` "jsonl" or "csv", ``name`` the file name the manifest records). ``features`` supplies the quality
    and, for the novelty column, the embeddings. Returns ``{"manifest", "data" (bytes, no ``out``) or "path",
    "manifest_path", "rows", "sha256"}``. Raises SiftError when ``pool`` is not the run's file.
    """
    import hashlib

    from core.data import export_subset, to_csv_bytes, to_jsonl_bytes
    from core.workspace.record import check_pool

    check_pool(pool, record)
    added, skipped = export_columns(record, features)
    manifest = run_manifest(pool, record, added, skipped)
    names = added_column_names(pool, added)
    columns = {names[c]: values for c, values in added.items()}
    if out is not None:
        result = export_subset(pool, record.indices, out, fmt=fmt, added=added, manifest=manifest, csv_raw=csv_raw)
        return {"manifest": result["manifest"], "path": result["path"], "manifest_path": result["manifest_path"],
                "format": result["format"], "added_columns": result["added_columns"], "rows": result["rows"],
                "sha256": result["sha256"], "columns": columns}
    if fmt not in ("jsonl", "csv"):
        raise SiftError(f"export format must be 'jsonl' or 'csv', got {fmt!r}")
    data = to_jsonl_bytes(pool, record.indices, added=added) if fmt == "jsonl" else \
        to_csv_bytes(pool, record.indices, added=added, csv_raw=csv_raw)
    digest = hashlib.sha256(data).hexdigest()
    manifest["output"] = {"name": name or f"export.{fmt}", "format": fmt, "rows": len(record), "sha256": digest}
    return {"manifest": manifest, "data": data, "rows": len(record), "sha256": digest, "columns": columns}


def features_for_export(pool: Any, record: RunRecord, *, progress: Any = None) -> Any:
    """The features an export of ``record`` needs, rebuilt from its settings: quality, and the embeddings (same
    model, text view, turns; the embedding cache makes this cheap when the pool was embedded before) when the
    novelty column is written. No labels or graph: no added column reads them."""
    from core.pipeline import build_features

    f = record.features
    need = record.read_embeddings or record.kind == "subset"
    kwargs: dict = dict(model=f.get("model"), view=f.get("view") or "instruction", turns=f.get("turns") or "first",
                        labels="none", need_embeddings=need, progress=progress)
    if need and f.get("embeddings"):
        kwargs["embeddings"] = f["embeddings"]
    return build_features(pool, **kwargs)
