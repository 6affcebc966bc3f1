"""One export path: the app's export of a run (ui.export_view.export_files, what the Export page calls) and the CLI's
(``python -m core select``) are the same bytes and the same manifest apart from the time and who made them; a
manifest repeats its run (``select --from-manifest``), app runs included; exports follow the umask."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

from core import selectors
from core.cli import main
from core.data import load_pool
from core.defaults import DEFAULT_MODEL, DEFAULT_THRESHOLD_MODE, DEFAULT_TURNS, DEFAULT_VIEW
from core.metrics import compute
from core.pipeline import build_features
from ui import export_view as ev

#: What differs between two exports of one run: when and by whom this copy was made.
VOLATILE = ("created_utc",)


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SIFT_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def app_side(sample_path):
    """The sample's pool and features as the app builds them (ui.cached.features: the sidebar's defaults)."""
    pool = load_pool(sample_path)
    features = build_features(pool, model=DEFAULT_MODEL, view=DEFAULT_VIEW, turns=DEFAULT_TURNS,
                              graph_threshold=DEFAULT_THRESHOLD_MODE)
    return pool, features


def _app_run(app_side, method: str, budget: int, seed: int, **params):
    """A run as the Selection page makes it (ui.cached.run_selector -> core.dedup.select_deduplicated)."""
    from core.dedup import select_deduplicated

    pool, features = app_side
    sel = select_deduplicated(method, features, budget, None, seed=seed, **params)
    return ev.app_record(pool, features, f"{method} k={budget} #1", sel, threshold="auto")


def _stable(manifest: dict) -> dict:
    out = {k: v for k, v in manifest.items() if k not in VOLATILE}
    out["extra"] = {k: v for k, v in manifest["extra"].items() if k != "run"}
    return out


@pytest.mark.parametrize("method,fmt", [("kcenter", "jsonl"), ("mig", "csv"), ("novelselect", "jsonl")])
def test_app_and_cli_exports_of_one_run_are_identical(app_side, sample_path, tmp_path, capsys, method, fmt):
    pool, features = app_side
    record = _app_run(app_side, method, 12, seed=7)
    app = ev.export_files(pool, record, features, fmt)
    out = tmp_path / f"{app['stem']}.{fmt}"  # the name the app's download button gives the file
    assert main(["select", str(sample_path), "--method", method, "--budget", "12", "--seed", "7", "-o", str(out)]) == 0
    capsys.readouterr()
    assert out.read_bytes() == app["data"]
    cli_manifest = json.loads(out.with_name(out.stem + ".manifest.json").read_text(encoding="utf-8"))
    assert _stable(cli_manifest) == _stable(app["manifest"])
    assert cli_manifest["extra"]["run"]["origin"] == "cli" and app["manifest"]["extra"]["run"]["origin"] == "app"
    # the seed only for selectors that use one; the threshold used, a number, for runs that read the graph
    assert (app["manifest"]["seed"] == 7) == selectors.get(method).uses_seed
    if method == "mig":
        assert isinstance(app["manifest"]["extra"]["graph_threshold"], float)
        assert app["manifest"]["extra"]["graph_threshold_rule"].startswith("auto")
        assert app["manifest"]["extra"]["labels"] == "auto"
    else:
        assert app["manifest"]["extra"]["graph_threshold"] is None and app["manifest"]["extra"]["labels"] == "none"


def test_novelty_column_is_within_the_subset_and_averages_to_its_novelsum(app_side):
    pool, features = app_side
    record = _app_run(app_side, "kcenter", 30, seed=3)
    app = ev.export_files(pool, record, features, "jsonl")
    rows = [json.loads(line) for line in app["data"].decode("utf-8").splitlines()]
    novelty = np.array([r["novelty"] for r in rows])
    assert np.mean(novelty) == pytest.approx(compute("novelsum", features, record.indices), rel=1e-9)
    assert "within the exported subset" in app["manifest"]["columns"]["novelty"]
    quality = [r["sift_quality"] for r in rows]  # the sample's records have their own "quality" field
    np.testing.assert_allclose(quality, features.quality[record.indices])
    assert app["manifest"]["columns_skipped"] == {}


def test_from_manifest_repeats_an_app_run(app_side, sample_path, tmp_path, capsys):
    pool, features = app_side
    for method, params in (("kcenter", {}), ("mig", {}), ("qdit", {"a": 0.5})):
        record = _app_run(app_side, method, 15, seed=5, **params)
        app = ev.export_files(pool, record, features, "jsonl")
        manifest = tmp_path / f"{method}.manifest.json"
        manifest.write_text(json.dumps(app["manifest"]), encoding="utf-8")
        out = tmp_path / f"{method}-again.jsonl"
        assert main(["select", "--from-manifest", str(manifest), "-o", str(out)]) == 0
        assert "the same 15 ids in the same order" in capsys.readouterr().err
        again = json.loads(out.with_name(out.stem + ".manifest.json").read_text(encoding="utf-8"))
        assert again["ids"] == app["manifest"]["ids"] and again["indices"] == record.indices.tolist()
        assert again["params"] == app["manifest"]["params"] and again["seed"] == app["manifest"]["seed"]
        assert out.read_bytes() == app["data"]


def test_from_manifest_refuses_a_changed_input(app_side, sample_path, tmp_path, capsys):
    copy = tmp_path / "pool.jsonl"
    shutil.copy(sample_path, copy)
    pool = load_pool(copy)
    features = build_features(pool, labels="none", need_embeddings=False)
    sel = selectors.run("random", features, 6, seed=2)
    from core.workspace import export_run, record_run

    out = export_run(pool, record_run(pool, features, sel, origin="app"), features, tmp_path / "r.jsonl")
    with copy.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"instruction": "one more", "output": "row"}) + "\n")
    assert main(["select", "--from-manifest", str(out["manifest_path"]), "-o", str(tmp_path / "x.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "changed since the run" in err and "sha256" in err and str(out["manifest_path"]) in err
    assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o077, 0o600)])
def test_exports_follow_the_umask(sample_path, tmp_path, capsys, umask, mode):
    old = os.umask(umask)
    try:
        out = tmp_path / "r.csv"
        assert main(["select", str(sample_path), "--method", "random", "--budget", "5", "--labels", "none",
                     "-o", str(out), "--no-workspace"]) == 0
    finally:
        os.umask(old)
    capsys.readouterr()
    assert out.stat().st_mode & 0o777 == mode
    assert out.with_name("r.manifest.json").stat().st_mode & 0o777 == mode
