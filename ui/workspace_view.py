"""The app's side of the workspace: runs and named subsets saved to ``$SIFT_HOME`` and read back, so a refresh,
a server restart or a dataset switch keeps them, and the CLI's runs of the same pool show up too.

The session's selections (``ui.state.selections()``, name -> Selection, what the Selection, Compare and Export
pages read) mirror the workspace's runs of the current pool: :func:`sync` adds the runs another session or
``python -m core select`` stored and drops the ones deleted elsewhere; :func:`save_run` stores a new run and
names it ``"<method> k=<picks> #<id>"`` (the id is the workspace's, so names never clash across sessions);
:func:`save_subset` stores a map subset under a name of the user's; :func:`manage_runs` draws rename/delete.
If the workspace cannot be written (e.g. a read-only home), runs stay in the session and a warning says so.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
import streamlit as st

from core.errors import SiftError
from core.selection import Selection
from core.workspace import RunRecord, record_run, record_subset
from ui import cached, state

WORKING_METHOD = "working subset"  # Selection.method of a map subset (ui.export_view.working_selection)
IDS = "_workspace_run_ids"  # session key: {session name: workspace run id}
WARNED = "_workspace_warned"


@st.cache_resource(show_spinner=False)
def _workspace(root: str):
    from core.workspace import Workspace

    return Workspace(root)


def home():
    """The workspace folder (``$SIFT_HOME``, default ``~/.sift``)."""
    from core.workspace import home as _home

    return _home()


def workspace():
    """The workspace at ``$SIFT_HOME`` (default ``~/.sift``), opened once per server process and folder."""
    from core.workspace import home

    return _workspace(str(home()))


def _warn(exc: Exception) -> None:
    if not st.session_state.get(WARNED):
        st.session_state[WARNED] = True
        st.warning(f"Runs are kept in this session only: the workspace cannot be used ({exc}).")


def _ids() -> dict:
    return st.session_state.setdefault(IDS, {})


def _pool_entry() -> Optional[dict]:
    from core.workspace import pool_entry

    try:
        return pool_entry(cached.pool())
    except (SiftError, OSError):
        return None


def _name_for(record, taken: dict) -> str:
    name = record.name or f"run {record.id}"
    return name if name not in taken else f"{name} (run {record.id})"


def sync(selections: dict) -> None:
    """Make ``selections`` (the session's, for the current pool) hold the workspace's runs of that pool: add the
    ones stored elsewhere, drop the ones deleted elsewhere. One small catalogue query when nothing changed."""
    entry = _pool_entry()
    if entry is None:
        return
    restore_working_subset()
    try:
        ws = workspace()
        stored = {r.id: r for r in ws.runs(pool=entry, arrays=False)}
    except SiftError as exc:
        _warn(exc)
        return
    ids = _ids()
    for name, rid in list(ids.items()):
        if rid not in stored:  # deleted by another session or the CLI
            ids.pop(name, None)
            selections.pop(name, None)
    known = set(ids.values())
    for rid, listed in stored.items():
        if rid in known:
            continue
        try:
            record = ws.run(rid)
        except SiftError:
            continue  # deleted meanwhile, or its arrays are unreadable: leave it out
        name = _name_for(record, selections)
        selections[name] = record.selection()
        ids[name] = rid


def restore_working_subset() -> None:
    """Give this session the pool's autosaved working subset when it has none (after a reload, a server restart
    or a dataset switch); one small catalogue query."""
    if state.working_subset() is not None:
        return
    entry = _pool_entry()
    if entry is None:
        return
    try:
        found = workspace().working_subset(entry)
    except SiftError as exc:
        _warn(exc)
        return
    if found is not None:
        state.set_working_subset(found[0], found[1], keep=False)


def keep_working_subset(indices: Optional[np.ndarray], origin: str) -> None:
    """Autosave the working subset of the current pool in the workspace (None clears it there too).
    Registered in ``ui.state.WORKING_KEEPERS``, so ``state.set_working_subset`` calls it."""
    entry = _pool_entry()
    if entry is None:
        return
    try:
        if indices is None:
            workspace().clear_working_subset(entry)
        else:
            workspace().set_working_subset(entry, indices, origin)
    except SiftError as exc:
        _warn(exc)


def app_record(pool: Any, features: Any, name: str, sel: Selection, *, threshold: Any = "auto",
               reference: Optional[str] = None) -> RunRecord:
    """The RunRecord of a run (or working subset) made in the app on ``pool`` with ``features``.

    The app builds features with label source "auto" and the sidebar's graph threshold (``threshold``: "auto" or
    a cosine); ``reference`` names an uploaded reference set, if the run used one.
    """
    if sel.method == WORKING_METHOD:
        return record_subset(pool, features, sel.indices, origin="app", name=name,
                             source=str((sel.params or {}).get("origin", "")))
    if reference is None and (sel.info or {}).get("reference_rows"):
        reference = f"uploaded reference set ({sel.info['reference_rows']:,} rows)"
    return record_run(pool, features, sel, origin="app", name=name, labels="auto", threshold=threshold,
                      reference=reference)


def save_run(selection: Selection, fallback_name: str, features: Any = None) -> str:
    """Store a run made in this session on ``features`` (None: the pool's full features); returns the name it is
    listed under (``fallback_name`` when the workspace cannot be written). Registered in
    ``ui.state.RUN_KEEPERS``, so ``state.add_selection`` calls it."""
    try:
        feats = features if features is not None else cached.features()
        record = app_record(cached.pool(), feats, "", selection, threshold=state.settings().threshold)
        workspace().add_run(record)
    except SiftError as exc:
        _warn(exc)
        return fallback_name
    _ids()[record.name] = record.id
    return record.name


# Once, also when Streamlit reloads this module after an edit (the old function is replaced, not doubled).
state.RUN_KEEPERS[:] = [k for k in state.RUN_KEEPERS
                        if (getattr(k, "__module__", None), getattr(k, "__name__", None)) != (__name__, "save_run")]
state.RUN_KEEPERS.append(save_run)
state.WORKING_KEEPERS[:] = [k for k in state.WORKING_KEEPERS if (getattr(k, "__module__", None),
                            getattr(k, "__name__", None)) != (__name__, "keep_working_subset")]
state.WORKING_KEEPERS.append(keep_working_subset)


def save_subset(name: str, indices: Any, origin: str) -> str:
    """Store the working subset ``indices`` as a named subset (kind "subset"); Compare and Export list it like a
    run. Returns the name it is listed under."""
    name = str(name).strip()
    if not name:
        raise SiftError("give the subset a name")
    idx = np.unique(np.asarray(indices, dtype=np.int64))
    selections = state.selections()
    listed = name if name not in selections else f"{name} (2)"
    record = record_subset(cached.pool(), cached.features(), idx, origin="app", name=listed, source=origin)
    try:
        workspace().add_run(record)
        _ids()[listed] = record.id
    except SiftError as exc:
        _warn(exc)
    selections[listed] = record.selection()
    return listed


def run_id(name: str) -> Optional[int]:
    """The workspace id of the session's run ``name`` (None when it is kept in the session only)."""
    return _ids().get(name)


def rename(name: str, new: str) -> str:
    """Rename run ``name`` in the session and the workspace; returns the new name."""
    new = str(new).strip()
    selections = state.selections()
    if not new:
        raise SiftError("a run name cannot be empty")
    if new in selections and new != name:
        raise SiftError(f"there is already a run called {new!r}")
    rid = run_id(name)
    if rid is not None:
        workspace().rename(rid, new)
        ids = _ids()
        ids[new] = ids.pop(name)
    items = [(new if k == name else k, v) for k, v in selections.items()]  # same place in the list
    selections.clear()
    selections.update(items)
    return new


def delete(name: str) -> None:
    """Delete run ``name`` from the session and the workspace."""
    rid = _ids().pop(name, None)
    if rid is not None:
        try:
            workspace().delete(rid)
        except SiftError:
            pass  # already deleted elsewhere
    state.selections().pop(name, None)


def manage_runs(key: str = "runs_manage") -> None:
    """Rename or delete one of the session's runs (streamlit); the change reaches the workspace and the CLI."""
    from ui.text import escape_md

    names = list(state.selections())
    if not names:
        return
    with st.expander("Rename or delete a run"):
        c1, c2 = st.columns([2, 2])
        which = c1.selectbox("Run", names, key=f"{key}_which")
        new = c2.text_input("New name", value="", key=f"{key}_name", max_chars=200)
        b1, b2, _ = st.columns([1, 1, 3])
        if b1.button("Rename", key=f"{key}_rename", disabled=not new.strip()):
            try:
                rename(which, new)
            except SiftError as exc:
                st.error(escape_md(str(exc)))
            else:
                st.rerun()
        if b2.button("Delete", key=f"{key}_delete", icon=":material/delete:"):
            delete(which)
            st.rerun()
        rid = run_id(which)
        st.caption(f"Workspace run {rid} (python -m core runs show {rid})" if rid is not None
                   else "Kept in this session only.")


def save_subset_form(indices: Any, origin: str, key: str) -> None:
    """A name box and a button (streamlit) that keep the working subset as a named subset in the workspace."""
    from ui.text import escape_md

    c1, c2 = st.columns([3, 1])
    name = c1.text_input("Name", key=f"{key}_name", max_chars=200, placeholder="e.g. math cluster",
                         help="Kept in the workspace: Compare and Export list it like a run, after a refresh too.")
    c2.write("")
    if c2.button("Save as named subset", key=f"{key}_save", icon=":material/bookmark_add:",
                 disabled=not name.strip()):
        try:
            listed = save_subset(name, indices, origin)
        except SiftError as exc:
            st.error(escape_md(str(exc)))
        else:
            st.success(escape_md(f"Kept as {listed!r}: Compare and Export list it."))

