"""Quality provenance: a proxy is never re-loaded as a score, quality selectors warn on the proxy, and the
proxy's truncation and repetition components move the score the right way."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import numpy as np
import pytest

from core import selectors
from core.cli import main
from core.data import load_pool
from core.features import QUALITY, Features
from core.quality import (PROXY_COLUMN, proxy_components, proxy_quality, proxy_score, quality_column, quality_for,
                          quality_source, quality_warning)

N_SAMPLE = 60  # the sample's first records: enough for every selector, cheap to embed


@pytest.fixture(scope="module")
def pools(tmp_path_factory, sample_path):
    """The sample's first records as they are (with their quality column) and with the quality field removed."""
    root = tmp_path_factory.mktemp("prov")
    rows = [json.loads(line) for line in sample_path.read_text(encoding="utf-8").splitlines()[:N_SAMPLE]]
    assert all(isinstance(r.get("quality"), float) for r in rows)
    real = root / "real.jsonl"
    real.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    bare = root / "bare.jsonl"
    bare.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "quality"}, ensure_ascii=False) + "\n"
                            for r in rows), encoding="utf-8")
    return root, real, bare, rows


@pytest.fixture(autouse=True)
def private_cache(pools, monkeypatch):
    monkeypatch.setenv("SIFT_CACHE_DIR", str(pools[0] / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def _read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_cli_export_of_a_proxy_run_reloads_as_proxy(pools, capsys, fmt):
    root, _, bare, _ = pools
    out = root / f"proxy_topk.{fmt}"
    assert main(["select", str(bare), "--method", "quality_topk", "--budget", "10", "--labels", "none",
                 "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "heuristic proxy" in err
    manifest = json.loads((root / f"proxy_topk.manifest.json").read_text())
    assert manifest["extra"]["quality_source"] == "proxy" and manifest["extra"]["quality_is_proxy"] is True
    assert manifest["extra"]["info"]["quality_source"] == "proxy"
    assert PROXY_COLUMN in manifest["added_columns"] and "quality" not in manifest["added_columns"]

    again = load_pool(out)
    assert PROXY_COLUMN in again.fields and "quality" not in again.fields
    assert again.quality is None  # the proxy column is not read as quality ...
    result = quality_for(again)
    assert result.source == "proxy" and result.is_proxy  # ... so the re-loaded pool is on the proxy again
    # the proxy is recomputed from the same texts: the same values as the exported column
    exported = [float(r[PROXY_COLUMN]) for r in again.records]  # CSV cells are text, JSONL values numbers
    np.testing.assert_allclose(result.values, exported)
    # mapped explicitly, the column still says where it came from
    mapped = load_pool(out, columns={"quality": PROXY_COLUMN})
    assert mapped.quality is not None and quality_for(mapped).source == "proxy"


def test_cli_compare_warns_per_quality_selector_on_the_proxy(pools, capsys):
    _, real, bare, _ = pools
    assert main(["compare", str(bare), "--methods", "random,quality_topk,kcenter", "--budget", "5",
                 "--labels", "none", "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["quality_source"] == "proxy"
    warnings = [line for line in out.err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and selectors.get("quality_topk").label in warnings[0]
    assert main(["compare", str(real), "--methods", "random,quality_topk", "--budget", "5", "--labels", "none",
                 "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["quality_source"] == "column" and "warning:" not in out.err


def test_cli_export_with_real_quality_reloads_as_real_quality(pools, capsys):
    root, real, _, rows = pools
    out = root / "real_topk.jsonl"
    assert main(["select", str(real), "--method", "quality_topk", "--budget", "10", "--labels", "none",
                 "-o", str(out)]) == 0
    assert "warning:" not in capsys.readouterr().err
    manifest = json.loads((root / "real_topk.manifest.json").read_text())
    assert manifest["extra"]["quality_source"] == "column" and manifest["extra"]["info"]["quality_source"] == "column"
    again = load_pool(out)
    result = quality_for(again)
    assert result.source == "column" and not result.is_proxy
    by_id = {r["id"]: r["quality"] for r in rows}
    assert result.values.tolist() == [by_id[i] for i in again.ids]
    assert sorted(by_id.values(), reverse=True)[:10] == result.values.tolist()  # top-k of the real scores


def _features(pool) -> Features:
    q = quality_for(pool)
    return Features(n=len(pool), quality=q.values, quality_is_proxy=q.is_proxy, extra={"quality": q})


def test_app_export_of_a_proxy_run_reloads_as_proxy(pools):
    from ui import export_view as ev

    root, _, bare, _ = pools
    pool = load_pool(bare)
    feats = _features(pool)
    sel = selectors.run("quality_topk", feats, 8)
    assert sel.info["quality_source"] == "proxy"
    export = ev.export_files(pool, ev.app_record(pool, feats, "quality_topk #1", sel), feats, "jsonl")
    assert export["manifest"]["extra"]["quality_source"] == "proxy"
    path = root / "app_proxy.jsonl"
    path.write_bytes(export["data"])
    again = load_pool(path)
    assert again.quality is None and quality_for(again).is_proxy
    written = [r[PROXY_COLUMN] for r in _read_jsonl(path)]
    np.testing.assert_allclose(written, feats.quality[sel.indices])
    assert all("quality" not in r for r in _read_jsonl(path))


def test_app_export_with_real_quality_reloads_as_real_quality(pools):
    from ui import export_view as ev

    root, real, _, rows = pools
    pool = load_pool(real)
    feats = _features(pool)
    sel = selectors.run("quality_topk", feats, 8)
    export = ev.export_files(pool, ev.app_record(pool, feats, "quality_topk #1", sel), feats, "csv")
    assert export["manifest"]["extra"]["quality_source"] == "column"
    path = root / "app_real.csv"
    path.write_bytes(export["data"])
    again = load_pool(path)
    assert quality_for(again).source == "column"
    np.testing.assert_allclose(again.quality, feats.quality[sel.indices])


def test_quality_column_names():
    assert quality_column("proxy") == PROXY_COLUMN
    assert quality_column("column") == quality_column("deita") == "quality"


QUESTION = "Explain how vaccines train the immune system."
COMPLETE = ("Vaccines expose the immune system to a harmless piece or weakened form of a pathogen. B cells learn "
            "to make antibodies against it and memory cells remain, so a later infection is recognised and fought "
            "off quickly. T cells are trained as well, and boosters refresh the memory over time.")


def test_truncated_response_scores_below_the_complete_one():
    cut = COMPLETE[: COMPLETE.index("and boosters") + len("and boosters")]  # stops mid-sentence
    assert proxy_components(QUESTION, cut)["truncated"] == 1.0
    assert proxy_components(QUESTION, COMPLETE)["truncated"] == 0.0
    assert proxy_score(QUESTION, cut) < proxy_score(QUESTION, COMPLETE)
    fence_open = "Here is the code:\n```python\ndef add(a, b):\n    return a + b\n"
    fence_closed = fence_open + "```\nIt returns the sum."
    assert proxy_score("Write a function that adds two numbers.", fence_open) < \
        proxy_score("Write a function that adds two numbers.", fence_closed)
    # short label answers and code without punctuation are not called truncated
    assert proxy_components("Is this review positive or negative? 'Great film'", "positive")["truncated"] == 0.0
    code = "def primes(n):\n    out = []\n    for k in range(2, n):\n        if all(k % d for d in out):\n" \
           "            out.append(k)\n    return out"
    assert proxy_components("Write a Python function returning the primes below n.", code)["truncated"] == 0.0


def test_repetitive_response_scores_below_the_varied_one():
    looped = " ".join(["Vaccines train the immune system by exposing it to a harmless piece of a pathogen."] * 6)
    lines = "\n".join(["The immune system learns from the vaccine."] * 8)
    assert proxy_components(QUESTION, COMPLETE)["repetition"] == 0.0
    assert proxy_components(QUESTION, looped)["repetition"] == 1.0
    assert proxy_score(QUESTION, looped) < proxy_score(QUESTION, COMPLETE)
    assert proxy_score(QUESTION, lines) < proxy_score(QUESTION, COMPLETE)


def test_length_reward_saturates():
    longer = COMPLETE + " " + ("Adjuvants strengthen the response, and herd immunity protects people who "
                               "cannot be vaccinated, such as newborns, because the pathogen finds fewer hosts.")
    longest = longer + " " + longer.replace("Vaccines", "In short, vaccines")
    length = [proxy_components(QUESTION, t)["length"] for t in ("Vaccines train immunity.", COMPLETE, longer,
                                                                  longest)]
    assert length[0] < length[1] < length[2] == length[3] == 1.0  # more words past ~60 earn nothing more


def test_selector_warning_on_the_proxy_only(pools):
    _, real, bare, _ = pools
    proxy_feats, real_feats = _features(load_pool(bare)), _features(load_pool(real))
    quality_driven = [n for n in selectors.names() if QUALITY in selectors.get(n).required(
        selectors.get(n).defaults())]
    assert {"quality_topk", "deita", "qdit", "car", "kmq"} <= set(quality_driven)
    for name in quality_driven:
        needs = selectors.get(name).required(selectors.get(name).defaults())
        assert "proxy" in (quality_warning(needs, proxy_feats, name) or "")
        assert quality_warning(needs, real_feats, name) is None
    for name in ("random", "kcenter"):
        spec = selectors.get(name)
        assert quality_warning(spec.required(spec.defaults()), proxy_feats, name) is None
    assert "quality_source" not in selectors.run("random", proxy_feats, 5).info


def test_proxy_on_the_mixed_pool_is_less_about_length(pool_mixed_path):
    """On the real mixed pool the proxy is no longer a length ranking: top-1000 spreads over sources."""
    from scipy.stats import spearmanr

    pool = load_pool(pool_mixed_path)
    values = proxy_quality(pool.instructions, pool.responses)
    words = np.array([len(r.split()) for r in pool.responses])
    assert spearmanr(values, words).correlation < 0.9
    top = selectors.run("quality_topk", Features(n=len(pool), quality=values, quality_is_proxy=True), 1000).indices
    share = collections.Counter(pool.records[i]["source"] for i in top).most_common(1)[0][1] / 1000
    assert share < 0.5


def test_app_marks_the_proxy_on_dataset_selection_and_export(pools):
    """The app on a pool without quality: Dataset says so, the Selection page warns before and after a quality
    run (and not for random), the Export page names the column quality_proxy."""
    from streamlit.testing.v1 import AppTest  # a requirement: a broken install fails here, it does not skip

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=240)
    at.session_state["src_kind"] = "File path"
    at.session_state["src_path"] = str(pools[2])
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert {m.label: m.value for m in at.metric}["With quality"] == "none · ≈ proxy"

    at.switch_page("pages/5_Selection.py")
    at.run()
    at.selectbox(key="sel_method").set_value("random")
    at.run()
    assert not any("heuristic proxy" in w.value for w in at.warning)
    at.selectbox(key="sel_method").set_value("quality_topk")
    at.run()
    assert any("quality ≈ proxy" in c.value for c in at.caption)
    assert any("heuristic proxy" in w.value for w in at.warning)
    at.number_input(key="sel_budget").set_value(10)
    at.button(key="sel_run").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    run = list(at.session_state["selections"].values())[-1]
    assert run.method == "quality_topk" and run.info["quality_source"] == "proxy"
    assert any("ranked by the heuristic quality proxy" in w.value for w in at.warning)

    at.switch_page("pages/7_Export.py")
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("quality_proxy" in c.value for c in at.caption)
