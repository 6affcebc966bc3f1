"""The pool's embedding as a background job, so leaving a page never throws the work away.

One job per (texts hash, model, backend) runs ``core.embed.embed_texts`` in a daemon thread; it writes the per-chunk
cache as it goes. Jobs are tracked in a ``st.cache_resource`` slot per key (no ``max_entries``: nothing evicts a
running job), so every session and every rerun attaches to the same job instead of starting another. A page that
needs embeddings (``ui.cached.features``) calls :func:`wait_for_embeddings`: it shows the job's count, rate and ETA
(the progress callback's message) and the cached chunk count, polls twice a second, and returns once every chunk is
cached, so the features are then built from the cache (a cache hit). Leaving the page ends only that script run; the
thread goes on, and coming back shows the same job further along. **Cancel** sets a flag that ``embed_texts`` reads
before each chunk (``should_stop``): the current chunk finishes and is cached, and **Resume** starts a job that
computes only the missing chunks. Pages that do not call ``ui.cached.features`` (the Dataset page) stay usable.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Optional, Sequence

import numpy as np
import streamlit as st

from core.defaults import DEFAULT_BACKEND

#: Seconds between two progress redraws while a page waits for the job.
POLL_SECONDS = 0.5

RUNNING, DONE, CANCELLED, FAILED = "running", "done", "cancelled", "failed"


class EmbeddingJob:
    """One run of ``embed_texts`` over ``texts`` in a daemon thread: its state, last progress and error."""

    def __init__(self, texts: Sequence[str], model: str, backend: str = DEFAULT_BACKEND) -> None:
        self.model, self.backend = model, backend
        self.n = len(texts)
        self._texts: Optional[list[str]] = list(texts)
        self.fraction, self.message = 0.0, f"Starting: loading {model} ..."
        self.state, self.error = RUNNING, None
        self.started = time.monotonic()
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"sift-embed-{model}", daemon=True)

    def start(self) -> "EmbeddingJob":
        self._thread.start()
        return self

    def _report(self, fraction: float, message: str = "") -> None:
        self.fraction = float(np.clip(fraction if np.isfinite(fraction) else 0.0, 0.0, 1.0))
        if message:
            self.message = str(message)

    def _run(self) -> None:
        from core.embed import EmbeddingCancelled, embed_texts

        try:
            embed_texts(self._texts, self.model, backend=self.backend, progress=self._report,
                        should_stop=self._cancel.is_set)
            self.state = DONE
        except EmbeddingCancelled as exc:
            self.message, self.state = str(exc), CANCELLED
        except Exception as exc:  # noqa: BLE001 - shown to the page that waits for it
            self.error, self.state = exc, FAILED
        finally:
            self._texts = None  # the vectors are on disk; free the texts

    def cancel(self) -> None:
        """Ask the job to stop before its next chunk (the current chunk finishes and is cached)."""
        self._cancel.set()

    @property
    def cancelling(self) -> bool:
        return self._cancel.is_set() and self.state == RUNNING

    def alive(self) -> bool:
        return self._thread.is_alive()


class _Slot:
    """The current job of one embedding key and the lock that guards starting it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.job: Optional[EmbeddingJob] = None


@st.cache_resource(show_spinner=False)
def _slot(key: str) -> _Slot:
    """The process-wide slot of embedding key ``key`` (shared by sessions; never evicted while the server runs)."""
    return _Slot()


def job_key(texts: Sequence[str], model: str, backend: str = DEFAULT_BACKEND) -> str:
    """``texts hash|model|backend``: what the embedding cache itself is keyed by."""
    from core.embed import texts_hash

    return f"{texts_hash(texts)}|{model}|{backend}"


def current_job(key: str) -> Optional[EmbeddingJob]:
    """The job of ``key`` (running or finished), or None when none was started in this server."""
    return _slot(key).job


def ensure_job(texts: Sequence[str], model: str, backend: str = DEFAULT_BACKEND, *, key: Optional[str] = None,
               resume: bool = False) -> EmbeddingJob:
    """The job embedding ``texts``, started when there is none (or the last one failed, or ``resume`` and the last
    one was cancelled); a cancelled job stays cancelled until the user resumes it."""
    slot = _slot(key or job_key(texts, model, backend))
    with slot.lock:
        job = slot.job
        if job is None or job.state == FAILED or (resume and job.state == CANCELLED and not job.alive()):
            slot.job = job = EmbeddingJob(texts, model, backend).start()
        return job


def _chunk_caption(texts: Sequence[str], model: str, backend: str) -> str:
    from core.embed import cached_chunks

    done, total = cached_chunks(texts, model, backend=backend)
    return f"{done} of {total} chunks cached on disk (leaving this page does not stop the job)"


def wait_for_embeddings(pool: Any, view: str, turns: str, model: str, backend: str = DEFAULT_BACKEND) -> None:
    """Return once the model's embeddings of ``pool.texts(view, turns)`` are all cached (at once when they already
    are, or the pool brings its own vectors); meanwhile show the background job's progress and a Cancel button.
    A cancelled job shows a Resume button and stops the page (``st.stop``); a failed one raises its error."""
    from core.embed import cached_chunks

    if getattr(pool, "embedding_column", None) is not None:
        return
    texts = pool.texts(view=view, turns=turns)
    if not texts:
        return  # core.embed raises its own clear error for an empty text list
    done, total = cached_chunks(texts, model, backend=backend)
    if done == total:
        return
    key = job_key(texts, model, backend)
    job = current_job(key)
    panel = st.empty()  # a placeholder, so the whole panel can be removed when the vectors are cached
    box = panel.container(border=True)
    if job is not None and job.state == CANCELLED and not job.alive():
        box.warning(f"Embedding cancelled: {job.message}. {done} of {total} chunks are cached.")
        if not box.button("Resume embedding", key="_bg_resume", type="primary"):
            box.caption("Pages that need embeddings wait for them; the Dataset page works without.")
            st.stop()
        job = ensure_job(texts, model, backend, key=key, resume=True)
    else:
        job = ensure_job(texts, model, backend, key=key)
    box.markdown(f"**Embedding {len(texts):,} texts with {model} in the background**")
    bar = box.progress(job.fraction, text=job.message)
    chunks = box.empty()
    if box.button("Cancel", key="_bg_cancel", help="Stops after the current chunk; finished chunks stay cached."):
        job.cancel()
    while job.alive():
        note = " · cancelling after the current chunk ..." if job.cancelling else ""
        bar.progress(job.fraction, text=job.message + note)
        chunks.caption(_chunk_caption(texts, model, backend))
        time.sleep(POLL_SECONDS)
    if job.state == FAILED and job.error is not None:
        raise job.error
    if job.state == CANCELLED:
        st.rerun()  # redrawn as the cancelled state, with Resume
    panel.empty()
