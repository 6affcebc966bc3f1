"""AppTest of the app skeleton and the Dataset, Map, Label graph and Novelty pages on the bundled sample data.

One app session (module fixture) pays the cold start once (embedding, labels, UMAP, numba JIT); the tests then
walk its pages in order, as a user would, and check what the pages show against values computed here.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("streamlit.testing.v1")
from streamlit.testing.v1 import AppTest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
SAMPLE = REPO / "sample_data" / "instructions.jsonl"
DATASET, MAP, LABELS, NOVELTY = "pages/1_Dataset.py", "pages/2_Map.py", "pages/3_Label_graph.py", "pages/4_Novelty.py"


def _records() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _array(value) -> np.ndarray:
    """A plotly figure array from the JSON spec (plotly 6+ sends numpy arrays as base64 typed arrays)."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
    return np.asarray(value)


def _caption_with(at: AppTest, text: str) -> str:
    found = [c.value for c in at.caption if text in c.value]
    assert found, (text, [c.value for c in at.caption])
    return found[0]


@pytest.fixture(scope="module")
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    _ok(at)
    return at


def test_dataset_page_shows_the_sample(app):
    records = _records()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Records"] == f"{len(records):,}"
    assert metrics["Fields"] == str(len({k for r in records for k in r}))
    assert metrics["With tags"] == f"{sum(1 for r in records if r.get('tags')):,}"
    assert "alpaca" in _caption_with(app, "Shape detected")
    assert f"**{len(records):,}** records" in app.sidebar.caption[0].value
    # the table holds every record (the sample is under the display limit)
    assert len(app.dataframe[0].value) == len(records)


def test_dataset_search_filters_and_record_detail(app):
    records = _records()

    def text(r):
        inst = r["instruction"] + ("\n\n" + r["input"] if r.get("input") else "")
        return (inst + "\n" + r["output"]).lower()

    expected = [r["id"] for r in records if "python" in text(r)]
    assert 0 < len(expected) < len(records)
    app.text_input(key="ds_search").input("Python").run()
    _ok(app)
    assert f"**{len(expected):,}** of {len(records):,} records match" in _caption_with(app, "records match")
    assert app.dataframe[0].value["id"].tolist() == expected
    # the record selector offers the matches; the detail shows every original field of the chosen record
    pick = expected[-1]
    app.selectbox(key="ds_record").set_value(pick).run()
    _ok(app)
    shown = json.loads(app.json[0].value)
    assert shown == next(r for r in records if r["id"] == pick)
    app.text_input(key="ds_search").input("").run()


def test_map_page_colours_and_picker(app):
    app.switch_page(MAP)
    app.run()
    _ok(app)
    n = len(_records())
    select = app.selectbox(key="map_color")
    assert {"cluster", "label", "category", "quality", "novelty"} <= set(select.options)
    spec = _charts(app)[0]
    rows = sorted(int(i) for t in spec["data"] for i in _array(t["customdata"]))
    assert rows == list(range(n))  # every row on the map, once, identified by customdata
    assert all(t["type"] == "scattergl" for t in spec["data"])
    for choice in ("label", "category", "quality", "novelty"):
        app.selectbox(key="map_color").set_value(choice).run()
        _ok(app)
    names = {t["name"] for t in _charts(app)[0]["data"]}
    assert "novelty v_i" in names
    # hover text is escaped: no raw '<' from the data reaches plotly (only our own <br>/<b> tags)
    hover = [h for t in _charts(app)[0]["data"] for h in t["text"]]
    stripped = [re.sub(r"</?b>|<br>", "", h) for h in hover]
    assert not any("<" in h for h in stripped)

    # a selector run kept in the session colours the map: picked vs not picked
    from core.selection import Selection

    picked = np.arange(0, n, 7)
    app.session_state["selections"] = {"random k=%d #1" % len(picked): Selection(picked, np.zeros(len(picked)),
                                                                               "random")}
    app.run()
    choice = f"picked by random k={len(picked)} #1"
    assert choice in app.selectbox(key="map_color").options
    app.selectbox(key="map_color").set_value(choice).run()
    _ok(app)
    traces = {t["name"]: t for t in _charts(app)[0]["data"]}
    assert sorted(_array(traces[f"picked ({len(picked)})"]["customdata"]).tolist()) == picked.tolist()

    # the no-mouse picker: cluster 0 becomes the working subset, listed, measured and exportable
    app.selectbox(key="map_color").set_value("cluster").run()
    label = app.multiselect(key="map_pick_clusters").format_func(0)
    size = int(re.search(r"\(([\d,]+)\)", label).group(1).replace(",", ""))
    app.multiselect(key="map_pick_clusters").select(0).run()
    app.button(key="map_pick_apply").click().run()
    _ok(app)
    subset = app.session_state["working_subset"]["indices"]
    assert len(subset) == size
    assert any(f"Working subset: {size:,} records" in h.value for h in app.subheader)
    measures = app.dataframe[-1].value
    novelsum = measures.loc[measures["metric"] == "NovelSum"].iloc[0]
    assert np.isfinite(novelsum["subset"]) and np.isfinite(novelsum["pool"])
    assert {b.label for b in app.get("download_button")} >= {"JSONL", "CSV", "Manifest"}


def test_label_graph_page_threshold_search_and_records(app):
    app.switch_page(LABELS)
    app.run()
    _ok(app)

    def edges() -> int:
        found = re.search(r"([\d,]+) (edges?) at T", _caption_with(app, " at T = "))
        count = int(found.group(1).replace(",", ""))
        assert found.group(2) == ("edge" if count == 1 else "edges")  # "1 edge", never "1 edges"
        return count

    records = _records()
    vocabulary = {t for r in records for t in r["tags"]}
    assert f"{len(vocabulary):,} labels" in _caption_with(app, " at T = ")
    # the default is auto: the page shows the T it resolved to and the rule
    assert any(m.value.startswith("**T = ") and "auto" in m.value for m in app.markdown)

    def drawn_edges() -> int:
        spec = next(c for c in _charts(app) if any(t.get("name") == "edges" for t in c["data"]))
        trace = next(t for t in spec["data"] if t.get("name") == "edges")
        assert trace["mode"] == "lines"
        return int(np.count_nonzero(~np.isnan(_array(trace["x"]).astype(float)))) // 2

    # the exact edge count at each T, computed here from the sample's label embeddings (core.label_graph)
    from core.label_graph import LabelGraph
    from core.pipeline import build_features
    from core.data import load_pool

    graph = build_features(load_pool(SAMPLE)).graph  # embeddings come from the on-disk cache the app filled

    def expected(t) -> int:
        return LabelGraph.from_embeddings(graph.labels, graph.embeddings, t, model=graph.model).n_edges

    at_auto, at_strict, at_loose = expected("auto"), expected(0.9), expected(0.7)
    assert at_strict < at_loose  # so each step below can only pass if the page really moved T
    auto_edges = edges()
    assert auto_edges == at_auto > 0 and drawn_edges() > 0
    # the page follows the sidebar threshold (one T for the page and the selectors)
    app.session_state["graph_threshold"] = 0.9
    app.run()
    _ok(app)
    strict = edges()
    assert strict == at_strict and drawn_edges() <= strict
    # the page's own control sets the sidebar value
    app.select_slider(key="lg_threshold").set_value(0.7).run()
    _ok(app)
    assert app.session_state["graph_threshold"] == 0.7
    assert edges() == at_loose
    # a selector run colours the labels it covers
    name = next(iter(app.session_state["selections"]))
    sel = app.session_state["selections"][name]
    app.selectbox(key="lg_cover").set_value(name).run()
    _ok(app)
    covered = {t for i in sel.indices for t in records[i]["tags"]}
    from ui.text import escape_md  # run names go through escape_md in Markdown captions

    assert f"{escape_md(name)} covers {len(covered):,} of {len(vocabulary):,} labels" in _caption_with(app, " at T = ")
    app.selectbox(key="lg_cover").set_value("working subset").run()
    _ok(app)
    assert "working subset covers" in _caption_with(app, " at T = ")
    # search highlights a label and lists its neighbours
    label = "python programming"
    assert label in vocabulary
    app.text_input(key="lg_search").input("python prog").run()
    _ok(app)
    assert any("python programming" in m.value and "neighbour" in m.value for m in app.markdown)
    # picking a label lists exactly the records that carry it
    app.selectbox(key="lg_pick").set_value(label).run()
    _ok(app)
    expected = [r["id"] for r in records if label in r["tags"]]
    assert app.dataframe[-1].value["id"].tolist() == expected


def test_novelty_page_values_and_inspector(app):
    from core.embed import embed_texts
    from core.metrics import novelsum

    app.switch_page(NOVELTY)
    app.run()
    _ok(app)
    records = _records()
    texts = [r["instruction"] + ("\n\n" + r["input"] if r.get("input") else "") for r in records]
    X = embed_texts(texts)  # on-disk cache: the app embedded the same texts
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["NovelSum of the pool"] == f"{novelsum(X):.4f}"
    assert metrics["Records evaluated"] == f"{len(records):,}"
    assert len(_charts(app)) == 3  # the distance-vs-density scatter and the two histograms

    # inspector: the nearest neighbours of the chosen record, by cosine over the whole pool
    pick = app.selectbox(key="nv_record").options[3]
    app.selectbox(key="nv_record").select_index(3).run()
    _ok(app)
    row = next(i for i, r in enumerate(records) if r["id"] in pick.split(" · ")[1])
    sims = X @ X[row]
    sims[row] = -np.inf
    table = app.dataframe[-1].value
    assert table["id"].iloc[0] == records[int(np.argmax(sims))]["id"]
    assert table["cosine"].iloc[0] == pytest.approx(float(sims.max()), abs=1e-5)
    assert list(table["cosine"]) == sorted(table["cosine"], reverse=True)

    app.radio(key="nv_end").set_value("least novel (most redundant)").run()
    _ok(app)
    # the button hands over to the Map page, coloured by novelty
    app.button(key="nv_to_map").click().run()
    _ok(app)
    assert app.selectbox(key="map_color").value == "novelty"


def test_bad_file_is_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"instruction": "a", "output": "b"}\n{"instruction": 3, "output": "c"}\n', encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["src_kind"] = "File path"
    at.session_state["src_path"] = str(bad)
    at.run()
    assert not at.exception
    message = at.error[0].value
    assert "bad.jsonl" in message and "line 2" in message and "field 'instruction'" in message

    at.session_state["src_lenient"] = True
    at.run()
    assert not at.exception and not at.error
    assert {m.label: m.value for m in at.metric}["Records"] == "1"
    assert at.warning[0].value.startswith("1 line was skipped (lenient mode)"), at.warning[0].value


def _file_app(path: Path) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    at.session_state["src_kind"] = "File path"
    at.session_state["src_path"] = str(path)
    at.run()
    _ok(at)
    return at


def test_tiny_pool_without_tags_or_quality_degrades_to_messages(tmp_path):
    """A 5-row prompt/response CSV: no tags, no quality, too few records for NovelSum's 10 neighbours."""
    from core.selection import Selection

    csv = tmp_path / "tiny.csv"
    csv.write_text("prompt,response\nhello there,hi\nwhat is 2+2,4\nname a colour,blue\nsay yes,yes\n"
                   "write a haiku,leaves fall\n", encoding="utf-8")
    at = _file_app(csv)
    at.switch_page(NOVELTY)
    at.run()
    _ok(at)  # an explanation, not an error or a traceback
    assert any("not available for this pool" in i.value for i in at.info)
    at.session_state["selections"] = {"random k=3 #1": Selection(np.array([0, 1, 2]), np.zeros(3), "random"),
                                      "random k=3 #2": Selection(np.array([2, 3, 4]), np.zeros(3), "random")}
    at.switch_page("pages/6_Compare.py")
    at.run()
    _ok(at)  # NovelSum's budget curve cannot be drawn: said so, the rest of the page stands
    assert any("NovelSum cannot be drawn" in i.value for i in at.info)
    assert any(t.get("type") == "heatmap" for c in _charts(at) for t in c["data"])
    at.switch_page("pages/7_Export.py")
    at.run()
    _ok(at)  # exports do not need per-sample novelty
    assert len(at.get("download_button")) == 2


def test_dataset_text_is_never_rendered_as_markdown_or_html(tmp_path):
    link, image = "[t](http://example.com)", "![x](http://127.0.0.1:9/i.png)"
    rows = [{"id": f"{image}{i}", "instruction": f"<b>bold</b> {link} question {i} " + f"word{i} " * 5,
             "output": "ok", "category": f"<i>cat</i>{image}", "tags": [link, "<img src=x>", f"t{i % 3}"]}
            for i in range(30)]
    pool = tmp_path / "evil.jsonl"
    pool.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    at = _file_app(pool)

    def rendered() -> list[str]:
        return [el.value for kind in ("markdown", "caption", "info", "warning", "error")
                for el in at.get(kind)]

    def assert_inert() -> None:
        for text in rendered():
            assert "](" not in text and "<i>" not in text and "<img" not in text, text
        for chart in _charts(at):
            for trace in chart["data"]:
                assert "<i>" not in str(trace.get("name", "")) and "<img" not in str(trace.get("name", "")), trace

    at.switch_page(MAP)
    at.run()
    for choice in ("category", "label"):
        at.selectbox(key="map_color").set_value(choice).run()
        _ok(at)
        assert_inert()
    at.radio(key="map_pick_kind").set_value("labels").run()
    at.multiselect(key="map_pick_labels").select(link).run()
    at.button(key="map_pick_apply").click().run()
    _ok(at)
    assert_inert()  # the working subset's origin names the label
    at.switch_page(LABELS)
    at.run()
    at.text_input(key="lg_search").input("t").run()
    at.selectbox(key="lg_pick").set_value(link).run()
    _ok(at)
    assert_inert()
    at.switch_page(NOVELTY)
    at.run()
    _ok(at)
    assert_inert()
