"""AppTest of the app's workspace: a run made in the app is there for a new session (a refresh) and for
``python -m core runs list``; a CLI run shows up in the app; runs are renamed and deleted from the Export page;
switching datasets keeps each dataset's runs; the dataset and settings are kept in the URL (a refresh reopens the
user's file, not the sample). Each test has its own SIFT_HOME (tests/conftest.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("streamlit.testing.v1")
from streamlit.testing.v1 import AppTest  # noqa: E402

from core.cli import main  # noqa: E402

APP = Path(__file__).resolve().parents[1] / "app.py"
SELECTION, EXPORT, DATASET = "pages/5_Selection.py", "pages/7_Export.py", "pages/1_Dataset.py"


def _session(page: str, query: dict | None = None) -> AppTest:
    """A new browser session (as after a refresh or a server restart) opened on ``page``."""
    at = AppTest.from_file(str(APP), default_timeout=180)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def _runs(at: AppTest) -> dict:
    return dict(at.session_state["selections"]) if "selections" in at.session_state else {}


def _cli_runs(capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["runs", "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_app_run_survives_a_new_session_and_is_listed_by_the_cli(capsys, sample_path, tmp_path):
    at = _session(SELECTION)
    at.selectbox(key="sel_method").set_value("kcenter")
    at.run()
    at.number_input(key="sel_budget").set_value(14)
    at.button(key="sel_run").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (name, sel), = _runs(at).items()
    listed = _cli_runs(capsys)
    assert [(r["name"], r["origin"], r["method"], r["picks"]) for r in listed] == [(name, "app", "kcenter", 14)]
    assert name == f"kcenter k=14 #{listed[0]['id']}"

    # a CLI run of the same pool, then a new session: both runs, the app's pick order unchanged
    assert main(["select", str(sample_path), "--method", "random", "--budget", "6", "-o",
                 str(tmp_path / "r.jsonl")]) == 0
    again = _session(EXPORT)
    runs = _runs(again)
    assert list(runs) == [name, "random k=6 #2"]
    assert runs[name].indices.tolist() == sel.indices.tolist()
    assert not again.exception and not again.error, [e.value for e in again.error]
    assert any("Workspace run" in c.value for c in again.caption)

    # rename and delete from the Export page reach the workspace (and so the CLI)
    again.selectbox(key="exp_runs_which").set_value(name)
    again.text_input(key="exp_runs_name").set_value("my k-center")
    again.run()
    again.button(key="exp_runs_rename").click()
    again.run()
    assert [r["name"] for r in _cli_runs(capsys)] == ["my k-center", "random k=6 #2"]
    again.selectbox(key="exp_runs_which").set_value("random k=6 #2")
    again.button(key="exp_runs_delete").click()
    again.run()
    assert [r["name"] for r in _cli_runs(capsys)] == ["my k-center"]
    assert list(_runs(_session(EXPORT))) == ["my k-center"]


def test_dataset_in_the_url_and_runs_kept_per_dataset(capsys, sample_path, tmp_path):
    mine = tmp_path / "mine.jsonl"
    shutil.copy(sample_path, mine)
    lines = mine.read_text(encoding="utf-8").splitlines()[:120]
    mine.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["select", str(mine), "--method", "random", "--budget", "5", "-o", str(tmp_path / "a.jsonl")]) == 0
    assert main(["select", str(sample_path), "--method", "random", "--budget", "7", "-o",
                 str(tmp_path / "b.jsonl")]) == 0

    at = _session(DATASET, {"file": str(mine), "lenient": "1"})  # a refresh of a page showing the user's file
    assert at.session_state["src_kind"] == "File path" and at.session_state["src_path"] == str(mine)
    assert at.session_state["src_lenient"] is True
    assert any("mine.jsonl" in c.value for c in at.caption)
    at.switch_page(EXPORT)
    at.run()
    assert list(_runs(at)) == ["random k=5 #1"]
    assert at.query_params["file"] == str(mine) and at.query_params["lenient"] == "1"

    at.radio(key="src_kind").set_value("Sample data")  # switch datasets: the sample's own runs
    at.checkbox(key="src_lenient").uncheck()
    at.run()
    assert list(_runs(at)) == ["random k=7 #2"]
    assert "file" not in at.query_params
    back = _session(EXPORT, {"file": str(mine), "lenient": "1"})  # and back: the first dataset's runs again
    assert list(_runs(back)) == ["random k=5 #1"]


def test_a_map_subset_saved_by_name_is_listed_like_a_run(capsys):
    import numpy as np

    at = _session("pages/2_Map.py")
    at.session_state["working_subset"] = {"indices": np.array([3, 8, 21, 34, 55]), "origin": "map lasso"}
    at.run()
    assert not at.exception, at.exception
    at.text_input(key="map_ws_dl_subset_name").set_value("five picks")
    at.run()
    at.button(key="map_ws_dl_subset_save").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert list(_runs(at)) == ["five picks"]
    (listed,) = _cli_runs(capsys)
    assert (listed["name"], listed["kind"], listed["origin"], listed["picks"]) == ("five picks", "subset", "app", 5)
    later = _session(EXPORT)  # a refresh: Export lists it like a run and exports its records
    assert list(_runs(later)) == ["five picks"]
    later.selectbox(key="exp_what").set_value("five picks")
    later.run()
    assert not later.exception and not later.error, [e.value for e in later.error]
    assert any("5 records from map lasso" in c.value for c in later.caption)
