"""One run record: everything needed to show, export and repeat a selector run, made the same way in app and CLI.

A :class:`RunRecord` holds the pick order and gains, the selector (method, resolved parameters, the seed only for
selectors that use one), the budget, the pool it ran on (file SHA-256, name, path, format, shape, load options)
and the feature settings the run read (model, text view, turns, label source, the label-graph threshold actually
used and how it was chosen, quality source, dedup, reference). Settings of features the selector did not read
are not recorded (a k-center run records no label source or threshold), so an app run, whose features always
carry labels, and a CLI run, which builds only what the selector needs, record the same thing.

``kind`` is "run" (a selector's pick order) or "subset" (a named working subset from the map or label views,
in pool order, without gains). ``origin`` says who made it: "app" or "cli".
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

import numpy as np

from core.errors import SiftError
from core.features import EMBEDDINGS, GRAPH, LABELS, REFERENCE

ORIGINS = ("app", "cli")
KINDS = ("run", "subset")
#: Selection.info entries kept out of the record (per-record arrays; dedup is recorded on its own).
BULKY_INFO = ("cluster", "dedup")


def now_utc() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def as_json(value: Any) -> Any:
    """``value`` as plain JSON data (numpy scalars and arrays unwrapped, NaN kept out by the caller)."""
    from core.data.manifest import jsonable

    return json.loads(json.dumps(value, default=jsonable))


@dataclass
class RunRecord:
    """A run as the workspace stores it and the export writes it (see the module docstring)."""

    method: str
    params: dict
    seed: Optional[int]
    budget: int
    indices: np.ndarray
    gains: np.ndarray
    pool: dict
    features: dict
    seconds: float = 0.0
    origin: str = "cli"
    name: str = ""
    kind: str = "run"
    info: dict = field(default_factory=dict)
    created_utc: str = field(default_factory=now_utc)
    id: Optional[int] = None  # the workspace's run id once stored
    picks: int = -1  # number of picks (filled from the arrays; kept when a listing leaves them unread)

    def __post_init__(self) -> None:
        self.indices = np.asarray(self.indices, dtype=np.int64)
        self.gains = np.asarray(self.gains, dtype=np.float64)
        if self.indices.shape != self.gains.shape or self.indices.ndim != 1:
            raise SiftError("a run's pick order and gains must be flat arrays of the same length")
        if self.origin not in ORIGINS:
            raise SiftError(f"a run is made by one of {', '.join(ORIGINS)}, got {self.origin!r}")
        if self.kind not in KINDS:
            raise SiftError(f"a run's kind is one of {', '.join(KINDS)}, got {self.kind!r}")
        if self.picks < 0:
            self.picks = int(self.indices.shape[0])

    def __len__(self) -> int:
        return int(self.indices.shape[0])

    @property
    def read_embeddings(self) -> bool:
        """True when the run read the pool's embeddings (its export then carries the novelty column)."""
        return bool(self.features.get("embedding_origin"))

    def selection(self):
        """The run as a core Selection (seed back among the parameters, as core.selectors.run records it)."""
        from core.selection import Selection

        params = dict(self.params)
        if self.seed is not None:
            params["seed"] = int(self.seed)
        return Selection(self.indices.copy(), self.gains.copy(), self.method, params=params,
                         seconds=float(self.seconds), info=dict(self.info))

    def summary(self) -> dict:
        """The record as JSON data without the per-pick arrays (for listings)."""
        return {"id": self.id, "name": self.name, "kind": self.kind, "method": self.method, "picks": self.picks,
                "budget": self.budget, "params": self.params, "seed": self.seed, "origin": self.origin,
                "created_utc": self.created_utc, "seconds": round(float(self.seconds), 3),
                "pool": self.pool, "features": self.features, "info": self.info}


def pool_entry(pool: Any) -> dict:
    """What a record keeps about the pool: file SHA-256, name, path, format, shape, rows and load options."""
    from pathlib import Path

    path = getattr(pool, "path", None)
    return {"sha256": pool.file_sha256, "name": pool.name,
            "path": str(Path(path).resolve()) if path is not None else None,
            "format": pool.format, "shape": pool.shape, "rows": len(pool),
            "load_options": as_json(dict(pool.load_options))}


def labels_from(features: Any) -> Optional[dict]:
    """Where the labels came from: source, text view and turns, tag vocabulary (None: no labels)."""
    result = features.extra.get("labels")
    if result is None:
        return None
    settings = result.report.get("settings", {})
    return {"source": result.source, "view": settings.get("view"), "turns": settings.get("turns"),
            "tag_vocab": settings.get("tag_vocab"), "records_without_labels": int(result.n_empty)}


def feature_settings(features: Any, needs: Any, *, labels: str = "auto", valid_tags: Optional[str] = None,
                     tag_vocab: Optional[str] = None, threshold: Any = "auto", embeddings: Optional[str] = None,
                     reference: Optional[str] = None, dedup: Optional[Mapping] = None,
                     uses_embeddings: Optional[bool] = None) -> dict:
    """The feature settings a run read, from its Features and the selector's needs.

    Always: model, text view, turns, quality source. Embedding origin (and the ``embeddings`` file) only when the
    run read embeddings (``uses_embeddings``, default: EMBEDDINGS in ``needs``); label source and tag lists only
    when it read labels or the graph; the threshold actually used (a number, never null), its rule and the
    requested mode ("auto" or a cosine) only when it read the label graph; the reference only when it read one.
    """
    from core.quality import quality_source

    needs = set(needs)
    extra = features.extra
    read_emb = EMBEDDINGS in needs if uses_embeddings is None else bool(uses_embeddings)
    out: dict = {"model": extra.get("model"), "view": extra.get("view"), "turns": extra.get("turns"),
                 "quality_source": quality_source(features) if features.quality is not None else None,
                 "quality_is_proxy": bool(features.quality_is_proxy),
                 "embedding_origin": (extra.get("embedding_origin") or ("model" if features.embeddings is not None
                                                                        else None)) if read_emb else None,
                 "embeddings": embeddings if read_emb else None,
                 "labels": "none", "labels_from": None, "valid_tags": None, "tag_vocab": None,
                 "graph_threshold": None, "graph_threshold_rule": None, "threshold_requested": None,
                 "reference": None, "dedup": as_json(dict(dedup)) if dedup else None}
    if needs & {LABELS, GRAPH}:
        out.update(labels=labels, labels_from=labels_from(features), valid_tags=valid_tags, tag_vocab=tag_vocab)
    if GRAPH in needs:
        used = extra.get("graph_threshold")
        if used is None:
            raise SiftError("this run read the label graph but its features record no threshold")
        out.update(graph_threshold=float(used), graph_threshold_rule=extra.get("graph_threshold_rule"),
                   threshold_requested=threshold if isinstance(threshold, str) else float(threshold))
    if REFERENCE in needs:
        out["reference"] = reference
    return out


def compact_info(info: Mapping[str, Any]) -> dict:
    """``Selection.info`` without per-record arrays and the dedup entry (kept in the feature settings)."""
    return as_json({k: v for k, v in (info or {}).items() if k not in BULKY_INFO})


def record_run(pool: Any, features: Any, selection: Any, *, origin: str, name: str = "", labels: str = "auto",
               valid_tags: Optional[str] = None, tag_vocab: Optional[str] = None, threshold: Any = "auto",
               embeddings: Optional[str] = None, reference: Optional[str] = None) -> RunRecord:
    """The RunRecord of a selector run (``selection`` from core.selectors.run or core.dedup.select_deduplicated).

    The keyword settings are the ones the features were built with (``labels``: the label source; ``threshold``:
    the requested graph threshold, "auto" or a cosine; ``embeddings``/``reference``: the files given, if any).
    """
    from core import selectors

    spec = selectors.get(selection.method)
    params = {k: v for k, v in (selection.params or {}).items() if k != "seed"}
    seed = (selection.params or {}).get("seed") if spec.uses_seed else None
    needs = spec.required(params)
    settings = feature_settings(features, needs, labels=labels, valid_tags=valid_tags, tag_vocab=tag_vocab,
                                threshold=threshold, embeddings=embeddings, reference=reference,
                                dedup=(selection.info or {}).get("dedup"))
    return RunRecord(method=selection.method, params=as_json(params), seed=None if seed is None else int(seed),
                     budget=len(selection), indices=selection.indices, gains=selection.gains,
                     pool=pool_entry(pool), features=settings, seconds=float(selection.seconds), origin=origin,
                     name=name, kind="run", info=compact_info(selection.info))


def record_subset(pool: Any, features: Any, indices: Any, *, origin: str, name: str, source: str = "") -> RunRecord:
    """A named working subset (sorted pool rows, no gains) as a record of kind "subset"; ``source`` says where it
    was drawn (e.g. "map lasso, colour by cluster")."""
    idx = np.unique(np.asarray(indices, dtype=np.int64))
    settings = feature_settings(features, (EMBEDDINGS,))
    return RunRecord(method="working subset", params={"origin": source} if source else {}, seed=None,
                     budget=int(idx.size), indices=idx, gains=np.full(idx.shape, np.nan), pool=pool_entry(pool),
                     features=settings, origin=origin, name=name, kind="subset")


def check_pool(pool: Any, record: RunRecord, where: str = "") -> None:
    """SiftError when ``pool`` is not the file the run was made on (its SHA-256 or load options differ)."""
    want = record.pool.get("sha256")
    if pool.file_sha256 != want:
        raise SiftError(f"{where or pool.name}: the input file changed since the run was made "
                        f"(sha256 {str(want)[:12]}... recorded, {pool.file_sha256[:12]}... now)")
    if len(pool) != record.pool.get("rows"):
        raise SiftError(f"{where or pool.name}: {len(pool):,} records now, {record.pool.get('rows'):,} when the run "
                        "was made (other load options?)")
