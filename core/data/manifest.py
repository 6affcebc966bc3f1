"""Export manifests: a JSON record of everything needed to repeat a selection run and check its input.

A manifest names the input file (path, SHA-256, format, shape, load options, row count), the selector
(method, parameters, seed), the tool version, the UTC time, the added columns as written, and the selected
ids (and pool indices) in pick order.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import numpy as np

import core
from core.fileio import atomic_write

#: Prefix given to an added column whose name is already a field of the records.
CLASH_PREFIX = "sift_"


def jsonable(value: Any) -> Any:
    """``json.dumps`` fallback: numpy scalars/arrays to Python, dates to ISO text, bytes/sets/others to text/lists."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="backslashreplace")
    return str(value)


def plain(value: Any) -> Any:
    """An added-column value as plain JSON: numpy scalars unwrapped, NaN/inf floats become null."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def added_column_names(fields: Union[Iterable[str], Any], names: Iterable[str]) -> dict[str, str]:
    """Map each added column name to the name it is written under.

    An added column never overwrites a record field: when ``name`` is already a field (of the pool, given as
    a Pool or a list of field names) it is written as ``sift_<name>`` (then ``sift_<name>_2``, ... if that is
    taken too).
    """
    taken = set(getattr(fields, "fields", fields))
    out: dict[str, str] = {}
    for name in names:
        name = str(name)
        if name in out:
            raise ValueError(f"added column {name!r} is given twice")
        written = name
        if written in taken:
            written = CLASH_PREFIX + name
            k = 2
            while written in taken:
                written = f"{CLASH_PREFIX}{name}_{k}"
                k += 1
        taken.add(written)
        out[name] = written
    return out


def make_manifest(pool: Any, *, method: str, params: Optional[Mapping[str, Any]], seed: Optional[int],
                  indices: Sequence[int], added_columns: Iterable[str] = (),
                  extra: Optional[Mapping[str, Any]] = None) -> dict:
    """A manifest (plain dict, JSON-ready) for the rows ``indices`` of ``pool`` picked by ``method``.

    ``added_columns`` are the names passed to ``export_subset(added=...)``; the manifest lists them as written
    (after clash renaming) under ``added_columns`` and keeps the mapping in ``renamed_columns``.
    """
    idx = [int(i) for i in np.asarray(indices, dtype=np.int64).tolist()]
    n = len(pool)
    bad = [i for i in idx if not 0 <= i < n]
    if bad:
        raise IndexError(f"indices out of range for a pool of {n} records: {bad[:5]}")
    names = added_column_names(pool, added_columns)
    ids = pool.ids
    path = getattr(pool, "path", None)
    return {
        "tool": "sift",
        "tool_version": core.__version__,
        "created_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "input": {
            "path": str(Path(path).resolve()) if path is not None else None,
            "name": pool.name,
            "sha256": pool.file_sha256,
            "format": pool.format,
            "shape": pool.shape,
            "rows": n,
            "skipped_lines": len(pool.problems),
            "load_options": json.loads(json.dumps(pool.load_options, default=jsonable)),
        },
        "method": method,
        "params": json.loads(json.dumps(dict(params or {}), default=jsonable)),
        "seed": None if seed is None else int(seed),
        "selected": len(idx),
        "added_columns": list(names.values()),
        "renamed_columns": {k: v for k, v in names.items() if k != v},
        "indices": idx,
        "ids": [ids[i] for i in idx],
        "extra": json.loads(json.dumps(dict(extra or {}), default=jsonable)),
    }


def write_manifest(manifest: Mapping[str, Any], path: Union[str, Path]) -> Path:
    """Write ``manifest`` as indented UTF-8 JSON (via a temporary file, so no half-written manifest)."""
    path = Path(path)
    text = json.dumps(manifest, indent=2, ensure_ascii=False, default=jsonable) + "\n"
    atomic_write(path, text.encode("utf-8"))
    return path


def read_manifest(path: Union[str, Path]) -> dict:
    """Read a manifest written by :func:`write_manifest`."""
    with open(path, "rb") as fh:
        return json.loads(fh.read().decode("utf-8"))


def strip_added(record: Mapping[str, Any], manifest: Union[Mapping[str, Any], Iterable[str]]) -> dict:
    """``record`` without the columns an export added (names from a manifest, or an explicit list)."""
    names = manifest["added_columns"] if isinstance(manifest, Mapping) else manifest
    drop = set(names)
    return {k: v for k, v in record.items() if k not in drop}


