"""One box-select gesture on a plotly chart, shared by the Map browser test and ``benchmarks/bench_map.py``.

A redraw still under way (after a Streamlit rerun) cancels a drag, so the gesture is retried a few times until
plotly records a selection.
"""

from __future__ import annotations

import time
from typing import Any

SELECTIONS_JS = "() => document.querySelector('.js-plotly-plot').layout.selections || []"


def drag_box(page: Any, start: tuple[float, float], end: tuple[float, float], *, steps: int = 5,
             settle_ms: int = 500, tries: int = 3) -> tuple[list, float]:
    """Drag a box from ``start`` to ``end`` (page pixels) on the page's plotly chart, retrying up to ``tries``
    times; return plotly's ``layout.selections`` (empty if no try registered) and the ``time.monotonic()`` at
    the last mouse release (when the selection is sent to the app)."""
    (x0, y0), (x1, y1) = start, end
    released = time.monotonic()
    for _ in range(tries):
        page.mouse.move(x0, y0)
        page.mouse.down()
        page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=steps)
        page.mouse.move(x1, y1, steps=steps)
        released = time.monotonic()
        page.mouse.up()
        page.wait_for_timeout(settle_ms)
        selections = page.evaluate(SELECTIONS_JS)
        if selections:
            return selections, released
        page.wait_for_timeout(1500)
    return [], released
