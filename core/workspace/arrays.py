"""Derived arrays kept in the workspace, so a new process (server restart, another CLI call) reads them back
instead of recomputing them: ``$SIFT_HOME/arrays/<kind>/<key>.npy``.

The key is the SHA-256 of everything the array depends on (:func:`array_key`: the caller's parts, e.g. a digest
of the input vectors, method, seed and parameters, plus sift's version), so another input or setting never
reads a stale file. Files are written with ``core.fileio.atomic_write`` (the umask's mode; a killed process
leaves the old file or none) and read with ``allow_pickle=False``; what is read is checked (shape, dtype,
finite values) and a bad file is recomputed (and rewritten) with an :class:`ArrayCacheWarning`. An unwritable
workspace warns and the computed array is returned all the same.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import warnings
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence, Union

import numpy as np

from core import __version__
from core.errors import SiftError
from core.fileio import atomic_write
from core.workspace.catalogue import home

ARRAYS = "arrays"
_KIND = re.compile(r"^[a-z0-9_]+$")


class ArrayCacheWarning(UserWarning):
    """A stored array was unusable (and is recomputed) or could not be written (the result is used anyway)."""


def digest_array(X: np.ndarray) -> str:
    """SHA-256 of an array's dtype, shape and bytes: the key part standing for an input matrix."""
    X = np.ascontiguousarray(X)
    h = hashlib.sha256(f"{X.dtype.str}|{X.shape}|".encode())
    h.update(memoryview(X).cast("B"))
    return h.hexdigest()


def array_key(parts: Mapping[str, Any]) -> str:
    """The file key of an array computed from ``parts`` (JSON-able values) by this version of sift."""
    text = json.dumps({"parts": dict(parts), "sift": __version__}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def array_path(kind: str, parts: Mapping[str, Any], root: Union[None, str, Path] = None) -> Path:
    """Where the array of ``kind`` (lower-case letters, digits, ``_``) keyed by ``parts`` is stored."""
    if not _KIND.match(kind):
        raise SiftError(f"array kind must be lower-case letters, digits or _, got {kind!r}")
    base = Path(root).expanduser() if root is not None else home()
    return base / ARRAYS / kind / f"{array_key(parts)}.npy"


def _problem(array: np.ndarray, shape: Optional[Sequence[Optional[int]]], dtype: Any) -> Optional[str]:
    """Why ``array`` is not what was asked for (None when it is)."""
    if dtype is not None and array.dtype != np.dtype(dtype):
        return f"dtype {array.dtype}, expected {np.dtype(dtype)}"
    if shape is not None and (array.ndim != len(shape) or
                              any(want is not None and got != want for got, want in zip(array.shape, shape))):
        return f"shape {array.shape}, expected {tuple(shape)}"
    if array.dtype.kind in "fc" and not np.isfinite(array).all():
        return "non-finite values"
    return None


def _read(path: Path, shape, dtype) -> Union[np.ndarray, str]:
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        return f"unreadable ({exc})"
    if not isinstance(array, np.ndarray):
        return "not a single array"
    return _problem(array, shape, dtype) or array


def cached_array(kind: str, parts: Mapping[str, Any], compute: Callable[[], np.ndarray], *,
                 shape: Optional[Sequence[Optional[int]]] = None, dtype: Any = None,
                 root: Union[None, str, Path] = None) -> np.ndarray:
    """The array of ``kind`` keyed by ``parts``: read from the workspace if a valid file is there, else
    ``compute()`` stored and returned. ``shape`` (None for any length of an axis) and ``dtype`` are what a stored
    file must have to be used; a file that fails the check is recomputed with an :class:`ArrayCacheWarning`."""
    path = array_path(kind, parts, root)
    if path.is_file():
        found = _read(path, shape, dtype)
        if isinstance(found, np.ndarray):
            return found
        warnings.warn(f"stored {kind} array {path} is unusable ({found}); recomputing it", ArrayCacheWarning,
                      stacklevel=2)
    array = np.asarray(compute())
    problem = _problem(array, shape, dtype)
    if problem is not None:
        raise SiftError(f"computed {kind} array has {problem}")
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, buf.getvalue())
    except (OSError, SiftError) as exc:
        warnings.warn(f"cannot store the {kind} array in the workspace ({exc}); it will be recomputed next time",
                      ArrayCacheWarning, stacklevel=2)
    return array


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def map_coordinates(X: np.ndarray, *, method: str = "auto", seed: int = 0, progress: Any = None,
                    root: Union[None, str, Path] = None) -> np.ndarray:
    """``core.projection.project(X, method=method, seed=seed)`` (UMAP / PCA, (n, 2) float32) kept in the
    workspace, keyed by a digest of ``X``, the method, seed, projection parameters and the umap-learn and
    scikit-learn versions: a server restart or a CLI call reads the map back instead of rerunning UMAP."""
    from core import projection

    X = np.asarray(X)
    parts = {"vectors": digest_array(X), "method": method, "seed": int(seed), "n_neighbors": 15, "min_dist": 0.1,
             "metric": "cosine", "min_umap_n": projection.MIN_UMAP_N, "sample_fit_n": projection.SAMPLE_FIT_N,
             "fit_sample": projection.FIT_SAMPLE, "umap": _package_version("umap-learn"),
             "sklearn": _package_version("scikit-learn")}
    return cached_array("map_coords", parts,
                        lambda: projection.project(X, method=method, seed=int(seed), progress=progress),
                        shape=(X.shape[0], 2), dtype=np.float32, root=root)
