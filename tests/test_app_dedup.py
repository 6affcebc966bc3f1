"""AppTest of the duplicates view (Dataset page), the Novelty page's two factors, and the sidebar dedup toggle."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("streamlit.testing.v1")
from streamlit.testing.v1 import AppTest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
SAMPLE = REPO / "sample_data" / "instructions.jsonl"
NOVELTY, SELECTION = "pages/4_Novelty.py", "pages/5_Selection.py"


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.fixture(scope="module")
def dups():
    from core.data import load_pool
    from core.dedup import pool_duplicates

    return pool_duplicates(load_pool(SAMPLE))


def test_dataset_page_duplicates_section(dups):
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    _ok(at)
    assert any(e.label.startswith("Duplicates") for e in at.expander)
    metrics = {m.label: m.value for m in at.metric}
    for kind in ("exact", "near", "template"):
        assert metrics[f"{kind.capitalize()} groups"] == f"{dups.by_kind[kind]['groups']:,}"
    assert metrics["Dropped by keep-one"] == f"{dups.dropped:,}"
    assert dups.n_groups > 0
    frame = next(d.value for d in at.dataframe if "kept id" in d.value.columns)
    assert frame["records"].tolist() == sorted(frame["records"].tolist(), reverse=True)
    assert int(frame["records"].iloc[0]) == int(dups.sizes.max())
    assert any("Keep-one rule" in c.value for c in at.caption)


def test_novelty_page_shows_both_factors():
    from core.embed import embed_texts
    from core.metrics import density, novelty

    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.switch_page(NOVELTY)
    at.run()
    _ok(at)
    assert any("larger in crowded regions" in m.value for m in at.markdown)
    assert not any("sparse region" in m.value for m in list(at.markdown) + list(at.caption))
    table = at.dataframe[0].value
    assert {"novelty v_i", "distance factor d_i", "density factor rho_i"} <= set(table.columns)
    assert np.allclose(table["distance factor d_i"] * table["density factor rho_i"], table["novelty v_i"])
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    X = embed_texts([r["instruction"] + ("\n\n" + r["input"] if r.get("input") else "") for r in records])
    rho = density(X)
    v = np.asarray(novelty(X, densities=rho))
    top = int(np.argmax(v))
    assert table["id"].iloc[0] == records[top]["id"]
    assert table["density factor rho_i"].iloc[0] == pytest.approx(float(rho[top]), rel=1e-5)
    assert table["distance factor d_i"].iloc[0] == pytest.approx(float(v[top] / rho[top]), rel=1e-5)
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert any("Distance factor" in t and "density factor" in t for t in titles)


def test_dominant_group_flags_one_group_over_the_share():
    from core.dedup import find_duplicates
    from ui.dedup_view import dominant_group

    pre = ("You are a helpful travel agent. Answer in two sentences and mention one museum and one park in the "
           "city that the traveller names below.\n")
    texts = [pre + c for c in ("Paris", "Rome", "Oslo", "Lima", "Cairo", "Quito")] + \
            [f"Distinct question number {w} about {w} things" for w in ("one", "two", "three", "four", "five")]
    d = find_duplicates(texts)
    assert d.n_groups == 1
    ranked = np.array([0, 6, 1, 2, 7, 8, 9, 10, 3, 4, 5])
    found = dominant_group(d, ranked, top=5, share=0.2)
    assert found is not None and found["count"] == 3 and found["template"].startswith("You are a helpful travel")
    assert found["in_groups"] == 3 and found["groups"] == 1 and found["share"] == pytest.approx(0.6)
    assert dominant_group(d, ranked[::-1][:6], top=6, share=0.5) is None  # 3 of 6 is not above one half


def test_sidebar_dedup_toggle_restricts_selection_candidates(dups):
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.switch_page(SELECTION)
    at.run()
    at.toggle(key="sel_dedup").set_value(True)
    at.run()
    at.selectbox(key="sel_method").set_value("random")
    at.run()
    budget = dups.n - dups.dropped
    at.number_input(key="sel_budget").set_value(budget)
    at.button(key="sel_run").click()
    at.run()
    _ok(at)
    sel = next(iter(at.session_state["selections"].values()))
    assert sorted(sel.indices.tolist()) == dups.keep().tolist()
    assert sel.info["dedup"]["dropped"] == dups.dropped
    groups = [int(dups.group[i]) for i in sel.indices if dups.group[i] >= 0]
    assert len(groups) == len(set(groups))
