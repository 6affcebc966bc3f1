"""AppTest of constraints in the app: keep/drop marks set on the Dataset page are saved in the workspace (a new
session sees them), and the Selection page's Constraints section runs through core.selectors.run with them
(included ids first, excluded ids never), with a column filter and with per-column quotas. Each test has its own
SIFT_HOME (tests/conftest.py); the pool is the 455-record sample."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("streamlit.testing.v1")
from streamlit.testing.v1 import AppTest  # noqa: E402

from core.constraints import allocate  # noqa: E402
from test_app_workspace import _session  # noqa: E402 - a new session (as after a refresh) opened on a page

SELECTION, DATASET = "pages/5_Selection.py", "pages/1_Dataset.py"


def _sample(sample_path) -> list[dict]:
    return [json.loads(line) for line in Path(sample_path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _mark(at: AppTest, record_id: str, which: str) -> None:
    """Open ``record_id`` on the Dataset page and press its "always keep" / "never pick" button."""
    at.selectbox(key="ds_record").set_value(record_id)
    at.run()
    at.button(key=f"ds_marks_one_{which}").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]


def _run(at: AppTest, method: str, budget: int):
    at.selectbox(key="sel_method").set_value(method)
    at.run()
    at.number_input(key="sel_budget").set_value(budget)
    at.button(key="sel_run").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    runs = dict(at.session_state["selections"])
    return runs[at.session_state["sel_show"]]


def _marks_frame(at: AppTest):
    return next(df.value for df in at.dataframe if list(df.value.columns) == ["id", "mark", "instruction"])


def test_marks_are_saved_in_the_workspace_and_listed_after_a_refresh(sample_path):
    at = _session(DATASET)
    _mark(at, "s0005", "keep")
    _mark(at, "s0009", "drop")
    _mark(at, "s0012", "keep")
    _mark(at, "s0012", "clear")

    fresh = _session(DATASET)  # a refresh: a new session reads the workspace
    listed = _marks_frame(fresh)
    assert list(zip(listed["id"], listed["mark"])) == [("s0005", "always keep"), ("s0009", "never pick")]
    sel = _session(SELECTION)
    assert sel.checkbox(key="con_use_marks").label.startswith("Use the keep/drop marks (1 always keep, 1 never pick)")


def test_a_run_with_marks_has_the_kept_ids_first_and_no_dropped_id(sample_path):
    at = _session(DATASET)
    keep, drop = ["s0100", "s0007"], ["s0001", "s0002", "s0003"]
    for rid in keep:
        _mark(at, rid, "keep")
    for rid in drop:
        _mark(at, rid, "drop")
    at.switch_page(SELECTION)
    at.run()
    at.checkbox(key="con_use_marks").check()
    at.run()
    sel = _run(at, "kcenter", 12)
    ids = [r["id"] for r in _sample(sample_path)]
    picked = [ids[i] for i in sel.indices]
    assert picked[:2] == keep and len(picked) == 12
    assert not set(picked) & set(drop)
    recorded = sel.params["constraints"]
    assert recorded["include_ids"] == keep and recorded["exclude_ids"] == drop
    said = [c.value.replace("\\", "") for c in at.caption]  # captions are Markdown-escaped
    assert any("Constraints: 2 records kept first; 3 records never picked." in c for c in said)

    from core.workspace import open_workspace

    stored, = open_workspace().runs()  # the workspace run (what Export's manifest repeats) keeps them
    assert stored.params["constraints"]["include_ids"] == keep


def test_a_column_filter_restricts_the_picks(sample_path):
    at = _session(SELECTION)
    at.selectbox(key="con_column").set_value("category")
    at.run()
    at.selectbox(key="con_value").set_value("maths")
    at.run()
    sel = _run(at, "kcenter", 9)
    records = _sample(sample_path)
    assert len(sel) == 9 and {records[i]["category"] for i in sel.indices} == {"maths"}
    assert sel.params["constraints"]["where"] == ["category=maths"]
    said = [c.value.replace("\\", "") for c in at.caption]
    assert any("only where category=maths" in c for c in said)
    assert any("This run was constrained, the random draws are not" in c for c in said)  # baseline's caveat


@pytest.mark.parametrize("mode", ["proportional", "equal"])
def test_quotas_give_the_per_stratum_counts(sample_path, mode):
    at = _session(SELECTION)
    at.selectbox(key="con_per").set_value("category")
    at.run()
    at.radio(key="con_per_mode").set_value(mode)
    at.run()
    budget = 40
    sel = _run(at, "random", budget)
    cats = [r.get("category") or "(missing)" for r in _sample(sample_path)]
    strata = sorted(set(cats))
    sizes = Counter(cats)
    want = dict(zip(strata, allocate([sizes[s] for s in strata], budget, mode)))
    got = Counter(cats[i] for i in sel.indices)
    assert {s: got.get(s, 0) for s in strata} == want
    assert sel.params["constraints"]["per"] == "category" and sel.params["constraints"]["per_mode"] == mode
    assert any(f"quotas per category ({mode})" in c.value.replace("\\", "") for c in at.caption)


def test_a_subset_restricts_the_candidates_and_can_be_marked(sample_path):
    import numpy as np

    at = _session(SELECTION)
    rows = np.arange(10, 40, dtype=np.int64)
    at.session_state["working_subset"] = {"indices": rows, "origin": "test rows 10..39"}
    at.run()
    at.selectbox(key="con_subset").set_value("working subset (this session)")
    at.run()
    sel = _run(at, "kcenter", 8)
    assert len(sel) == 8 and set(sel.indices.tolist()) <= set(rows.tolist())
    assert sel.params["constraints"]["subset"] == "working subset (this session)"

    at.button(key="con_subset_marks_drop").click()  # mark the whole subset "never pick"
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    label = at.checkbox(key="con_use_marks").label
    assert label.startswith("Use the keep/drop marks (0 always keep, 30 never pick)"), label


def test_workspace_marks_are_per_pool_one_per_record_and_checked(tmp_path, sample_path):
    from core.data import load_pool
    from core.errors import SiftError
    from core.workspace import Workspace, pool_entry

    ws = Workspace(tmp_path / "home")
    sample = pool_entry(load_pool(sample_path))
    other = {**sample, "sha256": "0" * 64}  # another file
    assert ws.set_marks(sample, ["s0001", "s0002"], "keep") == 2
    assert ws.set_marks(sample, ["s0002"], "drop") == 1  # a record has one mark: the last one set
    assert ws.set_marks(sample, ["s0002"], "drop") == 0  # unchanged
    assert ws.set_marks(other, ["s0001"], "drop") == 1
    assert ws.marks(sample) == {"s0001": "keep", "s0002": "drop"}
    assert Workspace(tmp_path / "home").marks(other) == {"s0001": "drop"}  # reopened: still there
    assert ws.set_marks(sample, ["s0001", "s0404"], None) == 1 and ws.marks(sample) == {"s0002": "drop"}
    with pytest.raises(SiftError, match="a mark is one of keep, drop"):
        ws.set_marks(sample, ["s0001"], "maybe")
