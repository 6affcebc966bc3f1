"""Real-browser test of the Map: colour by the sample's category column, search a word and see the matches
highlighted, box-select a region and check the working subset holds every record inside it (counted from the
coordinates the chart was given), pick one point (a small box around it) and see its record.

Reuses the server fixture and helpers of tests/test_browser.py (skips the same way without chromium/playwright).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from browser_drag import drag_box
from test_browser import (CHROMIUM, LONG, SHOTS, VIEWPORT, _charts_drawn, _no_exception,  # noqa: F401
                          _settle, server, sync_playwright)

from core.data import load_pool
from core.search import search_pool

# JS: every drawn point of the map (x, y, pool row) from the data traces (not overlays, not the density layer).
POINTS_JS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const out = [];
  for (const t of gd._fullData) {
    if (!String(t.type).startsWith('scatter') || !t.customdata) continue;
    const name = String(t.name || '');
    if (/^(working subset|search matches|picked in a table|open record)/.test(name)) continue;
    const xs = Array.from(t.x), ys = Array.from(t.y), cd = Array.from(t.customdata);
    for (let i = 0; i < xs.length; i++) out.push([xs[i], ys[i], Number(cd[i])]);
  }
  return out;
}"""
# JS: data -> page pixel transform of the map's axes.
AXES_JS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const r = gd.getBoundingClientRect(), xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  return {left: r.left + xa._offset, top: r.top + ya._offset, width: xa._length, height: ya._length,
          x0: xa.range[0], x1: xa.range[1], y0: ya.range[0], y1: ya.range[1]};
}"""


def _to_page(ax: dict, x: float, y: float) -> tuple[float, float]:
    px = ax["left"] + (x - ax["x0"]) / (ax["x1"] - ax["x0"]) * ax["width"]
    py = ax["top"] + (ax["y1"] - y) / (ax["y1"] - ax["y0"]) * ax["height"]
    return px, py


def _legend(page) -> list[str]:
    """The map's legend entries (names of the traces shown in the legend)."""
    return page.evaluate("""() => document.querySelector('.js-plotly-plot')._fullData
                              .filter(t => t.showlegend !== false && String(t.type).startsWith('scatter')).map(t => t.name)""")


def _shot(page, name: str, heading=None) -> None:
    """Save a screenshot of the map (or of the section under ``heading``) as SHOTS/<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    if heading is None:
        page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
        page.locator(".js-plotly-plot").first.screenshot(path=str(SHOTS / f"{name}.png"))
    else:
        heading.scroll_into_view_if_needed()
        page.evaluate("() => window.scrollBy(0, 0)")
        page.screenshot(path=str(SHOTS / f"{name}.png"))


def _pick(page, label: str, option: str) -> None:
    box = page.get_by_label(label, exact=True).first
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    _settle(page)


def test_map_colour_search_box_select_and_click(server, sample_path):
    pool = load_pool(sample_path)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport=VIEWPORT)
        try:
            page.goto(f"{server}/Map")
            _settle(page, timeout=3 * LONG)  # a cold start embeds the sample and runs UMAP
            page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1",
                                   timeout=3 * LONG)
            _charts_drawn(page)
            _no_exception(page)
            points = np.asarray(page.evaluate(POINTS_JS), dtype=np.float64)
            assert len(points) == len(pool)  # every record is drawn
            assert sorted(points[:, 2].astype(int).tolist()) == list(range(len(pool)))
            _shot(page, "map_named_clusters")

            # 1. Colour by the category column: one legend entry per category, with its size.
            _pick(page, "Colour by", "category")
            _charts_drawn(page)
            legend = _legend(page)
            coding = sum(c == "coding" for c in pool.categories)
            assert f"coding ({coding})" in legend, legend
            assert len([x for x in legend if re.match(r"^\w+ \(\d+\)$", x)]) == len(set(pool.categories))

            # 2. Search a word: the matches are a layer of the map and listed under it.
            expected = len(search_pool(pool, "python"))
            page.get_by_label("Query").fill("python")
            page.get_by_role("button", name="Search").click()
            _settle(page)
            _charts_drawn(page)
            assert f"search matches ({expected:,})" in _legend(page)
            assert page.get_by_text(f"Search: {expected:,} matches").count() == 1
            _shot(page, "map_search")
            page.get_by_role("button", name="Clear the search").click()
            _settle(page)

            # 3. Box-select the middle of the map: the working subset is every record inside the box.
            # the map opens in box-select mode (dragmode "select"); bring the whole plot into the viewport first
            page.evaluate("() => document.querySelector('.js-plotly-plot').scrollIntoView({block: 'center'})")
            page.wait_for_timeout(500)
            ax = page.evaluate(AXES_JS)
            xs, ys = points[:, 0], points[:, 1]
            bx = np.quantile(xs, [0.25, 0.75])
            by = np.quantile(ys, [0.25, 0.75])
            (p0x, p0y), (p1x, p1y) = _to_page(ax, bx[0], by[1]), _to_page(ax, bx[1], by[0])
            sel, _ = drag_box(page, (p0x, p0y), (p1x, p1y))
            _settle(page)
            assert len(sel) == 1, sel
            x0, x1 = sorted([sel[0]["x0"], sel[0]["x1"]])
            y0, y1 = sorted([sel[0]["y0"], sel[0]["y1"]])
            inside = int(((xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)).sum())
            assert inside > 20
            heading = page.get_by_role("heading", name=re.compile(r"Working subset: [\d,]+ records"))
            heading.wait_for(timeout=LONG)
            assert heading.inner_text().startswith(f"Working subset: {inside:,} records"), heading.inner_text()
            assert any(t.startswith(f"working subset ({inside:,}") for t in _legend(page))
            _no_exception(page)

            # 4. Pick an isolated point: its record opens below the map.
            page.evaluate("() => document.querySelector('.js-plotly-plot').scrollIntoView({block: 'center'})")
            page.wait_for_timeout(500)
            ax = page.evaluate(AXES_JS)
            pix = np.array([_to_page(ax, x, y) for x, y in points[:, :2]])
            d = np.linalg.norm(pix[:, None, :] - pix[None, :, :], axis=2)
            np.fill_diagonal(d, np.inf)
            ok = (pix[:, 0] > ax["left"] + 20) & (pix[:, 0] < ax["left"] + ax["width"] - 20) & \
                 (pix[:, 1] > ax["top"] + 20) & (pix[:, 1] < ax["top"] + ax["height"] - 20)
            # not under a cluster name or the legend (they take the click)
            rects = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.js-plotly-plot g.annotation, .js-plotly-plot .legend')).map(e => {
                  const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })""")
            for left, top, right, bottom in rects:
                ok &= ~((pix[:, 0] > left - 8) & (pix[:, 0] < right + 8) & (pix[:, 1] > top - 8) &
                        (pix[:, 1] < bottom + 8))
            best = int(np.argmax(np.where(ok, d.min(axis=1), -1)))
            row = int(points[best, 2])
            # Streamlit reports chart selections, not plain clicks, for scatter traces (a click arrives as an
            # empty selection here): a small box around the point is the "click" that opens it
            cx, cy = pix[best]
            for _ in range(3):
                page.mouse.move(cx - 7, cy - 7)
                page.mouse.down()
                page.mouse.move(cx, cy, steps=3)
                page.mouse.move(cx + 7, cy + 7, steps=3)
                page.mouse.up()
                page.wait_for_timeout(500)
                if page.evaluate("() => (document.querySelector('.js-plotly-plot').layout.selections || []).length"):
                    break
                page.wait_for_timeout(1500)
            _settle(page)
            page.get_by_role("heading", name="Record", exact=True).wait_for(timeout=LONG)
            assert page.get_by_text(f"Record {pool.ids[row]} · row {row:,}").count() == 1
            assert page.get_by_text(pool.records[row]["instruction"][:40]).count() >= 1
            _shot(page, "record_view", page.get_by_role("heading", name="Record", exact=True))
            _no_exception(page)
        finally:
            browser.close()
