"""Long computations as background jobs, so leaving a page never throws the work away and pages that do not need
the result stay usable: the pool's embedding, its labels and label graph, and the 2-D map (UMAP).

A job (:class:`Job`) runs one function in a daemon thread with a progress callback and a cancel flag. Jobs are kept
in a ``st.cache_resource`` slot per key (no ``max_entries``: nothing evicts a running job), so every session and
every rerun attaches to the same job instead of starting another. The embedding job (:class:`EmbeddingJob`, one
per texts hash|model|backend) runs ``core.embed.embed_texts``, which writes the per-chunk cache as it goes;
:func:`wait_for_embeddings` is what a page needing embeddings calls. Label and map jobs (:func:`run_in_background`,
used by ``ui.cached.features`` and ``ui.cached.coords``) hand their result back to the page that waits for it.

A waiting page (:func:`wait_for`) shows the job's progress (count, rate and ETA), polls twice a second and returns
once the job is done. Leaving the page ends only that script run; the thread goes on, and coming back shows the
same job further along. **Cancel** sets a flag: ``embed_texts`` reads it before each chunk (the current chunk
finishes and is cached, **Resume** computes only the missing chunks); label and map jobs stop at their next
progress report (labels and the map have no partial results: Resume starts that stage again, from embeddings that
are cached). The sidebar lists every running job on every page (:func:`sidebar_jobs`).
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Optional, Sequence

import numpy as np
import streamlit as st

from core.defaults import DEFAULT_BACKEND

#: Seconds between two progress redraws while a page waits for the job.
POLL_SECONDS = 0.5
#: Seconds a page waits for a job silently before drawing its panel (a stored result comes back at once).
QUIET_SECONDS = 0.4
#: Seconds between two redraws of the sidebar's job list while a job runs and no page waits for it.
SIDEBAR_SECONDS = 2.0

RUNNING, DONE, CANCELLED, FAILED = "running", "done", "cancelled", "failed"


class JobCancelled(Exception):
    """Raised inside a job's work (from its progress callback) once Cancel was pressed."""


def _duration(seconds: float) -> str:
    seconds = max(0.0, float(seconds))
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class Job:
    """One call of ``work(progress, should_stop)`` in a daemon thread: its state, progress, result and error.

    ``kind`` says what it computes ("embedding", "labels", "map"), ``title`` is shown to the user, ``total`` (when
    known) is how many items it processes, so the sidebar can show a count and a rate."""

    def __init__(self, kind: str, title: str, work: Callable[[Callable, Callable], Any], *,
                 total: Optional[int] = None) -> None:
        self.kind, self.title, self.total = kind, title, total
        self._work: Optional[Callable] = work
        self.fraction, self.message = 0.0, "Starting ..."
        self.state, self.error, self.result = RUNNING, None, None
        self.started = time.monotonic()
        self.ended: Optional[float] = None
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"sift-{kind}", daemon=True)

    def start(self) -> "Job":
        self._thread.start()
        return self

    def _report(self, fraction: float, message: str = "") -> None:
        self.fraction = float(np.clip(fraction if np.isfinite(fraction) else 0.0, 0.0, 1.0))
        if message:
            self.message = str(message)

    def _checked_report(self, fraction: float, message: str = "") -> None:
        """The progress callback given to ``work``: records progress, raises JobCancelled after Cancel."""
        self._report(fraction, message)
        if self._cancel.is_set():
            raise JobCancelled(f"cancelled at {self.fraction:.0%}")

    def _run(self) -> None:
        from core.embed import EmbeddingCancelled

        try:
            self.result = self._work(self._checked_report, self._cancel.is_set)
            self.state = DONE
        except (EmbeddingCancelled, JobCancelled) as exc:
            self.message, self.state = str(exc), CANCELLED
        except Exception as exc:  # noqa: BLE001 - shown to the page that waits for it
            self.error, self.state = exc, FAILED
        finally:
            self._work = None  # free what the work held (texts, the pool)
            self.ended = time.monotonic()

    def cancel(self) -> None:
        """Ask the job to stop at its next check (the next chunk, or the next progress report)."""
        self._cancel.set()

    @property
    def cancelling(self) -> bool:
        return self._cancel.is_set() and self.state == RUNNING

    def alive(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def summary(self) -> str:
        """What the job does and how far it is: count (when known), rate and ETA, elapsed time."""
        elapsed = (self.ended or time.monotonic()) - self.started
        parts = [self.title]
        if self.total:
            done = int(round(self.fraction * self.total))
            parts.append(f"{done:,} / {self.total:,}")
            if elapsed > 0 and done:
                parts.append(f"{done / elapsed:,.1f}/s")
        else:
            parts.append(f"{self.fraction:.0%}")
        if 0 < self.fraction < 1 and elapsed > 1:
            parts.append(f"ETA {_duration(elapsed * (1 - self.fraction) / self.fraction)}")
        parts.append(f"{_duration(elapsed)} so far")
        if self.cancelling:
            parts.append("cancelling")
        return " · ".join(parts)


class EmbeddingJob(Job):
    """``embed_texts`` over ``texts`` in a daemon thread; it writes the per-chunk cache as it goes."""

    def __init__(self, texts: Sequence[str], model: str, backend: str = DEFAULT_BACKEND) -> None:
        self.model, self.backend = model, backend
        self.n = len(texts)
        held = {"texts": list(texts)}

        def work(progress, should_stop):
            from core.embed import embed_texts

            embed_texts(held.pop("texts"), model, backend=backend, progress=self._report, should_stop=should_stop)

        super().__init__("embedding", f"Embedding {self.n:,} texts", work, total=self.n)
        self.message = f"Starting: loading {model} ..."


class _Slot:
    """The current job of one key and the lock that guards starting it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.job: Optional[Job] = None


@st.cache_resource(show_spinner=False)
def _slot(key: str) -> _Slot:
    """The process-wide slot of job key ``key`` (shared by sessions; never evicted while the server runs)."""
    return _Slot()


@st.cache_resource(show_spinner=False)
def _registry() -> dict:
    """Every job key this server started a job for (key -> its slot), for the sidebar's list."""
    return {}


def _register(key: str, slot: _Slot) -> None:
    _registry()[key] = slot


def running_jobs() -> list[Job]:
    """The jobs of this server that are running now (oldest first)."""
    jobs = [slot.job for slot in list(_registry().values()) if slot.job is not None and slot.job.alive()]
    return sorted(jobs, key=lambda job: job.started)


def job_key(texts: Sequence[str], model: str, backend: str = DEFAULT_BACKEND) -> str:
    """``texts hash|model|backend``: what the embedding cache itself is keyed by."""
    from core.embed import texts_hash

    return f"{texts_hash(texts)}|{model}|{backend}"


def current_job(key: str) -> Optional[Job]:
    """The job of ``key`` (running or finished), or None when none was started in this server."""
    return _slot(key).job


def forget(key: str, job: Job) -> None:
    """Drop the finished ``job`` of ``key`` (its result was handed on), so the slot holds no copy of it."""
    slot = _slot(key)
    with slot.lock:
        if slot.job is job and not job.alive():
            slot.job = None


def ensure_job(texts: Sequence[str], model: str, backend: str = DEFAULT_BACKEND, *, key: Optional[str] = None,
               resume: bool = False) -> EmbeddingJob:
    """The job embedding ``texts``, started when there is none (or the last one failed, or ``resume`` and the last
    one was cancelled); a cancelled job stays cancelled until the user resumes it."""
    key = key or job_key(texts, model, backend)
    return _ensure(key, lambda: EmbeddingJob(texts, model, backend), resume)


def _ensure(key: str, make: Callable[[], Job], resume: bool) -> Job:
    slot = _slot(key)
    with slot.lock:
        job = slot.job
        if job is None or job.state == FAILED or (resume and job.state == CANCELLED and not job.alive()):
            slot.job = job = make().start()
            _register(key, slot)
        return job


def run_in_background(key: str, kind: str, title: str, work: Callable[[Callable, Callable], Any], *,
                      what: str, total: Optional[int] = None, resume_hint: str = "") -> Any:
    """The result of ``work(progress, should_stop)``, computed once per ``key`` by a background job that every
    session shares; meanwhile the page shows its progress with Cancel (see :func:`wait_for`). The finished job is
    dropped from its slot once its result is returned (the caller keeps the result)."""
    job = _ensure(key, lambda: Job(kind, title, work, total=total), resume=False)
    job = wait_for(key, job, lambda: _ensure(key, lambda: Job(kind, title, work, total=total), resume=True),
                   what=what, resume_hint=resume_hint)
    result = job.result
    forget(key, job)
    return result


def wait_for(key: str, job: Job, resume: Callable[[], Job], *, what: str, caption: Callable[[], str] = None,
             resume_hint: str = "") -> Job:
    """Block this script run until ``job`` is done, showing its progress and a Cancel button (a panel drawn only
    when the job takes longer than QUIET_SECONDS). A cancelled job shows a Resume button (``resume()`` starts a
    new one) and stops the page (``st.stop``); a failed job raises its error."""
    if job.alive():
        job.join(QUIET_SECONDS)
    if not job.alive() and job.state == DONE:
        return job
    if job.state == FAILED and job.error is not None and not job.alive():
        raise job.error
    panel = st.empty()  # a placeholder, so the whole panel can be removed when the job is done
    box = panel.container(border=True)
    if job.state == CANCELLED and not job.alive():
        box.warning(f"{what[:1].upper() + what[1:]} cancelled: {job.message}. {resume_hint}".strip())
        if not box.button(f"Resume {what}", key=f"_bg_resume_{job.kind}", type="primary"):
            box.caption("Pages that need this wait for it; the Dataset page works without.")
            st.stop()
        job = resume()
    box.markdown(f"**{job.title} in the background**")
    bar = box.progress(job.fraction, text=job.message)
    line = box.empty()
    if box.button("Cancel", key=f"_bg_cancel_{job.kind}",
                  help="Stops at the next check; what is cached on disk stays cached."):
        job.cancel()
    sidebar = st.session_state.get(_SIDEBAR_SLOT)
    while job.alive():
        note = " · cancelling ..." if job.cancelling else ""
        bar.progress(job.fraction, text=job.message + note)
        line.caption(caption() if caption else job.summary())
        if sidebar is not None:
            _draw_jobs(sidebar)
        time.sleep(POLL_SECONDS)
    if job.state == FAILED and job.error is not None:
        raise job.error
    if job.state == CANCELLED:
        st.rerun()  # redrawn as the cancelled state, with Resume
    panel.empty()
    if sidebar is not None:
        _draw_jobs(sidebar)
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
    if not (job is not None and job.state == CANCELLED and not job.alive()):
        job = ensure_job(texts, model, backend, key=key)
    wait_for(key, job, lambda: ensure_job(texts, model, backend, key=key, resume=True), what="embedding",
             caption=lambda: _chunk_caption(texts, model, backend),
             resume_hint=f"{cached_chunks(texts, model, backend=backend)[0]} of {total} chunks are cached.")


# ----------------------------------------------------------------------------- the sidebar's list of jobs
_SIDEBAR_SLOT = "_bg_sidebar_slot"  # session key: this run's placeholder for the sidebar's job list


def _draw_jobs(slot: Any) -> None:
    jobs = running_jobs()
    if not jobs:
        slot.empty()
        return
    with slot.container():
        st.markdown("**Background jobs**")
        for job in jobs:
            st.caption(job.summary())


def sidebar_jobs() -> None:
    """The running jobs of this server (what, count, rate, ETA) in the sidebar, on every page: redrawn by a page
    that waits for a job, and every SIDEBAR_SECONDS by a fragment while a job runs and the page does not wait."""
    with st.sidebar:
        if running_jobs():
            st.session_state["_bg_first_fragment_run"] = True  # drawn by this app run: no rerun from it
            _jobs_fragment()
        else:
            st.session_state[_SIDEBAR_SLOT] = st.empty()


@st.fragment(run_every=SIDEBAR_SECONDS)
def _jobs_fragment() -> None:
    """The job list, redrawn every SIDEBAR_SECONDS; once the last job ended, one app rerun draws the page from the
    finished results and ends this polling (the next run finds no job and draws no fragment)."""
    if not running_jobs() and st.session_state.get(_SIDEBAR_SLOT) is not None \
            and not st.session_state.get("_bg_first_fragment_run", True):
        st.session_state[_SIDEBAR_SLOT] = None
        st.rerun()
    st.session_state["_bg_first_fragment_run"] = False
    slot = st.empty()
    st.session_state[_SIDEBAR_SLOT] = slot
    _draw_jobs(slot)
