"""The app's constraints: keep/drop marks on records (saved per pool in the workspace) and the Selection page's
"Constraints" section (marks, a candidate filter, per-column quotas), built into one
:class:`core.constraints.Constraints` for ``core.selectors.run`` (the CLI's ``--include/--exclude/--where/--per``
path).

Marks are stored by record id in the workspace catalogue (``Workspace.set_marks``), so a refresh, a restart and
the next session keep them; when the workspace cannot be written they stay in this session and a warning says so.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Optional, Sequence

import numpy as np
import pandas as pd
import streamlit as st

from core.constraints import MISSING_STRATUM, PER_MODES, Constraints, column_values, from_pool
from core.errors import SiftError
from ui import cached, state
from ui.text import escape_md, plural

KEEP, DROP = "keep", "drop"
MARK_LABELS = {KEEP: "always keep", DROP: "never pick"}
SESSION_MARKS = "_marks_session"  # {pool key: {id: mark}} when the workspace cannot be used
NONE = "(none)"
# Selection page widget keys
K_USE_MARKS, K_COLUMN, K_VALUE, K_SUBSET, K_PER, K_PER_MODE = (
    "con_use_marks", "con_column", "con_value", "con_subset", "con_per", "con_per_mode")
WORKING = "working subset (this session)"


# ------------------------------------------------------------------------------------------ marks: storage
def _entry() -> Optional[dict]:
    from core.workspace import pool_entry

    try:
        return pool_entry(cached.pool())
    except (SiftError, OSError):
        return None


def _session_marks() -> dict:
    return st.session_state.setdefault(SESSION_MARKS, {}).setdefault(state.pool_key(), {})


def marks() -> dict[str, str]:
    """The current pool's marks, {record id: "keep" | "drop"} in the order they were set."""
    from ui.workspace_view import workspace

    entry = _entry()
    if entry is not None:
        try:
            return workspace().marks(entry)
        except SiftError as exc:
            st.warning(f"Marks are kept in this session only: the workspace cannot be used ({exc}).")
    return dict(_session_marks())


def set_marks(ids: Sequence[str], mark: Optional[str]) -> int:
    """Mark records (by id) "keep" or "drop", or clear their marks (None); returns how many changed."""
    from ui.workspace_view import workspace

    ids = [str(i) for i in ids]
    entry = _entry()
    if entry is not None:
        try:
            return workspace().set_marks(entry, ids, mark)
        except SiftError as exc:
            st.warning(f"Marks are kept in this session only: the workspace cannot be used ({exc}).")
    kept = _session_marks()
    changed = 0
    for i in ids:
        if mark is None:
            changed += kept.pop(i, None) is not None
        elif kept.get(i) != mark:
            kept.pop(i, None)
            kept[i] = mark
            changed += 1
    return changed


def marked_rows(pool: Any, current: dict[str, str]) -> tuple[list[int], list[int]]:
    """(keep rows, drop rows) of ``pool`` for the marks ``current``, in the order the marks were set; marks on ids
    the pool does not have are left out."""
    where = {pid: i for i, pid in enumerate(pool.ids)}
    keep = [where[i] for i, m in current.items() if m == KEEP and i in where]
    drop = [where[i] for i, m in current.items() if m == DROP and i in where]
    return keep, drop


# ------------------------------------------------------------------------------------------ marks: widgets
def mark_buttons(ids: Sequence[str], key: str, what: str) -> None:
    """Three buttons marking the records ``ids`` "always keep", "never pick" or clearing their marks; ``what``
    names them in the buttons (e.g. "this record", "the 12 matching records")."""
    if not len(ids):
        return
    said = st.session_state.pop(f"_{key}_said", None)  # the message of the press before the rerun
    if said:
        st.success(said)
    c1, c2, c3 = st.columns(3)
    done = None
    if c1.button(f"Always keep {what}", key=f"{key}_keep", icon=":material/push_pin:"):
        done = (KEEP, set_marks(ids, KEEP))
    if c2.button(f"Never pick {what}", key=f"{key}_drop", icon=":material/block:"):
        done = (DROP, set_marks(ids, DROP))
    if c3.button(f"Clear marks of {what}", key=f"{key}_clear"):
        done = (None, set_marks(ids, None))
    if done is not None:
        mark, changed = done
        # rerun so every count and list drawn above these buttons shows the new marks; the message follows
        st.session_state[f"_{key}_said"] = (f"{plural(changed, 'record')} "
                                            + (f"marked {MARK_LABELS[mark]}" if mark else "unmarked")
                                            + " (saved in the workspace; Selection's Constraints section uses "
                                              "the marks).")
        st.rerun()


def marks_table(pool: Any, current: dict[str, str]) -> pd.DataFrame:
    """id · mark · instruction (first 120 characters) of the marked records of ``pool``."""
    where = {pid: i for i, pid in enumerate(pool.ids)}
    rows = [(i, MARK_LABELS[m], pool.instructions[where[i]][:120] if i in where else "(not in this pool)")
            for i, m in current.items()]
    return pd.DataFrame(rows, columns=["id", "mark", "instruction"])


def marks_panel(pool: Any, rows: np.ndarray, record: Optional[int], key: str = "marks") -> None:
    """The Dataset page's marks: mark the record in view or the matching records, and list every mark."""
    ids = pool.ids
    if record is not None:
        mark_buttons([ids[int(record)]], f"{key}_one", "this record")
    if 0 < len(rows) < len(pool):
        mark_buttons([ids[int(i)] for i in rows], f"{key}_rows", f"the {plural(len(rows), 'matching record')}")
    list_marks(pool, key)


def list_marks(pool: Any, key: str = "marks") -> None:
    """The current marks as a table with their counts, and a button clearing them all."""
    current = marks()
    if not current:
        st.caption("No records are marked. Marked records are always kept (picked first, counted in the budget) "
                   "or never picked when Selection's Constraints section uses the marks.")
        return
    n_keep = sum(m == KEEP for m in current.values())
    st.caption(f"{plural(n_keep, 'record')} always kept, {plural(len(current) - n_keep, 'record')} never picked "
               "(saved in the workspace for this pool).")
    st.dataframe(marks_table(pool, current), hide_index=True, height=min(38 + 35 * len(current), 300),
                 key=f"{key}_table")
    if st.button("Clear every mark", key=f"{key}_clear_all"):
        set_marks(list(current), None)
        st.rerun()


# ------------------------------------------------------------------------------------------ Selection page
def _subsets() -> dict[str, np.ndarray]:
    """The subsets a selection can be restricted to: the session's working subset and the named subsets."""
    from ui.workspace_view import WORKING_METHOD

    out = {}
    working = state.working_subset()
    if working is not None:
        out[WORKING] = np.asarray(working, dtype=np.int64)
    for name, sel in state.selections().items():
        if sel.method == WORKING_METHOD:
            out[name] = np.asarray(sel.indices, dtype=np.int64)
    return out


def _column_choices(pool: Any, column: str) -> list[str]:
    """The distinct text values of ``column`` (most frequent first, at most 500)."""
    from collections import Counter

    counts = Counter(v for v in column_values(pool, column) if v is not None)
    return [v for v, _ in counts.most_common(500)]


def constraints_section(pool: Any, budget: int) -> Optional[Constraints]:
    """The "Constraints" widgets (streamlit); returns the Constraints they describe (None when none is set)."""
    from ui.forms import persist, valid_choice

    current = marks()
    keep, drop = marked_rows(pool, current)
    subsets = _subsets()
    fields = [NONE] + [str(f) for f in pool.fields]
    with st.expander("Constraints (marks, a candidate filter, per-column quotas)",
                     expanded=bool(st.session_state.get(K_USE_MARKS)) and bool(current)):
        persist(K_USE_MARKS, False)
        use_marks = st.checkbox(f"Use the keep/drop marks ({len(keep)} always keep, {len(drop)} never pick)",
                                key=K_USE_MARKS, disabled=not (keep or drop),
                                help="Always-keep records come first and count in the budget; never-pick records "
                                     "never appear. Mark records on the Dataset page or mark a subset below.")
        c1, c2, c3 = st.columns([2, 2, 3])
        persist(K_COLUMN, NONE)
        valid_choice(K_COLUMN, fields, NONE)
        column = c1.selectbox("Pick only where column", fields, key=K_COLUMN,
                              help="Restrict the candidates to records whose column equals the value (compared as "
                                   "text, like the CLI's --where COLUMN=VALUE).")
        value = None
        if column != NONE:
            try:
                values = _column_choices(pool, column)
            except SiftError as exc:
                st.error(escape_md(str(exc)))
                values = []
            valid_choice(K_VALUE, values, values[0] if values else None)
            value = c2.selectbox("equals", values, key=K_VALUE)
        names = [NONE] + list(subsets)
        valid_choice(K_SUBSET, names, NONE)
        subset = c3.selectbox("and within the subset", names, key=K_SUBSET,
                              help="A named subset (saved from the Map) or the working subset: only its records "
                                   "are candidates.")
        if subset != NONE:
            ids = [pool.ids[int(i)] for i in subsets[subset]]
            mark_buttons(ids, "con_subset_marks", f"the {plural(len(ids), 'record')} of this subset")
        c1, c2 = st.columns([2, 3])
        persist(K_PER, NONE)
        valid_choice(K_PER, fields, NONE)
        per = c1.selectbox("Quotas per value of column", fields, key=K_PER,
                           help="Split the budget over the column's values and select within each (the CLI's "
                                f"--per COLUMN); records without a value form the stratum {MISSING_STRATUM}.")
        persist(K_PER_MODE, PER_MODES[0])
        per_mode = c2.radio("split", PER_MODES, key=K_PER_MODE, horizontal=True, disabled=per == NONE,
                            help="proportional: each value's share of the records (largest remainder); equal: the "
                                 "same number per value (a small value gives all its records, the rest is shared)")
        try:
            constraints = build(pool, keep=keep if use_marks else (), drop=drop if use_marks else (),
                                where=None if value is None else (column, value),
                                subset=None if subset == NONE else (subset, subsets[subset]),
                                per=None if per == NONE else per, per_mode=per_mode)
        except SiftError as exc:
            st.error(escape_md(str(exc)))
            return None
        if constraints is not None:
            st.caption(escape_md(describe(constraints, budget)))
    return constraints


def build(pool: Any, *, keep: Sequence[int] = (), drop: Sequence[int] = (),
          where: Optional[tuple[str, str]] = None, subset: Optional[tuple[str, Sequence[int]]] = None,
          per: Optional[str] = None, per_mode: str = PER_MODES[0]) -> Optional[Constraints]:
    """Constraints on ``pool`` from marked rows, a (column, value) filter, a (name, rows) subset and a quota
    column, through :func:`core.constraints.from_pool` (the CLI's builder); None when nothing is set. The
    source records the marks by id and the subset by name, so the run's params and the export manifest say
    where each constraint came from."""
    base = from_pool(pool, where=[f"{where[0]}={where[1]}"] if where else (),
                     candidates=None if subset is None else subset[1], per=per, per_mode=per_mode)
    if base is None and not keep and not drop:
        return None
    base = base or Constraints()
    source = dict(base.source)
    if keep or drop:
        source["marks"] = "keep/drop marks saved in the workspace"
        source["include_ids"] = [pool.ids[int(i)] for i in keep]
        source["exclude_ids"] = [pool.ids[int(i)] for i in drop]
    if subset is not None:
        source["subset"] = subset[0]
    return replace(base, include=[int(i) for i in keep], exclude=[int(i) for i in drop], source=source)


def describe(constraints: Constraints, budget: int) -> str:
    """One line saying what the constraints will do to a run of ``budget`` picks."""
    parts = []
    if len(constraints.include):
        parts.append(f"{plural(len(constraints.include), 'record')} picked first (of the budget {budget:,})")
    if len(constraints.exclude):
        parts.append(f"{plural(len(constraints.exclude), 'record')} never picked")
    if constraints.candidates is not None:
        how = " and ".join([*(constraints.source.get("where") or []),
                            *([f"subset {constraints.source['subset']!r}"] if constraints.source.get("subset")
                              else [])])
        parts.append(f"candidates: {len(constraints.candidates):,} records ({how})")
    if constraints.strata is not None:
        parts.append(f"quotas per {constraints.source.get('per')} ({constraints.per_mode})")
    return "Constraints: " + "; ".join(parts) + "."


def run_constraints_line(sel: Any) -> str:
    """What constrained a stored run, from its recorded ``params["constraints"]`` ("" when nothing did)."""
    rec = (sel.params or {}).get("constraints")
    if not rec:
        return ""
    parts = []
    if rec.get("include"):
        parts.append(f"{plural(len(rec['include']), 'record')} kept first")
    if rec.get("exclude"):
        parts.append(f"{plural(len(rec['exclude']), 'record')} never picked")
    if rec.get("where"):
        parts.append("only where " + " and ".join(rec["where"]))
    if rec.get("subset"):
        parts.append(f"only within subset {rec['subset']!r}")
    if rec.get("candidates") is not None and not rec.get("where") and not rec.get("subset"):
        parts.append(f"{rec['candidates']:,} candidate records")
    if rec.get("per"):
        parts.append(f"quotas per {rec['per']} ({rec.get('per_mode', PER_MODES[0])})")
    return "Constraints: " + "; ".join(parts) + "." if parts else ""
