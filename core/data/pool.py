"""A loaded pool of instruction records, and ``load_pool`` which builds it from a file or an upload.

A plain valid Alpaca/ShareGPT/OpenAI JSON Lines file is read by pyarrow into those columns (core.data.columnar);
anything else, and every message, comes from the Python scan. One streaming pass (core.data.scan) checks every
record and keeps columns: ids, lines, the first instruction, response lengths, tags as integer codes, quality,
category codes. For a JSON Lines file the dicts are then let go and ``Pool.records`` reads a record back from its
byte offset when asked (core.data.records); the other formats (CSV/TSV, JSON arrays, Parquet, .gz) keep their
parsed dicts, never mutated.
"""

from __future__ import annotations

import json
import math
import os
import re
from array import array
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Optional, Sequence, Union

import numpy as np

from core.data.columnar import try_load as try_columnar
from core.data.problems import Problem, RecordProblem
from core.data.readers import read_jsonl, read_records
from core.data.records import LazyRecords
from core.data.scan import DETECT_SAMPLE as _DETECT_SAMPLE
from core.data.scan import Scan
from core.data.shapes import ASSISTANT, SHAPES, USER, Shape, describe, detect_shape, get_path, get_shape, shape_help
from core.data.sources import is_gzip, new_digest, resolve_source
from core.errors import InputError

if TYPE_CHECKING:  # types only: pandas is imported when a table is asked for
    import pandas as pd

#: Default limit on the length of one text field (characters); see ``max_text_chars``.
MAX_TEXT_CHARS = 1_000_000
from core.defaults import DEFAULT_TURNS, DEFAULT_VIEW, TURNS, VIEWS  # noqa: E402 - text views, defined once
#: Keys ``columns=`` (CLI ``--columns``) understands.
COLUMN_KEYS = ("instruction", "input", "response", "id", "tags", "quality", "category", "embedding")
#: A CSV cell that reads as a number under the JSON rules (no leading zeros, no '+', no 'nan'/'inf').
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class FieldMap:
    """Where the optional columns live (a field name or dotted path), or None when the pool has none.

    For the ``mig`` shape, tags and quality come from the annotation when ``tags``/``quality`` are None.
    """

    id: Optional[str] = None
    tags: Optional[str] = None
    quality: Optional[str] = None
    category: Optional[str] = None
    embedding: Optional[str] = None


class Pool:
    """Records of one file in file order, with stable string ids and columns kept from one streaming pass.

    Attributes: ``records`` (a read-only sequence of the original dicts: for a JSON Lines file read back from the
    file at each record's byte offset, see core.data.records; for the other formats the parsed dicts, never
    modified), ``ids``, ``shape``, ``format``, ``path`` (None for uploads), ``name``, ``file_sha256``,
    ``problems`` (lines skipped in lenient mode), ``lines`` (1-based file line of each record), ``fields``
    (top-level keys in first-seen order), ``fieldmap``. Columns kept at load: ``instructions``,
    ``response_lengths``, ``tag_codes``, ``quality``, ``category_codes``; ``responses``, ``tags`` and
    ``categories`` are built from them (or from the records) on first use and cached.
    """

    def __init__(self, records: Sequence[dict], *, shape: Shape, fieldmap: FieldMap, lines: np.ndarray,
                 ordinals: np.ndarray, name: str, path: Optional[Path], file_sha256: str, fmt: str,
                 fields: Sequence[str], instructions: list[str], response_lengths: np.ndarray,
                 tag_codes: Optional[tuple[list[str], np.ndarray, np.ndarray]] = None,
                 quality: Optional[np.ndarray] = None,
                 category_codes: Optional[tuple[list[str], np.ndarray]] = None,
                 problems: Sequence[Problem] = (), options: Optional[dict] = None,
                 ids: Optional[list[str]] = None) -> None:
        self.records = records
        self._shape = shape
        self.fieldmap = fieldmap
        self.lines = lines
        self._ordinals = ordinals
        self.name, self.path, self.file_sha256, self.format = name, path, file_sha256, fmt
        self.fields = list(fields)
        self.problems = list(problems)
        self.load_options = dict(options or {})
        self.instructions = instructions
        self.response_lengths = response_lengths
        self.tag_codes = tag_codes
        self.quality = quality
        self.category_codes = category_codes
        if ids is not None:
            self.__dict__["ids"] = ids

    # -- basics -------------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.instructions)

    def __repr__(self) -> str:
        return f"Pool({self.name!r}, {len(self)} records, shape={self.shape!r}, format={self.format!r})"

    @property
    def shape(self) -> str:
        """Name of the record shape (one of SHAPES)."""
        return self._shape.name

    @property
    def id_field(self) -> Optional[str]:
        """The field the ids come from, or None when ids are row numbers."""
        return self.fieldmap.id

    @cached_property
    def ids(self) -> list[str]:
        """Stable string ids: the id field when every record has a unique one, else the 0-based row number."""
        return [str(i) for i in self._ordinals.tolist()]

    # -- text views ---------------------------------------------------------------------------------------
    # ``instructions`` (an attribute, kept at load): first user turn of each record (Alpaca: instruction +
    # "\n\n" + input when input is non-empty).

    @cached_property
    def responses(self) -> list[str]:
        """First assistant turn of each record (Alpaca: output); '' when there is none.

        Not kept at load (its length is, ``response_lengths``): built from ``records`` on first use, which for a
        JSON Lines file re-reads it."""
        get = self._shape.response
        return [get(r) for r in self.records]

    def texts(self, view: str = DEFAULT_VIEW, turns: str = DEFAULT_TURNS) -> list[str]:
        """The text of each record to embed or measure.

        ``view``: "instruction" (user turns) or "instruction+response" (user and assistant turns);
        ``turns``: "first" (the first exchange) or "all" (every turn; system and tool turns left out).
        Parts are joined with a blank line.
        """
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}, got {view!r}")
        if turns not in TURNS:
            raise ValueError(f"turns must be one of {TURNS}, got {turns!r}")
        key = f"_texts_{view}_{turns}"
        if key not in self.__dict__:
            if turns == "first":
                if view == "instruction":
                    out = self.instructions
                else:
                    out = [q + "\n\n" + a if a else q for q, a in zip(self.instructions, self.responses)]
            else:
                keep = (USER,) if view == "instruction" else (USER, ASSISTANT)
                split = self._shape.turns
                out = ["\n\n".join(t for role, t in split(r) if role in keep and t) for r in self.records]
            self.__dict__[key] = out
        return self.__dict__[key]

    # -- optional columns ---------------------------------------------------------------------------------
    # ``tag_codes``: (vocabulary in first-seen order, indptr int64 (n + 1), codes int32) - record i's tags are
    # ``vocab[c] for c in codes[indptr[i]:indptr[i + 1]]`` in their order - or None when the pool has no tags.
    # ``quality``: float64 per record (NaN where a record has none), or None when the pool has none: from a
    # numeric ``quality``/``score`` column, or for MIG records the DEITA score (mean over rounds of quality x
    # complexity). A ``quality_proxy`` column (how exports write the heuristic proxy, core.quality.quality_column)
    # is never detected as quality, so a re-loaded proxy export is on the proxy again; mapped explicitly with
    # ``columns={"quality": ...}`` it keeps the source "proxy".
    # ``category_codes``: (labels in first-seen order, codes int32 per record), or None.

    @cached_property
    def tags(self) -> Optional[list[list[str]]]:
        """Tags of each record ([] when a record has none), or None when the pool has no tags at all."""
        if self.tag_codes is None:
            return None
        vocab, indptr, codes = self.tag_codes
        names = [vocab[c] for c in codes.tolist()]
        bounds = indptr.tolist()
        return [names[a:b] for a, b in zip(bounds[:-1], bounds[1:])]

    @cached_property
    def categories(self) -> Optional[list[str]]:
        """The ``category`` (else ``source``) column as text ('' when missing; lists joined), or None."""
        if self.category_codes is None:
            return None
        vocab, codes = self.category_codes
        return [vocab[c] for c in codes.tolist()]

    @cached_property
    def embedding_column(self) -> Optional[np.ndarray]:
        """float32 (n, d) array from a column such as ``embedding`` (equal-length lists of finite numbers; JSON text
        in CSV/TSV cells), or None when the pool has no such column.

        The vectors are returned as stored (not re-normalised). A malformed cell (not a list, ragged, non-numeric,
        non-finite) raises InputError naming the file, line and field.
        """
        field = self.fieldmap.embedding
        if field is None:
            return None
        rows = []
        file = self.name
        for i, r in enumerate(self.records):
            value = get_path(r, field)
            if isinstance(value, str) and self.format in ("csv", "tsv"):
                try:
                    value = json.loads(value)
                except (ValueError, RecursionError):
                    raise InputError("the embedding column must hold a JSON list of numbers, this cell does not "
                                     "parse", file=file, line=int(self.lines[i]), field=field) from None
            if not isinstance(value, (list, tuple, np.ndarray)) or len(value) == 0:
                raise InputError(f"the embedding column must hold a non-empty list of numbers, got "
                                 f"{describe(value)}", file=file, line=int(self.lines[i]), field=field)
            if rows and len(value) != len(rows[0]):
                raise InputError(f"embedding has {len(value)} numbers but the first record's has {len(rows[0])}",
                                 file=file, line=int(self.lines[i]), field=field)
            try:
                row = np.asarray(value, dtype=np.float32)
            except (ValueError, TypeError, OverflowError):
                row = None
            if row is None or row.ndim != 1 or not np.isfinite(row).all():
                raise InputError("the embedding must be a flat list of finite numbers", file=file,
                                 line=int(self.lines[i]), field=field)
            rows.append(row)
        return np.stack(rows)

    # -- derived pools and tables -------------------------------------------------------------------------
    def subset(self, indices: Iterable[int]) -> "Pool":
        """A new pool of the rows ``indices`` (in that order), sharing the record dicts (which are never mutated)."""
        idx = np.asarray(list(indices) if not isinstance(indices, np.ndarray) else indices, dtype=np.int64)
        if idx.ndim != 1:
            raise ValueError("indices must be one-dimensional")
        if idx.size and (idx.min() < -len(self) or idx.max() >= len(self)):
            raise IndexError(f"indices out of range for a pool of {len(self)} records")
        idx = np.where(idx < 0, idx + len(self), idx)
        rows = idx.tolist()
        ids = self.ids
        records = self.records.take(idx) if isinstance(self.records, LazyRecords) else [self.records[i] for i in rows]
        tag_codes = None
        if self.tag_codes is not None:
            vocab, indptr, codes = self.tag_codes
            tag_codes = (vocab, *_take_csr(indptr, codes, idx))
        cats = None
        if self.category_codes is not None:
            cats = (self.category_codes[0], self.category_codes[1][idx])
        instructions = self.instructions
        sub = Pool(records, shape=self._shape, fieldmap=self.fieldmap, lines=self.lines[idx],
                   ordinals=self._ordinals[idx], name=self.name, path=self.path, file_sha256=self.file_sha256,
                   fmt=self.format, fields=self.fields, instructions=[instructions[i] for i in rows],
                   response_lengths=self.response_lengths[idx], tag_codes=tag_codes,
                   quality=None if self.quality is None else self.quality[idx], category_codes=cats,
                   problems=self.problems, options=self.load_options, ids=[ids[i] for i in rows])
        for key in ("responses", "tags", "categories"):
            value = self.__dict__.get(key)
            if value is not None:
                sub.__dict__[key] = [value[i] for i in rows]
        return sub

    def to_frame(self, max_chars: int = 200) -> pd.DataFrame:
        """A display table (pandas DataFrame): id, instruction and response previews, category, tags, quality.

        Previews are cut to ``max_chars`` characters (ending in '…'); tags are joined with ', '.
        Columns are always present (empty / NaN when the pool lacks them).
        """
        import pandas as pd

        cut = lambda s: s if len(s) <= max_chars else s[: max(max_chars - 1, 0)] + "…"  # noqa: E731
        n = len(self)
        tags = self.tags
        quality = self.quality
        return pd.DataFrame({
            "id": self.ids,
            "instruction": [cut(s) for s in self.instructions],
            "response": [cut(s) for s in self.responses],
            "category": self.categories if self.categories is not None else [""] * n,
            "tags": [", ".join(t) for t in tags] if tags is not None else [""] * n,
            "quality": quality if quality is not None else np.full(n, np.nan),
        })


def _take_csr(indptr: np.ndarray, codes: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows ``rows`` of a CSR list-of-codes (indptr, codes), as a new (indptr, codes)."""
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    new_indptr = np.zeros(rows.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=new_indptr[1:])
    positions = np.repeat(starts - new_indptr[:-1], lengths) + np.arange(int(new_indptr[-1]), dtype=np.int64)
    return new_indptr, codes[positions]


def _as_label(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _gc_paused(func):
    """Run ``func`` with Python's cyclic garbage collector paused (restored after, if it was on).

    Loading appends one dict per record; every few thousand new containers the collector walks all of them
    again, which made it ~40% of a 200K-row load. Parsed JSON holds no reference cycles, so nothing is lost."""
    import functools
    import gc

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        was_on = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if was_on:
                gc.enable()
    return wrapper


@_gc_paused
def load_pool(source: Union[str, Path, bytes, Any], *, shape: str = "auto", columns: Optional[Mapping[str, str]] = None,
              lenient: bool = False, name: Optional[str] = None, id_field: str = "id",
              max_text_chars: int = MAX_TEXT_CHARS, fmt: Optional[str] = None) -> Pool:
    """Load a pool of instruction records from a file path or an upload.

    ``source``: a path, raw bytes (give ``name`` with the extension), or a file-like upload with ``.name``
    (Streamlit's UploadedFile). Format from the extension (.jsonl/.ndjson, .json array, .csv, .tsv, .parquet; the
    text formats also gzip-compressed, e.g. .jsonl.gz, read with the stdlib) or ``fmt``. CSV/TSV columns whose
    non-empty cells are all JSON numbers load as int/float (empty cells as null), except the shape's text fields
    and the tags column, so a CSV pool gives the same types as its JSON Lines export.
    ``shape``: "auto" (detected from the records' keys) or one of SHAPES. ``columns``: map your own fields,
    e.g. ``{"instruction": "q", "response": "a", "tags": "labels", "quality": "score", "id": "qid"}``; with an
    "instruction" entry and ``shape="auto"`` the shape is "columns"; the other entries override where the
    optional columns are found for any shape. ``lenient``: skip bad lines and list them in ``Pool.problems``
    instead of raising on the first (InputError is still raised when nothing is left, or when the file itself is
    unreadable); it also skips records whose quality value is null, empty, NaN or infinite, which strict loading
    keeps (only selectors that rank by quality refuse them, naming the line). ``id_field``: the id column (ids
    are the 0-based row numbers when absent; "_id" is used when "id" is absent). ``max_text_chars``: the longest
    text field accepted (1,000,000 by default).
    Errors and problems give 1-based file lines (CSV: the first line of the row; JSON array: the line where the
    record starts; Parquet: the row number). The file is only ever opened for reading.
    """
    src = resolve_source(source, name=name, fmt=fmt)
    columns = dict(columns) if columns else {}
    unknown = sorted(set(columns) - set(COLUMN_KEYS))
    if unknown:
        raise InputError(f"unknown columns key(s) {', '.join(map(repr, unknown))}; known: {', '.join(COLUMN_KEYS)}",
                         file=src.label)
    if shape == "auto" and "instruction" in columns:
        shape = "columns"
    if shape != "auto" and shape not in SHAPES:
        raise InputError(f"unknown shape {shape!r}; supported: auto, {', '.join(SHAPES)}", file=src.label)
    try:
        shape_obj = get_shape(shape, columns) if shape != "auto" else None
    except ValueError as exc:
        raise InputError(str(exc), file=src.label) from None
    text_keys = sorted({"instruction", "input", "response"} & set(columns))
    if text_keys and shape != "columns":
        raise InputError(f"columns {text_keys} choose the text fields and only apply with shape='columns' "
                         f"(or shape='auto'); got shape={shape!r}", file=src.label)
    if max_text_chars < 1:
        raise ValueError("max_text_chars must be positive")
    options = {"shape": shape, "columns": columns or None, "lenient": lenient, "id_field": id_field,
               "max_text_chars": max_text_chars, "format": src.fmt}

    text_cells = src.fmt in ("csv", "tsv")
    lazy = src.fmt == "jsonl" and not is_gzip(src.name)  # records read back at their byte offsets
    resolve = lambda shape_, fields_: _resolve_fields(shape_, fields_, columns, id_field)  # noqa: E731
    fieldmap: Optional[FieldMap] = None
    stamp = _stamp(src) if lazy else None
    if lazy:  # the plain valid file: columns straight from pyarrow; anything else takes the scan below
        digest = new_digest()
        fast = try_columnar(src, digest, shape=shape_obj, resolve=resolve, max_chars=max_text_chars)
        if fast is not None:
            return _from_columns(fast, src, digest.hexdigest(), options, stamp)
    if text_cells:  # CSV/TSV: numeric columns are typed over the whole file first, so read it all
        digest = new_digest()
        items = _read_table(src, digest, lenient)
        dicts = [it[1] for it in items if type(it) is tuple]
        fields = dict.fromkeys(k for r in dicts for k in r)
        if dicts:
            if shape_obj is None:
                shape_obj = get_shape(_detect_or_raise(dicts[:_DETECT_SAMPLE], fields, src.label))
            fieldmap = resolve(shape_obj, fields)
            _numeric_columns(dicts, shape_obj, fieldmap)
        del dicts
    scan = None
    for _attempt in range(2):  # a second pass only when the fields of the whole file change the column guess
        if not text_cells:
            digest = new_digest()
            items = _stream(src, digest, lazy)
        scan = Scan(shape=shape_obj, fieldmap=fieldmap, resolve=resolve, lenient=lenient, text_cells=text_cells,
                    max_chars=max_text_chars, keep_dicts=not lazy, decode_cell=_decode_cell, as_label=_as_label)
        try:
            scan.run(items)
        except (OSError, EOFError) as exc:  # I/O failing mid-read: a truncated .gz, a vanished file
            raise InputError(f"cannot read the file: {getattr(exc, 'strerror', None) or exc}",
                             file=src.label) from None
        finally:
            if hasattr(items, "close"):
                items.close()  # strict mode may stop early: close the file now, not at garbage collection
        if scan.redo is None:
            break
        shape_obj, fieldmap = scan.shape, scan.redo
    return _finish(scan, src, digest.hexdigest(), options, stamp)


def _stream(src: Any, digest: Any, lazy: bool) -> Iterator:
    """``(line, value, offset)`` or Problem per record of a streamed format (offset -1 when not kept)."""
    if lazy:
        return read_jsonl(src, digest, offsets=True)
    return ((it[0], it[1], -1) if type(it) is tuple else it for it in read_records(src, digest))


def _read_table(src: Any, digest: Any, lenient: bool) -> list:
    """CSV/TSV rows as ``(line, dict, -1)`` (and Problems), up to the first bad row in strict mode."""
    items: list = []
    reader = read_records(src, digest)
    try:
        for it in reader:
            if type(it) is tuple:
                items.append((it[0], it[1], -1))
            else:
                items.append(it)
                if not lenient:
                    break
    except (OSError, EOFError) as exc:
        raise InputError(f"cannot read the file: {getattr(exc, 'strerror', None) or exc}", file=src.label) from None
    finally:
        reader.close()
    return items


def _stamp(src: Any) -> Optional[tuple[int, int]]:
    """(size, mtime_ns) of a path source, to notice a file changed before its records are read back."""
    if src.path is None:
        return None
    st = os.stat(src.path)
    return st.st_size, st.st_mtime_ns


def _detect_or_raise(records: Sequence[dict], fields: Mapping[str, None], label: str) -> str:
    detected = detect_shape(records)
    if detected is None:
        raise _detect_error(fields, label)
    return detected


def _detect_error(fields: Mapping[str, None], label: str) -> InputError:
    seen = ", ".join(list(fields)[:30])
    return InputError(f"cannot tell the record shape from the fields seen ({seen}). Supported shapes: "
                      f"{shape_help()}. Pass shape=... or map your fields with columns={{'instruction': "
                      f"'<field>', 'response': '<field>'}} (CLI: --shape / --columns)", file=label)


def _finish(scan: Scan, src: Any, sha256: str, options: dict, stamp: Optional[tuple[int, int]]) -> Pool:
    """Raise what the pass found (in the former loader's order), else build the pool from its columns."""
    label = src.label
    if not scan.n_dicts:
        if scan.pending is not None:
            raise scan.pending.error(label)
        if scan.parse_problems:
            raise InputError(f"no usable records: all {len(scan.parse_problems)} records had problems; first: "
                             f"{scan.parse_problems[0]}", file=label)
        what = "a header but no data rows" if src.fmt == "csv" and src.size else "no records"
        raise InputError(f"the file is empty: it has {what}", file=label)
    if scan.detect_failed:
        raise _detect_error(scan.fields, label)
    for problem in (scan.fatal, scan.id_fatal, scan.pending):
        if problem is not None:
            raise problem.error(label)
    problems = scan.problems()
    if not scan.n_kept:
        raise InputError(f"no usable records: all {len(problems)} records had problems; first: {problems[0]}",
                         file=label)
    problems.sort(key=lambda p: (p.line or 0))
    lines = _int64(scan.lines)
    if scan.records is not None:
        records: Sequence[dict] = scan.records
    else:
        records = LazyRecords(src.open, _int64(scan.offsets), lines, label, stamp)
    tag_codes = None
    if scan.has_tags:
        tag_codes = (list(scan.tag_vocab), _int64(scan.tag_indptr), np.frombuffer(scan.tag_codes, dtype=np.int32)
                     .copy() if len(scan.tag_codes) else np.zeros(0, np.int32))
    quality = np.frombuffer(scan.quality, dtype=np.float64).copy() if scan.has_quality else None
    cats = None
    if scan.fieldmap.category is not None:
        cats = (list(scan.cat_vocab), np.frombuffer(scan.cat_codes, dtype=np.int32).copy())
    return Pool(records, shape=scan.shape, fieldmap=scan.fieldmap, lines=lines, ordinals=_int64(scan.ordinals),
                name=src.name, path=src.path, file_sha256=sha256, fmt=src.fmt, fields=list(scan.kept_fields),
                instructions=scan.instructions, response_lengths=_int64(scan.response_chars), tag_codes=tag_codes,
                quality=quality, category_codes=cats, problems=problems, options=options, ids=scan.ids)


def _from_columns(cols: dict, src: Any, sha256: str, options: dict, stamp: Optional[tuple[int, int]]) -> Pool:
    """The pool of a file the columnar fast path read (core.data.columnar): no problems, every record kept."""
    lines = cols["lines"]
    records = LazyRecords(src.open, cols["offsets"], lines, src.label, stamp)
    return Pool(records, shape=cols["shape"], fieldmap=cols["fieldmap"], lines=lines,
                ordinals=np.arange(len(lines), dtype=np.int64), name=src.name, path=src.path, file_sha256=sha256,
                fmt=src.fmt, fields=cols["fields"], instructions=cols["instructions"],
                response_lengths=cols["response_lengths"], tag_codes=cols["tag_codes"], quality=cols["quality"],
                category_codes=cols["category_codes"], problems=[], options=options, ids=cols["ids"])


def _int64(values: array) -> np.ndarray:
    return np.frombuffer(values, dtype=np.int64).copy() if len(values) else np.zeros(0, np.int64)


def _numeric_columns(records: list[dict], shape: Shape, fieldmap: FieldMap) -> None:
    """CSV/TSV only: turn every column whose non-empty cells are all JSON numbers into int/float (empty cells
    become null), the same types a JSON Lines file of the same data gives, so exports re-load alike.

    Columns the shape reads as text (a number there fails its check), the tags column and nested JSON cells are
    left as text. The rows are dicts the CSV reader just built, so nothing of the user's is modified.
    """
    if not records:
        return
    skip = {fieldmap.tags, fieldmap.embedding} | set(shape.nested)
    candidates = [f for f in records[0] if f not in skip]
    match = _JSON_NUMBER.fullmatch
    numeric = []
    for field in candidates:
        floats, any_value = False, False
        for r in records:
            v = r.get(field)
            if v is None or v == "":
                continue
            m = match(v) if isinstance(v, str) else None
            if m is None or len(v) > 4000:
                break
            any_value = True
            floats = floats or m.group(1) is not None or m.group(2) is not None
        else:
            if any_value:
                numeric.append((field, floats))
    for field, floats in numeric:
        probe = dict(records[0])
        probe[field] = 1.5 if floats else 1
        try:
            shape.check(probe, MAX_TEXT_CHARS)
        except RecordProblem:
            continue  # a text field of the shape (e.g. an instruction that is a number): keep text
        except Exception:  # noqa: BLE001 - a probe that trips the check some other way: keep text
            continue
        for r in records:
            v = r.get(field)
            if v == "" or v is None:
                r[field] = None
            else:
                number = float(v) if floats else int(v)
                if floats and not math.isfinite(number):
                    number = v  # 1e999: out of range, leave the text for the quality check to name
                r[field] = number


def _resolve_fields(shape: Shape, fields: Mapping[str, None], columns: Mapping[str, str], id_field: str
                    ) -> FieldMap:
    """Pick the field of each optional column: ``columns`` first, then the shape's own, then common names."""

    def first(*names: str) -> Optional[str]:
        return next((n for n in names if n in fields), None)

    id_col = columns.get("id")
    if id_col is None:
        id_col = id_field if id_field in fields else ("_id" if id_field == "id" and "_id" in fields else None)
    tags = columns.get("tags") or (None if shape.native_tags else first("tags"))
    quality = columns.get("quality") or (None if shape.native_quality else first("quality", "score"))
    return FieldMap(id=id_col, tags=tags, quality=quality, category=columns.get("category") or
                    first("category", "source"), embedding=columns.get("embedding") or first("embedding",
                                                                                          "embeddings"))


def _decode_cell(record: dict, field: str) -> None:
    """CSV only: a list/object field of the shape is stored as JSON text; decode it into the row (a dict the
    CSV reader just built, so nothing of the user's is touched). An empty cell becomes null."""
    value = record.get(field)
    if not isinstance(value, str):
        return
    if not value.strip():
        record[field] = None
        return
    try:
        record[field] = json.loads(value)
    except json.JSONDecodeError as exc:
        raise RecordProblem(field, f"this CSV cell should hold JSON (a list or an object) but it does not parse: "
                                   f"{exc.msg} (character {exc.pos + 1})") from None
    except (ValueError, RecursionError) as exc:
        from core.data.readers import unparsable_reason

        raise RecordProblem(field, f"this CSV cell should hold JSON: {unparsable_reason(exc)}") from None
