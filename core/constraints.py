"""Constraints on a selection: must-include rows, never-pick rows, a candidate filter and per-stratum quotas.

A curator's pass always has some: "keep these", "never those", "only from this source", "10% of each source".
:class:`Constraints` holds them as pool row indices (the core never sees ids); :func:`from_pool` builds them from
id files, ``COLUMN=VALUE`` filters and a stratum column of a :class:`core.data.Pool`, with errors that name the
file and line. ``core.selectors.run(..., constraints=...)`` applies them to every selector (how each selector
honours them is documented there).

Semantics (the same for every selector):

* ``include``: rows that come first in the pick order, in the order given, and count in the budget;
* ``exclude``: rows that never appear;
* ``candidates``: the rows the selector may pick from (None: every row); included rows are kept even outside it;
* ``strata`` (one label per pool row, e.g. the ``source`` column) with ``per_mode``: the budget is split over the
  strata (``allocate``: "proportional" by largest remainder, or "equal" by water-filling); MIG and QDIT meet the
  quotas inside their optimiser (one greedy run, full strata leave the search), every other selector runs in
  each stratum with its quota.

The selector sees the allowed rows (candidates minus excluded, plus included) as its pool, so densities,
clusters and coverage are measured among them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, Union

import numpy as np

from core.errors import BudgetError, InputError, SiftError

PER_MODES = ("proportional", "equal")
#: The stratum of a record that has no value in the stratum column.
MISSING_STRATUM = "(missing)"


@dataclass(frozen=True)
class Constraints:
    """Constraints as pool row indices; ``source`` says how they were made (files, filters), for the record."""

    include: Sequence[int] = ()
    exclude: Sequence[int] = ()
    candidates: Optional[Sequence[int]] = None
    strata: Optional[Sequence[Any]] = None
    per_mode: str = "proportional"
    source: Mapping[str, Any] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """True when nothing is constrained (the selector runs on the whole pool as usual)."""
        return not len(self.include) and not len(self.exclude) and self.candidates is None and self.strata is None

    def resolve(self, n: int, budget: int) -> "Resolved":
        """Check against a pool of ``n`` rows and a budget; :class:`Resolved` rows, or a clear SiftError."""
        include = _rows(self.include, n, "must-include")
        exclude = _rows(self.exclude, n, "never-pick")
        if np.unique(include).size != include.size:
            values, counts = np.unique(include, return_counts=True)
            raise SiftError(f"row {int(values[np.argmax(counts > 1)])} is listed twice among the must-include records")
        both = np.intersect1d(include, exclude)
        if both.size:
            raise SiftError(f"{both.size} records are both must-include and never-pick (first: row {int(both[0])})")
        allowed = np.ones(n, dtype=bool)
        if self.candidates is not None:
            allowed[:] = False
            allowed[_rows(self.candidates, n, "candidate")] = True
        allowed[exclude] = False
        allowed[include] = False
        free = np.flatnonzero(allowed)
        if include.size > budget:
            raise BudgetError(f"{include.size} records must be included but the budget is {budget}")
        if free.size == 0 and budget > include.size:
            raise SiftError("no candidate records are left after the filter and the never-pick list"
                            + (f" (only the {include.size} must-include records)" if include.size else ""))
        if budget > include.size + free.size:
            raise BudgetError(f"budget {budget} is larger than the {include.size + free.size} records the "
                              f"constraints allow ({include.size} must-include, {free.size} candidates)")
        if self.per_mode not in PER_MODES:
            raise SiftError(f"per_mode must be one of {', '.join(PER_MODES)}, got {self.per_mode!r}")
        strata = None
        if self.strata is not None:
            strata = np.asarray([str(s) for s in self.strata], dtype=object)
            if strata.shape != (n,):
                raise SiftError(f"strata must give one label per record ({n}), got {strata.shape[0]}")
        return Resolved(include=include, free=free, strata=strata)

    def record(self) -> dict:
        """A JSON-ready description for ``Selection.params`` / ``info`` and manifests."""
        out: dict = {"include": [int(i) for i in self.include], "exclude": [int(i) for i in self.exclude],
                     "candidates": None if self.candidates is None else len(self.candidates)}
        if self.strata is not None:
            out["per_mode"] = self.per_mode
        if self.candidates is not None and not self.source.get("where") and not self.source.get("dedup"):
            out["candidate_rows"] = [int(i) for i in self.candidates]
        out.update({k: v for k, v in self.source.items()})
        return out


def restrict(constraints: Constraints, rows: Sequence[int], why: str) -> Constraints:
    """``constraints`` with the candidates cut down to ``rows`` (e.g. the records deduplication keeps); ``why`` is
    recorded in ``source`` (the rows themselves are not, they follow from it)."""
    rows = np.asarray(rows, dtype=np.int64)
    cand = rows if constraints.candidates is None else np.intersect1d(np.asarray(constraints.candidates), rows)
    return replace(constraints, candidates=cand.tolist(), source={**constraints.source, why: True})


@dataclass(frozen=True)
class Resolved:
    """Checked constraints: ``include`` (order kept), ``free`` (sorted rows the selector may add), ``strata``."""

    include: np.ndarray
    free: np.ndarray
    strata: Optional[np.ndarray]

    @property
    def rows(self) -> np.ndarray:
        """Every row the selector sees: free and included, sorted."""
        return np.union1d(self.free, self.include)


def allocate(sizes: Sequence[int], budget: int, mode: str = "proportional",
             minimum: Optional[Sequence[int]] = None) -> np.ndarray:
    """Split ``budget`` over strata of ``sizes``: exact integer quotas, never above a stratum's size.

    ``proportional``: largest remainder (Hamilton): floor(budget * size / total), then one more to the strata with
    the largest fractional parts (ties: the earlier stratum). ``equal``: water-filling: equal shares, a stratum
    too small gives all its rows and the rest is shared among the others; the last few rows of an uneven split go
    to the earlier strata. ``minimum`` (e.g. must-include rows per stratum) raises a quota that falls below it,
    taking the difference from the largest quotas above their minimum.
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    total = int(sizes.sum())
    budget = int(budget)
    if budget > total:
        raise BudgetError(f"budget {budget} is larger than the {total} records in the strata")
    if mode == "proportional":
        exact = budget * sizes / max(total, 1)
        quota = np.floor(exact).astype(np.int64)
        left = budget - int(quota.sum())
        order = sorted(range(len(sizes)), key=lambda s: (-(exact[s] - quota[s]), s))
        for s in order[:left]:
            quota[s] += 1
    elif mode == "equal":
        quota = np.zeros_like(sizes)
        left = budget
        while left > 0:
            open_ = np.flatnonzero(quota < sizes)
            share = left // open_.size
            if share == 0:
                quota[open_[:left]] += 1
                break
            give = np.minimum(sizes[open_] - quota[open_], share)
            quota[open_] += give
            left -= int(give.sum())
    else:
        raise SiftError(f"per_mode must be one of {', '.join(PER_MODES)}, got {mode!r}")
    if minimum is not None:
        low = np.asarray(minimum, dtype=np.int64)
        need = int(np.maximum(low - quota, 0).sum())
        quota = np.maximum(quota, low)
        while need > 0:
            spare = quota - low
            s = int(np.argmax(spare))
            if spare[s] <= 0:
                raise BudgetError(f"the budget {budget} is smaller than the {int(low.sum())} must-include records")
            quota[s] -= 1
            need -= 1
    return quota


def _rows(values: Sequence[int], n: int, what: str) -> np.ndarray:
    idx = np.asarray(list(values) if not isinstance(values, np.ndarray) else values)
    if idx.size and (idx.dtype == bool or not np.issubdtype(idx.dtype, np.integer)):
        raise SiftError(f"{what} rows must be integer row indices, got {idx.dtype}")
    idx = idx.astype(np.int64).reshape(-1)
    bad = (idx < 0) | (idx >= n)
    if bad.any():
        raise SiftError(f"{what} row {int(idx[np.argmax(bad)])} is outside the pool (0..{n - 1})")
    return idx


# --------------------------------------------------------------------------------- from a pool (CLI, app)

def read_ids(path: Union[str, Path]) -> list[tuple[str, int]]:
    """Ids from a file: a JSON list of ids, or one id per line (blank lines and ``#`` comments skipped).

    Returns ``(id, line)`` pairs (line 1-based; for a JSON list, the item's position) for error messages.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the id file ({exc})", file=str(path)) from None
    if text.lstrip().startswith("["):
        try:
            values = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not a valid JSON list of ids ({exc.msg})", file=str(path), line=exc.lineno) from None
        out = []
        for k, value in enumerate(values, start=1):
            if isinstance(value, (dict, list)) or value is None:
                raise InputError(f"item {k} of the JSON list is not an id: {value!r}", file=str(path))
            out.append((str(value), k))
        return out
    return [(line.strip(), k) for k, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not line.strip().startswith("#")]


def ids_to_rows(pool_ids: Sequence[str], ids: Sequence[tuple[str, int]], path: Union[str, Path]) -> list[int]:
    """Pool rows of ``(id, line)`` pairs read from ``path``, in file order; an id that is not among ``pool_ids`` or
    is listed twice is an InputError naming its line."""
    where = {pid: i for i, pid in enumerate(pool_ids)}
    rows, seen = [], set()
    for value, line in ids:
        if value not in where:
            raise InputError(f"id {value!r} is not in the pool", file=str(path), line=line)
        if value in seen:
            raise InputError(f"id {value!r} is listed twice", file=str(path), line=line)
        seen.add(value)
        rows.append(where[value])
    return rows


def parse_where(clause: str) -> tuple[str, str]:
    """``"COLUMN=VALUE"`` -> (column, value); a SiftError otherwise."""
    column, sep, value = str(clause).partition("=")
    if not sep or not column.strip():
        raise SiftError(f"a filter must be COLUMN=VALUE, got {clause!r}")
    return column.strip(), value.strip()


def field_text(value: Any) -> Optional[str]:
    """A record field as the text a ``COLUMN=VALUE`` filter compares with (JSON for numbers, booleans, lists)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def column_values(pool: Any, column: str) -> list[Optional[str]]:
    """Each record's ``column`` as text (None where absent); an InputError if no record has the column."""
    values = [field_text(r.get(column)) if isinstance(r, Mapping) else None for r in pool.records]
    if all(v is None for v in values):
        fields = ", ".join(list(getattr(pool, "fields", []))[:12])
        raise InputError(f"no record has a column {column!r} (columns: {fields})", field=column)
    return values


def where_rows(pool: Any, clauses: Sequence[str]) -> np.ndarray:
    """Rows matching every ``COLUMN=VALUE`` clause (values compared as text; several clauses: all must hold)."""
    mask = np.ones(len(pool), dtype=bool)
    for clause in clauses:
        column, value = parse_where(clause)
        mask &= np.array([v == value for v in column_values(pool, column)], dtype=bool)
    return np.flatnonzero(mask)


def from_pool(pool: Any, *, include: Union[None, str, Path] = None, exclude: Union[None, str, Path] = None,
              where: Sequence[str] = (), candidates: Optional[Sequence[int]] = None, per: Optional[str] = None,
              per_mode: str = "proportional") -> Optional[Constraints]:
    """Constraints from id files, ``COLUMN=VALUE`` filters, a row subset and a stratum column of ``pool``.

    None when nothing is given. ``candidates`` (rows, e.g. a map selection) and ``where`` combine (both hold).
    """
    if include is None and exclude is None and not where and candidates is None and per is None:
        return None
    source: dict = {}
    inc = exc = []
    if include is not None:
        inc = ids_to_rows(pool.ids, read_ids(include), include)
        source["include_file"] = str(include)
    if exclude is not None:
        exc = ids_to_rows(pool.ids, read_ids(exclude), exclude)
        source["exclude_file"] = str(exclude)
    cand = None if candidates is None else np.asarray(candidates, dtype=np.int64)
    if where:
        matched = where_rows(pool, where)
        cand = matched if cand is None else np.intersect1d(cand, matched)
        source["where"] = [f"{c}={v}" for c, v in map(parse_where, where)]
    strata = None
    if per is not None:
        strata = [MISSING_STRATUM if v is None else v for v in column_values(pool, per)]
        source["per"] = per
    if per_mode not in PER_MODES:
        raise SiftError(f"per_mode must be one of {', '.join(PER_MODES)}, got {per_mode!r}")
    return Constraints(include=inc, exclude=exc, candidates=None if cand is None else cand.tolist(), strata=strata,
                       per_mode=per_mode, source=source)
