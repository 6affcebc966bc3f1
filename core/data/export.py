"""Export a subset of a pool as JSON Lines or CSV: every original field kept, plus added score columns.

- JSONL: each original record exactly as loaded (nested fields, unicode, ints vs floats), then the added
  columns. Re-loading the file gives back the original records (drop the added columns with ``strip_added``).
- CSV: one column per top-level field of the pool (in first-seen order) then the added columns; nested values
  (lists, objects) are written as JSON text, null as an empty cell.
- CSV formula injection: a text cell (or header name) starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
  return is written with a leading ``'`` (the OWASP rule), so a spreadsheet shows it as text instead of running
  it as a formula; numbers are written as they are. ``csv_raw=True`` (CLI ``--csv-raw``) writes cells unchanged.
- Quality travels with its provenance: callers (the select/compare CLI, the app) name the added quality column
  with ``core.quality.quality_column``: ``quality`` for scores from the data, ``quality_proxy`` for the heuristic
  proxy, which the loader never reads back as quality; the manifest's ``extra.quality_source`` says the same.
- An added column never overwrites a field of the records: on a name clash it is written as ``sift_<name>``
  (see :func:`core.data.manifest.added_column_names`); the manifest lists the names as written.

Files are written through a temporary file and renamed into place; the pool's own input file is never written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from pathlib import Path
from typing import IO, Any, Iterator, Mapping, Optional, Sequence, Union

import numpy as np

from core.data.manifest import added_column_names, jsonable, plain, write_manifest
from core.fileio import atomic_write
from core.errors import SiftError

EXPORT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def export_subset(pool: Any, indices: Sequence[int], path_or_buffer: Union[str, Path, IO], *,
                  fmt: Optional[str] = None, added: Optional[Mapping[str, Sequence[Any]]] = None,
                  manifest: Optional[Mapping[str, Any]] = None, csv_raw: bool = False) -> dict:
    """Write the rows ``indices`` of ``pool`` (in that order) to a path or an open buffer.

    ``fmt``: "jsonl" or "csv" (default: from the file extension). ``added``: extra columns, each a sequence
    aligned with ``indices`` (e.g. ``{"selector": [...], "rank": [...], "gain": [...]}``). ``manifest``: a dict
    from :func:`make_manifest`; with a path it is written next to the export as ``<stem>.manifest.json``, with
    ``added_columns`` and an ``output`` entry (file name, format, rows, SHA-256) filled in. ``csv_raw``: write
    CSV text cells unchanged (default False: cells starting with a formula prefix get a leading ``'``).
    Returns ``{"path", "manifest_path", "format", "rows", "added_columns", "sha256", "manifest"}`` (the manifest
    as written, None without one).
    """
    is_path = isinstance(path_or_buffer, (str, Path))
    if fmt is None:
        label = str(path_or_buffer) if is_path else getattr(path_or_buffer, "name", "")
        fmt = EXPORT_FORMATS.get(Path(str(label)).suffix.lower())
        if fmt is None:
            raise SiftError(f"cannot tell the export format from {label!r}; use a .jsonl or .csv name "
                                 "or pass fmt='jsonl'|'csv'")
    if fmt not in ("jsonl", "csv"):
        raise SiftError(f"export format must be 'jsonl' or 'csv', got {fmt!r}")
    idx, columns = _prepare(pool, indices, added)
    chunks = _jsonl_chunks(pool, idx, columns) if fmt == "jsonl" else _csv_chunks(pool, idx, columns, raw=csv_raw)
    digest = hashlib.sha256()
    out_path = manifest_path = None
    if is_path:
        out_path = Path(path_or_buffer).expanduser()
        if pool.path is not None and out_path.exists() and out_path.resolve() == Path(pool.path).resolve():
            raise SiftError(f"refusing to overwrite the input file {pool.path}; choose another name")
        if manifest is not None:
            manifest_path = out_path.with_name(out_path.stem + ".manifest.json")
            if pool.path is not None and manifest_path.exists() and \
                    manifest_path.resolve() == Path(pool.path).resolve():
                raise SiftError(f"refusing to overwrite the input file {pool.path}")
        atomic_write(out_path, chunks, digest)
    else:
        if manifest is not None:
            raise SiftError("a manifest can only be written next to an export file path; "
                                 "call write_manifest() yourself for buffers")
        text_mode = isinstance(path_or_buffer, io.TextIOBase)
        for chunk in chunks:
            digest.update(chunk)
            path_or_buffer.write(chunk.decode("utf-8") if text_mode else chunk)
    written = [name for name, _ in columns]
    full = None
    if manifest is not None and manifest_path is not None:
        full = dict(manifest)
        full["added_columns"] = written
        full["output"] = {"name": out_path.name, "format": fmt, "rows": len(idx), "sha256": digest.hexdigest()}
        write_manifest(full, manifest_path)
    return {"path": out_path, "manifest_path": manifest_path, "format": fmt, "rows": len(idx),
            "added_columns": written, "sha256": digest.hexdigest(), "manifest": full}


def to_jsonl_bytes(pool: Any, indices: Sequence[int], *, added: Optional[Mapping[str, Sequence[Any]]] = None) -> bytes:
    """The JSONL export of rows ``indices`` as UTF-8 bytes (for a download button)."""
    idx, columns = _prepare(pool, indices, added)
    return b"".join(_jsonl_chunks(pool, idx, columns))


def to_csv_bytes(pool: Any, indices: Sequence[int], *, added: Optional[Mapping[str, Sequence[Any]]] = None,
                 csv_raw: bool = False) -> bytes:
    """The CSV export of rows ``indices`` as UTF-8 bytes (for a download button); ``csv_raw`` as in export_subset."""
    idx, columns = _prepare(pool, indices, added)
    return b"".join(_csv_chunks(pool, idx, columns, raw=csv_raw))


def _prepare(pool: Any, indices: Sequence[int], added: Optional[Mapping[str, Sequence[Any]]]
             ) -> tuple[list[int], list[tuple[str, list]]]:
    """Check indices and added columns; return the index list and (written name, values) pairs."""
    arr = np.asarray(indices)
    if arr.size == 0:
        arr = arr.astype(np.int64)
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
        raise SiftError("indices must be a flat list of integer row positions")
    idx = arr.astype(np.int64).tolist()
    n = len(pool)
    bad = [i for i in idx if not 0 <= i < n]
    if bad:
        raise SiftError(f"indices out of range for a pool of {n} records: {bad[:5]}")
    columns: list[tuple[str, list]] = []
    if added:
        names = added_column_names(pool, added.keys())
        for name, values in added.items():
            values = list(values.tolist() if isinstance(values, np.ndarray) else values)
            if len(values) != len(idx):
                raise SiftError(f"added column {name!r} has {len(values)} values for {len(idx)} rows")
            columns.append((names[str(name)], [plain(v) for v in values]))
    return idx, columns


def _jsonl_chunks(pool: Any, idx: list[int], columns: list[tuple[str, list]], rows_per_chunk: int = 2000
                  ) -> Iterator[bytes]:
    dumps, records = json.dumps, pool.records
    buf: list[str] = []
    for k, i in enumerate(idx):
        record = records[i]
        if columns:
            record = dict(record)  # a new dict: the pool's record is never touched
            for name, values in columns:
                record[name] = values[k]
        buf.append(dumps(record, ensure_ascii=False, default=jsonable))
        if len(buf) >= rows_per_chunk:
            yield ("\n".join(buf) + "\n").encode("utf-8")
            buf = []
    if buf:
        yield ("\n".join(buf) + "\n").encode("utf-8")


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` when it starts with a formula prefix (FORMULA_PREFIXES), else unchanged."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _cell(value: Any, raw: bool = True) -> str:
    """One CSV cell: text as is (formula prefixes neutralised unless ``raw``), null/NaN empty, true/false lower
    case, lists/objects as JSON text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value if raw or not value.startswith(FORMULA_PREFIXES) else "'" + value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=jsonable)


def _csv_chunks(pool: Any, idx: list[int], columns: list[tuple[str, list]], rows_per_chunk: int = 2000,
                raw: bool = False) -> Iterator[bytes]:
    header = list(pool.fields) + [name for name, _ in columns]
    if not raw:
        header = [neutralise(h) for h in header]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    quote_all = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    (quote_all if any("\r" in c for c in header) else writer).writerow(header)
    records, fields = pool.records, list(pool.fields)
    for k, i in enumerate(idx):
        record = records[i]
        row = [_cell(record.get(f), raw) for f in fields] + [_cell(values[k], raw) for _, values in columns]
        # csv.writer leaves a cell with a lone "\r" unquoted, which splits the row on reading: quote such rows fully.
        (quote_all if any("\r" in c for c in row) else writer).writerow(row)
        if (k + 1) % rows_per_chunk == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")
