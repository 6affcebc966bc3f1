"""Map figure, chart-event parsing and the readable record view, checked on figure dicts and real records."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.data import load_pool
from core.errors import InputError
from core.regions import coordinate_fields, coordinates_from_records
from ui.figures import OTHER, PALETTE, pool_map_figure
from ui.map_view import drawn_rows, parse_event, region_of, signature
from ui.record_view import record_parts, segments


def _array(value) -> np.ndarray:
    """A figure-dict array: plotly's typed-array form ({dtype, bdata[, shape]}) or a plain list."""
    if isinstance(value, dict) and "bdata" in value:
        import base64

        out = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return out.reshape([int(x) for x in str(value["shape"]).split(",")]) if "shape" in value else out
    return np.asarray(value)


class _Event:
    def __init__(self, selection):
        self.selection = selection


def test_figure_groups_density_overlays_and_labels():
    rng = np.random.default_rng(0)
    xy = rng.normal(size=(500, 2)).astype(np.float32)
    rows = np.arange(500)
    groups = np.array([f"g{i % 25}" for i in range(500)], dtype=object)  # 25 groups: the tail becomes "other"
    order = [f"g{i}" for i in range(25)]
    over = {"xy": xy[:3], "rows": rows[:3], "name": "search matches (3)", "color": "#D62728", "symbol": "diamond",
            "size": 9, "text": ["a", "b", "c"]}
    fig = pool_map_figure(xy, rows, groups=groups, order=order, density=xy, labels=[(0.0, 0.0, "sql · database")],
                          overlays=[over], opacity=0.4, marker_size=3)
    d = fig.to_dict()
    kinds = [t["type"] for t in d["data"]]
    assert kinds[0] == "heatmap" and kinds.count("heatmap") == 1
    points = [t for t in d["data"] if t["type"] == "scattergl" and t["name"] != "search matches (3)"]
    assert len(points) == len(PALETTE) + 1 and points[-1]["name"].startswith(f"{OTHER} (")
    assert len({t["marker"]["color"] for t in points}) == len(points)  # distinct colours, "other" grey
    assert sorted(np.concatenate([_array(t["customdata"]) for t in points]).tolist()) == list(range(500))
    assert all(t["marker"]["opacity"] == 0.4 and t["marker"]["size"] == 3 for t in points)
    heat = d["data"][0]
    z = _array(heat["z"]).astype(float)
    assert np.nansum(np.expm1(z)) == pytest.approx(500)  # log(1 + count) per cell: every point counted once
    assert d["layout"]["annotations"][0]["text"] == "sql · database"
    assert d["data"][-1]["name"] == "search matches (3)" and list(d["data"][-1]["text"]) == ["a", "b", "c"]


def test_figure_numeric_values_and_view():
    xy = np.array([[0, 0], [1, 1], [2, 2]], dtype=np.float32)
    fig = pool_map_figure(xy, np.array([5, 6, 7]), values=np.array([1.0, np.nan, 3.0]), value_name="quality ≈ proxy",
                          view=((0, 1.5), (0, 1.5)))
    d = fig.to_dict()
    names = [t["name"] for t in d["data"]]
    assert names == ["no value", "quality ≈ proxy"]
    assert list(d["layout"]["xaxis"]["range"]) == [0, 1.5]


def test_parse_event_box_lasso_and_click():
    xy = np.array([[0, 0], [1, 1], [2, 2], [3, 0]], dtype=np.float32)
    box = parse_event(_Event({"points": [{"customdata": 1}], "box": [{"x": [0.5, 2.5], "y": [2.5, 0.5]}],
                              "lasso": []}))
    assert region_of(xy, box).tolist() == [1, 2]
    lasso = parse_event(_Event({"points": [], "box": [],
                                "lasso": [{"x": [2.5, 3.5, 3.5, 2.5], "y": [-0.5, -0.5, 0.5, 0.5]}]}))
    assert region_of(xy, lasso).tolist() == [3]
    click = parse_event(_Event({"points": [{"customdata": [2]}], "box": [], "lasso": []}))
    assert click["rows"] == [2] and not click["boxes"] and not click["lassos"]
    assert len({box["signature"], lasso["signature"], click["signature"]}) == 3
    empty = parse_event(_Event({"points": [], "box": [], "lasso": []}))
    assert not (empty["boxes"] or empty["lassos"] or empty["rows"])


def test_drawn_rows_sample_never_exceeds_the_limit():
    in_view = np.arange(10, 1010)
    rows, dense = drawn_rows(in_view, 2000, 30)
    assert not dense and rows is in_view
    rows, dense = drawn_rows(in_view, 100, 30_000)  # a lowered limit caps the sample, whatever DENSITY_SAMPLE is
    assert dense and len(rows) == 100 and len(set(rows.tolist())) == 100 and np.isin(rows, in_view).all()
    again, _ = drawn_rows(in_view, 100, 30_000)
    assert again.tolist() == rows.tolist() == sorted(rows.tolist())  # seeded


def test_signature_keys_the_figure_by_content():
    groups = np.array(["a", "b", "a"], dtype=object)
    base = signature("pool", 4.0, groups, np.arange(3), [("ws", 1)])
    assert base == signature("pool", 4.0, groups.copy(), np.arange(3), [("ws", 1)])  # same content, same key
    assert base != signature("pool", 4.0, np.array(["a", "b", "b"], dtype=object), np.arange(3), [("ws", 1)])
    assert base != signature("pool", 4.0, groups, np.arange(3), [("ws", 2)])
    assert base != signature("pool", 4.5, groups, np.arange(3), [("ws", 1)])
    assert signature(np.arange(3, dtype=np.int64)) != signature(np.arange(3, dtype=np.int32))


def test_region_event_ignores_the_points_list_and_figure_selection_revision():
    # a box is read from its geometry: the (possibly huge) list of points Streamlit also sends is not walked
    ev = parse_event(_Event({"points": [{"customdata": 0}] * 5, "box": [{"x": [0, 1], "y": [0, 1]}], "lasso": []}))
    assert ev["rows"] == [] and len(ev["boxes"]) == 1
    xy = np.zeros((3, 2), dtype=np.float32)
    d = pool_map_figure(xy, np.arange(3), values=np.arange(3.0), selection_revision=2, opacity=0.9,
                        dragmode="pan").to_dict()
    assert d["layout"]["selectionrevision"] == "2" and d["layout"]["dragmode"] == "pan"
    assert d["data"][0]["unselected"]["marker"]["opacity"] == pytest.approx(0.3)  # unselected points stay visible


def test_segments_keep_text_and_code_apart():
    text = "Here is the fix:\n\n```python\ndef f(x):\n    return x\n```\nThen run it.\n~~~\nunclosed"
    parts = segments(text)
    assert parts[0] == ("text", "", "Here is the fix:")
    assert parts[1] == ("code", "python", "def f(x):\n    return x")
    assert parts[2] == ("text", "", "Then run it.\n~~~\nunclosed")
    assert segments("") == []


def test_record_parts_on_the_sample_and_a_chat(sample_path, tmp_path):
    pool = load_pool(sample_path)
    i = next(i for i, r in enumerate(pool.records) if r["input"] and "```" in r["output"]) \
        if any(r["input"] and "```" in r["output"] for r in pool.records) else \
        next(i for i, r in enumerate(pool.records) if r["input"])
    parts, meta = record_parts(pool.records[i], pool.shape)
    assert [h for h, _ in parts] == ["instruction", "input", "output"]
    assert parts[2][1] == pool.records[i]["output"]  # text kept as is (newlines included)
    assert list(meta)[:4] == ["id", "category", "quality", "tags"]  # key fields first
    chat = tmp_path / "chat.jsonl"
    chat.write_text(json.dumps({"id": "c1", "source": "web", "messages": [
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi\nthere"},
        {"role": "assistant", "content": "Hello."}]}) + "\n")
    cp = load_pool(chat)
    parts, meta = record_parts(cp.records[0], cp.shape)
    assert parts == [("system", "Be brief."), ("user", "Hi\nthere"), ("assistant", "Hello.")]
    assert list(meta) == ["id", "source"]


def test_coordinate_columns(tmp_path):
    assert coordinate_fields(["id", "x", "y", "map_x", "map_y"]) == ("map_x", "map_y")
    assert coordinate_fields(["id", "x"]) is None
    recs = [{"x": 1, "y": 2.5}, {"x": -3.0, "y": 0}]
    np.testing.assert_array_equal(coordinates_from_records(recs, "x", "y"), [[1, 2.5], [-3, 0]])
    with pytest.raises(InputError, match=r"line 7, field 'y'"):
        coordinates_from_records([{"x": 1, "y": 2}, {"x": 1, "y": "a"}], "x", "y", file="p.jsonl", lines=[3, 7])
