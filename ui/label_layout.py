"""Where cluster names go on the Map so that none hides another: a greedy placement in pixel space (pure numpy).

Plotly draws annotations where it is told and never moves one out of another's way, so names of nearby clusters
overlapped (one hidden behind another). :func:`place_labels` takes the labels largest cluster first, tries the
anchor itself and then a few nudged positions around it (above, below, right, left, the diagonals, twice as far
up/down), keeps the first whose box meets no kept box, and drops the label when none is free. Boxes are estimated
from the text length (a font's average character width), in the pixels of an assumed plot size: the server never
learns the real width of the chart, so the default assumes a narrow plot (:data:`PLOT_WIDTH_PX`); a wider chart only
spreads the kept labels further apart.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

#: Assumed width and height (pixels) of the plotting area when the caller does not know them: the Map's plot area
#: beside its legend is about 500 px wide in a 1,400 px window; a narrower guess only keeps labels further apart.
PLOT_WIDTH_PX = 480.0
PLOT_HEIGHT_PX = 600.0
#: Average character width as a share of the font size (sans-serif text is about 0.55 em; 0.6 errs on the wide side).
CHAR_EM = 0.6
#: Pixels added around the text: plotly's borderpad (2) + border (1) + 1 of air, on every side.
BOX_PAD = 4.0

_TAGS = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class PlacedLabel:
    """One kept label: ``index`` in the input, its anchor (data units), its text, the pixel offset ``dx``, ``dy`` of
    the label's centre from the anchor (+y is up) and its pixel box (left, bottom, right, top) in the plot area."""

    index: int
    x: float
    y: float
    text: str
    dx: float
    dy: float
    box: tuple[float, float, float, float]

    @property
    def nudged(self) -> bool:
        """True when the label sits away from its anchor (the figure then draws a short arrow to the anchor)."""
        return bool(self.dx or self.dy)


def text_box_px(text: str, font_size: float = 12.0) -> tuple[float, float]:
    """Estimated (width, height) in pixels of ``text`` (already HTML-escaped, as plotly receives it) in a box."""
    lines = _TAGS.sub("\n", str(text)).split("\n")
    chars = max((len(html.unescape(line)) for line in lines), default=0)
    return chars * CHAR_EM * font_size + 2 * BOX_PAD, len(lines) * 1.3 * font_size + 2 * BOX_PAD


def _overlaps(box: np.ndarray, kept: np.ndarray, gap: float) -> bool:
    if not len(kept):
        return False
    return bool(np.any((box[0] < kept[:, 2] + gap) & (kept[:, 0] < box[2] + gap)
                       & (box[1] < kept[:, 3] + gap) & (kept[:, 1] < box[3] + gap)))


def place_labels(xy: np.ndarray, texts: Sequence[str], sizes: Optional[Sequence[float]] = None, *,
                 x_range: Sequence[float], y_range: Sequence[float], width_px: float = PLOT_WIDTH_PX,
                 height_px: float = PLOT_HEIGHT_PX, font_size: float = 12.0, gap: float = 2.0,
                 max_labels: Optional[int] = None) -> tuple[list[PlacedLabel], list[int]]:
    """``(kept, dropped)``: labels ``texts`` anchored at ``xy`` (data units, one row per label) placed so that no
    two kept boxes come closer than ``gap`` pixels, and the input positions of the labels left out.

    Largest ``sizes`` first (ties and ``sizes=None`` keep the input order), so the biggest clusters keep their
    names; each label tries its anchor, then nudged positions (each also pulled back inside the plot area), and
    is dropped when every one meets a kept box. Anchors that are not finite or lie outside ``x_range`` x
    ``y_range`` are dropped; at most ``max_labels`` are kept (default: no limit). Pixels come from mapping the
    ranges onto ``width_px`` x ``height_px`` (defaults :data:`PLOT_WIDTH_PX`, :data:`PLOT_HEIGHT_PX`).
    """
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    if len(texts) != len(xy):
        raise ValueError(f"{len(texts)} label texts for {len(xy)} anchors")
    if sizes is not None and len(sizes) != len(xy):
        raise ValueError(f"{len(sizes)} sizes for {len(xy)} anchors")
    (x0, x1), (y0, y1) = (float(v) for v in x_range), (float(v) for v in y_range)
    sx = width_px / (x1 - x0) if x1 > x0 else 0.0
    sy = height_px / (y1 - y0) if y1 > y0 else 0.0
    px = np.column_stack([(xy[:, 0] - x0) * sx, (xy[:, 1] - y0) * sy]) if len(xy) else np.zeros((0, 2))
    ok = np.isfinite(xy).all(axis=1) & (xy[:, 0] >= min(x0, x1)) & (xy[:, 0] <= max(x0, x1)) \
        & (xy[:, 1] >= min(y0, y1)) & (xy[:, 1] <= max(y0, y1))
    weight = np.zeros(len(xy)) if sizes is None else -np.asarray(sizes, dtype=np.float64)
    order = np.argsort(np.where(np.isfinite(weight), weight, 0.0), kind="stable")
    kept: list[PlacedLabel] = []
    boxes = np.zeros((0, 4))
    dropped: list[int] = []
    for i in (int(i) for i in order):
        if not ok[i] or (max_labels is not None and len(kept) >= max_labels):
            dropped.append(i)
            continue
        w, h = text_box_px(texts[i], font_size)
        side, step = w / 2 + 8.0, h + gap
        placed = None
        for dx, dy in ((0, 0), (0, step), (0, -step), (side, 0), (-side, 0), (side, step), (-side, step),
                       (side, -step), (-side, -step), (0, 2 * step), (0, -2 * step)):
            cx, cy = px[i, 0] + dx, px[i, 1] + dy
            # pulled back inside the plot area (a label wider than the plot keeps its left edge at 0)
            cx = min(max(cx, w / 2), max(width_px - w / 2, w / 2))
            cy = min(max(cy, h / 2), max(height_px - h / 2, h / 2))
            box = np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
            if not _overlaps(box, boxes, gap):
                placed = (cx - px[i, 0], cy - px[i, 1], box)
                break
        if placed is None:
            dropped.append(i)
            continue
        dx, dy, box = placed
        kept.append(PlacedLabel(i, float(xy[i, 0]), float(xy[i, 1]), str(texts[i]),
                                round(float(dx), 2), round(float(dy), 2), tuple(float(v) for v in box)))
        boxes = np.vstack([boxes, box])
    return kept, sorted(dropped)


_COUNT = re.compile(r"\((\d[\d,]*)\)\s*$")


def size_in_text(text: str) -> Optional[int]:
    """The count a cluster name ends with, ``"git · shell (1,234)"`` -> 1234 (None when it ends with none): the Map
    writes each cluster's size into its name, so the sizes reach the layout without a second list."""
    m = _COUNT.search(html.unescape(str(text)))
    return int(m.group(1).replace(",", "")) if m else None


def dropped_names(fig) -> list[str]:
    """The cluster names ui.figures.pool_map_figure left out where they would overlap a kept one (recorded in the
    figure's ``layout.meta``), as plain text (unescaped); empty when none was dropped or the figure has no names."""
    meta = fig.layout.meta if hasattr(fig, "layout") else (fig or {}).get("layout", {}).get("meta")
    names = meta.get("dropped_labels", []) if isinstance(meta, dict) else []
    return [html.unescape(_TAGS.sub(" ", str(name))) for name in names]


def dropped_note(names: Sequence[str], shown: int = 5) -> str:
    """``"3 cluster names not drawn where they would overlap: a, b, c"`` (plain text; past ``shown`` names the
    rest are counted, ``"..., e and 4 more"``); empty when ``names`` is."""
    if not names:
        return ""
    n = len(names)
    head = ", ".join(names[:shown]) + (f" and {n - shown:,} more" if n > shown else "")
    what = "cluster names not drawn where they" if n != 1 else "cluster name not drawn where it"
    return f"{n:,} {what} would overlap: {head}"
