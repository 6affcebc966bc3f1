"""Real-browser test of the background embedding (ui.background): start embedding a generated pool on a page that
needs embeddings, go to the Dataset page and back, and the job goes on (the cached chunk count only grows, the first
chunks are never rewritten) until it completes; Cancel stops it after the current chunk (the count stays put, also
after a page switch, until Resume). The server gets its own SIFT_HOME and embedding cache (SIFT_CACHE_DIR).
Skips like tests/test_browser.py when chromium or playwright is missing."""

from __future__ import annotations

import json
import random
import re
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from test_browser import LONG, _go, _no_exception, _serve, _settle, browser_page
from playwright.sync_api import expect  # noqa: E402 - test_browser skips without it

server = contextmanager(_serve)


def _label(name: str) -> str:
    """The selector's label as the Selection page lists it."""
    from core.selectors import REGISTRY

    return REGISTRY[name].label  # a streamlit server on a free port, with the environment of the test
WORDS = ("explain write list compare summarise translate describe plan design debug a the data model city river "
         "history python function table recipe budget letter poem story test cache graph network market energy "
         "climate school garden music travel health science law policy sport film").split()


def _pool(path: Path, n: int, seed: int) -> Path:
    """``n`` distinct Alpaca records of short generated text (seeded), so embedding takes several chunks."""
    rng = random.Random(seed)
    with path.open("w") as out:
        for i in range(n):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16)))
            out.write(json.dumps({"instruction": f"Task {i}: {words}?", "input": "", "output": words}) + "\n")
    return path


def _chunks(path: Path, cache: Path) -> tuple[int, int, list[Path]]:
    """(cached chunks, total chunks, cached chunk files) of the pool's default text view in ``cache``."""
    from core.data import load_pool
    from core.embed import DEFAULT_MODEL, cache_path, cached_chunks

    texts = load_pool(str(path)).texts()
    done, total = cached_chunks(texts, DEFAULT_MODEL, cache_dir=cache)
    folder = cache_path(texts, DEFAULT_MODEL, cache)
    return done, total, sorted(folder.glob("*.npy")) if folder.is_dir() else []


def _wait_for_chunks(path: Path, cache: Path, at_least: int, timeout: float = LONG / 1000) -> int:
    deadline = time.monotonic() + timeout
    while True:
        done = _chunks(path, cache)[0]
        if done >= at_least:
            return done
        assert time.monotonic() < deadline, f"fewer than {at_least} chunks cached after {timeout:.0f} s"
        time.sleep(0.2)


def _start(page, url: str, path: Path) -> None:
    """Open ``path`` (the ``file`` query parameter) and go to the Novelty page, which needs embeddings."""
    page.goto(f"{url}/?file={quote(str(path))}", timeout=LONG)
    expect(page.get_by_role("heading", name="Dataset").first).to_be_visible(timeout=LONG)
    _settle(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Novelty", exact=True).click()
    expect(page.get_by_text("in the background").first).to_be_visible(timeout=LONG)


def test_embedding_goes_on_across_page_switches_and_cancel_stops_it(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SIFT_HOME", str(tmp_path / "home"))  # the server below inherits both
    monkeypatch.setenv("SIFT_CACHE_DIR", str(cache))
    big = _pool(tmp_path / "pool.jsonl", 1800, seed=0)
    small = _pool(tmp_path / "other.jsonl", 1500, seed=1)
    with server() as url:
        with browser_page() as page:
            # 1. start, leave, come back: the job goes on, it never starts over
            _start(page, url, big)
            expect(page.get_by_text("chunks cached on disk").first).to_be_visible(timeout=LONG)
            first = _wait_for_chunks(big, cache, 1)
            files = _chunks(big, cache)[2]
            stamps = {f: f.stat().st_mtime_ns for f in files}
            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Dataset", exact=True).click()
            expect(page.get_by_role("heading", name="Dataset").first).to_be_visible(timeout=LONG)
            _settle(page)  # the Dataset page is usable while the job runs
            _no_exception(page)
            away = _wait_for_chunks(big, cache, first + 1)  # still embedding with no page waiting for it
            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Novelty", exact=True).click()
            expect(page.get_by_role("heading", name="Novelty").first).to_be_visible(timeout=LONG)
            back, total, _ = _chunks(big, cache)
            assert back >= away >= first + 1
            if back < total - 1:  # a chunk of 512 still to go: the page shows the running job, further along
                expect(page.get_by_text("chunks cached on disk").first).to_be_visible(timeout=LONG)
            assert total >= 4
            _wait_for_chunks(big, cache, total, timeout=3 * LONG / 1000)
            _settle(page, timeout=3 * LONG)
            _no_exception(page)
            assert page.get_by_text("in the background").count() == 0  # the page was built from the cache
            assert {f: f.stat().st_mtime_ns for f in files} == stamps  # the first chunks were never recomputed

        # 2. Cancel stops after the current chunk; the count stays put, also across a page switch (a new browser
        # session: the URL's file is read once per session)
        with browser_page() as page:
            _start(page, url, small)
            _wait_for_chunks(small, cache, 1)
            page.get_by_role("button", name="Cancel", exact=True).click()
            expect(page.get_by_text("Embedding cancelled").first).to_be_visible(timeout=LONG)
            stopped, total, _ = _chunks(small, cache)
            assert 1 <= stopped < total
            page.wait_for_timeout(4000)
            assert _chunks(small, cache)[0] == stopped
            _go(page, "Dataset")
            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Novelty", exact=True).click()
            expect(page.get_by_role("button", name="Resume embedding")).to_be_visible(timeout=LONG)
            page.wait_for_timeout(2000)
            assert _chunks(small, cache)[0] == stopped


def test_random_runs_while_the_pool_embeds_and_the_sidebar_shows_the_job(tmp_path, monkeypatch):
    """A selector that needs no embeddings (random) runs on the Selection page while the embedding job of the pool
    is still running (the page never waits for it), and the sidebar shows the job (what, count, rate / ETA) on
    the Selection and Dataset pages."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("SIFT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SIFT_CACHE_DIR", str(cache))
    big = _pool(tmp_path / "pool.jsonl", 6000, seed=2)  # no tags: MIG's labels would need the embeddings
    with server() as url:
        with browser_page() as page:
            _start(page, url, big)  # the Novelty page starts the embedding job (and waits for it)
            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Selection", exact=True).click()
            box = page.get_by_label("Selector", exact=True)
            expect(box).to_be_visible(timeout=LONG)
            box.click()  # the default (MIG on automatic tags) waits for the embeddings; random does not
            page.get_by_role("option", name=_label("random"), exact=True).click()
            expect(page.get_by_text("Needs nothing beyond the pool.")).to_be_visible(timeout=LONG)
            _settle(page)
            budget = page.get_by_role("spinbutton", name="Budget (records to pick)")
            budget.fill("25")
            budget.press("Enter")
            _settle(page)
            page.get_by_role("button", name="Run selector").click()
            expect(page.get_by_text(re.compile(r"Kept as \*?\*?random k=25"))).to_be_visible(timeout=LONG)
            _no_exception(page)
            done, total, _ = _chunks(big, cache)
            assert done < total, "the embedding finished before random ran: the test proved nothing"
            sidebar = page.locator('[data-testid="stSidebar"]')
            expect(sidebar.get_by_text("Background jobs")).to_be_visible(timeout=LONG)
            line = sidebar.get_by_text(re.compile(r"Embedding 6,000 texts · [\d,]+ / 6,000"))
            expect(line.first).to_be_visible(timeout=LONG)
            _wait_for_chunks(big, cache, 1)  # a chunk done: the job has a rate and an ETA
            _go(page, "Dataset")  # every page shows it
            line = sidebar.get_by_text(re.compile(r"Embedding 6,000 texts · [\d,]+ / 6,000 · [\d,.]+/s · ETA"))
            expect(line.first).to_be_visible(timeout=LONG)
            assert _chunks(big, cache)[0] < total
