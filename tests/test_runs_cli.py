"""``python -m core runs``: the workspace's runs listed, shown, exported (the same file as ``select`` wrote),
renamed and deleted; ``select`` records its runs unless ``--no-workspace``. Temporary SIFT_HOME only."""

from __future__ import annotations

import json
import shutil

import pytest

from core.cli import main
from core.data import load_pool
from core.pipeline import build_features
from core.workspace import open_workspace, record_subset


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("SIFT_HOME", str(home))
    return home


def _select(sample, out, *extra) -> None:
    assert main(["select", str(sample), "--budget", "9", "-o", str(out), *extra]) == 0


def test_select_records_its_run_and_runs_lists_shows_exports_it(sample_path, tmp_path, capsys):
    out = tmp_path / "picked.jsonl"
    _select(sample_path, out, "--method", "kcenter", "--seed", "3", "--run-name", "my k-center")
    assert "workspace: run 1 (my k-center)" in capsys.readouterr().err
    _select(sample_path, tmp_path / "r.csv", "--method", "random")
    _select(sample_path, tmp_path / "untracked.csv", "--method", "random", "--no-workspace")
    capsys.readouterr()

    assert main(["runs", "list"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["id", "name", "kind", "method", "picks", "seed", "by", "created", "pool"]
    assert len(table) == 3 and "my k-center" in table[1] and "random k=9 #2" in table[2]
    assert main(["runs", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["method"], r["origin"], r["seed"], r["picks"]) for r in listed] == \
        [(1, "kcenter", "cli", 3, 9), (2, "random", "cli", 42, 9)]

    assert main(["runs", "show", "1"]) == 0
    shown = json.loads(capsys.readouterr().out)
    manifest = json.loads((tmp_path / "picked.manifest.json").read_text(encoding="utf-8"))
    assert shown["indices"] == manifest["indices"] and shown["features"]["model"] == manifest["extra"]["model"]

    again = tmp_path / "again.jsonl"
    assert main(["runs", "export", "1", "-o", str(again)]) == 0
    capsys.readouterr()
    assert again.read_bytes() == out.read_bytes()
    exported = json.loads((tmp_path / "again.manifest.json").read_text(encoding="utf-8"))
    assert exported["ids"] == manifest["ids"] and exported["columns"] == manifest["columns"]
    assert exported["extra"]["run"]["id"] == 1


def test_rename_delete_and_bad_ids(sample_path, tmp_path, capsys):
    _select(sample_path, tmp_path / "r.jsonl", "--method", "random")
    assert main(["runs", "rename", "1", "baseline"]) == 0
    assert "now called baseline" in capsys.readouterr().out
    assert open_workspace().run(1).name == "baseline"
    assert main(["runs", "delete", "1"]) == 0
    assert main(["runs", "list"]) == 0
    assert "no runs in" in capsys.readouterr().out
    for argv in (["runs", "show", "1"], ["runs", "delete", "7"], ["runs", "export", "x", "-o", "y.jsonl"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and ("no run" in err or "a number" in err)


def test_runs_list_by_file_and_export_of_an_app_subset(sample_path, tmp_path, capsys):
    copy = tmp_path / "copy.jsonl"
    shutil.copy(sample_path, copy)
    _select(sample_path, tmp_path / "a.jsonl", "--method", "random")
    other = tmp_path / "other.jsonl"
    other.write_text("".join(json.dumps({"instruction": f"question {i}", "output": f"answer {i}"}) + "\n"
                             for i in range(40)), encoding="utf-8")
    _select(other, tmp_path / "b.jsonl", "--method", "random")
    pool = load_pool(sample_path)
    features = build_features(pool, labels="none")
    sub = open_workspace().add_run(record_subset(pool, features, [40, 2, 7, 19], origin="app", name="lasso",
                                                 source="map lasso"))
    capsys.readouterr()
    assert main(["runs", "list", "--file", str(copy), "--json"]) == 0  # by content: a copy is the same pool
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [1, sub.id]
    out = tmp_path / "lasso.csv"
    assert main(["runs", "export", str(sub.id), "-o", str(out)]) == 0
    capsys.readouterr()
    manifest = json.loads((tmp_path / "lasso.manifest.json").read_text(encoding="utf-8"))
    assert manifest["indices"] == [2, 7, 19, 40] and manifest["extra"]["kind"] == "subset"
    assert manifest["extra"]["run"]["origin"] == "app" and "novelty" in manifest["added_columns"]
    # a subset is not a selector run: --from-manifest says so instead of guessing
    manifest_path = tmp_path / "lasso.manifest.json"
    assert main(["select", "--from-manifest", str(manifest_path), "-o", str(tmp_path / "z.jsonl")]) == 2
    assert "not a selector run" in capsys.readouterr().err


def test_runs_export_of_a_moved_or_changed_file(sample_path, tmp_path, capsys):
    copy = tmp_path / "pool.jsonl"
    shutil.copy(sample_path, copy)
    _select(copy, tmp_path / "a.jsonl", "--method", "random")
    moved = tmp_path / "moved.jsonl"
    copy.rename(moved)
    capsys.readouterr()
    assert main(["runs", "export", "1", "-o", str(tmp_path / "b.jsonl")]) == 2
    assert "--input FILE" in capsys.readouterr().err
    assert main(["runs", "export", "1", "-o", str(tmp_path / "b.jsonl"), "--input", str(moved)]) == 0
    assert (tmp_path / "b.jsonl").read_bytes() == (tmp_path / "a.jsonl").read_bytes()
    with moved.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"instruction": "extra", "output": "row"}) + "\n")
    capsys.readouterr()
    assert main(["runs", "export", "1", "-o", str(tmp_path / "c.jsonl"), "--input", str(moved)]) == 2
    assert "changed since the run" in capsys.readouterr().err


def test_a_run_with_damaged_arrays_is_refused_but_can_be_deleted(sample_path, tmp_path, capsys, private_home):
    _select(sample_path, tmp_path / "r.jsonl", "--method", "random")
    folder = next((private_home / "runs").iterdir())
    (folder / "order.npy").write_bytes(b"not an array")
    capsys.readouterr()
    assert main(["runs", "export", "1", "-o", str(tmp_path / "x.jsonl")]) == 2
    assert "cannot be read" in capsys.readouterr().err
    assert main(["runs", "list"]) == 0  # the listing reads no arrays
    assert main(["runs", "delete", "1"]) == 0 and not folder.exists()
