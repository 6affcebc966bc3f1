"""Region selection from coordinates: boxes and lassos checked against points placed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import SiftError
from core.regions import box_mask, polygon_mask, region_indices

# A 5 x 5 grid of points at integer coordinates 0..4; row index = 5 * y + x.
GRID = np.array([(x, y) for y in range(5) for x in range(5)], dtype=np.float32)


def idx(*xy):
    return sorted(5 * y + x for x, y in xy)


def test_box_is_inclusive_and_order_free():
    got = np.flatnonzero(box_mask(GRID, (1, 2), (3, 2))).tolist()
    assert got == idx((1, 2), (2, 2), (1, 3), (2, 3))
    assert not box_mask(GRID, (4.1, 9), (0, 9)).any()


def test_lasso_triangle():
    # Triangle (0,0) (4,0) (0,4) enlarged a little: holds the points with x + y <= 4 (on the hypotenuse too).
    got = np.flatnonzero(polygon_mask(GRID, [-0.1, 4.3, -0.1], [-0.1, -0.1, 4.3])).tolist()
    assert got == idx(*[(x, y) for x in range(5) for y in range(5) if x + y <= 4])


def test_lasso_concave_keeps_the_notch_out():
    # An L shape: the column x in [0.5, 1.5] for y in [0.5, 3.5] plus the row y in [0.5, 1.5] for x up to 3.5.
    xs = [0.5, 3.5, 3.5, 1.5, 1.5, 0.5]
    ys = [0.5, 0.5, 1.5, 1.5, 3.5, 3.5]
    got = np.flatnonzero(polygon_mask(GRID, xs, ys)).tolist()
    assert got == idx((1, 1), (2, 1), (3, 1), (1, 2), (1, 3))
    assert 5 * 3 + 3 not in got  # (3, 3) sits in the notch


def test_self_crossing_lasso_follows_even_odd():
    # A bow tie: two triangles meeting at (2, 2); (2, 1) and (2, 3) are outside both lobes, (1, 2) and (3, 2) in.
    xs = [0, 4, 4, 0]
    ys = [0.5, 3.5, 0.5, 3.5]
    got = set(np.flatnonzero(polygon_mask(GRID, xs, ys)).tolist())
    assert {5 * 2 + 1, 5 * 2 + 3} <= got
    assert not {5 * 1 + 2, 5 * 3 + 2} & got


def test_union_of_regions_and_random_points_against_brute_force():
    rng = np.random.default_rng(0)
    pts = rng.uniform(-1, 1, size=(20_000, 2))
    r = np.hypot(pts[:, 0], pts[:, 1])
    theta = np.linspace(0, 2 * np.pi, 400, endpoint=False)
    circle = (0.5 * np.cos(theta), 0.5 * np.sin(theta))  # a lasso close to a circle of radius 0.5
    got = region_indices(pts, boxes=[((0.6, 0.9), (0.6, 0.9))], lassos=[circle])
    in_box = (pts[:, 0] >= 0.6) & (pts[:, 0] <= 0.9) & (pts[:, 1] >= 0.6) & (pts[:, 1] <= 0.9)
    clear = (r < 0.499) | (r > 0.5) | in_box  # the 400-gon lies between radius 0.49998 and 0.5
    expect = np.flatnonzero((r < 0.499) | in_box)
    assert np.array_equal(got[clear[got]], expect)
    assert region_indices(pts).size == 0


def test_bad_regions():
    with pytest.raises(SiftError, match="3 vertices"):
        polygon_mask(GRID, [0, 1], [0, 1])
    with pytest.raises(SiftError, match="y values"):
        polygon_mask(GRID, [0, 1, 2], [0, 1])
    with pytest.raises(SiftError, match="finite"):
        box_mask(GRID, (0, float("nan")), (0, 1))
    with pytest.raises(SiftError, match=r"\(n, 2\)"):
        box_mask(np.zeros((3, 3)), (0, 1), (0, 1))
