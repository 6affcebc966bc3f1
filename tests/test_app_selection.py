"""AppTest of the Selection, Compare and Export pages on the bundled sample data (no browser)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("streamlit.testing.v1")
from streamlit.testing.v1 import AppTest  # noqa: E402

APP = Path(__file__).resolve().parents[1] / "app.py"
SELECTION, COMPARE, EXPORT = "pages/5_Selection.py", "pages/6_Compare.py", "pages/7_Export.py"


@pytest.fixture
def served(monkeypatch) -> list:
    """(filename, bytes) of every file the app hands to the browser (download buttons), as Streamlit stores them."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files, load = [], MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        files.append((filename, path_or_data))
        return load(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return files


def _open(page: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def _run_selector(at: AppTest, method: str, budget: int) -> None:
    at.selectbox(key="sel_method").set_value(method)
    at.run()
    at.number_input(key="sel_budget").set_value(budget)
    at.button(key="sel_run").click()
    at.run()
    assert not at.exception, at.exception


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _values(data) -> list:
    """Plotly 7 writes numpy arrays as typed arrays ({"dtype", "bdata", "shape"}); plain lists pass through."""
    if isinstance(data, dict) and "bdata" in data:
        arr = np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
        if "shape" in data:
            arr = arr.reshape([int(x) for x in str(data["shape"]).split(",")])
        return arr.tolist()
    return list(data)


def _trace_names(at: AppTest) -> set[str]:
    return {trace.get("name") for spec in _charts(at) for trace in spec.get("data", [])}


def test_select_compare_export_flow(served):
    at = _open(SELECTION)
    assert not at.error, [e.value for e in at.error]
    _run_selector(at, "random", 20)
    _run_selector(at, "mig", 30)
    assert not at.error, [e.value for e in at.error]

    runs = at.session_state["selections"]
    methods = [sel.method for sel in runs.values()]
    assert methods == ["random", "mig"]
    sizes = [len(sel) for sel in runs.values()]
    assert sizes == [20, 30]
    mig = list(runs.values())[1]
    assert len(set(mig.indices.tolist())) == 30

    # the shown run is the last one: its information curve has one point per pick and never falls
    assert at.selectbox(key="sel_show").value == list(runs)[1]
    curve = next(t for spec in _charts(at) for t in spec["data"] if t.get("name") == "E(S_k)")
    values = _values(curve["y"])
    assert len(values) == 30 and values[0] > 0
    assert all(b >= a - 1e-9 for a, b in zip(values, values[1:]))
    tables = at.dataframe
    assert any(len(t.value) == 30 and "id" in t.value.columns for t in tables)

    at.switch_page(COMPARE)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert sorted(at.multiselect(key="cmp_pick").value) == sorted(runs)
    names = _trace_names(at)
    assert set(runs) <= names  # one coloured map panel / one budget curve per run
    heat = next(t for spec in _charts(at) for t in spec["data"] if t.get("type") == "heatmap")
    z = np.asarray(_values(heat["z"]))
    assert z.shape == (2, 2) and np.allclose(np.diag(z), 1.0) and np.allclose(z, z.T)

    at.switch_page(EXPORT)
    at.run()
    assert not at.exception, at.exception
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert len(buttons) == 2, labels
    assert any("JSONL" in label for label in labels)
    assert any("manifest" in label.lower() for label in labels)
    # the JSONL served is the last run (MIG, 30 picks): its records, in pick order, every original field kept
    sample = [json.loads(line) for line in Path(__file__).resolve().parents[1].joinpath(
        "sample_data", "instructions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    name, data = next((n, d) for n, d in reversed(served) if str(n).endswith(".jsonl"))
    rows = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    assert [r["id"] for r in rows] == [sample[i]["id"] for i in mig.indices]
    assert [r["rank"] for r in rows] == list(range(1, 31)) and {r["selector"] for r in rows} == {"mig"}
    for r in rows:
        original = sample[[s["id"] for s in sample].index(r["id"])]
        assert {k: r[k] for k in original} == original


def test_errors_show_as_messages_and_bandit_trace():
    at = _open(SELECTION)
    _run_selector(at, "random", 10_000_000)
    assert at.error, "expected an error message"
    assert "budget" in at.error[0].value.lower() and "larger than the pool" in at.error[0].value
    assert not at.session_state["selections"]

    # the OT reward needs a reference set: without an upload the run stops with a clear message
    at.selectbox(key="sel_method").set_value("bandit")
    at.run()
    at.selectbox(key="selp:bandit:reward").set_value("ot")
    at.run()
    assert any("reference ✗" in c.value for c in at.caption)
    at.number_input(key="sel_budget").set_value(40)
    at.button(key="sel_run").click()
    at.run()
    assert not at.exception, at.exception
    assert at.error and "reference" in at.error[0].value
    assert not at.session_state["selections"]

    # with the quality reward it runs; its pull trace is drawn (arm against step, coloured by reward)
    at.selectbox(key="selp:bandit:reward").set_value("quality")
    _run_selector(at, "bandit", 40)
    assert not at.error, [e.value for e in at.error]
    sel = next(iter(at.session_state["selections"].values()))
    assert sel.info["reward"] and sel.info["trace"]
    scatter = [t for spec in _charts(at) for t in spec["data"]
               if isinstance(t.get("marker", {}).get("color"), (dict, list))]
    assert any(len(_values(t["x"])) == len(sel.info["trace"]) for t in scatter)


def test_compare_runs_defaults_when_empty():
    at = _open(COMPARE)
    assert not at.get("plotly_chart")
    at.button(key="cmp_defaults").click()
    at.run()
    assert not at.exception, at.exception
    runs = at.session_state["selections"]
    assert len(runs) == 2
    assert {sel.method for sel in runs.values()} == {"mig", "random"}
    assert at.get("plotly_chart")
