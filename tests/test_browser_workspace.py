"""Real-browser test of the workspace: run a selector, reload the page and the run is still there; restart the
server and it is still there, and ``python -m core runs list`` lists it (made by the app). The server gets its
own SIFT_HOME. Skips like tests/test_browser.py when chromium or playwright is missing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from test_browser import (CHROMIUM, LONG, REPO, VIEWPORT, _free_port, _go, _no_exception, _run_selector,  # noqa: E402
                          _settle, _stop, _wait_until_up)
from playwright.sync_api import expect, sync_playwright  # noqa: E402


def _start(home: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = dict(os.environ, HF_HUB_OFFLINE="1", SIFT_HOME=str(home),
               SIFT_CACHE_DIR=os.environ.get("SIFT_CACHE_DIR") or tempfile.mkdtemp(prefix="sift-browser-cache-"))
    log = Path(tempfile.mkstemp(prefix="sift-streamlit-ws-", suffix=".log")[1])
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, proc, log)
    except BaseException:
        _stop(proc)
        raise
    return proc, url


def _export_lists(page, run: str) -> None:
    """The Export page offers ``run`` (the selectbox shows the last run by default)."""
    _go(page, "Export")
    box = page.get_by_label("Subset to export", exact=True)
    expect(box).to_be_visible(timeout=LONG)
    box.click()
    expect(page.get_by_role("option", name=run, exact=True)).to_be_visible(timeout=LONG)
    page.keyboard.press("Escape")
    _settle(page)


def test_a_run_survives_reload_and_restart_and_is_listed_by_the_cli(tmp_path):
    from core.selectors import REGISTRY

    home = tmp_path / "home"
    proc, url = _start(home)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM),
                                         args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            try:
                page = browser.new_context(viewport=VIEWPORT).new_page()
                page.goto(url, timeout=LONG)
                expect(page.get_by_role("heading", name="Dataset").first).to_be_visible(timeout=LONG)
                _settle(page)
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
            finally:
                browser.close()
    finally:
        _stop(proc)

    proc, url = _start(home)  # a new server process on the same workspace
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM),
                                         args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            try:
                page = browser.new_context(viewport=VIEWPORT).new_page()
                page.goto(url, timeout=LONG)
                expect(page.get_by_role("heading", name="Dataset").first).to_be_visible(timeout=LONG)
                _settle(page)
                _export_lists(page, run)
                _no_exception(page)
            finally:
                browser.close()
    finally:
        _stop(proc)

    out = subprocess.run([sys.executable, "-m", "core", "runs", "list", "--json"], cwd=REPO, capture_output=True,
                         text=True, env=dict(os.environ, SIFT_HOME=str(home)), timeout=120)
    assert out.returncode == 0, out.stderr
    listed = json.loads(out.stdout)
    assert [(r["name"], r["origin"], r["method"], r["picks"]) for r in listed] == [(run, "app", "kcenter", 12)]
