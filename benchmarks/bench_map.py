"""Map benchmark (Playwright + Debian chromium): time to first draw and time for a box selection to become the
working subset, on synthetic pools with precomputed 2-D coordinates (``map_x``/``map_y`` columns).

Each pool has ``n`` Alpaca records in 12 categories with 2-3 of 40 tags, a quality score, an 8-d ``embedding``
column (so no model runs for the pool) and map coordinates drawn from 12 Gaussian blobs (seed 0). For each size
the script starts the app, opens the pool by path in the sidebar and goes to the Map:

- ``cold``: from choosing the Map page until the chart is drawn and the script run is over, the first time (the
  server loads the file, reads the embedding column, builds labels, clusters and names them);
- ``warm``: the same in a new browser session once the server holds the pool (what a curator waits for when
  coming back to the Map);
- ``of which server``: for the warm draw, seconds from the Map click to the last websocket message the server
  sent before the chart was drawn; the rest is the browser (Streamlit's Plotly chunk, the figure, WebGL drawing);
- ``peak RSS``: the streamlit server process's ``VmHWM`` (``/proc/PID/status``) after the selection, i.e. its
  peak resident memory over the cold and warm loads and the selection;
- ``select``: after switching the map's mouse drag to "box select" (not timed), from releasing the mouse after a
  box drag until the page shows "Working subset: N records"; N is checked against the number of records inside
  the box counted from the coordinates here.

Usage: ``python benchmarks/bench_map.py [--sizes 1000 50000 200000 1000000] [--keep DIR]`` (a 1,000-record pool
gives the fixed cost of the page and its chart at the same load, a baseline for the larger sizes). Prints one row per size
and the load average (1-minute) before and after each size. This machine has 2 cores shared with other work, so
the load average is part of every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser_drag import drag_box  # noqa: E402  (the Map browser test's gesture)

CATEGORIES = ("coding", "maths", "writing", "advice", "translation", "reasoning", "roleplay", "extraction",
              "summarisation", "classification", "brainstorming", "factual_qa")
TAGS = tuple(f"tag {i:02d}" for i in range(40))
LONG = 900_000  # ms


def make_pool(n: int, path: Path, seed: int = 0) -> np.ndarray:
    """Write a synthetic pool of ``n`` records to ``path``; return its (n, 2) map coordinates."""
    rng = np.random.default_rng(seed)
    cat = rng.integers(0, len(CATEGORIES), n)
    centres = rng.uniform(-10, 10, size=(len(CATEGORIES), 2))
    xy = (centres[cat] + rng.normal(scale=1.3, size=(n, 2))).astype(np.float32)
    basis = rng.normal(size=(len(CATEGORIES), 8))
    emb = basis[cat] + rng.normal(scale=0.6, size=(n, 8))
    tag_idx = rng.integers(0, 10, size=(n, 3)) + (cat[:, None] * 3) % 30
    quality = np.round(rng.uniform(1, 10, n), 1)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            c = CATEGORIES[cat[i]]
            rec = {"id": f"r{i}", "instruction": f"Synthetic {c} request number {i} about topic {tag_idx[i, 0]}",
                   "input": "", "output": f"Answer {i} for {c}.", "category": c,
                   "tags": [TAGS[t] for t in sorted(set(tag_idx[i, : 2 + i % 2].tolist()))],
                   "quality": float(quality[i]), "map_x": round(float(xy[i, 0]), 4),
                   "map_y": round(float(xy[i, 1]), 4), "embedding": [round(float(v), 3) for v in emb[i]]}
            out.write(json.dumps(rec) + "\n")
    return np.array([[round(float(x), 4), round(float(y), 4)] for x, y in xy], dtype=np.float64)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(cache: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = dict(os.environ, HF_HUB_OFFLINE="1", SIFT_CACHE_DIR=str(cache), SIFT_HOME=str(cache / "home"))
    log = open(cache / "streamlit.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("streamlit did not start")


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (``VmHWM`` in ``/proc/PID/status``) in MB; NaN when it cannot be read."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0  # kB
    except OSError:
        pass
    return float("nan")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait(timeout=20)


def _idle(page, timeout: int = LONG) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')
                                    && !document.querySelector('[data-testid="stSpinner"]')
                                    && !document.querySelector('[data-testid="stProgress"]')""", timeout=timeout)


def open_map(page, url: str, path: Path) -> tuple[float, float]:
    """Open the app, choose the pool by path, go to the Map; (seconds from the Map click to the drawn chart,
    seconds from the click to the last websocket message the server sent before the chart was drawn: the
    server's share, the rest is the browser's)."""
    frames: list[float] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda _payload: frames.append(time.monotonic())))
    page.goto(url)
    _idle(page)
    page.get_by_text("File path", exact=True).click()
    _idle(page)
    box = page.get_by_role("textbox", name="Path")
    box.fill(str(path))
    box.press("Enter")
    _idle(page)
    start = time.monotonic()
    page.get_by_role("link", name="Map").click()
    page.wait_for_function("""() => { const gd = document.querySelector('.js-plotly-plot');
                                      return gd && gd._fullData && gd._fullData.length > 0; }""", timeout=LONG)
    drawn = time.monotonic()
    server = max([t for t in frames if start <= t <= drawn], default=start) - start
    _idle(page)
    return time.monotonic() - start, server


AXES_JS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  gd.scrollIntoView({block: 'center'});
  const r = gd.getBoundingClientRect(), xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  return {left: r.left + xa._offset, top: r.top + ya._offset, width: xa._length, height: ya._length,
          x0: xa.range[0], x1: xa.range[1], y0: ya.range[0], y1: ya.range[1]};
}"""


def box_select(page, xy: np.ndarray, target: int) -> tuple[float, int, int]:
    """Drag a box around the centre of the densest blob holding about ``target`` points; (seconds until the
    working subset heading shows, records the page reports, records inside the box by the coordinates)."""
    import re

    page.get_by_text("box select", exact=True).click()  # the map opens in pan mode (a click opens a record)
    _idle(page)
    page.wait_for_function("() => document.querySelector('.js-plotly-plot')._fullLayout.dragmode === 'select'",
                           timeout=LONG)
    page.wait_for_timeout(1000)
    ax = page.evaluate(AXES_JS)
    page.wait_for_timeout(300)
    ax = page.evaluate(AXES_JS)
    centre = np.median(xy, axis=0)
    d = np.max(np.abs(xy - centre), axis=1)
    half = float(np.sort(d)[min(target, len(d)) - 1])

    def to_page(x, y):
        return (ax["left"] + (x - ax["x0"]) / (ax["x1"] - ax["x0"]) * ax["width"],
                ax["top"] + (ax["y1"] - y) / (ax["y1"] - ax["y0"]) * ax["height"])

    (p0x, p0y), (p1x, p1y) = to_page(centre[0] - half, centre[1] + half), to_page(centre[0] + half, centre[1] - half)
    heading = page.get_by_role("heading", name=re.compile(r"Working subset: [\d,]+ records"))
    sel, start = drag_box(page, (p0x, p0y), (p1x, p1y), steps=4, settle_ms=200)
    if not sel:
        raise RuntimeError("the box drag did not register")
    heading.wait_for(timeout=LONG)
    seconds = time.monotonic() - start
    _idle(page)
    shown = int(re.search(r"([\d,]+) records", heading.inner_text()).group(1).replace(",", ""))
    s = sel[0]
    x0, x1 = sorted([s["x0"], s["x1"]])
    y0, y1 = sorted([s["y0"], s["y1"]])
    inside = int(((xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)).sum())
    return seconds, shown, inside


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 50_000, 200_000, 1_000_000])
    ap.add_argument("--select", type=int, default=50_000, help="points inside the box (default 50,000)")
    ap.add_argument("--keep", type=Path, default=None, help="directory for the pools (default: a temp dir)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    root = args.keep or Path(tempfile.mkdtemp(prefix="sift-bench-map-"))
    root.mkdir(parents=True, exist_ok=True)
    print("| records | cold first draw (s) | warm first draw (s) | of which server (s) | box selection (s) | "
          "records in box (page / coordinates) | server peak RSS (MB) | load avg before → after |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    for n in args.sizes:
        path = root / f"pool_{n}.jsonl"
        t = time.monotonic()
        xy = make_pool(n, path)
        made = time.monotonic() - t
        cache = Path(tempfile.mkdtemp(prefix="cache-", dir=root))
        load0 = os.getloadavg()[0]
        proc, url = start_server(cache)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                cold, _ = open_map(page, url, path)
                page.close()
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                warm, warm_server = open_map(page, url, path)
                sel_s, shown, inside = box_select(page, xy, min(args.select, n // 2))
                browser.close()
            rss = peak_rss_mb(proc.pid)  # before the server stops: its peak over the three page loads
        finally:
            stop_server(proc)
        load1 = os.getloadavg()[0]
        print(f"| {n:,} | {cold:.1f} | {warm:.1f} | {warm_server:.1f} | {sel_s:.1f} | {shown:,} / {inside:,} | "
              f"{rss:,.0f} | {load0:.1f} → {load1:.1f} |", flush=True)
        print(f"  (pool written in {made:.0f} s: {path.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
