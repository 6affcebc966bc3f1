"""The dataset and settings kept in the page URL (``st.query_params``), so a refresh or a bookmarked link reopens
the user's file with the user's settings instead of the sample.

Query parameters: ``file`` (a path on the server) or ``upload`` (the SHA-256 of an uploaded file, which is kept in
the workspace under ``$SIFT_HOME/uploads/<sha256>/<name>`` so it can be reopened), and the settings that differ
from their defaults: ``shape``, ``lenient``, ``model``, ``view``, ``turns``, ``T``, ``dedup``. :func:`restore`
reads them once per browser session, before the sidebar is drawn; :func:`remember` writes them after it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

import streamlit as st

from ui import state

RESTORED = "_url_restored"
UPLOADS = "uploads"
_SHA = re.compile(r"^[0-9a-f]{64}$")
#: (query parameter, session key) of the settings kept in the URL.
SETTINGS = (("shape", state.K_SHAPE), ("model", state.K_MODEL), ("view", state.K_VIEW), ("turns", state.K_TURNS))
FLAGS = (("lenient", state.K_LENIENT), ("dedup", state.K_DEDUP))


def uploads_dir() -> Path:
    from core.workspace import home

    return home() / UPLOADS


def stored_upload(sha: str) -> Optional[Path]:
    """The kept copy of the upload with SHA-256 ``sha`` (None when there is none)."""
    if not _SHA.match(sha or ""):
        return None
    folder = uploads_dir() / sha
    files = sorted(p for p in folder.glob("*") if p.is_file() and not p.name.startswith(".")) \
        if folder.is_dir() else []
    return files[0] if files else None


def keep_upload(name: str, data: bytes) -> str:
    """Keep an uploaded file in the workspace (once per content); returns its SHA-256."""
    import hashlib

    from core.fileio import atomic_write

    sha = hashlib.sha256(data).hexdigest()
    if stored_upload(sha) is None:
        folder = uploads_dir() / sha
        folder.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._") or "upload.jsonl"
        atomic_write(folder / safe, data)
    return sha


def _set_path(path: str) -> None:
    ss = st.session_state
    ss[state.K_SOURCE] = "File path"
    ss[state.K_PATH] = path
    ss[f"_keep_{state.K_PATH}"] = path  # ui.forms.persist's shadow, so the path box shows it after a page switch


def restore() -> None:
    """On a session's first run: the dataset and settings from the URL (unknown values are ignored)."""
    ss = st.session_state
    if ss.get(RESTORED):
        return
    ss[RESTORED] = True
    q = st.query_params
    if q.get("upload"):
        kept = stored_upload(q["upload"])
        if kept is not None:
            _set_path(str(kept))
    elif q.get("file"):
        _set_path(q["file"])
    for param, key in SETTINGS:
        if q.get(param):
            ss[key] = q[param]
    for param, key in FLAGS:
        if param in q:
            ss[key] = q[param] == "1"
    if q.get("T"):
        ss[state.K_THRESHOLD] = state.THRESHOLD_AUTO if q["T"] == "auto" else _cosine(q["T"])


def _cosine(text: str):
    try:
        value = round(float(text), 2)
    except ValueError:
        return state.THRESHOLD_AUTO
    return value if value in state.THRESHOLD_CHOICES else state.THRESHOLD_AUTO


def remember() -> None:
    """Write the current dataset and non-default settings into the URL (uploads are kept in the workspace)."""
    from core.errors import SiftError

    s, d = state.settings(), state.Settings()
    want: dict[str, str] = {}
    if s.source == "File path" and s.path:
        path = Path(s.path).expanduser()
        inside = path.parent.parent == uploads_dir() and _SHA.match(path.parent.name)
        want["upload" if inside else "file"] = path.parent.name if inside else s.path
    elif s.source == "Upload":
        up = st.session_state.get(state.K_UPLOAD)
        if up is not None:
            try:
                want["upload"] = keep_upload(up.name, up.getvalue())
            except (SiftError, OSError):
                pass  # the upload still works in this session; only a refresh cannot reopen it
    for param, key in SETTINGS:
        value = getattr(s, param)
        if value != getattr(d, param):
            want[param] = str(value)
    if s.lenient:
        want["lenient"] = "1"
    if s.dedup:
        want["dedup"] = "1"
    if s.threshold != d.threshold:
        want["T"] = state.threshold_key(s.threshold) if isinstance(s.threshold, str) else f"{float(s.threshold):.2f}"
    if dict(st.query_params) != want:
        st.query_params.from_dict(want)
