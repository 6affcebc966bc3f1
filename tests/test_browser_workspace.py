"""Real-browser test of the workspace: run a selector, reload the page and the run is still there; restart the
server and it is still there, and ``python -m core runs list`` lists it (made by the app). The server gets its
own SIFT_HOME. Skips like tests/test_browser.py when chromium or playwright is missing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from typing import Iterator

from test_browser import CHROMIUM, LONG, REPO, VIEWPORT, _go, _no_exception, _run_selector, _serve, _settle
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402 - test_browser skips without it

server = contextmanager(_serve)  # a streamlit server on a free port, with the environment of the test


@contextmanager
def _page(url: str) -> Iterator[Page]:
    """A chromium page on ``url``'s first page (Dataset), the app's first run finished."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM),
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.goto(url, timeout=LONG)
            expect(page.get_by_role("heading", name="Dataset").first).to_be_visible(timeout=LONG)
            _settle(page)
            yield page
        finally:
            browser.close()


def _export_lists(page: Page, run: str) -> None:
    """The Export page offers ``run``."""
    _go(page, "Export")
    box = page.get_by_label("Subset to export", exact=True)
    expect(box).to_be_visible(timeout=LONG)
    box.click()
    expect(page.get_by_role("option", name=run, exact=True)).to_be_visible(timeout=LONG)
    page.keyboard.press("Escape")
    _settle(page)
    _no_exception(page)


def test_a_run_survives_reload_and_restart_and_is_listed_by_the_cli(tmp_path, monkeypatch):
    from core.selectors import REGISTRY

    home = tmp_path / "home"
    monkeypatch.setenv("SIFT_HOME", str(home))  # the servers below inherit it
    with server() as url, _page(url) as page:
        # the first visit embeds the pool and builds its labels before the form is drawn
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Selection", exact=True).click()
        expect(page.get_by_label("Selector", exact=True)).to_be_visible(timeout=3 * LONG)
        _settle(page, timeout=3 * LONG)
        _run_selector(page, REGISTRY["kcenter"].label, 12)
        kept = page.get_by_text(re.compile(r"Kept as")).inner_text()
        run = kept.split("Kept as", 1)[1].split("(")[0].strip().rstrip(".")
        assert re.fullmatch(r"kcenter k=12 #\d+", run), kept
        page.reload()
        _settle(page)
        _no_exception(page)
        _export_lists(page, run)

    with server() as url, _page(url) as page:  # a new server process on the same workspace
        _export_lists(page, run)

    out = subprocess.run([sys.executable, "-m", "core", "runs", "list", "--json"], cwd=REPO, capture_output=True,
                         text=True, env=dict(os.environ), timeout=120)
    assert out.returncode == 0, out.stderr
    listed = json.loads(out.stdout)
    assert [(r["name"], r["origin"], r["method"], r["picks"]) for r in listed] == [(run, "app", "kcenter", 12)]


def _stored(home) -> dict:
    """{entry: mtime} of the labels and label graphs kept in the workspace ``home``."""
    return {p: p.stat().st_mtime_ns for p in sorted((home / "arrays").glob("*/*.npz"))}


def _covered_by_offers(page: Page, option: str) -> bool:
    """Whether the Label graph page's coverage picker offers ``option`` (then closes the list)."""
    box = page.get_by_label("Colour: labels covered by", exact=True)
    box.scroll_into_view_if_needed()
    box.click()
    expect(page.get_by_role("listbox")).to_be_visible(timeout=LONG)
    expect(page.get_by_role("option").first).to_be_visible(timeout=LONG)
    offered = page.get_by_role("option", name=option, exact=True).count() == 1
    page.keyboard.press("Escape")
    _settle(page)
    return offered


def test_labels_graph_and_working_subset_survive_reload_and_restart(tmp_path, monkeypatch):
    """The sample's labels and label graph are computed once and kept in the workspace: after a server restart
    the Label graph page reads them back (the page says so, and the stored entries are neither rewritten nor
    added to). A working subset made from a label survives a reload and a restart (autosaved per pool)."""
    home = tmp_path / "home"
    monkeypatch.setenv("SIFT_HOME", str(home))
    with server() as url, _page(url) as page:
        _go(page, "Label graph")
        expect(page.get_by_text("Workspace: labels computed · label graph computed")).to_be_visible(timeout=LONG)
        _settle(page)
        _no_exception(page)
        assert not _covered_by_offers(page, "working subset")
        box = page.get_by_label("Label", exact=True)
        box.scroll_into_view_if_needed()
        box.click()
        expect(page.get_by_role("option").first).to_be_visible(timeout=LONG)
        page.get_by_role("option").first.click()  # the label with the most information
        _settle(page)
        page.get_by_role("button", name=re.compile(r"Use these \d+ records? as the working subset")).click()
        expect(page.get_by_text("Working subset set")).to_be_visible(timeout=LONG)
        page.reload()  # a refresh: a new session of the same server
        expect(page.get_by_role("heading", name="Label graph").first).to_be_visible(timeout=LONG)
        _settle(page)
        _no_exception(page)
        assert _covered_by_offers(page, "working subset")
    stored = _stored(home)
    assert sorted(p.parent.name for p in stored) == ["label_graph", "labels"]

    with server() as url, _page(url) as page:  # a new server process on the same workspace
        _go(page, "Label graph")
        expect(page.get_by_text("Workspace: labels read back from the workspace · label graph read back from the "
                                "workspace")).to_be_visible(timeout=LONG)
        _settle(page)
        _no_exception(page)
        assert _covered_by_offers(page, "working subset")
    assert _stored(home) == stored  # read, not recomputed: the same entries, never rewritten
