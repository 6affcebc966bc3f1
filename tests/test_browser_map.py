"""Real-browser tests of the Map: colour by the sample's category column, search a word and see the matches
highlighted, box-select a region and check the working subset holds every record inside it (counted from the
coordinates the chart was given), a double-click on the map and the Clear button each drop that subset; a plain
click on a point opens its record; with the drawing limit lowered below the pool size the map draws a density
layer and a sample, and zooming to a selected region draws every point in it.

Reuses the server fixture and helpers of tests/test_browser.py (skips the same way without chromium/playwright).
"""

from __future__ import annotations

import re
from contextlib import contextmanager

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


@contextmanager
def _map_page(server):
    """A chromium page on the Map, drawn and without an exception; the browser is closed on exit."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM),
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(f"{server}/Map")
            _settle(page, timeout=3 * LONG)  # a cold start embeds the sample and runs UMAP
            page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1",
                                   timeout=3 * LONG)
            _charts_drawn(page)
            _no_exception(page)
            yield page
        finally:
            browser.close()


def _centre_map(page) -> dict:
    """Bring the whole plot into the viewport; the axes' data -> pixel transform."""
    page.evaluate("() => document.querySelector('.js-plotly-plot').scrollIntoView({block: 'center'})")
    page.wait_for_timeout(500)
    return page.evaluate(AXES_JS)


def _drag_mode(page, label: str) -> None:
    page.get_by_text(label, exact=True).click()
    _settle(page)
    _charts_drawn(page)


def _box(page, ax: dict, bx, by) -> tuple[float, float, float, float]:
    """Drag a box over data ranges ``bx`` x ``by``; the box plotly recorded (x0, x1, y0, y1), sorted."""
    (p0x, p0y), (p1x, p1y) = _to_page(ax, bx[0], by[1]), _to_page(ax, bx[1], by[0])
    sel, _ = drag_box(page, (p0x, p0y), (p1x, p1y))
    _settle(page)
    assert len(sel) == 1, sel
    return (*sorted([sel[0]["x0"], sel[0]["x1"]]), *sorted([sel[0]["y0"], sel[0]["y1"]]))


SUBSET = re.compile(r"Working subset: [\d,]+ records")


def test_map_colour_search_box_select_and_clear(server, sample_path):
    pool = load_pool(sample_path)
    with _map_page(server) as page:
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
        _drag_mode(page, "box select")
        ax = _centre_map(page)
        xs, ys = points[:, 0], points[:, 1]
        x0, x1, y0, y1 = _box(page, ax, np.quantile(xs, [0.25, 0.75]), np.quantile(ys, [0.25, 0.75]))
        inside = int(((xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)).sum())
        assert inside > 20
        heading = page.get_by_role("heading", name=SUBSET)
        heading.wait_for(timeout=LONG)
        assert heading.inner_text().startswith(f"Working subset: {inside:,} records"), heading.inner_text()
        _no_exception(page)

        # 4. A double-click on the map clears the chart's selection, and with it the working subset.
        corner = _to_page(ax, float(np.quantile(xs, 0.02)), float(np.quantile(ys, 0.98)))
        page.mouse.dblclick(*corner)
        _settle(page)
        page.get_by_text("No working subset yet").wait_for(timeout=LONG)
        assert page.get_by_role("heading", name=SUBSET).count() == 0

        # 5. The Clear button drops the subset and the box drawn on the chart.
        ax = _centre_map(page)
        _box(page, ax, np.quantile(xs, [0.3, 0.7]), np.quantile(ys, [0.3, 0.7]))
        page.get_by_role("heading", name=SUBSET).wait_for(timeout=LONG)
        page.get_by_role("button", name="Clear", exact=True).click()
        _settle(page)
        page.get_by_text("No working subset yet").wait_for(timeout=LONG)
        _charts_drawn(page)
        assert page.evaluate("() => (document.querySelector('.js-plotly-plot').layout.selections || [])"
                             ".length") == 0
        _no_exception(page)


def test_map_click_opens_record(server, sample_path):
    pool = load_pool(sample_path)
    with _map_page(server) as page:
        points = np.asarray(page.evaluate(POINTS_JS), dtype=np.float64)
        ax = _centre_map(page)
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
        # the map opens in pan mode, where a click on a point is a one-point selection (box/lasso modes
        # turn clicks off): a plain click on the point's pixel opens its record
        page.mouse.click(*pix[best])
        _settle(page)
        page.get_by_role("heading", name="Record", exact=True).wait_for(timeout=LONG)
        assert page.get_by_text(f"Record {pool.ids[row]} · row {row:,}").count() == 1
        assert page.get_by_text(pool.records[row]["instruction"][:40]).count() >= 1
        _charts_drawn(page)
        assert any(t.startswith("open record") for t in _legend(page))
        _shot(page, "record_view", page.get_by_role("heading", name="Record", exact=True))
        _no_exception(page)


def test_map_zoom_draws_every_point_above_the_limit(server, sample_path):
    pool = load_pool(sample_path)
    with _map_page(server) as page:
        every = np.asarray(page.evaluate(POINTS_JS), dtype=np.float64)
        assert len(every) == len(pool)
        xy = np.empty((len(pool), 2))
        xy[every[:, 2].astype(int)] = every[:, :2]
        # the drawing limit below the pool's size: a density layer of every point, a seeded sample on top
        limit = 100
        box = page.get_by_label("Points drawn at most", exact=True)
        box.fill(str(limit))
        box.press("Enter")
        _settle(page)
        _charts_drawn(page)
        sample = np.asarray(page.evaluate(POINTS_JS), dtype=np.float64)
        assert len(sample) == limit
        assert page.evaluate("() => document.querySelector('.js-plotly-plot')._fullData"
                             ".some(t => t.type === 'heatmap')")
        # a box around the centre holding fewer records than the limit but more than the sample draws there
        centre = np.median(xy, axis=0)
        half = np.sort(np.max(np.abs(xy - centre), axis=1))[60]
        _drag_mode(page, "box select")
        ax = _centre_map(page)
        x0, x1, y0, y1 = _box(page, ax, (centre[0] - half, centre[0] + half), (centre[1] - half, centre[1] + half))
        inside = np.flatnonzero((xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1))
        assert 20 < len(inside) <= limit
        drawn_before = int(np.isin(sample[:, 2].astype(int), inside).sum())
        assert drawn_before < len(inside)
        page.get_by_role("button", name="Zoom to the selection").click()
        page.get_by_text(re.compile(r"all [\d,]+ points in view drawn")).wait_for(timeout=LONG)
        _settle(page)
        _charts_drawn(page)
        zoomed = np.asarray(page.evaluate(POINTS_JS), dtype=np.float64)
        assert sorted(zoomed[:, 2].astype(int).tolist()) == inside.tolist()  # every point of the region
        ax = page.evaluate(AXES_JS)
        assert ax["x0"] == pytest.approx(x0) and ax["x1"] == pytest.approx(x1)
        assert not page.evaluate("() => document.querySelector('.js-plotly-plot')._fullData"
                                 ".some(t => t.type === 'heatmap')")
        _no_exception(page)
