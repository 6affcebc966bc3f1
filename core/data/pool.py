"""A loaded pool of instruction records, and ``load_pool`` which builds it from a file or an upload.

The pool keeps one parsed dict per record exactly as read (never mutated) plus small arrays (ids, lines);
every derived view (instruction texts, tags, quality, ...) is computed on first use and cached, so loading a
million-line file costs one dict per line and nothing more.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional, Sequence, Union

import numpy as np

from core.data.problems import Problem, RecordProblem
from core.data.readers import read_records
from core.data.shapes import (ASSISTANT, SHAPES, USER, Shape, check_tags, describe, detect_shape, get_path,
                              get_shape, parse_quality, parse_tags, shape_help)
from core.data.sources import new_digest, resolve_source
from core.errors import InputError

if TYPE_CHECKING:  # types only: pandas is imported when a table is asked for
    import pandas as pd

#: Default limit on the length of one text field (characters); see ``max_text_chars``.
MAX_TEXT_CHARS = 1_000_000
from core.defaults import DEFAULT_TURNS, DEFAULT_VIEW, TURNS, VIEWS  # noqa: E402 - text views, defined once
_DETECT_SAMPLE = 1000
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
    """Records of one file in file order, with stable string ids and lazily derived views.

    Attributes: ``records`` (original dicts, never modified), ``ids``, ``shape``, ``format``, ``path``
    (None for uploads), ``name``, ``file_sha256``, ``problems`` (lines skipped in lenient mode), ``lines``
    (1-based file line of each record), ``fields`` (top-level keys in first-seen order), ``fieldmap``.
    """

    def __init__(self, records: list[dict], *, shape: Shape, fieldmap: FieldMap, lines: np.ndarray,
                 ordinals: np.ndarray, name: str, path: Optional[Path], file_sha256: str, fmt: str,
                 fields: Sequence[str], problems: Sequence[Problem] = (), options: Optional[dict] = None,
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
        if ids is not None:
            self.__dict__["ids"] = ids

    # -- basics -------------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.records)

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
    @cached_property
    def instructions(self) -> list[str]:
        """First user turn of each record (Alpaca: instruction + "\\n\\n" + input when input is non-empty)."""
        get = self._shape.instruction
        return [get(r) for r in self.records]

    @cached_property
    def responses(self) -> list[str]:
        """First assistant turn of each record (Alpaca: output); '' when there is none."""
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
    @cached_property
    def tags(self) -> Optional[list[list[str]]]:
        """Tags of each record ([] when a record has none), or None when the pool has no tags at all."""
        text_cells = self.format in ("csv", "tsv")
        if self.fieldmap.tags is not None:
            field = self.fieldmap.tags
            return [parse_tags(get_path(r, field), text_cells=text_cells, field=field) for r in self.records]
        if self._shape.native_tags and any(get_path(r, "annotation.instag") for r in self.records):
            return [self._shape.tags(r) for r in self.records]
        return None

    @cached_property
    def quality(self) -> Optional[np.ndarray]:
        """Quality per record as float64 (NaN where a record has none), or None when the pool has none.

        From a numeric ``quality``/``score`` column, or for MIG records the DEITA score
        (mean over rounds of quality x complexity). A ``quality_proxy`` column (how exports write the heuristic
        proxy, ``core.quality.quality_column``) is never detected as quality, so a re-loaded proxy export is on
        the proxy again; mapped explicitly with ``columns={"quality": ...}`` it keeps the source "proxy".
        """
        if self.fieldmap.quality is not None:
            field, text_cells = self.fieldmap.quality, self.format in ("csv", "tsv")
            return np.array([parse_quality(get_path(r, field), text_cells=text_cells, field=field)
                             for r in self.records], dtype=np.float64)
        if self._shape.native_quality:
            values = [self._shape.quality(r) for r in self.records]
            if any(v is not None for v in values):
                return np.array([math.nan if v is None else v for v in values], dtype=np.float64)
        return None

    @cached_property
    def categories(self) -> Optional[list[str]]:
        """The ``category`` (else ``source``) column as text ('' when missing; lists joined), or None."""
        field = self.fieldmap.category
        if field is None:
            return None
        return [_as_label(get_path(r, field)) for r in self.records]

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
        ids = self.ids
        sub = Pool([self.records[i] for i in idx.tolist()], shape=self._shape, fieldmap=self.fieldmap,
                   lines=self.lines[idx], ordinals=self._ordinals[idx], name=self.name, path=self.path,
                   file_sha256=self.file_sha256, fmt=self.format, fields=self.fields, problems=self.problems,
                   options=self.load_options, ids=[ids[i] for i in idx.tolist()])
        for key in ("instructions", "responses"):
            if key in self.__dict__:
                sub.__dict__[key] = [self.__dict__[key][i] for i in idx.tolist()]
        if "quality" in self.__dict__:
            q = self.__dict__["quality"]
            sub.__dict__["quality"] = None if q is None else q[idx]
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

    # Pass 1: parse, one dict per record; strict mode stops at the first unreadable line.
    digest = new_digest()
    records: list[dict] = []
    lines, ordinals = array("q"), array("q")
    problems: list[Problem] = []
    pending: Optional[Problem] = None
    fields: dict[str, None] = {}
    last_keys: tuple = ()
    ordinal = -1
    items = read_records(src, digest)
    try:
        for item in items:
            ordinal += 1
            if isinstance(item, Problem):
                problem = item
            else:
                line, value = item
                if type(value) is dict:
                    keys = tuple(value)
                    if keys != last_keys:
                        fields.update(dict.fromkeys(keys))
                        last_keys = keys
                    records.append(value)
                    lines.append(line)
                    ordinals.append(ordinal)
                    continue
                problem = Problem(line, None, f"expected a JSON object (one record), got {describe(value)}")
            if not lenient:
                pending = problem
                break
            problems.append(problem)
    except (OSError, EOFError) as exc:  # I/O failing mid-read: a truncated .gz, a vanished file
        raise InputError(f"cannot read the file: {getattr(exc, 'strerror', None) or exc}", file=src.label) from None
    finally:
        if hasattr(items, "close"):
            items.close()  # strict mode may stop early: close the file now, not at garbage collection

    if not records:
        if pending is not None:
            raise pending.error(src.label)
        if problems:
            raise InputError(f"no usable records: all {len(problems)} records had problems; first: {problems[0]}",
                             file=src.label)
        what = "a header but no data rows" if src.fmt == "csv" and src.size else "no records"
        raise InputError(f"the file is empty: it has {what}", file=src.label)

    if shape_obj is None:
        detected = detect_shape(records[:_DETECT_SAMPLE])
        if detected is None:
            seen = ", ".join(list(fields)[:30])
            raise InputError(f"cannot tell the record shape from the fields seen ({seen}). Supported shapes: "
                             f"{shape_help()}. Pass shape=... or map your fields with columns={{'instruction': "
                             f"'<field>', 'response': '<field>'}} (CLI: --shape / --columns)", file=src.label)
        shape_obj = get_shape(detected)
    fieldmap = _resolve_fields(shape_obj, fields, columns, id_field)
    if src.fmt in ("csv", "tsv"):
        _numeric_columns(records, shape_obj, fieldmap)

    # Pass 2: check every record against the shape and the optional columns.
    keep = _validate(records, lines, shape_obj, fieldmap, src.fmt in ("csv", "tsv"), max_text_chars, lenient,
                     problems, src.label)
    ids, keep = _resolve_ids(records, lines, keep, fieldmap, lenient, problems, src.label)
    if lenient and fieldmap.quality is not None:
        keep = _drop_missing_quality(records, lines, keep, fieldmap.quality, src.fmt in ("csv", "tsv"), problems)
    if pending is not None:
        raise pending.error(src.label)
    if keep is not None:
        records = [records[i] for i in keep]
        fields = dict.fromkeys(k for r in records for k in r)  # fields of the kept records only
        lines = np.asarray(lines, dtype=np.int64)[keep]
        ordinals = np.asarray(ordinals, dtype=np.int64)[keep]
        if ids is not None:
            ids = [ids[i] for i in keep]
    else:
        lines = np.frombuffer(lines, dtype=np.int64).copy() if len(lines) else np.zeros(0, np.int64)
        ordinals = np.frombuffer(ordinals, dtype=np.int64).copy() if len(ordinals) else np.zeros(0, np.int64)
    if not records:
        raise InputError(f"no usable records: all {len(problems)} records had problems; first: {problems[0]}",
                         file=src.label)
    problems.sort(key=lambda p: (p.line or 0))
    return Pool(records, shape=shape_obj, fieldmap=fieldmap, lines=lines, ordinals=ordinals, name=src.name,
                path=src.path, file_sha256=digest.hexdigest(), fmt=src.fmt, fields=list(fields),
                problems=problems, options=options, ids=ids)


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


def _validate(records: list[dict], lines: array, shape: Shape, fieldmap: FieldMap, text_cells: bool,
              max_chars: int, lenient: bool, problems: list[Problem], file: str) -> Optional[list[int]]:
    """Check every record; strict raises the first problem, lenient returns the kept indices (None = all)."""
    check = shape.check
    tags_field, quality_field = fieldmap.tags, fieldmap.quality
    bad: list[int] = []
    nested = shape.nested if text_cells else ()
    for i, record in enumerate(records):
        try:
            for field in nested:
                _decode_cell(record, field)
            check(record, max_chars)
            if tags_field is not None:
                check_tags(get_path(record, tags_field), tags_field, text_cells=text_cells)
            if quality_field is not None:
                parse_quality(get_path(record, quality_field), text_cells=text_cells, field=quality_field)
        except RecordProblem as exc:
            problem = Problem(lines[i], exc.field, exc.reason)
            if not lenient:
                raise problem.error(file) from None
            problems.append(problem)
            bad.append(i)
    if not bad:
        return None
    dropped = set(bad)
    return [i for i in range(len(records)) if i not in dropped]


def _drop_missing_quality(records: list[dict], lines: array, keep: Optional[list[int]], field: str,
                          text_cells: bool, problems: list[Problem]) -> Optional[list[int]]:
    """Lenient only: skip (and list) records whose quality is null, empty, NaN or infinite.

    Strict loading keeps them: selectors that ignore quality run, those that rank by it refuse the pool naming
    the first such line (core.quality.quality_for via Features.require).
    """
    order = keep if keep is not None else range(len(records))
    kept = []
    for i in order:
        q = parse_quality(get_path(records[i], field), text_cells=text_cells, field=field)
        if math.isfinite(q):
            kept.append(i)
        else:
            problems.append(Problem(lines[i], field, f"no valid quality value (null, empty, NaN or infinite; got "
                                                     f"{q!r}); selectors that rank by quality cannot use it"))
    return keep if len(kept) == len(order) else kept


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


def _resolve_ids(records: list[dict], lines: array, keep: Optional[list[int]], fieldmap: FieldMap, lenient: bool,
                 problems: list[Problem], file: str) -> tuple[Optional[list[str]], Optional[list[int]]]:
    """Ids from the id field (every record must have one, all unique), or None for row-number ids."""
    field = fieldmap.id
    if field is None:
        return None, keep
    order = keep if keep is not None else range(len(records))
    ids: list[Optional[str]] = [None] * len(records)
    seen: dict[str, int] = {}
    kept: list[int] = []
    for i in order:
        value = get_path(records[i], field)
        reason = None
        if value is None or value == "":
            reason = f"missing id while other records have one; give every record a unique '{field}'"
        elif isinstance(value, (dict, list, bool)):
            reason = f"an id must be text or a number, got {describe(value)}"
        else:
            key = value if isinstance(value, str) else str(value)
            if key in seen:
                reason = f"duplicate id {key!r}: also on line {lines[seen[key]]}"
            else:
                seen[key] = i
                ids[i] = key
        if reason is not None:
            problem = Problem(lines[i], field, reason)
            if not lenient:
                raise problem.error(file)
            problems.append(problem)
        else:
            kept.append(i)
    if keep is None and len(kept) == len(records):
        return ids, None  # type: ignore[return-value]
    return ids, kept  # type: ignore[return-value]
