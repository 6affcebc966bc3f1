"""Box and lasso selection computed from 2-D map coordinates, so a region holds every record inside it.

A chart only reports the points it drew; the map may draw a sample or a density layer for big pools. These
functions take the region itself (a box's ranges, a lasso's vertices) and test every row's coordinates with
numpy: the box test is inclusive on its edges, the lasso test is the even-odd (ray casting) rule, vectorised over
points and looped over polygon edges, after a bounding-box pre-filter.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from core.errors import SiftError


def _xy(xy: np.ndarray) -> np.ndarray:
    xy = np.asarray(xy, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise SiftError(f"coordinates must have shape (n, 2), got {xy.shape}")
    return xy


def _pair(values: Sequence[float], what: str) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in values)
    except (TypeError, ValueError):
        raise SiftError(f"{what} must be two numbers, got {values!r}") from None
    if not (np.isfinite(a) and np.isfinite(b)):
        raise SiftError(f"{what} must be finite, got {values!r}")
    return (a, b) if a <= b else (b, a)


def box_mask(xy: np.ndarray, x_range: Sequence[float], y_range: Sequence[float]) -> np.ndarray:
    """Boolean mask of the rows of ``xy`` inside the box (edges included; the ranges may come in either order)."""
    xy = _xy(xy)
    x0, x1 = _pair(x_range, "x range")
    y0, y1 = _pair(y_range, "y range")
    x, y = xy[:, 0], xy[:, 1]
    return (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)


def polygon_mask(xy: np.ndarray, xs: Sequence[float], ys: Sequence[float]) -> np.ndarray:
    """Boolean mask of the rows of ``xy`` inside the polygon with vertices ``(xs[i], ys[i])`` (closed
    implicitly; even-odd rule, so a self-crossing lasso behaves as plotly draws it)."""
    xy = _xy(xy)
    px = np.asarray(xs, dtype=np.float64).reshape(-1)
    py = np.asarray(ys, dtype=np.float64).reshape(-1)
    if px.shape != py.shape:
        raise SiftError(f"lasso has {px.size} x values but {py.size} y values")
    if px.size < 3:
        raise SiftError(f"a lasso needs at least 3 vertices, got {px.size}")
    if not (np.isfinite(px).all() and np.isfinite(py).all()):
        raise SiftError("lasso vertices must be finite numbers")
    mask = np.zeros(len(xy), dtype=bool)
    cand = np.flatnonzero((xy[:, 0] >= px.min()) & (xy[:, 0] <= px.max()) &
                          (xy[:, 1] >= py.min()) & (xy[:, 1] <= py.max()))
    if cand.size == 0:
        return mask
    x, y = xy[cand, 0], xy[cand, 1]
    inside = np.zeros(cand.size, dtype=bool)
    qx, qy = np.roll(px, 1), np.roll(py, 1)
    for ax, ay, bx, by in zip(px, py, qx, qy):
        if ay == by:
            continue  # horizontal edges never cross a horizontal ray
        crosses = (ay > y) != (by > y)
        x_at = ax + (y - ay) * (bx - ax) / (by - ay)
        inside ^= crosses & (x < x_at)
    mask[cand] = inside
    return mask


def region_indices(xy: np.ndarray, *, boxes: Iterable[tuple[Sequence[float], Sequence[float]]] = (),
                   lassos: Iterable[tuple[Sequence[float], Sequence[float]]] = ()) -> np.ndarray:
    """Sorted row indices inside any of ``boxes`` (``(x_range, y_range)`` pairs) or ``lassos``
    (``(xs, ys)`` vertex lists): the union, as a chart with several selections shows it."""
    xy = _xy(xy)
    mask = np.zeros(len(xy), dtype=bool)
    for x_range, y_range in boxes:
        mask |= box_mask(xy, x_range, y_range)
    for xs, ys in lassos:
        mask |= polygon_mask(xy, xs, ys)
    return np.flatnonzero(mask).astype(np.int64)


#: Field pairs read as precomputed map coordinates when a pool has both (first pair found wins).
COORD_FIELDS = (("map_x", "map_y"), ("umap_x", "umap_y"), ("x", "y"))


def coordinate_fields(fields: Sequence[str]) -> tuple[str, str] | None:
    """The first pair of :data:`COORD_FIELDS` present in ``fields``, or None."""
    have = set(fields)
    return next(((x, y) for x, y in COORD_FIELDS if x in have and y in have), None)


def coordinates_from_records(records: Sequence[dict], x_field: str, y_field: str, *, file: str = "",
                             lines: Sequence[int] | None = None) -> np.ndarray:
    """(n, 2) float32 map coordinates read from two numeric fields of every record (precomputed, e.g. by
    another tool); InputError naming the file line (``lines[i]``, else i + 1) of the first record whose value is missing or not a finite number."""
    from core.errors import InputError

    out = np.empty((len(records), 2), dtype=np.float32)
    for i, r in enumerate(records):
        for j, field in enumerate((x_field, y_field)):
            v = r.get(field)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
                raise InputError(f"map coordinate must be a finite number, got {v!r}", file=file or None,
                                 line=int(lines[i]) if lines is not None else i + 1, field=field)
            out[i, j] = v
    return out
