"""The workspace catalogue (core.workspace): runs kept on disk, WAL SQLite, whole runs only after kill -9, several
writers at once. Every test uses a temporary SIFT_HOME; none touches ~/.sift."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from core import selectors
from core.data import load_pool
from core.errors import SiftError
from core.features import Features
from core.quality import quality_for
from core.workspace import Workspace, home, open_workspace, pool_entry, record_run, record_subset

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def ws_home(tmp_path, monkeypatch):
    root = tmp_path / "sift-home"
    monkeypatch.setenv("SIFT_HOME", str(root))
    return root


@pytest.fixture(scope="module")
def sample_run(sample_path):
    """A real random run on the sample (quality only: no model is loaded)."""
    pool = load_pool(sample_path)
    features = _quality_features(pool)
    sel = selectors.run("random", features, 25, seed=11)
    return pool, features, sel


def _quality_features(pool) -> Features:
    """Features with the pool's quality only (what a random run reads; no model is loaded)."""
    q = quality_for(pool)
    return Features(n=len(pool), quality=q.values, quality_is_proxy=q.is_proxy,
                    extra={"quality": q, "model": "all-MiniLM-L6-v2", "view": "instruction", "turns": "first"})


def test_home_is_sift_home_else_dot_sift(tmp_path, monkeypatch):
    monkeypatch.setenv("SIFT_HOME", str(tmp_path / "w"))
    assert home() == tmp_path / "w"
    monkeypatch.delenv("SIFT_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert home() == tmp_path / ".sift"


def test_a_run_survives_reopening_with_every_field(ws_home, sample_run):
    pool, features, sel = sample_run
    record = record_run(pool, features, sel, origin="cli", name="")
    stored = open_workspace().add_run(record)
    assert stored.id == 1 and stored.name == "random k=25 #1"
    again = Workspace(ws_home).run(stored.id)  # a new object, as another process would open it
    np.testing.assert_array_equal(again.indices, sel.indices)
    np.testing.assert_array_equal(again.gains, sel.gains)
    assert again.method == "random" and again.seed == 11 and again.budget == 25 and again.origin == "cli"
    assert again.params == record.params and again.features == record.features and again.kind == "run"
    assert again.pool == pool_entry(pool) and again.pool["sha256"] == pool.file_sha256
    assert again.selection().params["seed"] == 11  # back as core.selectors.run records it
    assert (ws_home / "catalogue.sqlite").is_file()


def test_list_by_file_rename_delete(ws_home, sample_run, tmp_path):
    pool, features, sel = sample_run
    ws = open_workspace()
    a = ws.add_run(record_run(pool, features, sel, origin="app", name="first"))
    b = ws.add_run(record_subset(pool, features, [5, 1, 3], origin="app", name="lasso", source="map lasso"))
    other = tmp_path / "other.jsonl"
    other.write_text("".join(json.dumps({"instruction": f"q {i}", "output": f"a {i}"}) + "\n" for i in range(30)))
    opool = load_pool(other)
    ofeat = _quality_features(opool)
    c = ws.add_run(record_run(opool, ofeat, selectors.run("random", ofeat, 4, seed=1), origin="cli"))
    assert [r.id for r in ws.runs()] == [a.id, b.id, c.id]
    assert [r.id for r in ws.runs(sha256=pool.file_sha256)] == [a.id, b.id]
    assert [r.id for r in ws.runs(pool=pool_entry(pool), kind="subset")] == [b.id]
    assert ws.run(b.id).indices.tolist() == [1, 3, 5] and np.isnan(ws.run(b.id).gains).all()
    listed = ws.runs(arrays=False)
    assert [r.picks for r in listed] == [25, 3, 4] and all(len(r) == 0 for r in listed)
    assert ws.rename(a.id, "  kept  ").name == "kept"
    with pytest.raises(SiftError, match="1 to 200"):
        ws.rename(a.id, " ")
    folder_count = len(list((ws_home / "runs").iterdir()))
    ws.delete(a.id)
    assert [r.id for r in ws.runs()] == [b.id, c.id]
    assert len(list((ws_home / "runs").iterdir())) == folder_count - 1
    with pytest.raises(SiftError, match="no run"):
        ws.run(a.id)
    with pytest.raises(SiftError, match="a number"):
        ws.run("abc")
    assert {p["sha256"]: p["runs"] for p in ws.pools()} == {pool.file_sha256: 1, opool.file_sha256: 1}


def test_catalogue_is_wal_and_arrays_follow_the_umask(ws_home, sample_run):
    pool, features, sel = sample_run
    old = os.umask(0o027)
    try:
        rec = open_workspace().add_run(record_run(pool, features, sel, origin="cli"))
    finally:
        os.umask(old)
    con = sqlite3.connect(ws_home / "catalogue.sqlite")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    uid = con.execute("SELECT uid FROM runs WHERE id=?", (rec.id,)).fetchone()[0]
    con.close()
    assert (ws_home / "runs" / uid / "order.npy").stat().st_mode & 0o777 == 0o640


def test_a_changed_array_file_is_refused(ws_home, sample_run):
    pool, features, sel = sample_run
    rec = open_workspace().add_run(record_run(pool, features, sel, origin="cli"))
    folder = next((ws_home / "runs").iterdir())
    np.save(folder / "order.npy", rec.indices[::-1])
    with pytest.raises(SiftError, match="does not match the catalogue"):
        open_workspace().run(rec.id)


WRITER = textwrap.dedent("""
    import sys, numpy as np
    from core.workspace import RunRecord, open_workspace
    n, tag = int(sys.argv[1]), sys.argv[2]
    ws = open_workspace()
    pool = {"sha256": "ab" * 32, "name": "synthetic.jsonl", "path": None, "format": "jsonl", "shape": "alpaca",
            "rows": n, "load_options": {}}
    rng = np.random.default_rng(0)
    for i in range(int(sys.argv[3])):
        order = rng.permutation(n)
        rec = RunRecord(method="random", params={}, seed=i, budget=n, indices=order, gains=np.zeros(n), pool=pool,
                        features={}, name=f"{tag}-{i}")
        ws.add_run(rec)
        print(rec.id, flush=True)
""")


def _writer(root: Path, n: int, tag: str, count: int) -> subprocess.Popen:
    env = {**os.environ, "SIFT_HOME": str(root), "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(n), tag, str(count)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, text=True)


def _all_whole(root: Path) -> list:
    ws = Workspace(root)
    assert ws.integrity() == "ok"
    runs = ws.runs()  # reads every array and checks it against the catalogue's digest
    for r in runs:
        assert len(r) == r.picks == r.budget and sorted(r.indices.tolist()) == list(range(r.budget))
    return runs


def test_sigkill_midway_leaves_only_whole_runs(tmp_path):
    root = tmp_path / "home"
    n = 400_000  # arrays of ~3 MB each: a kill lands inside a write more often than not
    proc = _writer(root, n, "k", 1000)
    committed = [proc.stdout.readline() for _ in range(3)]
    time.sleep(0.05 + 0.1 * np.random.default_rng().random())
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    runs = _all_whole(root)
    assert len(runs) >= len(committed) == 3
    assert len(runs) < 1000  # killed midway, not after the end
    Workspace(root).sweep(min_age_s=0)  # orphan arrays (killed before the row) go; whole runs stay
    assert len(list((root / "runs").iterdir())) == len(_all_whole(root)) == len(runs)


def test_two_writers_at_once(tmp_path):
    root = tmp_path / "home"
    Workspace(root)
    procs = [_writer(root, 2000, tag, 25) for tag in ("a", "b")]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    ids = [int(x) for out in outs for x in out.split()]
    runs = _all_whole(root)
    assert sorted(ids) == [r.id for r in runs] == list(range(1, 51))
    assert sorted(r.name for r in runs) == sorted([f"a-{i}" for i in range(25)] + [f"b-{i}" for i in range(25)])


def test_the_working_subset_is_kept_per_pool_replaced_and_cleared(ws_home, sample_path, tmp_path):
    pool = load_pool(sample_path)
    entry = pool_entry(pool)
    ws = Workspace()
    assert ws.working_subset(entry) is None
    ws.set_working_subset(entry, [34, 3, 8, 3], "a lasso on the map")
    rows, origin = Workspace().working_subset(entry)  # another process / a server restart reads it back
    assert rows.tolist() == [3, 8, 34] and rows.dtype == np.int64 and origin == "a lasso on the map"
    ws.set_working_subset(entry, [5], "the label “python”")  # the last one wins
    assert ws.working_subset(entry)[0].tolist() == [5]
    lines = open(sample_path, encoding="utf-8").read().splitlines()[:50]
    part = tmp_path / "part.jsonl"
    part.write_text("\n".join(lines) + "\n", encoding="utf-8")
    other = pool_entry(load_pool(str(part)))
    assert ws.working_subset(other) is None  # per pool
    with pytest.raises(SiftError, match="working subset rows"):
        ws.set_working_subset(other, [49, 50], "too far")
    assert ws.clear_working_subset(entry) and ws.working_subset(entry) is None
    assert not ws.clear_working_subset(entry)
    ws.set_working_subset(entry, [], "nothing")  # empty clears too
    assert ws.working_subset(entry) is None


def test_a_damaged_working_subset_is_dropped_not_used(ws_home, sample_path):
    entry = pool_entry(load_pool(sample_path))
    ws = Workspace()
    ws.set_working_subset(entry, [1, 2, 3], "map")
    with sqlite3.connect(ws.path) as con:
        con.execute("UPDATE working SET indices = ?", (np.array([3, 2, 1], dtype="<i8").tobytes(),))
    assert ws.working_subset(entry) is None  # the digest no longer matches: dropped
    with sqlite3.connect(ws.path) as con:
        assert con.execute("SELECT COUNT(*) FROM working").fetchone()[0] == 0
