"""Tables of the Dataset, Selection and Compare pages as pure functions returning ``pandas.DataFrame`` (no streamlit).

Record text is cut to one line here and shown through ``st.dataframe``, which never renders it as HTML.
"""

from __future__ import annotations

import json
from typing import Any, Collection, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from core.selection import Selection, jaccard
from ui.text import PREVIEW_CHARS, short


def prefix_sizes(length: int, count: int = 10) -> list[int]:
    """About ``count`` evenly spaced prefix sizes from ``length / count`` up to ``length`` (always included)."""
    if length <= 0:
        return []
    ks = np.unique(np.linspace(length / count, length, num=min(count, length)).round().astype(int))
    return [int(k) for k in ks if k >= 1]


def selection_caption(name: str, sel: Selection) -> str:
    """One line naming a run: method, size, parameters and time."""
    params = ", ".join(f"{k}={v}" for k, v in (sel.params or {}).items())
    dedup = (sel.info or {}).get("dedup")
    note = (f", deduplicated: {dedup['kept']:,} of {dedup['records']:,} records were candidates" if dedup else "")
    return f"{name}: {sel.method}, {len(sel)} picks" + (f" ({params})" if params else "") + \
        f", {sel.seconds:.2f} s" + note


def runs_frame(selections: Mapping[str, Selection]) -> pd.DataFrame:
    """One row per run kept in the session: name, method, budget, parameters, seconds."""
    rows = [{"run": name, "method": sel.method, "picks": len(sel),
             "parameters": ", ".join(f"{k}={v}" for k, v in (sel.params or {}).items()),
             "seconds": round(float(sel.seconds), 3)} for name, sel in selections.items()]
    return pd.DataFrame(rows, columns=["run", "method", "picks", "parameters", "seconds"])


def picks_frame(sel: Selection, ids: Sequence[Any], instructions: Sequence[Any],
                quality: np.ndarray | None, label_sets: Sequence[Sequence[str]] | None,
                exact_gain: np.ndarray | None = None) -> pd.DataFrame:
    """The chosen records in pick order: rank, ranking score, exact gain (when given), id, instruction preview,
    quality, labels."""
    idx = sel.indices
    frame = pd.DataFrame({"rank": np.arange(1, len(idx) + 1), "ranking score": sel.gains})
    if exact_gain is not None:
        frame["exact gain"] = np.asarray(exact_gain, dtype=float)
    frame["id"] = [str(ids[i]) for i in idx]
    frame["instruction"] = [short(instructions[i], PREVIEW_CHARS) for i in idx]
    if quality is not None:
        frame["quality"] = np.asarray(quality, dtype=float)[idx]
    if label_sets is not None:
        frame["labels"] = [", ".join(map(str, label_sets[i])) for i in idx]
    return frame


def overlap_matrix(selections: Mapping[str, Selection]) -> pd.DataFrame:
    """Pairwise Jaccard overlap |A∩B| / |A∪B| of the selections' index sets."""
    names = list(selections)
    mat = [[jaccard(selections[a].indices, selections[b].indices) for b in names] for a in names]
    return pd.DataFrame(mat, index=names, columns=names, dtype=float)


def exclusive_labels(selections: Mapping[str, Selection],
                     label_sets: Sequence[Sequence[str]]) -> dict[str, list[str]]:
    """For each selection, the sorted labels it covers that none of the others cover."""
    covered = {n: {lab for i in sel.indices for lab in label_sets[int(i)]} for n, sel in selections.items()}
    out = {}
    for name, labs in covered.items():
        others = set().union(*(c for m, c in covered.items() if m != name))
        out[name] = sorted(labs - others)
    return out


def metrics_frame(values: Mapping[str, float], specs: Mapping[str, Any], quality: np.ndarray | None = None,
                  quality_is_proxy: bool = False, indices: Sequence[int] = ()) -> pd.DataFrame:
    """Metric, direction and value rows for one subset (registry metrics in ``values``), plus the quality mean of
    ``indices`` when a quality is given."""
    rows = [{"metric": specs[name].label if name in specs else name,
             "direction": specs[name].direction if name in specs else "",
             "value": float(v)} for name, v in values.items()]
    if quality is not None and len(indices):
        rows.append({"metric": "Quality mean" + (" (proxy)" if quality_is_proxy else ""),
                     "direction": "higher = better quality",
                     "value": float(np.nanmean(np.asarray(quality, dtype=float)[np.asarray(indices)]))})
    return pd.DataFrame(rows, columns=["metric", "direction", "value"])


def comparison_frame(comparison: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table, best) of a ``core.compare.Comparison``: one row per metric with its direction, one text cell per run
    ("value · rank · sd above random", the best run starred) and the random baseline; ``best`` is True where a cell
    holds the row's best run (for highlighting). A last row gives each run's mean rank."""
    runs = list(comparison.runs)
    rows, best = [], []
    for row in comparison.rows:
        out = {"metric": row.label, "direction": row.direction}
        flags = {"metric": False, "direction": False}
        for run in runs:
            value = row.values.get(run)
            if value is None or not np.isfinite(value):
                out[run], flags[run] = "", False
                continue
            star = "★ " if run in row.best else ""
            cell = f"{star}{value:.4g} · #{row.ranks[run]}"
            if run in row.versus:
                cell += f" · {versus_short(row.versus[run])}"
            out[run], flags[run] = cell, run in row.best
        out["random (mean ± sd)"] = "" if row.baseline is None else f"{row.baseline.mean:.4g} ± {row.baseline.std:.2g}"
        flags["random (mean ± sd)"] = False
        rows.append(out)
        best.append(flags)
    mean_rank = comparison.mean_rank()
    finite = [v for v in mean_rank.values() if np.isfinite(v)]
    top = min(finite) if finite else None
    rows.append({"metric": "Mean rank", "direction": "lower = better overall",
                 **{run: ("★ " if top is not None and mean_rank[run] == top else "") + f"{mean_rank[run]:.2f}"
                    for run in runs}, "random (mean ± sd)": ""})
    best.append({"metric": False, "direction": False, **{run: top is not None and mean_rank[run] == top
                                                          for run in runs}, "random (mean ± sd)": False})
    columns = ["metric", "direction", *runs, "random (mean ± sd)"]
    return pd.DataFrame(rows, columns=columns), pd.DataFrame(best, columns=columns)


def versus_short(versus: Any) -> str:
    """A run's distance from random in a few characters: "+4.9 sd" (above random = better, in random standard
    deviations), or the signed difference when the random draws do not vary ("= random" when equal)."""
    if versus.z is not None:
        return f"{versus.z:+.1f} sd"
    return "= random" if versus.delta == 0 else f"{versus.delta:+.3g} vs random"


def glossary_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """``core.metrics.glossary()`` rows as a table: metric, direction, what it means, formula."""
    return pd.DataFrame([{"metric": r["label"], "direction": r["direction"], "meaning": r["meaning"],
                          "formula": r.get("formula", "")} for r in rows],
                        columns=["metric", "direction", "meaning", "formula"])


# --------------------------------------------------------------------------------------------- dataset table

#: Columns the Dataset table shows first, in this order, when present: the record id, where it came from and what
#: it is about (``source`` / ``category``, or the pool's own category field), its quality and its tags.
KEY_COLUMNS = ("id", "source", "category", "quality", "tags")
#: The text previews, shown after every metadata column.
TEXT_COLUMNS = ("instruction", "response")


def _cell(value: Any, limit: int) -> Any:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return short(", ".join(value), limit)
    return short(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str), limit)


def metadata_columns(metas: Sequence[Mapping[str, Any]], skip: Collection[str] = (), limit: int = 120
                     ) -> pd.DataFrame:
    """One column per metadata field of ``metas`` (one mapping per shown record, e.g. the record view's metadata),
    fields in first-seen order minus ``skip``: numbers stay numbers when a column holds only numbers, anything else
    is one line of text cut to ``limit`` characters (lists of strings joined with ', ', nested values as JSON)."""
    fields: dict[str, None] = {}
    for meta in metas:
        fields.update((str(k), None) for k in meta if str(k) not in skip)
    out = {}
    for field in fields:
        values = [meta.get(field) for meta in metas]
        numeric = all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values)
        out[field] = ([np.nan if v is None else float(v) for v in values] if numeric else
                      ["" if v is None else str(_cell(v, limit)) for v in values])
    return pd.DataFrame(out, index=range(len(metas)))


def dataset_frame(base: pd.DataFrame, metas: Optional[Sequence[Mapping[str, Any]]] = None, *,
                  category: Optional[str] = "category", has_quality: bool = True, has_tags: bool = True,
                  skip: Collection[str] = (), limit: int = 120) -> pd.DataFrame:
    """The Dataset page's table: ``base`` (rows of ``Pool.to_frame``) with its category column named after the
    pool's field (``category``; None drops it) and quality/tags dropped when the pool has none, plus
    :func:`metadata_columns` of ``metas`` (the same rows' other fields, minus ``skip``: the fields already shown
    under another name, such as the id, tags or quality field); key columns first (:data:`KEY_COLUMNS`), then the
    other metadata, then the text previews."""
    frame = base.reset_index(drop=True).drop(columns=[c for c, keep in (("category", category), ("quality", has_quality),
                                                                        ("tags", has_tags)) if not keep])
    if category and category != "category":
        frame = frame.rename(columns={"category": category})
    if metas is not None:
        if len(metas) != len(frame):
            raise ValueError(f"{len(metas)} metadata rows for a table of {len(frame)} rows")
        extra = metadata_columns(metas, skip=set(frame.columns) | set(skip), limit=limit)
        frame = pd.concat([frame, extra], axis=1)
    keys = [c for c in KEY_COLUMNS if c in frame.columns]
    if category and category not in keys:
        keys.insert(1, category)
    texts = [c for c in TEXT_COLUMNS if c in frame.columns]
    return frame[keys + [c for c in frame.columns if c not in keys and c not in texts] + texts]
